"""Catalog reads. Every one starts from `scoped(queryset, actor)`."""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from django.db.models import Prefetch, Q, QuerySet

from qudao.catalog.errors import BarcodeNotFound
from qudao.catalog.models import Barcode, Category, Item, ItemUnit, Supersession, UnitOfMeasure, VehicleModel
from qudao.catalog.policies import Resolution, SupersessionEdge, barcode_lookup_keys, resolve_supersession
from qudao.core.scoping import Actor, get_scoped, scoped

# --- categories ----------------------------------------------------------------------------------


def list_categories(
    *, actor: Actor, parent_id: int | None = None, roots_only: bool = False, q: str | None = None
) -> QuerySet[Category]:
    qs = scoped(Category.objects.all(), actor)
    if roots_only:
        qs = qs.filter(parent__isnull=True)
    elif parent_id is not None:
        qs = qs.filter(parent_id=parent_id)
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q))
    return qs


def get_category(*, actor: Actor, category_id: int, for_write: bool = False) -> Category:
    return get_scoped(Category.objects.all(), actor, for_write=for_write, pk=category_id)


def get_category_tree(*, actor: Actor, root_id: int | None = None) -> list[dict[str, Any]]:
    """The visible categories as nested nodes (children by sort order, then code); one query."""
    qs = scoped(Category.objects.all(), actor)
    if root_id is not None:
        root = get_category(actor=actor, category_id=root_id)
        qs = qs.filter(dealer_id=root.dealer_id, path__startswith=root.path)
    rows = list(
        qs.order_by("sort_order", "code", "pk").values(
            "id", "dealer_id", "code", "name", "sort_order", "parent_id", "path"
        )
    )
    nodes = {row["id"]: {**row, "children": []} for row in rows}
    roots: list[dict[str, Any]] = []
    for row in rows:
        parent = nodes.get(row["parent_id"])
        (parent["children"] if parent is not None and row["id"] != root_id else roots).append(
            nodes[row["id"]]
        )
    return roots


# --- units ---------------------------------------------------------------------------------------


def list_units_of_measure(
    *, actor: Actor, kind: str | None = None, q: str | None = None
) -> QuerySet[UnitOfMeasure]:
    qs = scoped(UnitOfMeasure.objects.all(), actor)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q))
    return qs


def get_item_unit(*, actor: Actor, item: Item, item_unit_id: int, for_write: bool = False) -> ItemUnit:
    return get_scoped(
        ItemUnit.objects.select_related("item", "unit"),
        actor,
        for_write=for_write,
        pk=item_unit_id,
        item_id=item.pk,
    )


# --- items ---------------------------------------------------------------------------------------


def list_items(
    *,
    actor: Actor,
    kind: str | None = None,
    brand_id: int | None = None,
    category: Category | None = None,
    tracking: str | None = None,
    q: str | None = None,
    is_active: bool | None = None,
) -> QuerySet[Item]:
    """Items, filtered; `category` includes its whole subtree; `q` matches SKU, name or a barcode."""
    qs = scoped(Item.objects.select_related("base_unit"), actor)
    if kind:
        qs = qs.filter(kind=kind)
    if brand_id is not None:
        qs = qs.filter(brand_id=brand_id)
    if category is not None:
        qs = qs.filter(category__dealer_id=category.dealer_id, category__path__startswith=category.path)
    if tracking:
        qs = qs.filter(tracking=tracking)
    if is_active is not None:
        qs = qs.filter(is_active=is_active)
    if q:
        by_barcode = Barcode.objects.filter(normalized__in=barcode_lookup_keys(q)).values("item_id")
        qs = qs.filter(Q(sku__icontains=q) | Q(name__icontains=q) | Q(pk__in=by_barcode))
    return qs


def get_item(*, actor: Actor, item_id: int, for_write: bool = False) -> Item:
    return get_scoped(Item.objects.select_related("base_unit"), actor, for_write=for_write, pk=item_id)


