"""Catalog rows of the demo: units and category trees through the catalog services, and the FMCG
SKUs in bulk under the same rules (base-unit row, case and pallet factors, EAN-13 check digits)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError

from qudao.catalog.choices import BarcodeKind, ItemKind, Tracking
from qudao.catalog.models import Barcode, Category, Item, ItemUnit, UnitOfMeasure
from qudao.catalog.policies import barcode_error, normalize_barcode
from qudao.catalog.services import create_category, create_unit_of_measure
from qudao.catalog.services._common import as_api_error
from qudao.demo.base import DemoContext, bulk_insert
from qudao.demo.plans import SkuPlan, check_plans
from qudao.org.models import Company


def create_units(ctx: DemoContext, dealer: Company, units: dict[str, tuple]) -> dict[str, UnitOfMeasure]:
    """code → (name, decimal places[, kind]) → the dealer's units of measure, by code."""
    created = {}
    for code, spec in units.items():
        name, places, *rest = spec
        data = {"dealer_id": dealer.pk, "code": code, "name": name, "decimal_places": places}
        if rest:
            data["kind"] = rest[0]
        created[code] = create_unit_of_measure(actor=ctx.actor, data=data)
    ctx.count("units", len(created))
    return created


def create_category_tree(
    ctx: DemoContext, dealer: Company, tree: list[tuple[str, str, list[tuple[str, str]]]]
) -> dict[str, Category]:
    """[(root code, root name, [(leaf code, leaf name), …]), …] → categories by code (two levels)."""
    created: dict[str, Category] = {}
    for r, (code, name, leaves) in enumerate(tree, start=1):
        root = create_category(
            actor=ctx.actor, data={"dealer_id": dealer.pk, "code": code, "name": name, "sort_order": r * 10}
        )
        created[code] = root
        for n, (leaf_code, leaf_name) in enumerate(leaves, start=1):
            created[leaf_code] = create_category(
                actor=ctx.actor,
                data={
                    "dealer_id": dealer.pk,
                    "code": leaf_code,
                    "name": leaf_name,
                    "parent_id": root.pk,
                    "sort_order": n * 10,
                },
            )
    ctx.count("categories", len(created))
    return created


def write_skus(
    ctx: DemoContext,
    *,
    dealer: Company,
    plans: list[SkuPlan],
    units: dict[str, UnitOfMeasure],
    categories: dict[str, Category],
    brands: dict[str, Company],
) -> list[Item]:
    """Goods items with their base unit row, case (and pallet) units and unit/case EAN-13 barcodes."""
    check_plans(plans)
    items = []
    for plan in plans:
        perishable = plan.shelf_life_days is not None
        item = Item(
            dealer_id=dealer.pk,
            sku=plan.sku,
            name=plan.name,
            kind=ItemKind.GOODS,
            brand=brands.get(plan.brand),
            category=categories[plan.leaf],
            base_unit=units[plan.base_unit],
            tracking=Tracking.LOT if perishable else Tracking.NONE,
            has_expiry=perishable,
            shelf_life_days=plan.shelf_life_days,
            list_price=plan.list_price,
            attributes=dict(plan.attributes),
        )
        _validate_item(item)
        items.append(item)
    items = bulk_insert(ctx, Item, items)

    item_units, barcodes = [], []
    for item, plan in zip(items, plans, strict=True):
        item_units.append(
            ItemUnit(dealer_id=dealer.pk, item=item, unit=units[plan.base_unit], factor=Decimal(1))
        )
        for index, (code, factor) in enumerate(plan.packs):
            # distributors buy and sell full cases: the case is the default unit of both
            item_units.append(
                ItemUnit(
                    dealer_id=dealer.pk,
                    item=item,
                    unit=units[code],
                    factor=Decimal(factor),
                    is_purchase_default=index == 0,
                    is_sales_default=index == 0,
                )
            )
        for unit_code, code in plan.barcodes:
            problem = barcode_error(code, BarcodeKind.EAN13)
            if problem:
                raise ValueError(f"{plan.sku}: {problem}")
            barcodes.append(
                Barcode(
                    dealer_id=dealer.pk,
                    item=item,
                    unit=units[unit_code],
                    code=code,
                    kind=BarcodeKind.EAN13,
                    normalized=normalize_barcode(code, BarcodeKind.EAN13),
                )
            )
    bulk_insert(ctx, ItemUnit, item_units)
    bulk_insert(ctx, Barcode, barcodes)
    ctx.count("items", len(items))
    ctx.count("item_units", len(item_units))
    ctx.count("barcodes", len(barcodes))
    return items


#: the loader passes the related rows themselves (all of the same dealer): no query per row for them
_ITEM_REFERENCES = ("dealer", "brand", "category", "base_unit", "vehicle_model")


def _validate_item(item: Item) -> None:
    """The catalog services' item rules (field lengths, kind/tracking/expiry, VAT rate, attributes,
    same-dealer references) without a query per row to re-read the related rows."""
    try:
        item.full_clean(exclude=_ITEM_REFERENCES, validate_unique=False, validate_constraints=False)
    except DjangoValidationError as exc:
        raise as_api_error(exc, Item) from exc
