"""Return stories: delivered goods come back (restock, quarantine or scrap), finance credits what was
invoiced, what was not invoiced is never invoiced, and the customer's rebate accrual goes down."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from qudao.catalog.choices import Tracking
from qudao.core.errors import InvalidTransition, QudaoError
from qudao.core.events import deliver_event
from qudao.core.models import OutboxEvent
from qudao.core.scoping import Actor
from qudao.finance.models import CreditNote, Invoice
from qudao.finance.services import invoice_sales_orders
from qudao.inventory.models import StockLevel, StockMove
from qudao.inventory.services import reconcile_levels
from qudao.pricing.models import RebateVolume
from qudao.pricing.selectors_rebates import get_rebate_accrual
from qudao.sales.models import ReturnRequest, SalesOrderLine
from qudao.sales.services import (
    approve_return,
    cancel_return,
    confirm_delivery,
    create_shipment,
    receive_return,
    reject_return,
    request_return,
    ship_shipment,
)
from qudao.sales.states_fulfilment import ReturnState
from tests.catalog.factories import make_item
from tests.inventory.factories import ROOT, on_hand, receive, reserved
from tests.pricing.factories import program
from tests.sales.factories import make_world, submit

pytestmark = pytest.mark.django_db


def _delivered(world, quantities):
    order = submit(world, quantities)
    shipment = create_shipment(actor=ROOT, order_id=order.pk, data={})
    ship_shipment(actor=ROOT, shipment_id=shipment.pk)
    confirm_delivery(actor=ROOT, shipment_id=shipment.pk, data={"signer_name": "王店长"})
    order.refresh_from_db()
    return order


def _line(order):
    return SalesOrderLine.objects.filter(order=order).order_by("line_no").first()


def _deliver_outbox(topic: str) -> None:
    for event in OutboxEvent.objects.filter(topic=topic).order_by("pk"):
        deliver_event(event.pk)


def test_delivered_order_returns_two_of_ten_into_quarantine_and_is_credited(dealer):
    # given a delivered order of 10 × ¥113.00, invoiced and issued, and a 2 % rebate programme
    world = make_world(dealer, items=1)
    rebate = program(dealer, tiers=((100, "0.02"),), period="year", valid_from=date(2026, 1, 1))
    order = _delivered(world, [10])
    [invoice] = invoice_sales_orders(actor=ROOT, order_ids=[order.pk], issue=True)
    assert invoice.total == Decimal("1130.00")
    today = timezone.localdate()
    assert get_rebate_accrual(world.customer, rebate, today).amount == Decimal("22.60")
    # when the customer sends 2 back (damaged packaging), a manager approves and the warehouse receives
    line = _line(order)
    request = request_return(
        actor=ROOT,
        order_id=order.pk,
        data={
            "reason": "包装破损",
            "lines": [{"order_line_id": line.pk, "quantity": "2", "disposition": "quarantine"}],
        },
    )
    assert request.number.startswith("RT-") and request.amount == Decimal("226.00")
    approve_return(actor=ROOT, return_id=request.pk, note="照片已核实")
    receive_return(actor=ROOT, return_id=request.pk)
    # then the goods are on hand at the site but held in quarantine (not available for sale)
    line.refresh_from_db()
    assert line.returned_quantity == 2
    assert on_hand(world.items[0], world.shanghai) == 92
    quarantine = StockLevel.objects.get(item=world.items[0], location__code="QUARANTINE")
    assert (quarantine.on_hand, quarantine.reserved) == (2, 2)
    assert reserved(world.items[0], world.shanghai) == 2
    moves = StockMove.objects.filter(reference_type="sales.return", reference_id=request.pk)
    assert [(m.move_type, m.quantity) for m in moves] == [("return", 2)]
    # and finance (through the outbox) credits 2 × ¥113.00 on the invoice
    _deliver_outbox("sales.return.received")
    credit = CreditNote.objects.get(invoice=invoice)
    assert (credit.total, credit.reason, credit.note) == (Decimal("226.00"), "return", request.number)
    invoice.refresh_from_db()
    assert invoice.open_amount == Decimal("904.00")
    request.refresh_from_db()
    assert request.state == ReturnState.CREDITED
    assert request.credit_notes == [credit.number]
    # and the rebate accrual follows the returned amount down (−¥226 of volume)
    assert RebateVolume.objects.filter(
        source_type="sales.return", source_id=request.pk
    ).get().amount == Decimal("-226.00")
    assert get_rebate_accrual(world.customer, rebate, today).amount == Decimal("18.08")
    # a replay of the event changes nothing
    _deliver_outbox("sales.return.received")
    assert CreditNote.objects.filter(invoice=invoice).count() == 1
    kinds = set(order.events.values_list("kind", flat=True))
    assert {"return_requested", "return_approved", "return_received", "return_credited"} <= kinds
    topics = set(
        OutboxEvent.objects.filter(topic__startswith="sales.return.").values_list("topic", flat=True)
    )
    assert topics == {
        "sales.return.requested",
        "sales.return.approved",
        "sales.return.received",
        "sales.return.credited",
    }
    assert reconcile_levels(dealer.pk) == []


def test_a_return_before_invoicing_is_never_invoiced(dealer):
    world = make_world(dealer, items=1)
    order = _delivered(world, [10])
    line = _line(order)
    request = request_return(
        actor=ROOT, order_id=order.pk, data={"lines": [{"order_line_id": line.pk, "quantity": "3"}]}
    )
    approve_return(actor=ROOT, return_id=request.pk)
    receive_return(actor=ROOT, return_id=request.pk)
    request.refresh_from_db()
    assert request.state == ReturnState.CLOSED  # nothing had been invoiced: nothing to credit
    assert on_hand(world.items[0], world.shanghai) == 93  # restocked, available again
    assert reserved(world.items[0], world.shanghai) == 0
    [invoice] = invoice_sales_orders(actor=ROOT, order_ids=[order.pk], issue=True)
    assert [il.quantity for il in invoice.lines.all()] == [7]
    assert invoice.total == Decimal("791.00")
    _deliver_outbox("sales.return.received")
    assert not CreditNote.objects.exists()


def test_part_invoiced_part_not_each_part_is_settled_once(dealer):
    # 6 delivered and invoiced, then 4 more delivered; 8 come back: the 6 invoiced are credited, the
    # other 2 were never invoiced and never will be; the 2 the customer keeps are invoiced once
    world = make_world(dealer, items=1)
    order = submit(world, [10])
    line = _line(order)
    first = create_shipment(
        actor=ROOT, order_id=order.pk, data={"lines": [{"order_line_id": line.pk, "quantity": 6}]}
    )
    ship_shipment(actor=ROOT, shipment_id=first.pk)
    confirm_delivery(actor=ROOT, shipment_id=first.pk, data={"signer_name": "甲"})
    [invoice] = invoice_sales_orders(actor=ROOT, order_ids=[order.pk], issue=True)
    assert invoice.total == Decimal("678.00")
    rest = create_shipment(actor=ROOT, order_id=order.pk, data={})
    ship_shipment(actor=ROOT, shipment_id=rest.pk)
    confirm_delivery(actor=ROOT, shipment_id=rest.pk, data={"signer_name": "甲"})
    request = request_return(
        actor=ROOT, order_id=order.pk, data={"lines": [{"order_line_id": line.pk, "quantity": "8"}]}
    )
    approve_return(actor=ROOT, return_id=request.pk)
    receive_return(actor=ROOT, return_id=request.pk)
    assert request.lines.get().credit_quantity == 6
    _deliver_outbox("sales.return.received")
    assert CreditNote.objects.get().total == Decimal("678.00")
    # the 2 not invoiced and returned are not invoiced later; the 2 kept are
    [second] = invoice_sales_orders(actor=ROOT, order_ids=[order.pk], issue=True)
    assert [il.quantity for il in second.lines.all()] == [2]
    billed = sum(i.total - i.amount_credited for i in Invoice.objects.filter(pk__in=[invoice.pk, second.pk]))
    assert billed == Decimal("226.00")  # 2 kept × ¥113


def test_scrapped_returns_show_both_moves_and_leave_no_stock(dealer):
    world = make_world(dealer, items=1)
    order = _delivered(world, [4])
    line = _line(order)
    request = request_return(
        actor=ROOT,
        order_id=order.pk,
        data={"lines": [{"order_line_id": line.pk, "quantity": "1", "disposition": "restock"}]},
    )
    approve_return(actor=ROOT, return_id=request.pk)
    # the clerk finds it broken: scrap instead of restock
    receive_return(
        actor=ROOT,
        return_id=request.pk,
        data={"lines": [{"return_line_id": request.lines.get().pk, "disposition": "scrap"}]},
    )
    moves = StockMove.objects.filter(reference_type="sales.return", reference_id=request.pk).order_by("pk")
    assert [m.move_type for m in moves] == ["return", "scrap"]
    assert on_hand(world.items[0], world.shanghai) == 96
    assert reconcile_levels(dealer.pk) == []


def test_lots_come_back_as_the_lot_they_left_in(dealer):
    world = make_world(dealer, items=0, stock={})
    item = make_item(dealer, list_price=Decimal("10.00"), tax_rate=Decimal("0.13"), tracking=Tracking.LOT)
    world.items = [item]
    receive(world.shanghai, item, 10, lot_number="L-A", expiry_date=date.today() + timedelta(days=90))
    order = _delivered(world, [3])
    request = request_return(
        actor=ROOT, order_id=order.pk, data={"lines": [{"order_line_id": _line(order).pk, "quantity": "1"}]}
    )
    assert request.lines.get().lot.lot_number == "L-A"
    approve_return(actor=ROOT, return_id=request.pk)
    receive_return(actor=ROOT, return_id=request.pk)
    move = StockMove.objects.get(reference_type="sales.return", reference_id=request.pk)
    assert move.lot.lot_number == "L-A"


def test_wrong_requests_are_refused_and_nothing_is_written(dealer):
    world = make_world(dealer, items=1)
    order = _delivered(world, [2])
    line = _line(order)
    with pytest.raises(QudaoError) as too_many:
        request_return(
            actor=ROOT, order_id=order.pk, data={"lines": [{"order_line_id": line.pk, "quantity": "3"}]}
        )
    assert too_many.value.code == "return_too_large"
    first = request_return(
        actor=ROOT, order_id=order.pk, data={"lines": [{"order_line_id": line.pk, "quantity": "2"}]}
    )
    with pytest.raises(QudaoError) as open_return:
        request_return(
            actor=ROOT, order_id=order.pk, data={"lines": [{"order_line_id": line.pk, "quantity": "1"}]}
        )
    assert open_return.value.code == "return_too_large"
    with pytest.raises(QudaoError) as bad:
        request_return(
            actor=ROOT,
            order_id=order.pk,
            data={
                "lines": [{"order_line_id": 0, "quantity": "1"}, {"order_line_id": line.pk, "quantity": "x"}]
            },
        )
    assert {d["field"] for d in bad.value.details} == {"lines.0.order_line_id", "lines.1.quantity"}
    assert ReturnRequest.objects.count() == 1
    with pytest.raises(InvalidTransition):
        receive_return(actor=ROOT, return_id=first.pk)  # not approved yet
    clerk = Actor(user_id=None, username="clerk", own_dealers={dealer.pk: None}, permissions=frozenset())
    with pytest.raises(QudaoError) as denied:
        approve_return(actor=clerk, return_id=first.pk)
    assert denied.value.status == 403
    reject_return(actor=ROOT, return_id=first.pk, reason="超过退货期")
    first.refresh_from_db()
    assert first.state == ReturnState.REJECTED
    # a rejected return frees the quantity for a new request, which can be cancelled
    again = request_return(
        actor=ROOT, order_id=order.pk, data={"lines": [{"order_line_id": line.pk, "quantity": "2"}]}
    )
    cancel_return(actor=ROOT, return_id=again.pk)
    assert StockMove.objects.filter(reference_type="sales.return").count() == 0
    assert _line(order).returned_quantity == 0


@pytest.mark.parametrize("to", ["restock", "scrap"])
def test_quarantined_goods_are_released_after_inspection(dealer, to):
    from qudao.sales.services import release_quarantine

    world = make_world(dealer, items=1)
    order = _delivered(world, [5])
    request = request_return(
        actor=ROOT,
        order_id=order.pk,
        data={"lines": [{"order_line_id": _line(order).pk, "quantity": "2", "disposition": "quarantine"}]},
    )
    approve_return(actor=ROOT, return_id=request.pk)
    receive_return(actor=ROOT, return_id=request.pk)
    line = request.lines.get()
    assert reserved(world.items[0], world.shanghai) == 2
    release_quarantine(actor=ROOT, return_id=request.pk, return_line_id=line.pk, to=to)
    assert reserved(world.items[0], world.shanghai) == 0
    assert on_hand(world.items[0], world.shanghai) == (97 if to == "restock" else 95)
    line.refresh_from_db()
    assert line.disposition == to
    with pytest.raises(QudaoError):  # released once
        release_quarantine(actor=ROOT, return_id=request.pk, return_line_id=line.pk, to=to)
    assert reconcile_levels(dealer.pk) == []