def get_item_detail(*, actor: Actor, item_id: int) -> Item:
    """An item with its units and barcodes (three queries)."""
    qs = Item.objects.select_related("base_unit").prefetch_related(
        Prefetch("units", queryset=ItemUnit.objects.select_related("unit").order_by("factor", "unit__code")),
        Prefetch("barcodes", queryset=Barcode.objects.select_related("unit").order_by("code")),
    )
    return get_scoped(qs, actor, pk=item_id)


# --- barcodes ------------------------------------------------------------------------------------


def get_barcode(*, actor: Actor, item: Item, barcode_id: int, for_write: bool = False) -> Barcode:
    return get_scoped(
        Barcode.objects.select_related("item"), actor, for_write=for_write, pk=barcode_id, item_id=item.pk
    )


class BarcodeMatch(NamedTuple):
    item: Item
    unit: UnitOfMeasure


def lookup_barcode(actor: Actor, code: str) -> BarcodeMatch:
    """The item and the packaging a scanned code stands for. A UPC-A also matches its EAN-13 form."""
    code = (code or "").strip()
    barcode = (
        (
            scoped(Barcode.objects.select_related("item__base_unit", "unit"), actor)
            .filter(normalized__in=barcode_lookup_keys(code))
            .order_by("dealer_id", "pk")
            .first()
        )
        if code
        else None
    )
    if barcode is None:
        raise BarcodeNotFound()
    return BarcodeMatch(barcode.item, barcode.unit)


# --- vehicle models ------------------------------------------------------------------------------


def list_vehicle_models(
    *,
    actor: Actor,
    brand_id: int | None = None,
    powertrain: str | None = None,
    model_year: int | None = None,
    q: str | None = None,
    is_active: bool | None = None,
) -> QuerySet[VehicleModel]:
    qs = scoped(VehicleModel.objects.select_related("brand"), actor)
    if brand_id is not None:
        qs = qs.filter(brand_id=brand_id)
    if powertrain:
        qs = qs.filter(powertrain=powertrain)
    if model_year is not None:
        qs = qs.filter(model_year=model_year)
    if is_active is not None:
        qs = qs.filter(is_active=is_active)
    if q:
        qs = qs.filter(Q(series__icontains=q) | Q(trim__icontains=q))
    return qs


def get_vehicle_model(*, actor: Actor, vehicle_model_id: int, for_write: bool = False) -> VehicleModel:
    return get_scoped(VehicleModel.objects.all(), actor, for_write=for_write, pk=vehicle_model_id)


# --- supersessions -------------------------------------------------------------------------------


def list_supersessions(*, actor: Actor, item_id: int | None = None) -> QuerySet[Supersession]:
    """Supersessions, optionally those where `item_id` is the old or the new part."""
    qs = scoped(Supersession.objects.select_related("old_item", "new_item"), actor)
    if item_id is not None:
        qs = qs.filter(Q(old_item_id=item_id) | Q(new_item_id=item_id))
    return qs


class CurrentPart(NamedTuple):
    item: Item
    resolution: Resolution


def resolve_current_part(item: Item, *, on: date) -> CurrentPart:
    """The part to use on `on` for `item`: follows its supersessions in force at that date."""
    edges: list[SupersessionEdge] = []
    frontier, seen = {item.pk}, {item.pk}
    while frontier:
        level = [
            SupersessionEdge(*row)
            for row in Supersession.objects.filter(
                dealer_id=item.dealer_id,
                old_item_id__in=sorted(frontier),
                effective_from__lte=on,
            ).values_list("old_item_id", "new_item_id", "effective_from", "factor")
        ]
        edges.extend(level)
        frontier = {edge.new for edge in level if edge.new not in seen}
        seen |= frontier
    resolution = resolve_supersession(edges, item.pk, on)
    current = (
        item
        if resolution.current == item.pk
        else Item.objects.select_related("base_unit").get(pk=resolution.current)
    )
    return CurrentPart(current, resolution)
