"""Pure rules: no database."""

from datetime import date

import pytest

from qudao.parties import policies
from qudao.parties.policies import PolicyError


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13800138000", "13800138000"),
        ("+86 138-0013-8000", "13800138000"),
        ("0086 19912345678", "19912345678"),
        ("8615012345678", "15012345678"),
        (" 139 1234 5678 ", "13912345678"),
    ],
)
def test_valid_mobiles_are_normalised(raw, expected):
    assert policies.validate_mobile(raw) == expected


@pytest.mark.parametrize("raw", ["12800138000", "1380013800", "138001380001", "abc", "021-12345678", "10086"])
def test_invalid_mobiles_are_refused(raw):
    with pytest.raises(PolicyError):
        policies.validate_mobile(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("021-12345678", "021-12345678"),
        ("0755 8888 8888", "075588888888"),
        ("010-12345678-123", "010-12345678-123"),
        ("400-810-8888", "400-810-8888"),
        ("+86 13800138000", "13800138000"),
    ],
)
def test_contact_phones_accept_landlines_and_service_numbers(raw, expected):
    assert policies.validate_contact_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "21-12345678", "1380013800a", "800-12"])
def test_bad_contact_phones_are_refused(raw):
    with pytest.raises(PolicyError):
        policies.validate_contact_phone(raw)


def test_credit_code_is_the_org_rule():
    assert policies.validate_credit_code("91350100m000100y43") == "91350100M000100Y43"
    with pytest.raises(PolicyError):
        policies.validate_credit_code("91350100M000100Y44")


def test_resident_id_check_character():
    assert policies.resident_id_check_char("11010519491231002") == "X"
    assert policies.validate_id_number("110105 19491231 002x", id_type="resident_id") == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "fragment"),
    [
        ("11010519491231002Y", "17 digits"),
        ("110105194912310021", "check character"),
        ("11010519491332002X", "not a real date"),
        ("110105", "17 digits"),
    ],
)
def test_bad_resident_ids_say_why(number, fragment):
    with pytest.raises(PolicyError) as exc:
        policies.validate_id_number(number, id_type="resident_id")
    assert fragment in str(exc.value)


def test_resident_id_born_in_the_future_is_refused():
    number = "110105203001010010"
    number = number[:17] + policies.resident_id_check_char(number[:17])
    with pytest.raises(PolicyError):
        policies.validate_id_number(number, id_type="resident_id", today=date(2026, 1, 1))


def test_other_documents_need_letters_and_digits():
    assert policies.validate_id_number("e1234-5678", id_type="passport") == "E12345678"
    with pytest.raises(PolicyError):
        policies.validate_id_number("E1!", id_type="passport")


def test_masking_never_keeps_the_middle():
    assert policies.mask_id_number("11010519491231002X") == "110***********002X"
    assert policies.mask_id_number("E12345678") == "E******78"
    assert policies.mask_id_number("A123") == "****"


def test_digest_is_keyed_and_stable():
    a = policies.id_number_digest("11010519491231002X", id_type="resident_id", key="k1")
    assert a == policies.id_number_digest("11010519491231002X", id_type="resident_id", key="k1")
    assert a != policies.id_number_digest("11010519491231002X", id_type="resident_id", key="k2")
    assert len(a) == 64 and "1101051949" not in a


def test_codes():
    assert policies.validate_code(" C-000001 ") == "C-000001"
    for bad in ["", "-A", "有中文", "A" * 33, "A B"]:
        with pytest.raises(PolicyError):
            policies.validate_code(bad)


def test_postal_codes():
    assert policies.validate_postal_code("200001") == "200001"
    for bad in ["20000", "2000011", "20000a"]:
        with pytest.raises(PolicyError):
            policies.validate_postal_code(bad)


def test_tags_are_stripped_deduplicated_and_bounded():
    assert policies.validate_tags([" vip ", "vip", "", "重点"]) == ["vip", "重点"]
    with pytest.raises(PolicyError):
        policies.validate_tags("vip")
    with pytest.raises(PolicyError):
        policies.validate_tags([1])
    with pytest.raises(PolicyError):
        policies.validate_tags(["x" * 33])
    with pytest.raises(PolicyError):
        policies.validate_tags([f"t{i}" for i in range(31)])
