"""Pure catalog rules, tested without a database."""

from datetime import date
from decimal import Decimal

import pytest

from qudao.catalog.choices import BarcodeKind, ItemKind, Tracking
from qudao.catalog.policies import (
    SupersessionEdge,
    SupersessionLoop,
    attribute_errors,
    barcode_error,
    barcode_lookup_keys,
    category_path,
    complete_gtin,
    convert_quantity,
    creates_cycle,
    default_tax_rate,
    default_tracking,
    detect_barcode_kind,
    from_base_quantity,
    gtin_check_digit,
    is_valid_gtin,
    is_within,
    item_rule_errors,
    normalize_barcode,
    path_depth,
    resolve_supersession,
    to_base_quantity,
)

# --- GTIN check digits -----------------------------------------------------------------------------


def test_check_digit_of_the_chinese_sample_ean13():
    # weights 3, 1, 3, … from the rightmost body digit: 9·3+8+7·3+6+5·3+4+3·3+2+1·3+0+9·3+6
    # = 27+8+21+6+15+4+9+2+3+0+27+6 = 128 → check digit (10 - 8) % 10 = 2.
    assert gtin_check_digit("690123456789") == 2
    assert is_valid_gtin("6901234567892")
    assert complete_gtin("690123456789") == "6901234567892"


@pytest.mark.parametrize(
    "code",
    [
        "6901234567892",  # EAN-13, GS1 China prefix 690
        "4006381333931",  # EAN-13 (Wikipedia example)
        "96385074",  # EAN-8 (Wikipedia example)
        "036000291452",  # UPC-A (Wikipedia example)
        "10012345678902",  # GTIN-14 case code: body 1001234567890 weighs 88 → check digit 2
    ],
)
def test_published_gtins_are_valid(code):
    assert is_valid_gtin(code)


@pytest.mark.parametrize(
    "code",
    [
        "6901234567891",  # wrong check digit
        "6901234567893",
        "96385075",
        "036000291453",
        "10012345678901",
        "690123456789",  # 12 digits but not a valid UPC-A (its check digit would be 7, not 9)
        "69012345678",  # 11 digits: no GS1 length
        "69O1234567892",  # a letter O
        "",
    ],
)
def test_wrong_gtins_are_refused(code):
    assert not is_valid_gtin(code)


def test_gtin_check_digit_refuses_non_digits():
    with pytest.raises(ValueError):
        gtin_check_digit("12a")


def test_barcode_error_names_the_expected_check_digit():
    message = barcode_error("6901234567891", BarcodeKind.EAN13)
    assert message is not None and "2" in message and "1" in message
    assert barcode_error("6901234567892", BarcodeKind.EAN13) is None


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("690123456789", BarcodeKind.EAN13),  # too short for EAN-13
        ("96385074", BarcodeKind.EAN13),  # an EAN-8 declared as EAN-13
        ("036000291452", BarcodeKind.EAN8),
        ("6901234567892", BarcodeKind.UPC_A),
        ("ABC\x01", BarcodeKind.CODE128),  # control character
        ("条码", BarcodeKind.CODE128),  # not ASCII
        ("has space", BarcodeKind.INTERNAL),
        ("line\nbreak", BarcodeKind.QR),
        ("", BarcodeKind.QR),
        ("X" * 129, BarcodeKind.QR),
    ],
)
def test_barcode_error_for_each_kind(code, kind):
    assert barcode_error(code, kind)


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("036000291452", BarcodeKind.UPC_A),
        ("96385074", BarcodeKind.EAN8),
        ("10012345678902", BarcodeKind.GTIN14),
        ("PN-4711/B", BarcodeKind.CODE128),
        ("https://id.gs1.org/01/06901234567892/10/LOT1", BarcodeKind.QR),
        ("WH.A-01", BarcodeKind.INTERNAL),
    ],
)
def test_valid_codes_of_each_kind(code, kind):
    assert barcode_error(code, kind) is None


