"""Fulfilment under real concurrency (PostgreSQL): a shipment ships once; an order line never ships
more than was ordered, whatever the clerks do at the same time."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from qudao.core.errors import QudaoError
from qudao.inventory.models import StockMove
from qudao.inventory.services import reconcile_levels
from qudao.sales.models import SalesOrderLine, Shipment, ShipmentLine
from qudao.sales.services import create_shipment, ship_shipment
from tests.factories import make_dealer
from tests.inventory.factories import ROOT, on_hand
from tests.sales.factories import make_world, submit

THREADS = 6

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _need_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("the concurrency tests need PostgreSQL (row locks across connections)")


def _run(target, n_threads: int) -> tuple[list[str], list[str]]:
    """Run `target(n)` in threads started together: (unexpected errors, business refusals)."""
    errors: list[str] = []
    refusals: list[str] = []
    barrier = threading.Barrier(n_threads)

    def wrapped(n):
        try:
            barrier.wait()
            target(n)
        except QudaoError as exc:
            refusals.append(exc.code)
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=wrapped, args=(n,)) for n in range(n_threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors, refusals


def test_parallel_ships_of_one_shipment_ship_it_once():
    _need_postgres()
    world = make_world(make_dealer(), items=2)
    order = submit(world, [7, 3])
    shipment = create_shipment(actor=ROOT, order_id=order.pk, data={})

    errors, refusals = _run(lambda n: ship_shipment(actor=ROOT, shipment_id=shipment.pk), THREADS)
    assert errors == []
    assert refusals == ["invalid_transition"] * (THREADS - 1)
    assert Shipment.objects.get(pk=shipment.pk).state == "shipped"
    assert StockMove.objects.filter(reference_id=order.pk, move_type="sale_issue").count() == 2
    assert on_hand(world.items[0], world.shanghai) == 93
    assert [ln.shipped_quantity for ln in SalesOrderLine.objects.filter(order=order).order_by("line_no")] == [
        7,
        3,
    ]
    assert reconcile_levels(world.dealer.pk) == []


def test_parallel_shipments_of_one_line_never_exceed_the_order():
    _need_postgres()
    world = make_world(make_dealer(), items=1)
    order = submit(world, [10])
    line = SalesOrderLine.objects.get(order=order)

    def clerk(n):
        # every clerk drafts 3 of the line and ships it at once
        shipment = create_shipment(
            actor=ROOT, order_id=order.pk, data={"lines": [{"order_line_id": line.pk, "quantity": 3}]}
        )
        ship_shipment(actor=ROOT, shipment_id=shipment.pk)

    errors, refusals = _run(clerk, THREADS)
    assert errors == []
    assert refusals == ["over_shipment"] * (THREADS - 3)
    line.refresh_from_db()
    assert line.shipped_quantity == 9
    assert line.reserved_quantity == 1
    shipped = sum(
        sl.quantity for sl in ShipmentLine.objects.filter(order_line=line, shipment__state="shipped")
    )
    assert shipped == Decimal(9)
    assert on_hand(world.items[0], world.shanghai) == 91
    assert reconcile_levels(world.dealer.pk) == []
