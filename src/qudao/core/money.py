"""Money: Decimal only, one rounding mode (ROUND_HALF_UP), round each line then sum."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import models

ROUNDING = ROUND_HALF_UP
AMOUNT_PLACES = 2
UNIT_PRICE_PLACES = 4
RATE_PLACES = 4
DEFAULT_CURRENCY = "CNY"

_EXPONENTS = {places: Decimal(1).scaleb(-places) for places in range(0, 9)}


def to_decimal(value: object) -> Decimal:
    """Convert int/str/Decimal to Decimal; floats are refused (they are not exact)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (bool, float)):
        raise TypeError("money and quantities are Decimal, never float or bool")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation as exc:
            raise ValueError(f"not a decimal number: {value!r}") from exc
        if not result.is_finite():
            raise ValueError(f"not a finite number: {value!r}")
        return result
    raise TypeError(f"cannot convert {type(value).__name__} to Decimal")


def quantize(value: object, places: int = AMOUNT_PLACES) -> Decimal:
    """The one rounding function: ROUND_HALF_UP to `places` decimals."""
    return to_decimal(value).quantize(_EXPONENTS[places], rounding=ROUNDING)


def quantize_amount(value: object) -> Decimal:
    return quantize(value, AMOUNT_PLACES)


def quantize_unit_price(value: object) -> Decimal:
    return quantize(value, UNIT_PRICE_PLACES)


def sum_amounts(values: Iterable[object]) -> Decimal:
    """Round each value to cents, then add: a document total equals the sum of its printed lines."""
    total = Decimal("0.00")
    for value in values:
        total += quantize_amount(value)
    return total


def line_amount(quantity: object, unit_price: object) -> Decimal:
    return quantize_amount(to_decimal(quantity) * to_decimal(unit_price))


def tax_from_inclusive(gross: object, rate: object) -> Decimal:
    """VAT contained in a tax-inclusive amount: gross - gross / (1 + rate), rounded to cents."""
    gross_d, rate_d = to_decimal(gross), to_decimal(rate)
    return quantize_amount(gross_d - gross_d / (Decimal(1) + rate_d))


def allocate(total: object, weights: list[object]) -> list[Decimal]:
    """Split `total` over `weights` in cents so that the parts add up exactly (largest remainder)."""
    total_d = quantize_amount(total)
    weights_d = [to_decimal(w) for w in weights]
    weight_sum = sum(weights_d, Decimal(0))
    if not weights_d:
        return []
    if weight_sum == 0:
        raise ValueError("weights add up to zero")
    cents = int(total_d * 100)
    raw = [Decimal(cents) * w / weight_sum for w in weights_d]
    floors = [int(r.to_integral_value(rounding="ROUND_FLOOR")) for r in raw]
    remainder = cents - sum(floors)
    order = sorted(range(len(raw)), key=lambda i: (raw[i] - floors[i], -i), reverse=True)
    for i in order[:remainder]:
        floors[i] += 1
    return [Decimal(f) / 100 for f in floors]


class MoneyField(models.DecimalField):
    """An amount: 20 digits, 2 places."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 20)
        kwargs.setdefault("decimal_places", AMOUNT_PLACES)
        super().__init__(*args, **kwargs)


class UnitPriceField(models.DecimalField):
    """A unit price: 20 digits, 4 places."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 20)
        kwargs.setdefault("decimal_places", UNIT_PRICE_PLACES)
        super().__init__(*args, **kwargs)


class CurrencyField(models.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 3)
        kwargs.setdefault("default", DEFAULT_CURRENCY)
        super().__init__(*args, **kwargs)
