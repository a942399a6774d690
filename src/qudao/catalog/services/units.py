"""Units of measure and the units each item is handled in."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction

from qudao.catalog.models import Item, ItemUnit, UnitOfMeasure
from qudao.catalog.services._common import (
    References,
    ensure_unique,
    ensure_writable,
    resolve_dealer,
    validate_instance,
)
from qudao.core.scoping import Actor

_UOM_FIELDS = ("code", "name", "decimal_places", "kind")
_ITEM_UNIT_FIELDS = ("factor", "is_purchase_default", "is_sales_default")


@transaction.atomic
def create_unit_of_measure(*, actor: Actor, data: Mapping[str, Any]) -> UnitOfMeasure:
    dealer_id = resolve_dealer(actor, data.get("dealer_id"))
    unit = UnitOfMeasure(dealer_id=dealer_id, **{name: data[name] for name in _UOM_FIELDS if name in data})
    return _persist_unit(unit, actor=actor)


@transaction.atomic
def save_unit_of_measure(*, actor: Actor, unit: UnitOfMeasure) -> UnitOfMeasure:
    return _persist_unit(unit, actor=actor)


def _persist_unit(unit: UnitOfMeasure, *, actor: Actor) -> UnitOfMeasure:
    ensure_writable(actor, unit.dealer_id)
    validate_instance(unit)
    ensure_unique(unit, ("dealer", "code"), report_as="code")
    unit.save()
    return unit


@transaction.atomic
def add_item_unit(*, actor: Actor, item: Item, data: Mapping[str, Any]) -> ItemUnit:
    """Give an item another unit (a pack, a case) with how many base units it holds."""
    refs = References(actor)
    unit = refs.get(UnitOfMeasure, data.get("unit_id"), "unit_id")
    refs.raise_if_any()
    item_unit = ItemUnit(
        item=item,
        dealer_id=item.dealer_id,
        unit=unit,
        **{name: data[name] for name in _ITEM_UNIT_FIELDS if name in data},
    )
    return _persist_item_unit(item_unit, actor=actor)


@transaction.atomic
def update_item_unit(*, actor: Actor, item_unit: ItemUnit, data: Mapping[str, Any]) -> ItemUnit:
    item_unit = ItemUnit.objects.select_for_update(of=("self",)).select_related("item").get(pk=item_unit.pk)
    for name in _ITEM_UNIT_FIELDS:
        if name in data:
            setattr(item_unit, name, data[name])
    return _persist_item_unit(item_unit, actor=actor)


@transaction.atomic
def save_item_unit(*, actor: Actor, item_unit: ItemUnit) -> ItemUnit:
    """Save an item unit edited in the console."""
    return _persist_item_unit(item_unit, actor=actor)


def _persist_item_unit(item_unit: ItemUnit, *, actor: Actor) -> ItemUnit:
    item_unit.dealer_id = item_unit.item.dealer_id
    ensure_writable(actor, item_unit.dealer_id)
    validate_instance(item_unit)
    ensure_unique(item_unit, ("item", "unit"), report_as="unit_id")
    # one purchase default and one sales default per item: the new one takes over
    for flag in ("is_purchase_default", "is_sales_default"):
        if getattr(item_unit, flag):
            others = ItemUnit.objects.filter(item_id=item_unit.item_id, **{flag: True})
            if item_unit.pk is not None:
                others = others.exclude(pk=item_unit.pk)
            for other in others:
                setattr(other, flag, False)
                other.save(update_fields=[flag, "updated_at"])
    item_unit.save()
    item_unit.refresh_from_db()  # values as stored (decimals at their places)
    return item_unit


def ensure_base_unit(item: Item) -> ItemUnit:
    """Every item has a row for its base unit with factor 1 (created with the item)."""
    row, _created = ItemUnit.objects.get_or_create(
        item=item, unit_id=item.base_unit_id, defaults={"dealer_id": item.dealer_id, "factor": Decimal(1)}
    )
    return row
