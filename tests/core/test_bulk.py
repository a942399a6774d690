"""core.bulk.update_rows: one statement sets or increases many rows, exact decimals on both databases."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qudao.core.bulk import update_rows
from qudao.inventory.models import ItemSiteCost
from tests.catalog.factories import make_item
from tests.factories import make_dealer, make_site

pytestmark = pytest.mark.django_db


def _costs(n: int):
    dealer = make_dealer()
    site = make_site(dealer)
    rows = []
    for _ in range(n):
        item = make_item(dealer)
        rows.append(
            ItemSiteCost.objects.create(
                dealer=dealer,
                item=item,
                site=site,
                quantity=Decimal("10.000"),
                average_cost=Decimal("1.5000"),
            )
        )
    return rows


def test_add_and_set_in_one_statement_each():
    a, b, c = _costs(3)
    with CaptureQueriesContext(connection) as ctx:
        count = update_rows(
            ItemSiteCost, {a.pk: (Decimal("0.001"),), b.pk: (Decimal("-2.5"),)}, ["quantity"], add=True
        )
    assert count == 2 and sum("UPDATE" in q["sql"] for q in ctx.captured_queries) == 1
    stamp = timezone.now()
    update_rows(
        ItemSiteCost,
        {c.pk: (Decimal("12.3456"), Decimal("7"))},
        ["average_cost", "quantity"],
        updated_at=stamp,
    )
    a.refresh_from_db(), b.refresh_from_db(), c.refresh_from_db()
    assert a.quantity == Decimal("10.001") and b.quantity == Decimal("7.500")
    assert (c.average_cost, c.quantity) == (Decimal("12.3456"), Decimal("7.000"))
    assert abs((c.updated_at - stamp).total_seconds()) < 1
    assert a.average_cost == Decimal("1.5000")


def test_nothing_to_update_runs_no_statement():
    with CaptureQueriesContext(connection) as ctx:
        assert update_rows(ItemSiteCost, {}, ["quantity"]) == 0
    assert ctx.captured_queries == []


def test_one_value_per_field():
    (a,) = _costs(1)
    with pytest.raises(ValueError):
        update_rows(ItemSiteCost, {a.pk: (Decimal(1), Decimal(2))}, ["quantity"])
