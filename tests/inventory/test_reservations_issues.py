from datetime import date
from decimal import Decimal

import pytest

from qudao.catalog.choices import Tracking
from qudao.inventory.errors import InsufficientStock, NoActiveReservation, SerialNotAvailable
from qudao.inventory.models import ItemSiteCost, Reservation, Serial, StockLevel, StockMove
from qudao.inventory.services import issue_stock, reconcile_levels, release_reservations, reserve_stock
from tests.catalog.factories import make_item
from tests.factories import make_site
from tests.inventory.factories import ROOT, make_location, on_hand, receive, reserved

pytestmark = pytest.mark.django_db

ORDER = {"reference_type": "sales.order", "reference_id": 42}


def reserve(*lines, reference=ORDER):
    return reserve_stock(actor=ROOT, data={**reference, "lines": list(lines)})


def issue(*lines, reference=ORDER, **data):
    return issue_stock(actor=ROOT, data={**reference, **data, "lines": list(lines)})


def test_reserve_then_issue_consumes_the_reservation(dealer, site):
    item = make_item(dealer)
    receive(site, item, 10, unit_cost=Decimal("5"))
    [reservation] = reserve({"item_id": item.pk, "site_id": site.pk, "quantity": 4, "reference_line_id": 1})
    assert (reservation.quantity, reservation.state, reservation.reference_line_id) == (
        Decimal(4),
        "active",
        1,
    )
    assert reserved(item, site) == Decimal(4)
    moves = issue({"item_id": item.pk, "site_id": site.pk, "quantity": 4, "reference_line_id": 1})
    assert [(m.move_type, m.quantity, m.unit_cost) for m in moves] == [
        ("sale_issue", Decimal(4), Decimal("5.0000"))
    ]
    assert moves[0].to_location.kind == "customer"
    reservation.refresh_from_db()
    assert reservation.state == "consumed"
    assert (on_hand(item, site), reserved(item, site)) == (Decimal(6), Decimal(0))
    assert ItemSiteCost.objects.get(item=item).quantity == Decimal(6)
    assert reconcile_levels() == []


def test_partial_issue_keeps_the_rest_reserved(dealer, site):
    item = make_item(dealer)
    receive(site, item, 10)
    reserve({"item_id": item.pk, "site_id": site.pk, "quantity": 6})
    issue({"item_id": item.pk, "site_id": site.pk, "quantity": 2})
    active = Reservation.objects.get(state="active")
    consumed = Reservation.objects.get(state="consumed")
    assert (active.quantity, consumed.quantity) == (Decimal(4), Decimal(2))
    assert (on_hand(item, site), reserved(item, site)) == (Decimal(8), Decimal(4))
    assert reconcile_levels() == []


def test_free_stock_cannot_take_what_others_reserved(dealer, site):
    item = make_item(dealer)
    receive(site, item, 5)
    reserve(
        {"item_id": item.pk, "site_id": site.pk, "quantity": 4},
        reference={"reference_type": "so", "reference_id": 1},
    )
    with pytest.raises(InsufficientStock) as exc:
        issue({"item_id": item.pk, "site_id": site.pk, "quantity": 2}, reference={})
    assert exc.value.details == [
        {
            "line": 0,
            "item_id": item.pk,
            "sku": item.sku,
            "site_id": site.pk,
            "requested": "2.000",
            "available": "1.000",
        }
    ]


def test_shortage_lists_every_short_line_and_reserves_nothing(dealer, site):
    a, b, c = make_item(dealer), make_item(dealer), make_item(dealer)
    receive(site, a, 5)
    receive(site, b, 1)
    with pytest.raises(InsufficientStock) as exc:
        reserve(
            {"item_id": a.pk, "site_id": site.pk, "quantity": 3},
            {"item_id": b.pk, "site_id": site.pk, "quantity": 2},
            {"item_id": c.pk, "site_id": site.pk, "quantity": 1},
            {"item_id": a.pk, "site_id": site.pk, "quantity": 3},
        )
    assert exc.value.code == "insufficient_stock" and exc.value.status == 409
    assert [(d["line"], d["requested"], d["available"]) for d in exc.value.details] == [
        (1, "2.000", "1.000"),
        (2, "1.000", "0.000"),
        (3, "3.000", "2.000"),
    ]
    assert not Reservation.objects.exists()
    assert reserved(a, site) == 0 and reserved(b, site) == 0


def test_fefo_takes_the_earliest_expiry_first(dealer, site):
    item = make_item(dealer, tracking=Tracking.LOT)
    receive(site, item, 5, lot_number="LATE", expiry_date=date(2027, 6, 1))
    receive(site, item, 5, lot_number="EARLY", expiry_date=date(2027, 1, 1))
    receive(site, item, 5, lot_number="NONE")
    reservations = reserve({"item_id": item.pk, "site_id": site.pk, "quantity": 12})
    assert [(r.lot.lot_number, r.quantity) for r in reservations] == [
        ("EARLY", Decimal(5)),
        ("LATE", Decimal(5)),
        ("NONE", Decimal(2)),
    ]


