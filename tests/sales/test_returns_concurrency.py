"""Returns under real concurrency (PostgreSQL): a return is received once; parallel requests of one
line never ask for more than was delivered; an invoice run racing a receipt never counts units twice."""

from __future__ import annotations

from decimal import Decimal

import pytest

from qudao.finance.models import Invoice
from qudao.finance.services import invoice_sales_orders
from qudao.sales.models import ReturnLine, SalesOrderLine
from qudao.sales.services import (
    approve_return,
    confirm_delivery,
    create_shipment,
    receive_return,
    request_return,
    ship_shipment,
)
from tests.factories import make_dealer
from tests.inventory.factories import ROOT, on_hand
from tests.sales.factories import make_world, submit
from tests.sales.test_fulfilment_concurrency import _need_postgres, _run

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _delivered(world, quantities):
    order = submit(world, quantities)
    shipment = create_shipment(actor=ROOT, order_id=order.pk, data={})
    ship_shipment(actor=ROOT, shipment_id=shipment.pk)
    confirm_delivery(actor=ROOT, shipment_id=shipment.pk, data={"signer_name": "店长"})
    return order


def test_parallel_receipts_of_one_return_receive_it_once():
    _need_postgres()
    world = make_world(make_dealer(), items=1)
    order = _delivered(world, [5])
    line = SalesOrderLine.objects.get(order=order)
    request = request_return(
        actor=ROOT, order_id=order.pk, data={"lines": [{"order_line_id": line.pk, "quantity": 2}]}
    )
    approve_return(actor=ROOT, return_id=request.pk)
    errors, refusals = _run(lambda n: receive_return(actor=ROOT, return_id=request.pk), 5)
    assert errors == []
    assert refusals == ["invalid_transition"] * 4
    line.refresh_from_db()
    assert line.returned_quantity == 2
    assert on_hand(world.items[0], world.shanghai) == 97


def test_parallel_requests_never_ask_for_more_than_delivered():
    _need_postgres()
    world = make_world(make_dealer(), items=1)
    order = _delivered(world, [5])
    line = SalesOrderLine.objects.get(order=order)
    errors, refusals = _run(
        lambda n: request_return(
            actor=ROOT, order_id=order.pk, data={"lines": [{"order_line_id": line.pk, "quantity": 2}]}
        ),
        5,
    )
    assert errors == []
    assert refusals == ["return_too_large"] * 3
    assert sum(rl.quantity for rl in ReturnLine.objects.filter(order_line=line)) == 4


def test_an_invoice_run_racing_a_receipt_bills_each_unit_once():
    _need_postgres()
    world = make_world(make_dealer(), items=1)
    order = _delivered(world, [10])
    line = SalesOrderLine.objects.get(order=order)
    request = request_return(
        actor=ROOT, order_id=order.pk, data={"lines": [{"order_line_id": line.pk, "quantity": 3}]}
    )
    approve_return(actor=ROOT, return_id=request.pk)

    def work(n):
        if n == 0:
            receive_return(actor=ROOT, return_id=request.pk)
        else:
            invoice_sales_orders(actor=ROOT, order_ids=[order.pk], issue=True)

    errors, _refusals = _run(work, 2)
    assert errors == []
    returned = ReturnLine.objects.get(request=request)
    invoiced = sum((i.lines.get().quantity for i in Invoice.objects.all()), Decimal(0))
    # either the invoice came first (10 invoiced, 3 to credit) or the receipt did (7 invoiced, 0 to credit)
    assert (invoiced, returned.credit_quantity) in {(Decimal(10), Decimal(3)), (Decimal(7), Decimal(0))}
