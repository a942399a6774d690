from datetime import date
from decimal import Decimal

import pytest

from qudao.catalog.choices import Tracking
from qudao.core.errors import InvalidTransition, StaleVersion
from qudao.core.models import OutboxEvent
from qudao.inventory import selectors
from qudao.inventory.errors import ExceedsInTransit, InsufficientStock, SameSite
from qudao.inventory.models import LocationKind, Serial, StockLevel, StockMove, TransferDiscrepancy
from qudao.inventory.selectors_documents import list_in_transit
from qudao.inventory.services import get_virtual_location, reconcile_levels
from qudao.inventory.services.transfer_receipts import close_transfer, receive_transfer
from qudao.inventory.services.transfers import (
    cancel_transfer,
    create_transfer,
    ship_transfer,
    update_transfer,
)
from tests.catalog.factories import make_item
from tests.factories import make_site
from tests.inventory.factories import ROOT, on_hand, receive

pytestmark = pytest.mark.django_db


def _in_transit(dealer, item):
    location = get_virtual_location(dealer.pk, LocationKind.IN_TRANSIT)
    level = StockLevel.objects.filter(item=item, location=location).first()
    return level.on_hand if level else Decimal(0)


def _transfer(source, target, *lines):
    return create_transfer(
        actor=ROOT,
        data={"from_site_id": source.pk, "to_site_id": target.pk, "lines": list(lines)},
    )


def test_create_numbers_and_validates(dealer, site):
    other = make_site(dealer)
    item = make_item(dealer)
    transfer = _transfer(site, other, {"item_id": item.pk, "quantity": "3"})
    assert transfer.number == f"TR-{date.today():%y%m}-000001"
    assert transfer.state == "draft" and transfer.version == 1
    assert [(line.item_id, line.quantity) for line in transfer.lines.all()] == [(item.pk, Decimal(3))]
    with pytest.raises(SameSite):
        _transfer(site, site, {"item_id": item.pk, "quantity": "1"})
    with pytest.raises(Exception) as exc:
        _transfer(site, other, {"item_id": item.pk, "quantity": "0"})
    assert exc.value.code == "invalid_quantity"


def test_ship_partial_receive_and_close_with_short(dealer, site):
    target = make_site(dealer)
    item = make_item(dealer)
    receive(site, item, 10, unit_cost="4.00")
    transfer = _transfer(site, target, {"item_id": item.pk, "quantity": "6"})
    ship_transfer(actor=ROOT, transfer_id=transfer.pk)
    transfer.refresh_from_db()
    assert transfer.state == "shipped" and transfer.shipped_at is not None
    assert on_hand(item, site) == Decimal(4)
    assert _in_transit(dealer, item) == Decimal(6)
    [row] = selectors.list_site_stock(actor=ROOT, item_id=item.pk, site_id=site.pk)
    assert row["in_transit"] == Decimal(0)
    assert [(r["site_id"], r["in_transit"]) for r in list_in_transit(actor=ROOT, item_id=item.pk)] == [
        (target.pk, Decimal(6))
    ]
    [pool] = selectors.list_pool(actor=ROOT, item_id=item.pk)
    assert pool["in_transit"] == Decimal(6)
    out = StockMove.objects.get(move_type="transfer_out")
    assert (out.quantity, out.reference_id, out.document_number) == (Decimal(6), transfer.pk, transfer.number)

    line = transfer.lines.get()
    receive_transfer(
        actor=ROOT, transfer_id=transfer.pk, data={"lines": [{"line_id": line.pk, "quantity": "4"}]}
    )
    transfer.refresh_from_db()
    assert transfer.state == "partially_received" and transfer.received_at is None
    assert on_hand(item, target) == Decimal(4)
    assert _in_transit(dealer, item) == Decimal(2)
    [row] = selectors.list_site_stock(actor=ROOT, item_id=item.pk, site_id=target.pk)
    assert (row["on_hand_total"], row["in_transit"]) == (Decimal(4), Decimal(2))
    with pytest.raises(ExceedsInTransit):
        receive_transfer(
            actor=ROOT, transfer_id=transfer.pk, data={"lines": [{"line_id": line.pk, "quantity": "3"}]}
        )

    close_transfer(actor=ROOT, transfer_id=transfer.pk, data={})
    transfer.refresh_from_db()
    assert transfer.state == "received" and transfer.received_at is not None
    assert _in_transit(dealer, item) == Decimal(0)
    assert list(list_in_transit(actor=ROOT, item_id=item.pk)) == []
    [gap] = TransferDiscrepancy.objects.all()
    assert (gap.kind, gap.quantity, gap.line_id) == ("short", Decimal(2), line.pk)
    loss = StockMove.objects.get(move_type="adjustment")
    assert (loss.reason, loss.quantity, loss.to_location.kind) == ("loss", Decimal(2), "adjustment")
    assert reconcile_levels() == []
    topics = list(
        OutboxEvent.objects.filter(topic__startswith="inventory.transfer").values_list("topic", flat=True)
    )
    assert sorted(topics) == [
        "inventory.transfer.received",
        "inventory.transfer.received",
        "inventory.transfer.shipped",
    ]


