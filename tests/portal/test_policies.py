"""The availability word a retailer sees, and how typed quantities and coupon codes are read."""

from __future__ import annotations

from decimal import Decimal

import pytest

from qudao.portal.policies import IN_STOCK, LOW, OUT, availability, parse_coupon_codes, parse_quantity

D = Decimal


@pytest.mark.parametrize(
    ("available", "safety", "word"),
    [
        (None, None, OUT),
        (D("0"), None, OUT),
        (D("-2"), None, OUT),  # over-reserved: still just out of stock
        (D("3"), None, LOW),
        (D("9.999"), None, LOW),
        (D("10"), None, IN_STOCK),
        (D("40"), D("50"), LOW),  # the dealer keeps 50 in safety stock over its sites
        (D("50"), D("50"), LOW),
        (D("51"), D("50"), IN_STOCK),
    ],
)
def test_availability_words(available, safety, word):
    assert availability(available, safety) == word


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [("1", D("1.000")), (" 2.5 ", D("2.500")), ("0", D("0.000")), ("99999", D("99999.000"))],
)
def test_quantities_people_type(raw, parsed):
    assert parse_quantity(raw) == parsed


@pytest.mark.parametrize("raw", ["", "-1", "1.0001", "abc", "inf", "NaN", "100000", None])
def test_quantities_refused(raw):
    assert parse_quantity(raw) is None


def test_coupon_codes_are_upper_cased_deduplicated_and_capped():
    assert parse_coupon_codes(" spring20, SPRING20，vip  a b c d e") == ["SPRING20", "VIP", "A", "B", "C"]
    assert parse_coupon_codes("") == []
