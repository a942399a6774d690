"""The auto group's catalog, through the catalog services: vehicle models and their vehicles (tracked
by VIN), OEM parts with a few supersessions, and workshop services (6% VAT)."""

from __future__ import annotations

import random
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from qudao.catalog.choices import BarcodeKind, ItemKind, Powertrain, Tracking
from qudao.catalog.models import Barcode, ItemUnit
from qudao.catalog.policies import SERVICE_VAT
from qudao.catalog.services import add_barcode, create_item, create_supersession, create_vehicle_model
from qudao.demo.base import DemoContext
from qudao.demo.catalog import create_category_tree, create_units
from qudao.demo.vehicles import (
    AUTO_CATEGORIES,
    AUTO_UNITS,
    BRANDS,
    PARTS,
    POWERTRAIN_NAMES,
    SERVICES,
    SUPERSESSIONS,
    BrandSpec,
)

ELECTRIC = {Powertrain.BEV, Powertrain.PHEV, Powertrain.EREV}
#: parts price level of each brand relative to the list in vehicles.PARTS
PRICE_LEVEL = {"BYD": Decimal("0.90"), "GTMC": Decimal("1.00"), "SVW": Decimal("1.05")}
_TOYOTA_CHARS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
_VW_PREFIXES = ("5QD", "3QD", "06L", "5N0", "1K0", "3G0")


def part_number(rng: random.Random, style: str, group: str) -> str:
    """An OEM-style part number: Toyota 04152-YZZA6, VW 06L115562B / G052577M2, BYD 10121234-00."""
    if style == "toyota":
        return f"{group}-{''.join(rng.choice(_TOYOTA_CHARS) for _ in range(5))}"
    if style == "vw":
        if len(group) == 4:  # fluids: G 052 577 M2
            return f"{group}{rng.randint(100, 999)}{rng.choice(('A2', 'M2', 'C2'))}"
        return f"{rng.choice(_VW_PREFIXES)}{group}{rng.randint(100, 999)}{rng.choice('ABCDEFGH')}"
    return f"{group}{rng.randint(1000, 9999)}-01"


def superseded_number(number: str, style: str) -> str:
    """The old number a new one replaced: the previous index letter / suffix of the same stem."""
    if style == "byd":
        return number[:-2] + "00"
    last = number[-1]
    previous = str((int(last) + 9) % 10) if last.isdigit() else ("Z" if last == "A" else chr(ord(last) - 1))
    return number[:-1] + previous


def load_auto_catalog(ctx: DemoContext) -> None:
    group = ctx.refs["auto.group"]
    rng = ctx.rng("auto.catalog")
    units = create_units(ctx, group, AUTO_UNITS)
    categories = create_category_tree(ctx, group, [(c, n, list(leaves)) for c, n, leaves in AUTO_CATEGORIES])
    vehicles = parts = services = models = 0
    for spec in BRANDS:
        brand = ctx.refs[f"auto.brand.{spec.key}"]
        for index, m in enumerate(spec.models, start=1):
            model = create_vehicle_model(
                actor=ctx.actor,
                data={
                    "dealer_id": group.pk,
                    "brand_id": brand.pk,
                    "series": m.series,
                    "model_year": m.model_year,
                    "trim": m.trim,
                    "powertrain": m.powertrain,
                    "msrp": Decimal(m.msrp),
                },
            )
            models += 1
            create_item(
                actor=ctx.actor,
                data={
                    "dealer_id": group.pk,
                    "sku": f"V-{spec.key}-{index:02d}",
                    "name": f"{spec.short_name} {m.series} {m.model_year}款 {m.trim}",
                    "kind": ItemKind.VEHICLE,
                    "tracking": Tracking.SERIAL,
                    "vehicle_model_id": model.pk,
                    "brand_id": brand.pk,
                    "category_id": categories["VEH-NEV" if m.powertrain in ELECTRIC else "VEH-ICE"].pk,
                    "base_unit_id": units["VEH"].pk,
                    "list_price": Decimal(m.msrp),
                    "attributes": {"动力类型": POWERTRAIN_NAMES[m.powertrain], "指导价": m.msrp},
                },
            )
            vehicles += 1
        parts += _load_parts(ctx, rng, spec, brand, units, categories)
    for service in SERVICES:
        create_item(
            actor=ctx.actor,
            data={
                "dealer_id": group.pk,
                "sku": service.code,
                "name": service.name,
                "kind": ItemKind.SERVICE,
                "category_id": categories[service.category].pk,
                "base_unit_id": units[service.unit].pk,
                "tax_rate": SERVICE_VAT,
                "list_price": Decimal(service.price),
            },
        )
        services += 1
    ctx.count("vehicle_models", models)
    ctx.count("items", vehicles + parts + services)
    # the services gave every item its base-unit row; parts got a Code 128 label each
    ctx.count("item_units", ItemUnit.objects.filter(dealer=group).count())
    ctx.count("barcodes", Barcode.objects.filter(dealer=group).count())


def _load_parts(ctx: DemoContext, rng: random.Random, spec: BrandSpec, brand, units, categories) -> int:
    """The brand's parts (EV parts only where the brand sells electric cars), plus superseded numbers."""
    group = ctx.refs["auto.group"]
    electric = any(m.powertrain in ELECTRIC for m in spec.models)
    combustion = any(m.powertrain not in (Powertrain.BEV,) for m in spec.models)
    replaced = {part: (day, note) for key, part, day, note in SUPERSESSIONS if key == spec.key}
    count = 0
    for part in PARTS:
        if (part.electric_only and not electric) or (part.combustion_only and not combustion):
            continue
        number = part_number(rng, spec.part_style, part.groups[spec.part_style])
        price = (Decimal(part.price) * PRICE_LEVEL[spec.key]).quantize(Decimal("1"), ROUND_HALF_UP)
        data = {
            "dealer_id": group.pk,
            "name": f"{spec.short_name} {part.name}",
            "kind": ItemKind.PART,
            "brand_id": brand.pk,
            "category_id": categories[part.category].pk,
            "base_unit_id": units[part.unit].pk,
            "list_price": price,
            "attributes": {"原厂件号": number},
        }
        new = create_item(actor=ctx.actor, data={**data, "sku": number})
        add_barcode(actor=ctx.actor, item=new, data={"code": number, "kind": BarcodeKind.CODE128})
        count += 1
        if part.key in replaced:
            day, note = replaced[part.key]
            old_number = superseded_number(number, spec.part_style)
            old = create_item(
                actor=ctx.actor,
                data={
                    **data,
                    "sku": old_number,
                    "list_price": (price * Decimal("0.95")).quantize(Decimal("1")),
                    "attributes": {"原厂件号": old_number, "替代件号": number},
                },
            )
            create_supersession(
                actor=ctx.actor,
                data={
                    "old_item_id": old.pk,
                    "new_item_id": new.pk,
                    "effective_from": date.fromisoformat(day),
                    "note": note,
                },
            )
            ctx.count("supersessions", 1)
            count += 1
    return count
