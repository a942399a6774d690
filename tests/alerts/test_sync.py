"""sync_alerts: the contract of the periodic evaluators."""

import pytest

from qudao.alerts.errors import InvalidAlert, UnknownAlertKind
from qudao.alerts.models import Alert
from qudao.alerts.services import AlertSpec, SyncResult, acknowledge_alert, sync_alerts
from qudao.core.models import OutboxEvent
from tests.alerts.factories import LOW_STOCK, OVERSTOCK, actor_for, make_alert

pytestmark = pytest.mark.django_db


def spec(available: str, severity: str = "warning") -> AlertSpec:
    return AlertSpec(
        severity=severity,
        subject_type="catalog.item",
        subject_id="7",
        subject_label="雪碧 500ml",
        params={"item": "雪碧 500ml", "available": available, "safety": "20"},
    )


def live(dealer, kind=LOW_STOCK) -> dict[str, Alert]:
    return {
        a.dedupe_key: a
        for a in Alert.objects.filter(dealer=dealer, kind=kind, status__in=["open", "acknowledged"])
    }


def test_sync_raises_refreshes_and_auto_resolves(dealer, admin_user):
    first = sync_alerts(dealer_id=dealer.pk, kind=LOW_STOCK, active={"a": spec("5"), "b": spec("2")})
    assert first == SyncResult(raised=2, refreshed=0, resolved=0)
    acknowledge_alert(actor=actor_for(admin_user), alert=live(dealer)["b"])

    second = sync_alerts(
        dealer_id=dealer.pk, kind=LOW_STOCK, active={"a": spec("4"), "c": spec("1", "critical")}
    )
    assert second == SyncResult(raised=1, refreshed=1, resolved=1)
    current = live(dealer)
    assert set(current) == {"a", "c"}
    assert current["a"].occurrences == 2
    assert current["a"].params["available"] == "4"
    assert current["c"].severity == "critical"
    cleared = Alert.objects.get(dealer=dealer, dedupe_key="b")
    assert cleared.status == "resolved"
    assert cleared.resolution == "auto"
    assert cleared.resolved_by_id is None
    assert OutboxEvent.objects.filter(topic="alerts.alert.resolved", payload__resolution="auto").count() == 1

    third = sync_alerts(dealer_id=dealer.pk, kind=LOW_STOCK, active={})
    assert third == SyncResult(raised=0, refreshed=0, resolved=2)
    assert live(dealer) == {}


def test_sync_touches_only_its_kind_and_dealer(dealer, other_dealer):
    make_alert(dealer, kind=OVERSTOCK, dedupe_key="x", severity="info")
    make_alert(other_dealer, dedupe_key="x")
    result = sync_alerts(dealer_id=dealer.pk, kind=LOW_STOCK, active={})
    assert result.resolved == 0
    assert set(live(dealer, OVERSTOCK)) == {"x"}
    assert set(live(other_dealer)) == {"x"}


def test_sync_accepts_plain_dicts(dealer):
    sync_alerts(dealer_id=dealer.pk, kind=LOW_STOCK, active={"a": {"severity": "info", "message": "低库存"}})
    assert live(dealer)["a"].text == "低库存"


def test_sync_is_all_or_nothing(dealer):
    make_alert(dealer, dedupe_key="old")
    with pytest.raises(InvalidAlert):
        sync_alerts(
            dealer_id=dealer.pk, kind=LOW_STOCK, active={"new": spec("1"), "bad": spec("1", severity="fatal")}
        )
    assert set(live(dealer)) == {"old"}
    assert Alert.objects.filter(dealer=dealer).count() == 1


def test_sync_refuses_unknown_spec_fields_and_kinds(dealer):
    with pytest.raises(InvalidAlert) as exc:
        sync_alerts(dealer_id=dealer.pk, kind=LOW_STOCK, active={"a": {"severity": "info", "colour": "red"}})
    assert exc.value.details[0]["field"] == "active"
    with pytest.raises(UnknownAlertKind):
        sync_alerts(dealer_id=dealer.pk, kind="nobody.registered", active={})


def test_refreshing_is_a_constant_number_of_queries_per_condition(dealer, django_assert_max_num_queries):
    active = {f"k{n}": spec(str(n)) for n in range(20)}
    sync_alerts(dealer_id=dealer.pk, kind=LOW_STOCK, active=active)
    # per condition: dealer and lock/refresh queries plus the savepoint of raise_alert; no history rows
    with django_assert_max_num_queries(4 + 6 * len(active)):
        result = sync_alerts(dealer_id=dealer.pk, kind=LOW_STOCK, active=active)
    assert result == SyncResult(raised=0, refreshed=20, resolved=0)
    assert Alert.history.count() == 20
