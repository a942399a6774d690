"""The pricing benchmark's world: one dealer with 1,200 items and ~10,000 active pricing rules
(price list tiers by default / channel / customer group / region, promotions of every kind, floors),
bulk-inserted; and a 100-line basket for a customer that many of the rules match."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

SEED = 2026


@dataclass(frozen=True)
class Sizes:
    items: int = 1_200
    categories: int = 30
    channel_lists: int = 3
    group_lists: int = 3
    group_items: int = 400
    tiers: tuple[tuple[int, str], ...] = ((0, "0.92"), (24, "0.90"), (120, "0.87"))
    region_items: int = 600
    promotions: int = 300
    floors: int = 700
    lines: int = 100
    runs: int = 200


QUICK = Sizes(
    items=200, categories=5, group_items=60, region_items=100, promotions=40, floors=50, lines=20, runs=20
)


@dataclass
class World:
    dealer_id: int
    customer_id: int
    group_id: int
    channel_id: int
    region_id: int
    item_ids: list[int]
    coupon_code: str
    rules: dict[str, int]


def build_world(sizes: Sizes) -> World:
    from qudao.catalog.models import Category, Item, UnitOfMeasure
    from qudao.org.models import Channel, Company, Region
    from qudao.parties.models import Customer, CustomerGroup
    from qudao.pricing.models import (
        BundleComponent,
        Coupon,
        PriceFloor,
        PriceList,
        PriceListItem,
        Promotion,
    )

    rng = random.Random(SEED)
    start = date(2026, 1, 1)
    dealer = Company.objects.create(code="BENCH-PRICING", name="压测经销商", is_dealer=True)
    ea = UnitOfMeasure.objects.create(dealer=dealer, code="EA", name="个", decimal_places=0, kind="count")
    categories = [
        Category.objects.create(dealer=dealer, code=f"C{n}", name=f"品类{n}") for n in range(sizes.categories)
    ]
    for category in categories:
        category.path = f"/{category.pk}/"
    Category.objects.bulk_update(categories, ["path"])
    items = Item.objects.bulk_create(
        Item(
            dealer=dealer,
            sku=f"B{n:05d}",
            name=f"商品{n}",
            kind="goods",
            base_unit=ea,
            category=categories[n % len(categories)],
            tax_rate=Decimal("0.13"),
            list_price=Decimal(rng.randint(200, 20000)) / 100,
        )
        for n in range(sizes.items)
    )
    channels = [
        Channel.objects.create(dealer=dealer, code=f"CH{n}", name=f"渠道{n}", kind="wholesale")
        for n in range(3)
    ]
    groups = [CustomerGroup.objects.create(dealer=dealer, code=f"G{n}", name=f"客户组{n}") for n in range(3)]
    county = Region.objects.filter(level="district", parent__parent__isnull=False).order_by("code").first()
    city, province = county.parent, county.parent.parent
    customer = Customer.objects.create(
        dealer=dealer,
        code="BC1",
        name="压测客户",
        business_type="wholesaler",
        customer_group=groups[0],
        channel=channels[0],
        region=county,
        status="active",
    )

    rows: list = []

    def add_list(code, scope, subset, tiers=((0, "0.98"),), **target):
        price_list = PriceList.objects.create(
            dealer=dealer, code=code, name=code, scope=scope, valid_from=start, **target
        )
        for item in subset:
            for min_qty, share in tiers:
                price = (item.list_price * Decimal(share)).quantize(Decimal("0.01"))
                rows.append(
                    PriceListItem(
                        dealer=dealer,
                        price_list=price_list,
                        item=item,
                        min_quantity=min_qty,
                        unit_price=price,
                    )
                )

    add_list("DEFAULT", "default", items)
    for n, channel in enumerate(channels[: sizes.channel_lists]):
        add_list(
            f"CH{n}", "channel", items, ((0, str(Decimal("0.95") - n * Decimal("0.01"))),), channel=channel
        )
    for n, group in enumerate(groups[: sizes.group_lists]):
        add_list(
            f"GR{n}",
            "customer_group",
            rng.sample(items, sizes.group_items),
            sizes.tiers,
            customer_group=group,
        )
    add_list("PROV", "region", rng.sample(items, sizes.region_items // 2), region=province)
    add_list("CITY", "region", rng.sample(items, sizes.region_items // 2), region=city)
    PriceListItem.objects.bulk_create(rows, batch_size=2000)

    kinds = ["percent_off"] * 5 + ["amount_off"] * 3 + ["bundle", "buy_get", "spend_save", "order_percent"]
    promos, targets, cats, parts = [], [], [], []
    for n in range(sizes.promotions):
        kind = kinds[n % len(kinds)]
        fields = {"percent": Decimal(rng.randint(2, 15)), "amount": Decimal(rng.randint(1, 5))}
        if kind == "spend_save":
            fields.update(threshold=Decimal(rng.randint(500, 3000)), repeat=bool(n % 2))
        if kind == "bundle":
            fields["bundle_price"] = Decimal(rng.randint(10, 200))
        if kind == "buy_get":
            fields.update(buy_quantity=Decimal(rng.randint(5, 12)), gift_quantity=Decimal(1))
        promos.append(
            Promotion(
                dealer=dealer,
                code=f"P{n}",
                name=f"促销{n}",
                kind=kind,
                valid_from=start,
                priority=rng.randint(1, 50),
                stackable=n % 7 != 0,
                channel=channels[n % 3] if n % 5 == 0 else None,
                **fields,
            )
        )
    promos = Promotion.objects.bulk_create(promos)
    for promo in promos:
        if promo.kind == "bundle":
            for item in rng.sample(items, 2):
                parts.append(BundleComponent(dealer=dealer, promotion=promo, item=item, quantity=1))
        elif promo.kind in ("spend_save", "order_percent") and rng.random() < 0.7:
            continue  # order-wide
        elif rng.random() < 0.2:
            cats.append(
                Promotion.categories.through(promotion_id=promo.pk, category_id=rng.choice(categories).pk)
            )
        else:
            for item in rng.sample(items, rng.randint(1, 3)):
                targets.append(Promotion.items.through(promotion_id=promo.pk, item_id=item.pk))
    Promotion.items.through.objects.bulk_create(targets)
    Promotion.categories.through.objects.bulk_create(cats)
    BundleComponent.objects.bulk_create(parts)
    coupon_promo = Promotion.objects.create(
        dealer=dealer, code="CPN", name="券", kind="order_amount", amount=Decimal(20), requires_coupon=True
    )
    Coupon.objects.create(dealer=dealer, promotion=coupon_promo, code="BENCH-CPN")
    floors = [
        PriceFloor(
            dealer=dealer,
            item=item,
            floor_price=(item.list_price * Decimal("0.8")).quantize(Decimal("0.01")),
            region=rng.choice([None, None, province, city, county]),
        )
        for item in rng.sample(items, sizes.floors)
    ]
    PriceFloor.objects.bulk_create(floors)
    basket = rng.sample(items, sizes.lines)
    counts = {
        "price_list_items": len(rows),
        "promotions": len(promos) + 1,
        "promotion_targets": len(targets) + len(cats) + len(parts),
        "floors": len(floors),
    }
    counts["rules"] = counts["price_list_items"] + counts["promotions"] + counts["floors"]
    return World(
        dealer.pk,
        customer.pk,
        groups[0].pk,
        channels[0].pk,
        county.pk,
        [i.pk for i in basket],
        "BENCH-CPN",
        counts,
    )
