from datetime import date, timedelta
from decimal import Decimal

import pytest

from qudao.catalog.choices import Tracking
from qudao.core.models import OutboxEvent
from qudao.inventory.models import ItemSiteCost, Location, Lot, Serial, StockLevel, StockMove
from qudao.inventory.services import receive_stock, reconcile_levels
from tests.catalog.factories import make_item, make_item_unit, unit
from tests.inventory.factories import ROOT, make_location, on_hand, receive

pytestmark = pytest.mark.django_db


def test_receipt_moves_stock_from_the_supplier_into_the_site(dealer, site):
    item = make_item(dealer)
    moves = receive(site, item, 5, unit_cost=Decimal("10.00"), reference_line_id=7)
    assert len(moves) == 1
    move = StockMove.objects.get()
    assert (move.state, move.move_type, move.quantity) == ("done", "receipt", Decimal("5.000"))
    assert move.from_location.kind == "supplier" and move.from_location.is_virtual
    assert move.to_location.code == "STOCK" and move.to_location.site == site
    assert move.done_at is not None and move.effective_date is not None
    assert on_hand(item, site) == Decimal(5)
    supplier = StockLevel.objects.get(item=item, location=move.from_location)
    assert supplier.on_hand == Decimal(-5) and supplier.is_virtual
    event = OutboxEvent.objects.get(topic="inventory.stock.changed")
    assert event.payload["item_ids"] == [item.pk] and event.payload["site_ids"] == [site.pk]
    assert reconcile_levels() == []


def test_receipt_converts_the_unit_to_the_base_unit(dealer, site):
    item = make_item(dealer)
    make_item_unit(item, unit(dealer, "CS"), 24)
    receive(site, item, 2, unit_id=unit(dealer, "CS").pk)
    assert on_hand(item, site) == Decimal(48)


def test_moving_average_cost(dealer, site):
    item = make_item(dealer)
    receive(site, item, 10, unit_cost=Decimal("10"))
    receive(site, item, 30, unit_cost=Decimal("14"))
    cost = ItemSiteCost.objects.get(item=item, site=site)
    assert cost.average_cost == Decimal("13.0000")
    assert cost.quantity == Decimal(40)


def test_lot_expiry_computed_from_shelf_life(dealer, site):
    item = make_item(dealer, tracking=Tracking.LOT, has_expiry=True, shelf_life_days=30)
    receive(site, item, 3, lot_number="L1", production_date=date(2026, 1, 1))
    lot = Lot.objects.get(item=item)
    assert lot.expiry_date == date(2026, 1, 31)
    level = StockLevel.objects.get(item=item, is_virtual=False)
    assert level.lot == lot and level.on_hand == Decimal(3)
    # a second receipt of the same lot lands on the same level
    receive(site, item, 2, lot_number="L1")
    assert StockLevel.objects.get(item=item, is_virtual=False).on_hand == Decimal(5)


def test_serial_receipt_creates_serials_and_one_move_each(dealer, site):
    item = make_item(dealer, tracking=Tracking.SERIAL)
    receive(site, item, 2, serials=["VIN001", "VIN002"])
    assert StockMove.objects.filter(item=item).count() == 2
    assert set(Serial.objects.values_list("serial_number", "status")) == {
        ("VIN001", "in_stock"),
        ("VIN002", "in_stock"),
    }
    assert Serial.objects.get(serial_number="VIN001").site == site


def test_receipt_into_a_named_bin(dealer, site):
    item = make_item(dealer)
    bin_a = make_location(site, "A-01")
    receive(site, item, 4, location=bin_a)
    assert StockLevel.objects.get(item=item, is_virtual=False).location == bin_a


def _errors(exc_info):
    return exc_info.value.code, exc_info.value.details


def test_serial_already_in_stock_is_refused_and_nothing_written(dealer, site):
    item = make_item(dealer, tracking=Tracking.SERIAL)
    receive(site, item, 1, serials=["VIN001"])
    moves = StockMove.objects.count()
    from qudao.inventory.errors import SerialInStock

    with pytest.raises(SerialInStock) as exc:
        receive(site, item, 2, serials=["VIN009", "VIN001"])
    assert exc.value.status == 409
    assert exc.value.details[0]["message"] == "VIN001"
    assert StockMove.objects.count() == moves
    assert not Serial.objects.filter(serial_number="VIN009").exists()
    assert on_hand(item, site) == Decimal(1)


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ({"quantity": 0}, "invalid_quantity"),
        ({"quantity": -1}, "invalid_quantity"),
        ({"quantity": "abc"}, "invalid_quantity"),
        ({"quantity": 1, "unit_id": 999999}, "unit_not_convertible"),
    ],
)
def test_bad_quantities_and_units(dealer, site, line, code):
    item = make_item(dealer)
    with pytest.raises(Exception) as exc:
        receive_stock(actor=ROOT, data={"site_id": site.pk, "lines": [{"item_id": item.pk, **line}]})
    assert exc.value.code == code
    assert exc.value.status == 422
    assert exc.value.details[0]["field"].startswith("lines.0.")
    assert not StockMove.objects.exists() and not StockLevel.objects.exists()
    assert not Location.objects.exists()


def test_lot_missing_for_a_lot_tracked_item(dealer, site):
    item = make_item(dealer, tracking=Tracking.LOT)
    with pytest.raises(Exception) as exc:
        receive(site, item, 1)
    assert (exc.value.code, exc.value.status) == ("lot_required", 422)
    assert exc.value.details == [
        {"field": "lines.0.lot_number", "code": "lot_required", "message": str(exc.value.message)}
    ]
    assert not StockMove.objects.exists()


def test_serial_count_must_match_quantity(dealer, site):
    item = make_item(dealer, tracking=Tracking.SERIAL)
    with pytest.raises(Exception) as exc:
        receive(site, item, 2, serials=["ONLY-ONE"])
    assert exc.value.code == "serial_required"


def test_unknown_and_foreign_ids_are_field_errors(dealer, other_dealer, site):
    foreign_item = make_item(other_dealer)
    with pytest.raises(Exception) as exc:
        from qudao.core.scoping import Actor

        actor = Actor(user_id=1, own_dealers={dealer.pk: None}, permissions=frozenset())
        receive_stock(
            actor=actor,
            data={
                "site_id": site.pk,
                "lines": [{"item_id": foreign_item.pk, "quantity": 1}, {"item_id": 10**9, "quantity": 1}],
            },
        )
    assert exc.value.code == "validation_error"
    assert [d["field"] for d in exc.value.details] == ["lines.0.item_id", "lines.1.item_id"]
    assert not StockMove.objects.exists()


def test_service_items_are_not_stocked(dealer, site):
    item = make_item(dealer, kind="service")
    with pytest.raises(Exception) as exc:
        receive(site, item, 1)
    assert exc.value.code == "not_stocked"


def test_expiry_explicit_wins(dealer, site):
    item = make_item(dealer, tracking=Tracking.LOT, has_expiry=True, shelf_life_days=30)
    receive(site, item, 1, lot_number="L2", expiry_date=date.today() + timedelta(days=3))
    assert Lot.objects.get().expiry_date == date.today() + timedelta(days=3)
