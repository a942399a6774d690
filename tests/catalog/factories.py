"""Catalog factories: rows are made through the catalog services, so they obey the same rules."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from typing import Any

from qudao.catalog import services
from qudao.catalog.models import (
    Barcode,
    Category,
    Item,
    ItemKind,
    ItemUnit,
    Powertrain,
    Supersession,
    UnitKind,
    UnitOfMeasure,
    VehicleModel,
)
from qudao.core.scoping import Actor
from qudao.org.models import Company
from tests.factories import make_brand

#: a platform administrator: may write every dealer's catalog
ROOT = Actor(user_id=None, username="system", is_platform_admin=True)

_seq = itertools.count(1)


def make_unit(
    dealer: Company,
    code: str = "EA",
    *,
    decimal_places: int = 0,
    kind: str = UnitKind.COUNT,
    name: str | None = None,
) -> UnitOfMeasure:
    return services.create_unit_of_measure(
        actor=ROOT,
        data={
            "dealer_id": dealer.pk,
            "code": code,
            "name": name or code,
            "decimal_places": decimal_places,
            "kind": kind,
        },
    )


def unit(dealer: Company, code: str = "EA", **fields: Any) -> UnitOfMeasure:
    """The dealer's unit with this code, created when missing."""
    return UnitOfMeasure.objects.filter(dealer=dealer, code=code).first() or make_unit(dealer, code, **fields)


def make_category(
    dealer: Company,
    code: str | None = None,
    *,
    parent: Category | None = None,
    name: str | None = None,
    sort_order: int = 0,
) -> Category:
    n = next(_seq)
    return services.create_category(
        actor=ROOT,
        data={
            "dealer_id": dealer.pk,
            "code": code or f"CAT{n}",
            "name": name or f"Category {n}",
            "parent_id": parent.pk if parent else None,
            "sort_order": sort_order,
        },
    )


def make_item(
    dealer: Company,
    *,
    sku: str | None = None,
    kind: str = ItemKind.GOODS,
    base_unit: UnitOfMeasure | None = None,
    **data: Any,
) -> Item:
    n = next(_seq)
    values = {
        "dealer_id": dealer.pk,
        "sku": sku or f"SKU-{n:05d}",
        "name": data.pop("name", f"Item {n}"),
        "kind": kind,
        "base_unit_id": (base_unit or unit(dealer, "EA")).pk,
    }
    values.update(data)
    return services.create_item(actor=ROOT, data=values)


def make_part(dealer: Company, sku: str | None = None, **data: Any) -> Item:
    return make_item(dealer, sku=sku, kind=ItemKind.PART, **data)


def make_vehicle_model(
    dealer: Company,
    *,
    brand: Company | None = None,
    series: str = "Model Y",
    model_year: int = 2025,
    trim: str = "",
    powertrain: str = Powertrain.BEV,
    **data: Any,
) -> VehicleModel:
    values = {
        "dealer_id": dealer.pk,
        "brand_id": (brand or make_brand()).pk,
        "series": series,
        "model_year": model_year,
        "trim": trim,
        "powertrain": powertrain,
    }
    values.update(data)
    return services.create_vehicle_model(actor=ROOT, data=values)


def make_item_unit(item: Item, unit_of_measure: UnitOfMeasure, factor: object, **flags: bool) -> ItemUnit:
    return services.add_item_unit(
        actor=ROOT, item=item, data={"unit_id": unit_of_measure.pk, "factor": Decimal(str(factor)), **flags}
    )


def make_barcode(
    item: Item, code: str, *, unit_of_measure: UnitOfMeasure | None = None, kind: str | None = None
) -> Barcode:
    return services.add_barcode(
        actor=ROOT,
        item=item,
        data={"code": code, "kind": kind, "unit_id": unit_of_measure.pk if unit_of_measure else None},
    )


def make_supersession(
    old: Item, new: Item, effective_from: date, factor: object = 1, note: str = ""
) -> Supersession:
    return services.create_supersession(
        actor=ROOT,
        data={
            "old_item_id": old.pk,
            "new_item_id": new.pk,
            "effective_from": effective_from,
            "factor": Decimal(str(factor)),
            "note": note,
        },
    )
