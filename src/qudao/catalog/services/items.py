"""Item services: create, change and deactivate items; every change is announced on the outbox."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from qudao.catalog.errors import BaseUnitFixed
from qudao.catalog.models import Category, Item, UnitOfMeasure, VehicleModel
from qudao.catalog.policies import default_tracking
from qudao.catalog.services._common import (
    References,
    changed_fields,
    ensure_unique,
    ensure_writable,
    resolve_dealer,
    stored_values,
    tracked_values,
    validate_instance,
)
from qudao.catalog.services.units import ensure_base_unit
from qudao.core.events import emit
from qudao.core.scoping import Actor
from qudao.org.models import Company

TOPIC_CREATED = "catalog.item.created"
TOPIC_UPDATED = "catalog.item.updated"

_PLAIN_FIELDS = (
    "sku",
    "name",
    "kind",
    "tracking",
    "has_expiry",
    "shelf_life_days",
    "tax_rate",
    "list_price",
    "weight_kg",
    "currency",
    "attributes",
    "is_active",
)
#: id field of a body → (attribute, model)
_REFERENCES = {
    "brand_id": ("brand", Company),
    "category_id": ("category", Category),
    "vehicle_model_id": ("vehicle_model", VehicleModel),
}


@transaction.atomic
def create_item(*, actor: Actor, data: Mapping[str, Any]) -> Item:
    """A new item. Missing tracking, VAT rate and (for a vehicle) brand follow from the kind and model."""
    dealer_id = resolve_dealer(actor, data.get("dealer_id"))
    item = Item(dealer_id=dealer_id)
    _apply(item, data, actor=actor, with_base_unit=True)
    if data.get("tracking") is None and item.kind:
        item.tracking = default_tracking(item.kind)
    return _persist(item, actor=actor)


@transaction.atomic
def update_item(*, actor: Actor, item: Item, data: Mapping[str, Any]) -> Item:
    """Partial update. The base unit is fixed: quantities already recorded are counted in it."""
    item = Item.objects.select_for_update().get(pk=item.pk)
    if "base_unit_id" in data and data["base_unit_id"] != item.base_unit_id:
        raise BaseUnitFixed(
            details=[
                {"field": "base_unit_id", "message": str(BaseUnitFixed.message), "code": BaseUnitFixed.code}
            ]
        )
    _apply(item, data, actor=actor, with_base_unit=False)
    return _persist(item, actor=actor)


@transaction.atomic
def deactivate_item(*, actor: Actor, item: Item) -> Item:
    """An item is never deleted once used: it is deactivated (hidden from new documents)."""
    item = Item.objects.select_for_update().get(pk=item.pk)
    item.is_active = False
    return _persist(item, actor=actor)


@transaction.atomic
def save_item(*, actor: Actor, item: Item) -> Item:
    """Save an item edited in the console or imported from a file (same rules, same events)."""
    if item.pk is not None:
        stored_base = Item.objects.filter(pk=item.pk).values_list("base_unit_id", flat=True).first()
        if stored_base is not None and stored_base != item.base_unit_id:
            raise BaseUnitFixed(
                details=[
                    {
                        "field": "base_unit_id",
                        "message": str(BaseUnitFixed.message),
                        "code": BaseUnitFixed.code,
                    }
                ]
            )
    return _persist(item, actor=actor)


def _apply(item: Item, data: Mapping[str, Any], *, actor: Actor, with_base_unit: bool) -> None:
    refs = References(actor)
    for name in _PLAIN_FIELDS:
        if name in data:
            # an explicit null clears the value: the VAT rate then follows the kind again, and a
            # required field answers "this field cannot be null"
            setattr(item, name, data[name])
    for field, (attribute, model) in _REFERENCES.items():
        if field in data:
            setattr(item, attribute, refs.get(model, data[field], field))
    if with_base_unit:
        base_unit = refs.get(UnitOfMeasure, data.get("base_unit_id"), "base_unit_id")
        if base_unit is not None:
            item.base_unit = base_unit
    refs.raise_if_any()


def _persist(item: Item, *, actor: Actor) -> Item:
    ensure_writable(actor, item.dealer_id)
    before = stored_values(item)
    validate_instance(item)
    ensure_unique(item, ("dealer", "sku"), report_as="sku")
    item.save()
    item.refresh_from_db()  # values as stored (decimals at their places)
    ensure_base_unit(item)
    changed = changed_fields(before, tracked_values(item))
    if before is None:
        emit(
            TOPIC_CREATED,
            {"item_id": item.pk, "sku": item.sku, "kind": item.kind},
            dealer_id=item.dealer_id,
            actor_id=actor.user_id,
        )
    elif changed:
        emit(
            TOPIC_UPDATED,
            {"item_id": item.pk, "sku": item.sku, "changed": changed},
            dealer_id=item.dealer_id,
            actor_id=actor.user_id,
        )
    return item
