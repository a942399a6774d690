from datetime import date
from decimal import Decimal

import pytest

from qudao.catalog.choices import Tracking
from qudao.catalog.policies import complete_gtin
from qudao.core.errors import Conflict, InvalidTransition
from qudao.inventory.errors import (
    InsufficientStock,
    LocationOutsideCount,
    LotRequired,
    SerialAlreadyCounted,
    UnknownBarcode,
)
from qudao.inventory.models import StockMove, StocktakeCount, StocktakeSnapshot
from qudao.inventory.services import adjust_stock, get_default_location, reconcile_levels, reserve_stock
from qudao.inventory.services.stocktakes import (
    cancel_stocktake,
    compute_variances,
    create_stocktake,
    post_stocktake,
    record_scan,
    review_stocktake,
    start_stocktake,
)
from tests.catalog.factories import make_barcode, make_item, make_item_unit, unit
from tests.factories import make_site
from tests.inventory.factories import ROOT, make_location, on_hand, receive

pytestmark = pytest.mark.django_db


def _scannable(dealer, n):
    """An item with a unit barcode and a case-of-24 barcode."""
    item = make_item(dealer)
    case = unit(dealer, "CS")
    make_item_unit(item, case, 24)
    each_code, case_code = complete_gtin(f"690000000{n:03d}"), complete_gtin(f"690000001{n:03d}")
    make_barcode(item, each_code)
    make_barcode(item, case_code, unit_of_measure=case)
    return item, each_code, case_code


def _started(site, **data):
    session = create_stocktake(actor=ROOT, data={"site_id": site.pk, **data})
    return start_stocktake(actor=ROOT, session_id=session.pk)


def test_create_start_takes_a_snapshot(dealer, site):
    item = make_item(dealer)
    receive(site, item, 7)
    session = create_stocktake(actor=ROOT, data={"site_id": site.pk, "kind": "full", "blind": True})
    assert session.number == f"ST-{date.today():%y%m}-000001"
    assert (session.state, session.blind, session.started_at) == ("open", True, None)
    with pytest.raises(Conflict):
        record_scan(actor=ROOT, session_id=session.pk, data={"code": "x"})
    start_stocktake(actor=ROOT, session_id=session.pk)
    session.refresh_from_db()
    assert session.state == "counting" and session.started_at is not None
    assert session.snapshot_move_id == StockMove.objects.order_by("-pk").first().pk
    assert list(StocktakeSnapshot.objects.values_list("item_id", "on_hand")) == [(item.pk, Decimal(7))]


def test_scans_unit_case_and_post_variances(dealer, site):
    item, each, case = _scannable(dealer, 1)
    receive(site, item, 20)
    session = _started(site)
    record_scan(actor=ROOT, session_id=session.pk, data={"code": each})
    record_scan(actor=ROOT, session_id=session.pk, data={"code": each})
    count = record_scan(actor=ROOT, session_id=session.pk, data={"code": case})
    assert (count.quantity, count.scanned_code, count.location.code) == (Decimal(24), case, "STOCK")
    record_scan(actor=ROOT, session_id=session.pk, data={"code": each, "quantity": "3"})
    [v] = compute_variances(session)
    assert (v.snapshot, v.moved, v.counted, v.variance) == (Decimal(20), 0, Decimal(29), Decimal(9))
    moves = post_stocktake(actor=ROOT, session_id=session.pk)
    assert [(m.move_type, m.reason, m.quantity, m.reference_id) for m in moves] == [
        ("adjustment", "count", Decimal(9), session.pk)
    ]
    assert moves[0].document_number == session.number
    session.refresh_from_db()
    assert session.state == "posted" and session.posted_at is not None
    assert on_hand(item, site) == Decimal(29)
    assert reconcile_levels() == []
    with pytest.raises(InvalidTransition):
        post_stocktake(actor=ROOT, session_id=session.pk)


def test_variance_accounts_for_moves_during_counting(dealer, site):
    counted_item, each, _case = _scannable(dealer, 2)
    missing_item = make_item(dealer)
    receive(site, counted_item, 10)
    receive(site, missing_item, 4)
    session = _started(site)
    # goods keep moving after the snapshot: 5 more arrive, 2 are lost
    receive(site, counted_item, 5)
    location = get_default_location(site)
    adjust_stock(
        actor=ROOT,
        data={"item_id": counted_item.pk, "location_id": location.pk, "quantity": -2, "reason": "loss"},
    )
    record_scan(actor=ROOT, session_id=session.pk, data={"code": each, "quantity": "12"})
    variances = {v.item.pk: v for v in compute_variances(session)}
    counted = variances[counted_item.pk]
    assert (counted.snapshot, counted.moved, counted.expected, counted.variance) == (
        Decimal(10),
        Decimal(3),
        Decimal(13),
        Decimal(-1),
    )
    # a full count: stock nobody counted is missing
    assert variances[missing_item.pk].variance == Decimal(-4)
    review_stocktake(actor=ROOT, session_id=session.pk)
    post_stocktake(actor=ROOT, session_id=session.pk)
    assert (on_hand(counted_item, site), on_hand(missing_item, site)) == (Decimal(12), Decimal(0))
    assert reconcile_levels() == []