def test_receive_everything_moves_cost_and_finishes(dealer, site):
    target = make_site(dealer)
    item = make_item(dealer)
    receive(site, item, 5, unit_cost="10.00")
    transfer = _transfer(site, target, {"item_id": item.pk, "quantity": "5"})
    ship_transfer(actor=ROOT, transfer_id=transfer.pk)
    receive_transfer(actor=ROOT, transfer_id=transfer.pk)
    transfer.refresh_from_db()
    assert transfer.state == "received"
    assert (on_hand(item, site), on_hand(item, target)) == (Decimal(0), Decimal(5))
    moved_in = StockMove.objects.get(move_type="transfer_in")
    assert moved_in.unit_cost == Decimal("10.0000")
    from qudao.inventory.models import ItemSiteCost

    cost = ItemSiteCost.objects.get(item=item, site=target)
    assert (cost.quantity, cost.average_cost) == (Decimal(5), Decimal("10.0000"))
    assert reconcile_levels() == []


def test_shortage_lists_every_short_line_and_writes_nothing(dealer, site):
    target = make_site(dealer)
    a, b = make_item(dealer), make_item(dealer)
    receive(site, a, 1)
    transfer = _transfer(site, target, {"item_id": a.pk, "quantity": "2"}, {"item_id": b.pk, "quantity": "1"})
    with pytest.raises(InsufficientStock) as exc:
        ship_transfer(actor=ROOT, transfer_id=transfer.pk)
    assert [(d["sku"], d["requested"], d["available"]) for d in exc.value.details] == [
        (a.sku, "2.000", "1.000"),
        (b.sku, "1.000", "0.000"),
    ]
    transfer.refresh_from_db()
    assert transfer.state == "draft"
    assert StockMove.objects.filter(move_type="transfer_out").count() == 0


def test_ship_lots_fefo_and_receive_keeps_lots(dealer, site):
    target = make_site(dealer)
    item = make_item(dealer, tracking=Tracking.LOT)
    receive(site, item, 3, lot_number="LATE", expiry_date=date(2031, 1, 1))
    receive(site, item, 3, lot_number="EARLY", expiry_date=date(2030, 1, 1))
    transfer = _transfer(site, target, {"item_id": item.pk, "quantity": "4"})
    ship_transfer(actor=ROOT, transfer_id=transfer.pk)
    shipped = sorted(
        (m.lot.lot_number, m.quantity) for m in StockMove.objects.filter(move_type="transfer_out")
    )
    assert shipped == [("EARLY", Decimal(3)), ("LATE", Decimal(1))]
    line = transfer.lines.get()
    receive_transfer(
        actor=ROOT, transfer_id=transfer.pk, data={"lines": [{"line_id": line.pk, "quantity": "3"}]}
    )
    received = sorted(
        (m.lot.lot_number, m.quantity) for m in StockMove.objects.filter(move_type="transfer_in")
    )
    assert received == [("EARLY", Decimal(3))]
    close_transfer(
        actor=ROOT,
        transfer_id=transfer.pk,
        data={"discrepancies": [{"line_id": line.pk, "kind": "damaged", "quantity": "1", "note": "crushed"}]},
    )
    scrap = StockMove.objects.get(move_type="scrap")
    assert (scrap.lot.lot_number, scrap.reason, scrap.to_location.kind) == ("LATE", "damage", "scrap")
    assert TransferDiscrepancy.objects.get().note == "crushed"
    assert _in_transit(dealer, item) == Decimal(0)
    assert reconcile_levels() == []


