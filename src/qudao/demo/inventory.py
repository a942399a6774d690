"""Demo stock: four months of receipts, lots with expiry, VIN stock, sales issues, safety-stock
settings, a transfer on the road and the health alerts they raise — all through the inventory
services, so the ledger, the levels, the costs and the alerts agree as they would in real use."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from qudao.catalog.choices import ItemKind
from qudao.catalog.models import Item
from qudao.demo.base import DemoContext
from qudao.demo.fmcg import WAREHOUSES
from qudao.inventory.health import evaluate_dealer
from qudao.inventory.models import ItemSiteSettings
from qudao.inventory.services import issue_stock, receive_stock
from qudao.inventory.services.locations import ensure_planned_levels
from qudao.inventory.services.transfers import create_transfer, ship_transfer

#: receipt waves: days before today
FMCG_WAVES = (118, 83, 47, 19)
#: share of the SKUs a warehouse stocks (the regional warehouse carries the faster half)
STOCKED_SHARE = {0: 0.92, 1: 0.55}
COST_RATIO = Decimal("0.72")
HISTORY_DAYS = 112
VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
VIN_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
VIN_CHARS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"


def vin(rng: random.Random, wmi: str, year_code: str) -> str:
    """A VIN with a valid check digit (position 9, ISO 3779 / GB 16735)."""
    body = wmi + "".join(rng.choice(VIN_CHARS) for _ in range(5)) + "0" + year_code + "S"
    body += "".join(rng.choice("0123456789") for _ in range(6))
    total = sum(VIN_VALUES[c] * w for c, w in zip(body, VIN_WEIGHTS, strict=True))
    check = "X" if total % 11 == 10 else str(total % 11)
    return body[:8] + check + body[9:]


def _cost(item: Item) -> Decimal | None:
    if item.list_price is None:
        return None
    return (item.list_price * COST_RATIO).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def load_fmcg_stock(ctx: DemoContext) -> None:
    dealer = ctx.refs["fmcg.dealer"]
    sites = [ctx.refs[f"fmcg.site.{code}"] for code, *_ in WAREHOUSES]
    items = list(Item.objects.filter(dealer=dealer, kind=ItemKind.GOODS).order_by("sku"))
    rng = ctx.rng("fmcg.stock")
    today = timezone.localdate()
    on_hand: dict[tuple[int, int], int] = defaultdict(int)
    #: weekly demand in base units per (item, site): drives quantities, issues and safety stock
    demand = {}
    for n, site in enumerate(sites):
        stocked = [i for i in items if rng.random() < STOCKED_SHARE[n]]
        for item in stocked:
            demand[(item.pk, site.pk)] = rng.choice((6, 12, 24, 24, 48, 96)) // (n + 1) or 6
        for wave, days_ago in enumerate(FMCG_WAVES):
            received = today - timedelta(days=days_ago)
            lines = []
            for item in stocked:
                if wave and rng.random() < 0.35:
                    continue  # not every SKU is bought every time
                quantity = demand[(item.pk, site.pk)] * rng.choice((3, 4, 5, 6))
                line = {"item_id": item.pk, "quantity": quantity, "unit_cost": _cost(item)}
                if item.has_expiry:
                    made = received - timedelta(days=rng.randint(3, 25))
                    line.update({"lot_number": f"L{made:%y%m%d}{n}", "production_date": made})
                lines.append(line)
                on_hand[(item.pk, site.pk)] += quantity
            receive_stock(
                actor=ctx.actor,
                data={
                    "site_id": site.pk,
                    "effective_date": received,
                    "reference_type": "demo.purchase",
                    "reference_id": wave + 1,
                    "document_number": f"GR-DEMO-{site.code}-{wave + 1}",
                    "lines": lines,
                },
            )
        _issue_history(ctx, rng, site, stocked, demand, on_hand, today)
        _settings(ctx, rng, site, stocked, demand, on_hand)
    _transfer(ctx, rng, sites, items, on_hand)
    evaluate_dealer(dealer.pk, today=today)


def _issue_history(ctx, rng, site, stocked, demand, on_hand, today: date) -> None:
    """Fortnightly sales issues since the first receipt (some SKUs skip a fortnight: slow movers)."""
    first = today - timedelta(days=FMCG_WAVES[0] - 2)
    week = 0
    while (day := first + timedelta(days=14 * week)) < today:
        lines = []
        for item in stocked:
            key = (item.pk, site.pk)
            if rng.random() < 0.25:
                continue  # no sale of this SKU this week: some will look slow-moving
            quantity = max(1, round(2 * demand[key] * rng.uniform(0.5, 1.3)))
            if quantity <= on_hand[key] - 2 * demand[key]:
                lines.append({"item_id": item.pk, "site_id": site.pk, "quantity": quantity})
                on_hand[key] -= quantity
        if lines:
            issue_stock(
                actor=ctx.actor,
                data={
                    "move_type": "sale_issue",
                    "effective_date": day,
                    "reference_type": "demo.sale",
                    "reference_id": week + 1,
                    "document_number": f"OUT-DEMO-{site.code}-{week + 1:02d}",
                    "lines": lines,
                },
            )
        week += 1


def _settings(ctx, rng, site, stocked, demand, on_hand) -> None:
    """Safety stock two weeks of demand, reorder point three, maximum eight — for two SKUs in three."""
    rows = []
    for item in stocked:
        if rng.random() < 0.34:
            continue
        weekly = Decimal(demand[(item.pk, site.pk)])
        rows.append(
            ItemSiteSettings(
                dealer_id=site.dealer_id,
                item_id=item.pk,
                site_id=site.pk,
                safety_stock=weekly * 2,
                reorder_point=weekly * 3,
                max_level=weekly * 8,
            )
        )
    ItemSiteSettings.objects.bulk_create(rows)
    ensure_planned_levels([(row.item_id, row.site_id) for row in rows])


def _transfer(ctx, rng, sites, items, on_hand) -> None:
    """The central warehouse sends fast movers to the regional one: one on the road, one in draft."""
    source, target = sites
    movable = [i for i in items if on_hand[(i.pk, source.pk)] >= 48 and not i.has_expiry][:12]
    for n, chunk in enumerate((movable[:8], movable[8:])):
        if not chunk:
            continue
        transfer = create_transfer(
            actor=ctx.actor,
            data={
                "from_site_id": source.pk,
                "to_site_id": target.pk,
                "note": "补充昆山区域仓畅销品" if n == 0 else "下周调拨计划",
                "lines": [{"item_id": i.pk, "quantity": 24} for i in chunk],
            },
        )
        if n == 0:
            ship_transfer(actor=ctx.actor, transfer_id=transfer.pk)


def load_auto_stock(ctx: DemoContext) -> None:
    """Parts at every store of the auto group and new vehicles (VINs) of each store's brand models."""
    group = ctx.refs["auto.group"]
    stores = ctx.refs["auto.stores"]
    rng = ctx.rng("auto.stock")
    today = timezone.localdate()
    parts = list(Item.objects.filter(dealer=group, kind=ItemKind.PART).order_by("sku"))
    vehicles = list(Item.objects.filter(dealer=group, kind=ItemKind.VEHICLE).order_by("sku"))
    for n, store in enumerate(stores):
        received = today - timedelta(days=rng.randint(20, 100))
        lines = [
            {"item_id": p.pk, "quantity": rng.choice((2, 4, 6, 10, 20)), "unit_cost": _cost(p)}
            for p in parts
            if rng.random() < 0.7
        ]
        brand_ids = set(store.brands.values_list("pk", flat=True))
        models = [v for v in vehicles if v.brand_id in brand_ids] or vehicles
        for vehicle in rng.sample(models, k=min(3, len(models))):
            count = rng.randint(1, 3)
            lines.append(
                {
                    "item_id": vehicle.pk,
                    "quantity": count,
                    "unit_cost": _cost(vehicle),
                    "serials": [vin(rng, "LSV", "T") for _ in range(count)],
                }
            )
        if lines:
            receive_stock(
                actor=ctx.actor,
                data={
                    "site_id": store.pk,
                    "effective_date": received,
                    "reference_type": "demo.purchase",
                    "reference_id": n + 1,
                    "document_number": f"GR-DEMO-{store.code}",
                    "lines": lines,
                },
            )
    evaluate_dealer(group.pk, today=today)
