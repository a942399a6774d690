"""Quantities: Decimal with 3 places, rounded per unit of measure with the one rounding mode."""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from qudao.core.money import quantize, to_decimal

QUANTITY_PLACES = 3


def quantize_quantity(value: object, places: int = QUANTITY_PLACES) -> Decimal:
    """Round a quantity; a unit of measure may ask for fewer places (0 for 'each')."""
    if places > QUANTITY_PLACES:
        places = QUANTITY_PLACES
    return quantize(value, places)


def convert(quantity: object, *, factor: object, places: int = QUANTITY_PLACES) -> Decimal:
    """Convert a quantity to the base unit: quantity × factor (units per base unit given by the UoM)."""
    return quantize_quantity(to_decimal(quantity) * to_decimal(factor), places)


def is_positive(value: object) -> bool:
    return to_decimal(value) > 0


class QuantityField(models.DecimalField):
    """A quantity: 20 digits, 3 places."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 20)
        kwargs.setdefault("decimal_places", QUANTITY_PLACES)
        super().__init__(*args, **kwargs)
