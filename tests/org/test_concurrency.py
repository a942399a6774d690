"""Two brand managers grant the same dealership at the same moment: exactly one wins (PostgreSQL)."""

import threading
from datetime import date

import pytest
from django.db import connection, connections

from qudao.org.errors import DealershipOverlap
from qudao.org.models import Dealership
from qudao.org.services.dealerships import create_dealership
from tests.factories import make_brand, make_dealer
from tests.org.factories import actor_for, make_brand_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks are tested on PostgreSQL")
def test_concurrent_overlapping_grants_leave_one_dealership():
    assert connection.vendor == "postgresql"
    brand = make_brand()
    dealer = make_dealer(is_public=True)
    actors = [actor_for(make_brand_user(brand)) for _ in range(4)]
    barrier = threading.Barrier(len(actors))
    outcomes: list[str] = []

    def grant(actor, start):
        try:
            barrier.wait(timeout=10)
            create_dealership(actor=actor, data={"dealer_id": dealer.pk, "valid_from": start})
            outcomes.append("created")
        except DealershipOverlap:
            outcomes.append("overlap")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=grant, args=(a, date(2026, 1, 1 + i))) for i, a in enumerate(actors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["created", "overlap", "overlap", "overlap"]
    assert Dealership.objects.filter(brand=brand, dealer=dealer).count() == 1
