from decimal import Decimal

import pytest

from qudao.catalog.choices import Tracking
from qudao.inventory.errors import InsufficientStock
from qudao.inventory.models import Serial, StockMove
from qudao.inventory.services import adjust_stock, get_default_location, reconcile_levels, scrap_stock
from tests.catalog.factories import make_item
from tests.inventory.factories import ROOT, on_hand, receive

pytestmark = pytest.mark.django_db


def test_adjust_up_and_down_with_reason(dealer, site):
    item = make_item(dealer)
    location = get_default_location(site)
    adjust_stock(
        actor=ROOT, data={"item_id": item.pk, "location_id": location.pk, "quantity": 5, "reason": "found"}
    )
    adjust_stock(
        actor=ROOT, data={"item_id": item.pk, "location_id": location.pk, "quantity": "-2", "reason": "loss"}
    )
    moves = list(StockMove.objects.order_by("pk"))
    assert [(m.move_type, m.reason, m.from_location.kind, m.to_location.kind) for m in moves] == [
        ("adjustment", "found", "adjustment", "zone"),
        ("adjustment", "loss", "zone", "adjustment"),
    ]
    assert on_hand(item, site) == Decimal(3)
    assert reconcile_levels() == []


def test_adjust_down_cannot_go_below_free_stock(dealer, site):
    item = make_item(dealer)
    receive(site, item, 1)
    location = get_default_location(site)
    with pytest.raises(InsufficientStock) as exc:
        adjust_stock(
            actor=ROOT,
            data={"item_id": item.pk, "location_id": location.pk, "quantity": -2, "reason": "loss"},
        )
    assert exc.value.details[0]["available"] == "1.000"
    assert StockMove.objects.count() == 1


def test_adjust_requires_a_known_reason(dealer, site):
    item = make_item(dealer)
    location = get_default_location(site)
    with pytest.raises(Exception) as exc:
        adjust_stock(
            actor=ROOT, data={"item_id": item.pk, "location_id": location.pk, "quantity": 1, "reason": "?"}
        )
    assert exc.value.details[0]["field"] == "reason"


def test_adjust_lot_item_needs_a_lot(dealer, site):
    item = make_item(dealer, tracking=Tracking.LOT)
    location = get_default_location(site)
    with pytest.raises(Exception) as exc:
        adjust_stock(
            actor=ROOT,
            data={"item_id": item.pk, "location_id": location.pk, "quantity": 1, "reason": "found"},
        )
    assert exc.value.code == "lot_required"
    adjust_stock(
        actor=ROOT,
        data={
            "item_id": item.pk,
            "location_id": location.pk,
            "quantity": 1,
            "reason": "opening",
            "lot_number": "X",
        },
    )
    assert on_hand(item, site) == Decimal(1)


def test_scrap_moves_to_the_scrap_location(dealer, site):
    item = make_item(dealer)
    receive(site, item, 4)
    location = get_default_location(site)
    [move] = scrap_stock(actor=ROOT, data={"item_id": item.pk, "location_id": location.pk, "quantity": 3})
    assert (move.move_type, move.to_location.kind, move.reason) == ("scrap", "scrap", "damage")
    assert on_hand(item, site) == Decimal(1)
    assert reconcile_levels() == []


def test_scrap_a_serial(dealer, site):
    item = make_item(dealer, tracking=Tracking.SERIAL)
    receive(site, item, 1, serials=["S1"])
    location = get_default_location(site)
    scrap_stock(
        actor=ROOT, data={"item_id": item.pk, "location_id": location.pk, "quantity": 1, "serials": ["S1"]}
    )
    assert Serial.objects.get().status == "scrapped"


def test_stock_cannot_be_kept_at_a_virtual_location(dealer, site):
    item = make_item(dealer)
    from qudao.inventory.services import get_virtual_location

    virtual = get_virtual_location(dealer.pk, "scrap")
    with pytest.raises(Exception) as exc:
        adjust_stock(
            actor=ROOT, data={"item_id": item.pk, "location_id": virtual.pk, "quantity": 1, "reason": "found"}
        )
    assert exc.value.code == "location_not_internal"
