from decimal import Decimal

import pytest

from qudao.core.money import allocate, line_amount, quantize, sum_amounts, tax_from_inclusive, to_decimal
from qudao.core.quantity import convert, quantize_quantity


def test_half_up_rounding_not_bankers():
    assert quantize("2.675") == Decimal("2.68")
    assert quantize("0.125") == Decimal("0.13")
    assert quantize("-0.125") == Decimal("-0.13")
    assert quantize("1.00005", 4) == Decimal("1.0001")


def test_floats_are_refused():
    with pytest.raises(TypeError):
        to_decimal(0.1)
    with pytest.raises(TypeError):
        quantize(True)


def test_bad_strings_are_refused():
    with pytest.raises(ValueError):
        to_decimal("abc")
    with pytest.raises(ValueError):
        to_decimal("NaN")


def test_round_each_line_then_sum():
    # three lines of 1/3 yuan each print as 0.33: the total is the sum of what is printed
    assert sum_amounts([Decimal(1) / 3] * 3) == Decimal("0.99")
    assert line_amount("3", "0.3333") == Decimal("1.00")


def test_vat_from_tax_inclusive_price():
    assert tax_from_inclusive("113.00", "0.13") == Decimal("13.00")
    assert tax_from_inclusive("106", "0.06") == Decimal("6.00")


def test_allocate_keeps_every_cent():
    parts = allocate("100.00", [1, 1, 1])
    assert parts == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    assert sum(parts) == Decimal("100.00")
    assert sum(allocate("0.05", [3, 1, 1, 1])) == Decimal("0.05")
    with pytest.raises(ValueError):
        allocate("1", [0, 0])


def test_quantities_round_per_unit():
    assert quantize_quantity("1.2345") == Decimal("1.235")
    assert quantize_quantity("2.5", places=0) == Decimal("3")
    assert convert("2", factor="12") == Decimal("24.000")
    assert convert("0.5", factor="24", places=0) == Decimal("12")