def test_over_discrepancy_adds_found_stock_at_destination(dealer, site):
    target = make_site(dealer)
    item = make_item(dealer)
    receive(site, item, 2)
    transfer = _transfer(site, target, {"item_id": item.pk, "quantity": "2"})
    ship_transfer(actor=ROOT, transfer_id=transfer.pk)
    receive_transfer(actor=ROOT, transfer_id=transfer.pk)
    line = transfer.lines.get()
    with pytest.raises(InvalidTransition):
        close_transfer(
            actor=ROOT,
            transfer_id=transfer.pk,
            data={"discrepancies": [{"line_id": line.pk, "kind": "over", "quantity": "1"}]},
        )
    second = _transfer(site, target, {"item_id": item.pk, "quantity": "1"})
    receive(site, item, 1)
    ship_transfer(actor=ROOT, transfer_id=second.pk)
    second_line = second.lines.get()
    close_transfer(
        actor=ROOT,
        transfer_id=second.pk,
        data={"discrepancies": [{"line_id": second_line.pk, "kind": "over", "quantity": "2"}]},
    )
    kinds = sorted(TransferDiscrepancy.objects.values_list("kind", "quantity"))
    assert kinds == [("over", Decimal(2)), ("short", Decimal(1))]
    assert on_hand(item, target) == Decimal(4)
    assert reconcile_levels() == []


def test_serials_travel_and_arrive(dealer, site):
    target = make_site(dealer)
    item = make_item(dealer, tracking=Tracking.SERIAL)
    receive(site, item, 2, serials=["VIN1", "VIN2"])
    transfer = _transfer(site, target, {"item_id": item.pk, "quantity": "1", "serials": ["VIN2"]})
    ship_transfer(actor=ROOT, transfer_id=transfer.pk)
    vin = Serial.objects.get(serial_number="VIN2")
    assert (vin.location.kind, vin.site_id) == ("in_transit", None)
    receive_transfer(actor=ROOT, transfer_id=transfer.pk)
    vin.refresh_from_db()
    assert (vin.site_id, vin.status) == (target.pk, "in_stock")
    assert Serial.objects.get(serial_number="VIN1").site_id == site.pk
    assert reconcile_levels() == []


def test_edit_draft_with_version_and_cancel(dealer, site):
    target, third = make_site(dealer), make_site(dealer)
    item = make_item(dealer)
    transfer = _transfer(site, target, {"item_id": item.pk, "quantity": "1"})
    update_transfer(
        actor=ROOT,
        transfer_id=transfer.pk,
        data={"version": 1, "to_site_id": third.pk, "lines": [{"item_id": item.pk, "quantity": "7"}]},
    )
    transfer.refresh_from_db()
    assert (transfer.to_site_id, transfer.version, transfer.lines.get().quantity) == (third.pk, 2, Decimal(7))
    with pytest.raises(StaleVersion):
        update_transfer(actor=ROOT, transfer_id=transfer.pk, data={"version": 1, "note": "x"})
    cancel_transfer(actor=ROOT, transfer_id=transfer.pk)
    transfer.refresh_from_db()
    assert transfer.state == "cancelled" and transfer.cancelled_at is not None
    with pytest.raises(InvalidTransition):
        ship_transfer(actor=ROOT, transfer_id=transfer.pk)


def test_shipped_transfer_cannot_be_cancelled(dealer, site):
    target = make_site(dealer)
    item = make_item(dealer)
    receive(site, item, 1)
    transfer = _transfer(site, target, {"item_id": item.pk, "quantity": "1"})
    ship_transfer(actor=ROOT, transfer_id=transfer.pk)
    with pytest.raises(InvalidTransition):
        cancel_transfer(actor=ROOT, transfer_id=transfer.pk)