def test_a_named_lot_is_used(dealer, site):
    item = make_item(dealer, tracking=Tracking.LOT)
    receive(site, item, 5, lot_number="A", expiry_date=date(2027, 1, 1))
    receive(site, item, 5, lot_number="B", expiry_date=date(2027, 6, 1))
    lot_b = StockLevel.objects.get(lot__lot_number="B", is_virtual=False).lot
    moves = issue({"item_id": item.pk, "site_id": site.pk, "quantity": 3, "lot_id": lot_b.pk}, reference={})
    assert [m.lot.lot_number for m in moves] == ["B"]


def test_stock_at_another_site_does_not_count(dealer, site):
    item = make_item(dealer)
    other_site = make_site(dealer)
    receive(other_site, item, 10)
    with pytest.raises(InsufficientStock):
        reserve({"item_id": item.pk, "site_id": site.pk, "quantity": 1})


def test_release_gives_the_stock_back(dealer, site):
    item = make_item(dealer)
    receive(site, item, 3)
    reserve({"item_id": item.pk, "site_id": site.pk, "quantity": 3})
    released = release_reservations(actor=ROOT, data=ORDER)
    assert [r.state for r in released] == ["released"]
    assert reserved(item, site) == 0
    with pytest.raises(NoActiveReservation):
        release_reservations(actor=ROOT, data=ORDER)
    assert reconcile_levels() == []


def test_serial_choice_and_reserved_serials_are_issued(dealer, site):
    item = make_item(dealer, tracking=Tracking.SERIAL)
    receive(site, item, 3, serials=["VIN-A", "VIN-B", "VIN-C"])
    [reservation] = reserve({"item_id": item.pk, "site_id": site.pk, "quantity": 1, "serials": ["VIN-B"]})
    assert reservation.serial.serial_number == "VIN-B"
    assert Serial.objects.get(serial_number="VIN-B").status == "reserved"
    # the reserved serial cannot be taken by someone else
    with pytest.raises(SerialNotAvailable):
        reserve(
            {"item_id": item.pk, "site_id": site.pk, "quantity": 1, "serials": ["VIN-B"]},
            reference={"reference_type": "so", "reference_id": 2},
        )
    moves = issue({"item_id": item.pk, "site_id": site.pk, "quantity": 2})
    assert sorted(m.serial.serial_number for m in moves) == ["VIN-A", "VIN-B"]
    assert set(Serial.objects.filter(status="issued").values_list("serial_number", flat=True)) == {
        "VIN-A",
        "VIN-B",
    }
    assert Serial.objects.get(serial_number="VIN-A").site is None
    assert on_hand(item, site) == Decimal(1)
    assert reconcile_levels() == []


def test_issued_serial_can_come_back_as_a_return(dealer, site):
    item = make_item(dealer, tracking=Tracking.SERIAL)
    receive(site, item, 1, serials=["VIN-R"])
    issue({"item_id": item.pk, "site_id": site.pk, "quantity": 1}, reference={})
    from qudao.inventory.services import receive_stock

    receive_stock(
        actor=ROOT,
        data={"site_id": site.pk, "lines": [{"item_id": item.pk, "quantity": 1, "serials": ["VIN-R"]}]},
        move_type="return",
    )
    assert Serial.objects.get().status == "in_stock"
    assert StockMove.objects.filter(move_type="return").get().from_location.kind == "customer"


def test_reservation_needs_a_reference(dealer, site):
    item = make_item(dealer)
    with pytest.raises(Exception) as exc:
        reserve({"item_id": item.pk, "site_id": site.pk, "quantity": 1}, reference={})
    assert exc.value.code == "validation_error"
    assert {d["field"] for d in exc.value.details} == {"reference_type", "reference_id"}


def test_issue_from_a_named_location(dealer, site):
    item = make_item(dealer)
    bin_a, bin_b = make_location(site, "A"), make_location(site, "B")
    receive(site, item, 2, location=bin_a)
    receive(site, item, 2, location=bin_b)
    moves = issue(
        {"item_id": item.pk, "site_id": site.pk, "quantity": 2, "location_id": bin_b.pk}, reference={}
    )
    assert [m.from_location for m in moves] == [bin_b]


def test_reserving_a_line_is_a_handful_of_queries(dealer, site, django_assert_max_num_queries):
    items = [make_item(dealer) for _ in range(5)]
    for item in items:
        receive(site, item, 10)
    lines = [{"item_id": item.pk, "site_id": site.pk, "quantity": 1} for item in items]
    # parsing resolves each line (item, site, unit); locking, updating and writing are per batch or level
    with django_assert_max_num_queries(5 * 3 + 5 + 5 + 4):
        reserve(*lines)
    assert reserved(items[0], site) == Decimal(1)
