"""Units of an item, conversions and barcodes."""

from decimal import Decimal

import pytest

from qudao.catalog import selectors, services
from qudao.catalog.conversions import convert, from_base, to_base
from qudao.catalog.errors import BarcodeNotFound, BaseUnitFixed, InvalidBarcode, UnitNotConvertible
from qudao.catalog.models import Barcode, BarcodeKind, ItemUnit, UnitKind
from qudao.core.errors import DuplicateRecord, ValidationFailed
from qudao.core.scoping import build_actor
from tests.catalog.factories import ROOT, make_barcode, make_item, make_item_unit, make_unit, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def cola(dealer):
    """Cola in cans (each), packs of 6 and cases of 24."""
    item = make_item(dealer, sku="COLA-330")
    make_item_unit(item, unit(dealer, "PK"), 6)
    make_item_unit(item, unit(dealer, "CS"), 24, is_purchase_default=True)
    return item


def test_conversions_round_by_the_target_unit(dealer, cola):
    case, pack = unit(dealer, "CS"), unit(dealer, "PK")
    assert to_base(cola, case, 2) == Decimal(48)
    assert to_base(cola, cola.base_unit, 7) == Decimal(7)
    assert from_base(cola, case, 50) == Decimal(2)  # cases take 0 places: 2.083 → 2
    assert from_base(cola, case, 36) == Decimal(2)  # 1.5 → 2, half up
    assert convert(cola, 3, from_unit=case, to_unit=pack) == Decimal(12)
    assert to_base(cola, case.pk, 1) == Decimal(24)  # an id works too


def test_conversion_in_kilograms_keeps_three_places(dealer):
    rice = make_item(
        dealer, sku="RICE", base_unit=make_unit(dealer, "KG", decimal_places=3, kind=UnitKind.MASS)
    )
    bag = make_unit(dealer, "BAG")
    make_item_unit(rice, bag, 25)
    assert to_base(rice, bag, Decimal("0.5")) == Decimal("12.500")
    assert from_base(rice, bag, Decimal("30")) == Decimal(1)


def test_an_unknown_unit_is_not_convertible(dealer, cola):
    with pytest.raises(UnitNotConvertible) as exc:
        to_base(cola, make_unit(dealer, "PL"), 1)
    assert exc.value.code == "unit_not_convertible" and exc.value.details[0]["field"] == "unit_id"


def test_one_purchase_default_per_item(dealer, cola):
    pack_row = ItemUnit.objects.get(item=cola, unit__code="PK")
    services.update_item_unit(actor=ROOT, item_unit=pack_row, data={"is_purchase_default": True})
    defaults = list(
        ItemUnit.objects.filter(item=cola, is_purchase_default=True).values_list("unit__code", flat=True)
    )
    assert defaults == ["PK"]


def test_item_unit_rules(dealer, other_dealer, cola):
    with pytest.raises(ValidationFailed) as exc:
        make_item_unit(cola, make_unit(dealer, "PL"), 0)
    assert exc.value.details[0] == {
        "field": "factor",
        "message": exc.value.details[0]["message"],
        "code": "not_positive",
    }
    with pytest.raises(DuplicateRecord):
        make_item_unit(cola, unit(dealer, "CS"), 12)
    with pytest.raises(ValidationFailed) as exc:
        make_item_unit(cola, unit(other_dealer, "BX"), 12)
    assert exc.value.details[0]["code"] == "other_dealer"
    base_row = ItemUnit.objects.get(item=cola, unit=cola.base_unit)
    with pytest.raises(BaseUnitFixed):
        services.update_item_unit(actor=ROOT, item_unit=base_row, data={"factor": Decimal(2)})
    assert ItemUnit.objects.get(pk=base_row.pk).factor == Decimal(1)


def test_barcodes_for_the_unit_and_the_case(dealer, cola):
    each = make_barcode(cola, "6901234567892")
    case = make_barcode(cola, "16901234567899", unit_of_measure=unit(dealer, "CS"))
    assert (each.kind, each.unit.code, each.normalized) == (BarcodeKind.EAN13, "EA", "06901234567892")
    assert (case.kind, case.unit.code) == (BarcodeKind.GTIN14, "CS")


def test_bad_check_digit_is_an_invalid_barcode(dealer, cola):
    with pytest.raises(InvalidBarcode) as exc:
        make_barcode(cola, "6901234567891")
    assert exc.value.status == 422 and exc.value.details[0]["field"] == "code"
    with pytest.raises(InvalidBarcode):
        make_barcode(cola, "ABC 1", kind=BarcodeKind.INTERNAL)
    assert not Barcode.objects.exists()


def test_the_same_gtin_written_twice_is_a_duplicate(dealer, other_dealer, cola):
    make_barcode(cola, "036000291452", kind=BarcodeKind.UPC_A)
    other_item = make_item(dealer)
    with pytest.raises(DuplicateRecord) as exc:
        make_barcode(other_item, "036000291452")
    assert exc.value.details[0]["field"] == "code"
    with pytest.raises(DuplicateRecord):
        make_barcode(other_item, "0036000291452")  # its EAN-13 form
    # another dealer may register it
    assert make_barcode(make_item(other_dealer), "036000291452").dealer_id == other_dealer.pk


def test_a_barcode_needs_a_unit_of_the_item(dealer, cola):
    with pytest.raises(UnitNotConvertible) as exc:
        make_barcode(cola, "4006381333931", unit_of_measure=make_unit(dealer, "PL"))
    assert exc.value.details[0]["field"] == "unit_id"


def test_lookup_finds_item_and_packaging(dealer, other_dealer, admin_user, cola):
    make_barcode(cola, "036000291452", kind=BarcodeKind.UPC_A)
    make_barcode(cola, "16901234567899", unit_of_measure=unit(dealer, "CS"))
    actor = build_actor(admin_user)
    assert selectors.lookup_barcode(actor, "036000291452") == (cola, cola.base_unit)
    item, found_unit = selectors.lookup_barcode(actor, " 0036000291452 ")  # EAN-13 form, stray spaces
    assert (item, found_unit.code) == (cola, "EA")
    assert selectors.lookup_barcode(actor, "16901234567899").unit.code == "CS"
    with pytest.raises(BarcodeNotFound):
        selectors.lookup_barcode(actor, "4006381333931")
    foreign = make_item(other_dealer)
    make_barcode(foreign, "4006381333931")
    with pytest.raises(BarcodeNotFound):
        selectors.lookup_barcode(actor, "4006381333931")


def test_delete_barcode(dealer, cola):
    barcode = make_barcode(cola, "6901234567892")
    barcode_id = barcode.pk
    services.delete_barcode(actor=ROOT, barcode=barcode)
    assert not Barcode.objects.filter(pk=barcode_id).exists()
    assert Barcode.history.filter(id=barcode_id, history_type="-").count() == 1


def test_search_by_barcode(dealer, admin_user, cola):
    make_barcode(cola, "036000291452", kind=BarcodeKind.UPC_A)
    make_item(dealer, name="036 is in no name")
    actor = build_actor(admin_user)
    assert list(selectors.list_items(actor=actor, q="0036000291452")) == [cola]
    assert list(selectors.list_items(actor=actor, q="cola")) == [cola]