def test_cycle_count_only_compares_counted_items(dealer, site):
    counted_item, each, _case = _scannable(dealer, 3)
    other = make_item(dealer)
    receive(site, counted_item, 2)
    receive(site, other, 9)
    session = _started(site, kind="cycle")
    record_scan(actor=ROOT, session_id=session.pk, data={"code": each, "quantity": 2})
    assert [(v.item.pk, v.variance) for v in compute_variances(session)] == [(counted_item.pk, 0)]
    assert post_stocktake(actor=ROOT, session_id=session.pk) == []
    assert on_hand(other, site) == Decimal(9)


def test_post_is_all_or_nothing(dealer, site):
    a, each_a, _ = _scannable(dealer, 4)
    b = make_item(dealer)
    receive(site, a, 1)
    receive(site, b, 3)
    session = _started(site)
    record_scan(actor=ROOT, session_id=session.pk, data={"code": each_a, "quantity": 5})
    # b is reserved meanwhile: the negative variance of b cannot be taken out of free stock
    reserve_stock(
        actor=ROOT,
        data={
            "reference_type": "so",
            "reference_id": 1,
            "lines": [{"item_id": b.pk, "site_id": site.pk, "quantity": 3}],
        },
    )
    with pytest.raises(InsufficientStock):
        post_stocktake(actor=ROOT, session_id=session.pk)
    session.refresh_from_db()
    assert session.state == "counting"
    assert on_hand(a, site) == Decimal(1)
    assert StockMove.objects.filter(reference_type="inventory.stocktake").count() == 0


def test_scan_errors(dealer, site, other_dealer):
    _item, each, _case = _scannable(dealer, 5)
    lot_item = make_item(dealer, tracking=Tracking.LOT)
    lot_code = complete_gtin("690000002005")
    make_barcode(lot_item, lot_code)
    other_site = make_site(dealer)
    elsewhere = make_location(other_site, "B-9")
    session = _started(site)
    with pytest.raises(UnknownBarcode) as exc:
        record_scan(actor=ROOT, session_id=session.pk, data={"code": "0000000000000"})
    assert exc.value.details[0]["field"] == "code"
    _foreign, foreign_each, _ = _scannable(other_dealer, 6)
    with pytest.raises(UnknownBarcode):
        record_scan(actor=ROOT, session_id=session.pk, data={"code": foreign_each})
    with pytest.raises(LotRequired):
        record_scan(actor=ROOT, session_id=session.pk, data={"code": lot_code})
    with pytest.raises(LocationOutsideCount):
        record_scan(actor=ROOT, session_id=session.pk, data={"code": each, "location_id": elsewhere.pk})
    with pytest.raises(Exception) as exc:
        record_scan(actor=ROOT, session_id=session.pk, data={"code": each, "quantity": "-1"})
    assert exc.value.code == "invalid_quantity"
    assert StocktakeCount.objects.count() == 0


def test_serial_scan_counts_once_and_posts_found_serial(dealer, site):
    item = make_item(dealer, tracking=Tracking.SERIAL)
    receive(site, item, 2, serials=["VIN-A", "VIN-B"])
    session = _started(site)
    count = record_scan(actor=ROOT, session_id=session.pk, data={"code": "VIN-A"})
    assert (count.item_id, count.serial_number, count.quantity) == (item.pk, "VIN-A", Decimal(1))
    with pytest.raises(SerialAlreadyCounted):
        record_scan(actor=ROOT, session_id=session.pk, data={"code": "VIN-A"})
    [v] = compute_variances(session)
    assert v.variance == Decimal(-1)
    [move] = post_stocktake(actor=ROOT, session_id=session.pk)
    assert (move.serial.serial_number, move.to_location.kind) == ("VIN-B", "adjustment")
    assert on_hand(item, site) == Decimal(1)
    assert reconcile_levels() == []


def test_zone_count_and_cancel(dealer, site):
    zone = make_location(site, "Z1", kind="zone")
    bin_in_zone = make_location(site, "Z1-01", parent_id=zone.pk)
    outside = make_location(site, "X-01")
    item, each, _ = _scannable(dealer, 7)
    receive(site, item, 3, location=bin_in_zone)
    receive(site, item, 5, location=outside)
    session = _started(site, zone_id=zone.pk)
    assert list(StocktakeSnapshot.objects.filter(session=session).values_list("location_id", "on_hand")) == [
        (bin_in_zone.pk, Decimal(3))
    ]
    record_scan(actor=ROOT, session_id=session.pk, data={"code": each, "location_id": bin_in_zone.pk})
    with pytest.raises(LocationOutsideCount):
        record_scan(actor=ROOT, session_id=session.pk, data={"code": each, "location_id": outside.pk})
    cancel_stocktake(actor=ROOT, session_id=session.pk)
    session.refresh_from_db()
    assert session.state == "cancelled"
    assert on_hand(item, site) == Decimal(8)
