"""Fulfilment stories: an order is picked, shipped (stock leaves through the ledger), delivered with
proof, in one shipment or several, from one site or several; wrong requests change nothing."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from qudao.catalog.choices import Tracking
from qudao.core.errors import InvalidTransition, QudaoError
from qudao.core.models import OutboxEvent
from qudao.inventory.choices import MoveType, ReservationState
from qudao.inventory.models import Reservation, StockMove
from qudao.inventory.services import reconcile_levels
from qudao.pricing.models import RebateVolume
from qudao.sales.models import SalesOrderLine, Shipment, ShipmentLine, ShipmentState
from qudao.sales.services import cancel_shipment, confirm_delivery, create_shipment, ship_shipment
from qudao.sales.states import DeliveryState, OrderState
from tests.catalog.factories import make_item
from tests.inventory.factories import ROOT, on_hand, receive, reserved
from tests.sales.factories import make_world, submit

pytestmark = pytest.mark.django_db


def _lines(order):
    return list(SalesOrderLine.objects.filter(order=order).order_by("line_no"))


def _topics(prefix: str) -> list[str]:
    return list(
        OutboxEvent.objects.filter(topic__startswith=prefix).order_by("pk").values_list("topic", flat=True)
    )


def test_wholesaler_order_ships_from_shanghai_and_is_signed_for(dealer):
    # given an order of 10 + 5 reserved in Shanghai
    world = make_world(dealer, items=2)
    order = submit(world, [10, 5])
    assert order.state == OrderState.CONFIRMED
    # when the warehouse drafts a shipment (everything reserved there), ships it and the customer signs
    shipment = create_shipment(actor=ROOT, order_id=order.pk, data={"tracking_number": "SF123"})
    assert shipment.number.startswith("SH-")
    assert shipment.site == world.shanghai
    assert sorted(ln.quantity for ln in shipment.lines.all()) == [5, 10]
    ship_shipment(actor=ROOT, shipment_id=shipment.pk)
    # then the stock left through the ledger and consumed the reservations
    moves = StockMove.objects.filter(reference_type="sales.order", reference_id=order.pk)
    assert {m.move_type for m in moves} == {MoveType.SALE_ISSUE}
    assert sum(m.quantity for m in moves) == 15
    assert on_hand(world.items[0], world.shanghai) == 90
    assert reserved(world.items[0], world.shanghai) == 0
    assert not Reservation.objects.filter(reference_id=order.pk, state=ReservationState.ACTIVE).exists()
    order.refresh_from_db()
    assert order.state == OrderState.PROCESSING
    assert [(ln.shipped_quantity, ln.reserved_quantity) for ln in _lines(order)] == [(10, 0), (5, 0)]
    # and when the customer signs, the order is delivered and done, rebate volume recorded
    confirm_delivery(
        actor=ROOT,
        shipment_id=shipment.pk,
        data={"signer_name": "王店长", "latitude": "30.284085", "longitude": "120.155070", "accuracy_m": "8"},
    )
    shipment.refresh_from_db()
    assert shipment.state == ShipmentState.DELIVERED
    assert shipment.proof.signer_name == "王店长"
    assert shipment.proof.latitude == Decimal("30.284085")
    order.refresh_from_db()
    assert order.delivery_state == DeliveryState.FULL
    assert order.state == OrderState.DONE
    assert [ln.delivered_quantity for ln in _lines(order)] == [10, 5]
    assert RebateVolume.objects.filter(source_id=order.pk).count() == 2
    assert _topics("sales.shipment.") == [
        "sales.shipment.created",
        "sales.shipment.shipped",
        "sales.shipment.delivered",
    ]
    assert {"sales.order.processing", "sales.order.delivered", "sales.order.done"} <= set(
        _topics("sales.order.")
    )
    kinds = list(order.events.order_by("pk").values_list("kind", flat=True))
    assert kinds[-6:] == [
        "shipment_created",
        "shipment_shipped",
        "processing",
        "shipment_delivered",
        "delivered",
        "done",
    ]
    assert reconcile_levels(dealer.pk) == []


def test_an_order_split_by_allocation_ships_from_each_site(dealer):
    # given 6 in Hangzhou and 4 in Shanghai, an order of 10 is split (no site holds all of it)
    world = make_world(dealer, items=1, stock={"hangzhou": 6, "shanghai": 4})
    order = submit(world, [10])
    sites = {r.site_id: r.quantity for r in Reservation.objects.filter(reference_id=order.pk)}
    assert sites == {world.hangzhou.pk: 6, world.shanghai.pk: 4}
    # a request without a site is ambiguous
    with pytest.raises(QudaoError) as ambiguous:
        create_shipment(actor=ROOT, order_id=order.pk, data={})
    assert ambiguous.value.details[0]["field"] == "site_id"
    first = create_shipment(actor=ROOT, order_id=order.pk, data={"site_id": world.hangzhou.pk})
    second = create_shipment(actor=ROOT, order_id=order.pk, data={"site_id": world.shanghai.pk})
    assert first.lines.get().quantity == sites[world.hangzhou.pk]
    assert second.lines.get().quantity == sites[world.shanghai.pk]
    ship_shipment(actor=ROOT, shipment_id=first.pk)
    confirm_delivery(actor=ROOT, shipment_id=first.pk, data={"signer_name": "李四"})
    order.refresh_from_db()
    assert order.delivery_state == DeliveryState.PARTIAL
    assert order.state == OrderState.PROCESSING
    ship_shipment(actor=ROOT, shipment_id=second.pk)
    confirm_delivery(actor=ROOT, shipment_id=second.pk, data={"signer_name": "李四"})
    order.refresh_from_db()
    assert order.state == OrderState.DONE
    assert on_hand(world.items[0], world.hangzhou) == 0
    assert on_hand(world.items[0], world.shanghai) == 0
    assert reconcile_levels(dealer.pk) == []


def test_part_of_a_line_ships_now_and_the_rest_later(dealer):
    world = make_world(dealer, items=1)
    order = submit(world, [10])
    line = _lines(order)[0]
    first = create_shipment(
        actor=ROOT, order_id=order.pk, data={"lines": [{"order_line_id": line.pk, "quantity": 4}]}
    )
    ship_shipment(actor=ROOT, shipment_id=first.pk)
    line.refresh_from_db()
    assert (line.shipped_quantity, line.reserved_quantity) == (4, 6)
    assert reserved(world.items[0], world.shanghai) == 6
    # by default the next shipment takes the rest of what is reserved
    rest = create_shipment(actor=ROOT, order_id=order.pk, data={})
    assert rest.lines.get().quantity == 6
    # and nothing more can be drafted for that line
    with pytest.raises(QudaoError) as over:
        create_shipment(
            actor=ROOT, order_id=order.pk, data={"lines": [{"order_line_id": line.pk, "quantity": 1}]}
        )
    assert over.value.details[0]["code"] == "over_shipment"
    with pytest.raises(QudaoError) as nothing:
        create_shipment(actor=ROOT, order_id=order.pk, data={})
    assert nothing.value.code == "nothing_to_ship"


def test_partial_delivery_leaves_the_refused_quantity_shipped_not_delivered(dealer):
    world = make_world(dealer, items=1)
    order = submit(world, [10])
    shipment = create_shipment(actor=ROOT, order_id=order.pk, data={})
    ship_shipment(actor=ROOT, shipment_id=shipment.pk)
    line = shipment.lines.get()
    confirm_delivery(
        actor=ROOT,
        shipment_id=shipment.pk,
        data={"signer_name": "张三", "lines": [{"shipment_line_id": line.pk, "quantity": "7"}]},
    )
    order.refresh_from_db()
    assert order.delivery_state == DeliveryState.PARTIAL
    assert order.state == OrderState.PROCESSING
    order_line = _lines(order)[0]
    assert (order_line.shipped_quantity, order_line.delivered_quantity) == (10, 7)


def test_shipping_more_than_the_site_holds_is_refused_and_nothing_is_written(dealer):
    world = make_world(dealer, items=1, stock={"shanghai": 5})
    order = submit(world, [8])  # 5 reserved, 3 back-ordered
    line = _lines(order)[0]
    assert (line.reserved_quantity, line.backordered_quantity) == (5, 3)
    shipment = create_shipment(
        actor=ROOT, order_id=order.pk, data={"lines": [{"order_line_id": line.pk, "quantity": 8}]}
    )
    moves_before = StockMove.objects.count()
    with pytest.raises(QudaoError) as short:
        ship_shipment(actor=ROOT, shipment_id=shipment.pk)
    assert short.value.code == "insufficient_stock"
    assert StockMove.objects.count() == moves_before
    shipment.refresh_from_db()
    assert shipment.state == ShipmentState.DRAFT
    # when 3 more arrive (free stock), the whole line ships: reserved consumed, back-order gone
    receive(world.shanghai, world.items[0], 3)
    ship_shipment(actor=ROOT, shipment_id=shipment.pk)
    line.refresh_from_db()
    order.refresh_from_db()
    assert (line.shipped_quantity, line.reserved_quantity, line.backordered_quantity) == (8, 0, 0)
    assert order.has_backorder is False
    assert on_hand(world.items[0], world.shanghai) == 0


def test_a_site_without_stock_cannot_ship(dealer):
    world = make_world(dealer, items=1)
    order = submit(world, [2])
    line = _lines(order)[0]
    shipment = create_shipment(
        actor=ROOT,
        order_id=order.pk,
        data={"site_id": world.nanjing.pk, "lines": [{"order_line_id": line.pk, "quantity": 2}]},
    )
    with pytest.raises(QudaoError) as short:
        ship_shipment(actor=ROOT, shipment_id=shipment.pk)
    assert short.value.code == "insufficient_stock"
    assert short.value.details[0]["site_id"] == world.nanjing.pk
    assert reserved(world.items[0], world.shanghai) == 2


def test_shipping_twice_is_a_conflict(dealer):
    world = make_world(dealer, items=1)
    order = submit(world, [2])
    shipment = create_shipment(actor=ROOT, order_id=order.pk, data={})
    ship_shipment(actor=ROOT, shipment_id=shipment.pk)
    with pytest.raises(InvalidTransition):
        ship_shipment(actor=ROOT, shipment_id=shipment.pk)
    assert StockMove.objects.filter(reference_id=order.pk).count() == 1
    with pytest.raises(InvalidTransition):
        cancel_shipment(actor=ROOT, shipment_id=shipment.pk)


def test_a_cancelled_draft_frees_its_lines_for_another_shipment(dealer):
    world = make_world(dealer, items=1)
    order = submit(world, [3])
    shipment = create_shipment(actor=ROOT, order_id=order.pk, data={})
    cancel_shipment(actor=ROOT, shipment_id=shipment.pk, reason="wrong truck")
    shipment.refresh_from_db()
    assert shipment.state == ShipmentState.CANCELLED
    assert reserved(world.items[0], world.shanghai) == 3  # the order keeps its stock
    again = create_shipment(actor=ROOT, order_id=order.pk, data={})
    assert again.lines.get().quantity == 3
    assert "sales.shipment.cancelled" in _topics("sales.shipment.")


def test_stale_version_and_closed_orders_are_refused(dealer):
    world = make_world(dealer, items=1)
    order = submit(world, [3])
    shipment = create_shipment(actor=ROOT, order_id=order.pk, data={})
    with pytest.raises(QudaoError) as stale:
        ship_shipment(actor=ROOT, shipment_id=shipment.pk, version=shipment.version + 1)
    assert stale.value.code == "stale_version"
    draft = submit(world, [1], confirm=False)
    with pytest.raises(QudaoError) as not_open:
        create_shipment(actor=ROOT, order_id=draft.pk, data={})
    assert not_open.value.code == "order_not_open"


def test_lot_items_ship_by_earliest_expiry_and_lines_record_their_lots(dealer):
    world = make_world(dealer, items=0, stock={})
    item = make_item(dealer, list_price=Decimal("10.00"), tax_rate=Decimal("0.13"), tracking=Tracking.LOT)
    world.items = [item]
    soon, later = date.today() + timedelta(days=30), date.today() + timedelta(days=200)
    receive(world.shanghai, item, 4, lot_number="L-SOON", expiry_date=soon)
    receive(world.shanghai, item, 10, lot_number="L-LATER", expiry_date=later)
    order = submit(world, [6])
    shipment = create_shipment(actor=ROOT, order_id=order.pk, data={})
    ship_shipment(actor=ROOT, shipment_id=shipment.pk)
    lines = {ln.lot.lot_number: ln.quantity for ln in ShipmentLine.objects.filter(shipment=shipment)}
    assert lines == {"L-SOON": 4, "L-LATER": 2}
    confirm_delivery(actor=ROOT, shipment_id=shipment.pk, data={"signer_name": "赵六"})
    assert Shipment.objects.get(pk=shipment.pk).state == ShipmentState.DELIVERED
    order.refresh_from_db()
    assert order.state == OrderState.DONE


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"signer_name": ""}, "signer_name"),
        ({"signer_name": "x" * 101}, "signer_name"),
        ({"signer_name": "a", "latitude": "91", "longitude": "120"}, "latitude"),
        ({"signer_name": "a", "latitude": "30"}, "longitude"),
        ({"signer_name": "a", "signed_at": timezone.now() + timedelta(hours=1)}, "signed_at"),
        ({"signer_name": "a", "signed_at": "2026-01-01T10:00:00"}, "signed_at"),
        ({"signer_name": "a", "lines": [{"shipment_line_id": 0, "quantity": 1}]}, "lines.0.shipment_line_id"),
    ],
)
def test_bad_delivery_data_is_refused_and_nothing_changes(dealer, data, field):
    world = make_world(dealer, items=1)
    order = submit(world, [2])
    shipment = create_shipment(actor=ROOT, order_id=order.pk, data={})
    ship_shipment(actor=ROOT, shipment_id=shipment.pk)
    with pytest.raises(QudaoError) as bad:
        confirm_delivery(actor=ROOT, shipment_id=shipment.pk, data=data)
    assert bad.value.status == 422
    assert field in [d["field"] for d in bad.value.details]
    shipment.refresh_from_db()
    assert shipment.state == ShipmentState.SHIPPED
    assert _lines(order)[0].delivered_quantity == 0


def test_cancelling_an_order_cancels_its_draft_shipments_but_not_after_shipping(dealer):
    from qudao.sales.services import cancel_order

    world = make_world(dealer, items=1)
    order = submit(world, [4])
    draft = create_shipment(actor=ROOT, order_id=order.pk, data={})
    cancel_order(actor=ROOT, order_id=order.pk, reason="客户取消")
    draft.refresh_from_db()
    assert draft.state == ShipmentState.CANCELLED
    assert reserved(world.items[0], world.shanghai) == 0
    shipped_order = submit(world, [2])
    shipment = create_shipment(actor=ROOT, order_id=shipped_order.pk, data={})
    ship_shipment(actor=ROOT, shipment_id=shipment.pk)
    with pytest.raises(QudaoError) as refused:
        cancel_order(actor=ROOT, order_id=shipped_order.pk)
    assert refused.value.code == "already_shipped"