def test_detect_kind_by_length_and_characters():
    assert detect_barcode_kind("6901234567892") == BarcodeKind.EAN13
    assert detect_barcode_kind("6901234567891") == BarcodeKind.EAN13  # reported as a bad EAN-13, not hidden
    assert detect_barcode_kind("96385074") == BarcodeKind.EAN8
    assert detect_barcode_kind("036000291452") == BarcodeKind.UPC_A
    assert detect_barcode_kind("10012345678902") == BarcodeKind.GTIN14
    assert detect_barcode_kind("A-123") == BarcodeKind.CODE128
    assert detect_barcode_kind("二维码内容") == BarcodeKind.QR


def test_upc_and_its_ean13_form_share_one_lookup_key():
    assert normalize_barcode("036000291452", BarcodeKind.UPC_A) == "00036000291452"
    assert normalize_barcode("0036000291452", BarcodeKind.EAN13) == "00036000291452"
    assert normalize_barcode("PN-1", BarcodeKind.CODE128) == "PN-1"
    assert barcode_lookup_keys("0036000291452") == ["0036000291452", "00036000291452"]
    assert barcode_lookup_keys("PN-1") == ["PN-1"]


# --- unit conversion -------------------------------------------------------------------------------


def test_to_base_multiplies_and_rounds_to_the_base_unit():
    assert to_base_quantity(2, factor=24, places=0) == Decimal(48)
    assert to_base_quantity(Decimal("0.5"), factor=Decimal("25"), places=3) == Decimal("12.500")
    assert to_base_quantity(Decimal("1.0005"), factor=1, places=3) == Decimal("1.001")  # half up


def test_from_base_divides_and_rounds_half_up_to_the_target_unit():
    assert from_base_quantity(50, factor=24, places=3) == Decimal("2.083")
    assert from_base_quantity(50, factor=24, places=0) == Decimal(2)
    assert from_base_quantity(36, factor=24, places=0) == Decimal(2)  # 1.5 → 2
    assert from_base_quantity(12, factor=24, places=0) == Decimal(1)  # 0.5 → 1
    assert from_base_quantity(11, factor=24, places=0) == Decimal(0)


def test_convert_between_two_units_rounds_once():
    # 3 cases of 24 = 72 each = 12 packs of 6
    assert convert_quantity(3, from_factor=24, to_factor=6, places=0) == Decimal(12)
    # 1 pack of 6 = 0.25 case; rounded to 3 places, then to 0 places
    assert convert_quantity(1, from_factor=6, to_factor=24, places=3) == Decimal("0.250")
    assert convert_quantity(1, from_factor=6, to_factor=24, places=0) == Decimal(0)


def test_conversion_refuses_bad_factors_and_floats():
    with pytest.raises(ValueError):
        to_base_quantity(1, factor=0)
    with pytest.raises(ValueError):
        from_base_quantity(1, factor=Decimal("-2"))
    with pytest.raises(TypeError):
        to_base_quantity(1.5, factor=2)


# --- supersession chains ---------------------------------------------------------------------------

A, B, C, D = 1, 2, 3, 4


def test_chain_follows_the_supersessions_in_force_on_the_date():
    edges = [SupersessionEdge(A, B, date(2024, 1, 1), Decimal(2)), SupersessionEdge(B, C, date(2025, 1, 1))]
    assert resolve_supersession(edges, A, date(2023, 12, 31)).current == A
    on_2024 = resolve_supersession(edges, A, date(2024, 6, 1))
    assert (on_2024.current, on_2024.factor, on_2024.chain) == (B, Decimal(2), (A, B))
    on_2025 = resolve_supersession(edges, A, date(2025, 1, 1))
    assert (on_2025.current, on_2025.factor, on_2025.chain) == (C, Decimal(2), (A, B, C))
    assert resolve_supersession(edges, B, date(2024, 6, 1)).current == B
    assert resolve_supersession(edges, C, date(2030, 1, 1)).chain == (C,)


def test_the_latest_supersession_of_a_part_wins_from_its_date():
    edges = [SupersessionEdge(A, B, date(2024, 1, 1)), SupersessionEdge(A, D, date(2025, 1, 1))]
    assert resolve_supersession(edges, A, date(2024, 12, 31)).current == B
    assert resolve_supersession(edges, A, date(2025, 1, 2)).current == D


def test_factors_multiply_along_the_chain():
    edges = [
        SupersessionEdge(A, B, date(2024, 1, 1), Decimal(2)),
        SupersessionEdge(B, C, date(2024, 2, 1), Decimal("1.5")),
    ]
    assert resolve_supersession(edges, A, date(2024, 3, 1)).factor == Decimal(3)


