"""Price lists, their item tiers, and price floors: create, change, delete."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from qudao.catalog.models import Item
from qudao.core.errors import DuplicateRecord
from qudao.core.scoping import Actor, require_dealer
from qudao.org.models import Channel, Region
from qudao.parties.models import Customer, CustomerGroup
from qudao.pricing.models import PriceFloor, PriceList, PriceListItem
from qudao.pricing.policies.checks import price_list_problems
from qudao.pricing.services._common import (
    Problems,
    apply,
    check_code_free,
    check_version,
    full_clean,
    resolve,
    writable,
)

LIST_FIELDS = (
    "code",
    "name",
    "currency",
    "scope",
    "channel_id",
    "customer_group_id",
    "region_id",
    "customer_id",
    "valid_from",
    "valid_to",
    "priority",
    "is_active",
)
TARGETS = {
    "channel_id": Channel,
    "customer_group_id": CustomerGroup,
    "region_id": Region,
    "customer_id": Customer,
}
FLOOR_FIELDS = ("item_id", "region_id", "floor_price", "valid_from", "valid_to", "is_active")


def _check_targets(actor: Actor, merged: Mapping[str, Any], dealer_id: int, problems: Problems) -> None:
    for name, model in TARGETS.items():
        resolve(actor, model, merged.get(name), name, problems, dealer_id=dealer_id)


def _tier_rows(
    actor: Actor, price_list: PriceList, tiers, problems: Problems, prefix: str
) -> list[PriceListItem]:
    rows, seen = [], set()
    for n, tier in enumerate(tiers or []):
        field = f"{prefix}{n}."
        item = resolve(
            actor, Item, tier.get("item_id"), f"{field}item_id", problems, dealer_id=price_list.dealer_id
        )
        key = (tier.get("item_id"), tier.get("min_quantity") or 0)
        if key in seen:
            problems.add(f"{field}min_quantity", _("This item already has a price from this quantity."))
        seen.add(key)
        row = PriceListItem(
            dealer_id=price_list.dealer_id,
            price_list=price_list,
            item=item,
            min_quantity=tier.get("min_quantity") or 0,
            unit_price=tier.get("unit_price"),
        )
        if item is not None:
            full_clean(row, problems, field, exclude=("price_list",))
        rows.append(row)
    return rows


@transaction.atomic
def create_price_list(*, actor: Actor, data: Mapping[str, Any]) -> PriceList:
    """data: the list's fields (+ dealer_id when the actor works for several) and optional items:
    [{item_id, min_quantity, unit_price}]."""
    dealer_id = require_dealer(actor, data.get("dealer_id"))
    problems = Problems()
    problems.extend(price_list_problems(data))
    _check_targets(actor, data, dealer_id, problems)
    price_list = PriceList(dealer_id=dealer_id)
    apply(price_list, data, LIST_FIELDS)
    full_clean(price_list, problems, exclude=("dealer",))
    rows = _tier_rows(actor, price_list, data.get("items"), problems, "items.")
    problems.raise_if_any()
    check_code_free(PriceList, dealer_id, data["code"])
    price_list.save()
    for row in rows:
        row.price_list = price_list
    PriceListItem.objects.bulk_create(rows)
    return price_list


@transaction.atomic
def update_price_list(*, actor: Actor, price_list_id: int, data: Mapping[str, Any]) -> PriceList:
    price_list = writable(actor, PriceList, price_list_id)
    check_version(price_list, data.get("version"))
    merged = {name: getattr(price_list, name) for name in LIST_FIELDS} | {
        k: v for k, v in data.items() if k in LIST_FIELDS
    }
    problems = Problems()
    problems.extend(price_list_problems(merged))
    _check_targets(actor, {k: v for k, v in data.items() if k in TARGETS}, price_list.dealer_id, problems)
    apply(price_list, data, LIST_FIELDS)
    full_clean(price_list, problems, exclude=("dealer",))
    problems.raise_if_any()
    check_code_free(PriceList, price_list.dealer_id, price_list.code, exclude_pk=price_list.pk)
    price_list.version += 1
    price_list.save()
    return price_list


@transaction.atomic
def delete_price_list(*, actor: Actor, price_list_id: int) -> None:
    price_list = writable(actor, PriceList, price_list_id)
    price_list.delete()


@transaction.atomic
def set_price_list_item(*, actor: Actor, price_list_id: int, data: Mapping[str, Any]) -> PriceListItem:
    """Add a tier, or change its price when the list already has one for this item and quantity."""
    price_list = writable(actor, PriceList, price_list_id)
    problems = Problems()
    (row,) = _tier_rows(actor, price_list, [data], problems, "")
    problems.raise_if_any()
    existing = PriceListItem.objects.filter(
        price_list=price_list, item_id=row.item_id, min_quantity=row.min_quantity
    ).first()
    if existing is not None:
        existing.unit_price = row.unit_price
        existing.save(update_fields=["unit_price", "updated_at"])
        row = existing
    else:
        row.save()
    PriceList.objects.filter(pk=price_list.pk).update(version=price_list.version + 1)
    return row


@transaction.atomic
def update_price_list_item(
    *, actor: Actor, price_list_item_id: int, data: Mapping[str, Any]
) -> PriceListItem:
    row = writable(actor, PriceListItem, price_list_item_id)
    problems = Problems()
    apply(row, data, ("min_quantity", "unit_price"))
    full_clean(row, problems)
    problems.raise_if_any()
    clash = PriceListItem.objects.filter(
        price_list_id=row.price_list_id, item_id=row.item_id, min_quantity=row.min_quantity
    ).exclude(pk=row.pk)
    if clash.exists():
        raise DuplicateRecord(
            details=[{"field": "min_quantity", "code": "duplicate", "message": str(row.min_quantity)}]
        )
    row.save()
    row.refresh_from_db()
    return row


@transaction.atomic
def delete_price_list_item(*, actor: Actor, price_list_item_id: int) -> None:
    writable(actor, PriceListItem, price_list_item_id).delete()


@transaction.atomic
def create_price_floor(*, actor: Actor, data: Mapping[str, Any]) -> PriceFloor:
    dealer_id = require_dealer(actor, data.get("dealer_id"))
    problems = Problems()
    resolve(actor, Item, data.get("item_id"), "item_id", problems, dealer_id=dealer_id)
    resolve(actor, Region, data.get("region_id"), "region_id", problems, dealer_id=None)
    floor = PriceFloor(dealer_id=dealer_id)
    apply(floor, data, FLOOR_FIELDS)
    if not problems.details:
        full_clean(floor, problems, exclude=("dealer",))
    problems.raise_if_any()
    floor.save()
    floor.refresh_from_db()
    return floor


@transaction.atomic
def update_price_floor(*, actor: Actor, floor_id: int, data: Mapping[str, Any]) -> PriceFloor:
    floor = writable(actor, PriceFloor, floor_id)
    problems = Problems()
    resolve(actor, Item, data.get("item_id"), "item_id", problems, dealer_id=floor.dealer_id)
    resolve(actor, Region, data.get("region_id"), "region_id", problems, dealer_id=None)
    apply(floor, data, FLOOR_FIELDS)
    if not problems.details:
        full_clean(floor, problems, exclude=("dealer",))
    problems.raise_if_any()
    floor.save()
    floor.refresh_from_db()
    return floor


@transaction.atomic
def delete_price_floor(*, actor: Actor, floor_id: int) -> None:
    writable(actor, PriceFloor, floor_id).delete()
