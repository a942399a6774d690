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


def test_insert_rows_writes_what_bulk_create_would_in_one_statement():
    from qudao.core.bulk import insert_rows
    from qudao.core.models import OutboxEvent

    dealer = make_dealer()
    rows = [OutboxEvent(topic=f"t.{n}", payload={"n": n, "名": "值"}, dealer=dealer) for n in range(3)]
    with CaptureQueriesContext(connection) as ctx:
        written = insert_rows(rows)
    assert len(ctx.captured_queries) == 1 and ctx.captured_queries[0]["sql"].startswith("INSERT")
    assert [r.pk for r in written] == sorted(r.pk for r in written) and all(r.pk for r in written)
    assert not written[0]._state.adding
    again = {e.pk: e for e in OutboxEvent.objects.filter(pk__in=[r.pk for r in rows])}
    assert [again[r.pk].payload for r in rows] == [{"n": n, "名": "值"} for n in range(3)]
    assert again[rows[0].pk].dealer_id == dealer.pk and again[rows[0].pk].created_at is not None


def test_rows_loaded_by_hand_equal_the_orms():
    from qudao.core.bulk import RowLoader, fetch

    a, _b, _c = _costs(3)
    loader = RowLoader(ItemSiteCost, "x")
    table = connection.ops.quote_name(ItemSiteCost._meta.db_table)
    rows = fetch(f"SELECT {loader.columns}, 1 FROM {table} x WHERE x.id = %s", [a.pk])
    loaded, end = loader.load(rows[0])
    orm = ItemSiteCost.objects.get(pk=a.pk)
    assert end == len(rows[0]) - 1 and not loaded._state.adding
    for field in ItemSiteCost._meta.concrete_fields:
        mine, theirs = getattr(loaded, field.attname), getattr(orm, field.attname)
        assert (type(mine), mine) == (type(theirs), theirs), field.name
    # an outer join that found nothing gives None
    assert loader.load([None] * len(loader.fields))[0] is None


def test_update_fields_sets_one_row():
    from qudao.core.bulk import update_fields

    a, b = _costs(2)
    stamp = timezone.now()
    with CaptureQueriesContext(connection) as ctx:
        assert update_fields(ItemSiteCost, a.pk, {"quantity": Decimal("1.250"), "updated_at": stamp}) == 1
    assert len(ctx.captured_queries) == 1
    a.refresh_from_db(), b.refresh_from_db()
    assert (a.quantity, a.updated_at, b.quantity) == (Decimal("1.250"), stamp, Decimal("10.000"))