def test_a_stored_loop_is_detected_instead_of_spinning():
    edges = [SupersessionEdge(A, B, date(2024, 1, 1)), SupersessionEdge(B, A, date(2024, 1, 2))]
    with pytest.raises(SupersessionLoop):
        resolve_supersession(edges, A, date(2024, 2, 1))


def test_creates_cycle_ignores_dates():
    assert creates_cycle([(A, B)], B, A)
    assert creates_cycle([(A, B), (B, C)], C, A)
    assert creates_cycle([], A, A)
    assert not creates_cycle([(A, B), (B, C)], A, D)
    assert not creates_cycle([(A, B), (C, D)], D, A)


# --- item rules ------------------------------------------------------------------------------------


def test_default_tax_rates_follow_china_vat():
    assert default_tax_rate(ItemKind.GOODS) == Decimal("0.1300")
    assert default_tax_rate(ItemKind.PART) == Decimal("0.1300")
    assert default_tax_rate(ItemKind.VEHICLE) == Decimal("0.1300")
    assert default_tax_rate(ItemKind.SERVICE) == Decimal("0.0600")


def test_default_tracking():
    assert default_tracking(ItemKind.VEHICLE) == Tracking.SERIAL
    assert default_tracking(ItemKind.GOODS) == Tracking.NONE


def _rules(**overrides):
    values = {
        "kind": ItemKind.GOODS,
        "tracking": Tracking.NONE,
        "has_expiry": False,
        "shelf_life_days": None,
        "has_vehicle_model": False,
    }
    values.update(overrides)
    return item_rule_errors(**values)


def test_item_rules():
    assert _rules() == {}
    assert _rules(kind=ItemKind.VEHICLE, tracking=Tracking.SERIAL, has_vehicle_model=True) == {}
    assert set(_rules(kind=ItemKind.VEHICLE)) == {"tracking", "vehicle_model"}
    assert set(_rules(kind=ItemKind.VEHICLE, tracking=Tracking.LOT, has_vehicle_model=True)) == {"tracking"}
    assert set(_rules(has_vehicle_model=True)) == {"vehicle_model"}
    assert set(_rules(kind=ItemKind.SERVICE, tracking=Tracking.LOT)) == {"tracking"}
    assert _rules(tracking=Tracking.LOT, has_expiry=True, shelf_life_days=365) == {}
    assert set(_rules(has_expiry=True, shelf_life_days=365)) == {"tracking"}
    assert set(_rules(tracking=Tracking.LOT, has_expiry=True)) == {"shelf_life_days"}
    assert set(_rules(tracking=Tracking.LOT, has_expiry=True, shelf_life_days=0)) == {"shelf_life_days"}
    assert set(_rules(shelf_life_days=30)) == {"shelf_life_days"}
    assert set(_rules(kind=ItemKind.SERVICE, has_expiry=True, shelf_life_days=3)) >= {"has_expiry"}


def test_attributes_are_a_flat_dict_of_scalars():
    assert attribute_errors({"volume_ml": 500, "flavour": "原味", "organic": True, "abv": 4.5}) == []
    assert attribute_errors({}) == []
    assert [key for key, _ in attribute_errors({"nested": {"a": 1}, "list": [1], "ok": 1})] == [
        "nested",
        "list",
    ]
    assert attribute_errors({"n": float("nan")})[0][0] == "n"
    assert attribute_errors({"": 1})
    assert attribute_errors({"k" * 65: 1})
    assert attribute_errors({"long": "x" * 501})
    assert attribute_errors([1, 2]) and attribute_errors("text")
    assert attribute_errors({f"k{i}": i for i in range(51)})


# --- category paths --------------------------------------------------------------------------------


def test_category_paths():
    assert category_path(None, 12) == "/12/"
    assert category_path("/12/", 37) == "/12/37/"
    assert path_depth("/12/") == 1 and path_depth("/12/37/") == 2 and path_depth("") == 0
    assert is_within("/12/37/", "/12/") and is_within("/12/", "/12/")
    assert not is_within("/120/", "/12/")  # the trailing slash keeps 12 and 120 apart
    assert not is_within("/12/", "")
