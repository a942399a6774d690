"""Quantities between an item's units, rounded by the target unit's decimal places.

    to_base(item, case, 2)          → 48 (each), when a case holds 24
    from_base(item, case, 50)       → 2.083 cases if cases take 3 places, 2 if they take none
    convert(item, 3, from_unit=case, to_unit=pack)

A unit that is not one of the item's units raises `unit_not_convertible`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from django.utils.translation import gettext as _

from qudao.catalog.errors import UnitNotConvertible
from qudao.catalog.models import Item, ItemUnit, UnitOfMeasure
from qudao.catalog.policies import convert_quantity, from_base_quantity, to_base_quantity

#: the base unit's factor, at the places factors are stored with
BASE_FACTOR = Decimal("1.000000")


class UnitFactor(NamedTuple):
    unit: UnitOfMeasure
    #: base units in one of `unit`
    factor: Decimal


def unit_factor(item: Item, unit: UnitOfMeasure | int) -> UnitFactor:
    unit_id = unit.pk if isinstance(unit, UnitOfMeasure) else unit
    if unit_id == item.base_unit_id:
        return UnitFactor(item.base_unit, BASE_FACTOR)
    row = ItemUnit.objects.select_related("unit").filter(item_id=item.pk, unit_id=unit_id).first()
    if row is None:
        raise UnitNotConvertible(
            details=[
                {
                    "field": "unit_id",
                    "code": UnitNotConvertible.code,
                    "message": _("Unit %(unit)s is not a unit of item %(sku)s.")
                    % {"unit": unit_id, "sku": item.sku},
                }
            ]
        )
    return UnitFactor(row.unit, row.factor)


def to_base(item: Item, unit: UnitOfMeasure | int, quantity: object) -> Decimal:
    """A quantity in `unit` expressed in the item's base unit."""
    factor = unit_factor(item, unit).factor
    return to_base_quantity(quantity, factor=factor, places=item.base_unit.decimal_places)


def from_base(item: Item, unit: UnitOfMeasure | int, quantity: object) -> Decimal:
    """A quantity in the item's base unit expressed in `unit`."""
    target = unit_factor(item, unit)
    return from_base_quantity(quantity, factor=target.factor, places=target.unit.decimal_places)


def convert(
    item: Item, quantity: object, *, from_unit: UnitOfMeasure | int, to_unit: UnitOfMeasure | int
) -> Decimal:
    source, target = unit_factor(item, from_unit), unit_factor(item, to_unit)
    return convert_quantity(
        quantity, from_factor=source.factor, to_factor=target.factor, places=target.unit.decimal_places
    )
