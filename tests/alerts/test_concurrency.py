"""Many workers raise the same condition at the same moment: one alert, every occurrence counted."""

import threading

import pytest
from django.db import connection, connections

from qudao.alerts.models import Alert
from qudao.alerts.services import raise_alert
from qudao.core.models import OutboxEvent
from tests.alerts.factories import LOW_STOCK
from tests.factories import make_dealer

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WORKERS = 8
ROUNDS = 5


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrency is tested on PostgreSQL")
def test_concurrent_raises_never_duplicate():
    assert connection.vendor == "postgresql"
    dealer = make_dealer()
    barrier = threading.Barrier(WORKERS)
    failures: list[str] = []
    severities = ["info", "warning", "critical", "warning"]

    def worker(n: int) -> None:
        try:
            for round_ in range(ROUNDS):
                barrier.wait(timeout=20)
                raise_alert(
                    dealer_id=dealer.pk,
                    kind=LOW_STOCK,
                    severity=severities[(n + round_) % len(severities)],
                    dedupe_key=f"hot:{round_ % 2}",
                    params={"item": "A", "available": "0", "safety": "1"},
                )
        except Exception as exc:  # collected and asserted below
            failures.append(f"{type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    alerts = {a.dedupe_key: a for a in Alert.objects.filter(dealer=dealer)}
    assert sorted(alerts) == ["hot:0", "hot:1"]
    total = sum(a.occurrences for a in alerts.values())
    assert total == WORKERS * ROUNDS
    assert {a.severity for a in alerts.values()} == {"critical"}
    assert OutboxEvent.objects.filter(dealer=dealer, topic="alerts.alert.raised").count() == 2
