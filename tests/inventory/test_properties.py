"""Property: any sequence of valid operations keeps every level equal to its ledger sum."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qudao.core.errors import QudaoError
from qudao.inventory.models import StockLevel
from qudao.inventory.services import (
    adjust_stock,
    get_default_location,
    issue_stock,
    reconcile_levels,
    release_reservations,
    reserve_stock,
    scrap_stock,
)
from tests.catalog.factories import make_item
from tests.inventory.factories import ROOT, receive

pytestmark = pytest.mark.django_db

ITEMS = 3
operation = st.tuples(
    st.sampled_from(["receive", "reserve", "release", "issue", "adjust", "scrap"]),
    st.integers(min_value=0, max_value=ITEMS - 1),
    st.integers(min_value=-5, max_value=8),
    st.integers(min_value=1, max_value=3),
)


@pytest.fixture
def stock_world(dealer, site):
    return dealer, site, [make_item(dealer) for _ in range(ITEMS)]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, min_size=1, max_size=12))
def test_levels_always_equal_the_ledger(stock_world, operations):
    _dealer, site, items = stock_world
    with transaction.atomic():
        location = get_default_location(site)
        expected = {item.pk: Decimal(0) for item in items}
        for kind, index, amount, ref in operations:
            item = items[index]
            line = {"item_id": item.pk, "site_id": site.pk, "quantity": abs(amount) or 1}
            reference = {"reference_type": "prop", "reference_id": ref}
            try:
                if kind == "receive":
                    receive(site, item, abs(amount) or 1)
                    expected[item.pk] += abs(amount) or 1
                elif kind == "reserve":
                    reserve_stock(actor=ROOT, data={**reference, "lines": [line]})
                elif kind == "release":
                    release_reservations(actor=ROOT, data=reference)
                elif kind == "issue":
                    issue_stock(actor=ROOT, data={**reference, "lines": [line]})
                    expected[item.pk] -= abs(amount) or 1
                elif kind == "adjust":
                    data = {
                        "item_id": item.pk,
                        "location_id": location.pk,
                        "quantity": amount or 1,
                        "reason": "count",
                    }
                    adjust_stock(actor=ROOT, data=data)
                    expected[item.pk] += amount or 1
                else:
                    data = {"item_id": item.pk, "location_id": location.pk, "quantity": abs(amount) or 1}
                    scrap_stock(actor=ROOT, data=data)
                    expected[item.pk] -= abs(amount) or 1
            except QudaoError as exc:  # a refused operation changes nothing
                assert exc.code in {"insufficient_stock", "no_active_reservation"}
        assert reconcile_levels() == []
        for item in items:
            levels = StockLevel.objects.filter(item=item, is_virtual=False)
            assert sum((lv.on_hand for lv in levels), Decimal(0)) == expected[item.pk]
            assert all(0 <= lv.reserved <= lv.on_hand for lv in levels)
        transaction.set_rollback(True)
