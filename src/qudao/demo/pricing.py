"""Demo pricing of the FMCG distributor 苏州惠民: a default list, channel lists, a KA list with
quantity tiers (阶梯价), promotions (满减, 买赠, a category discount, a coupon-only 满1000减50 with a few
coupons), a quarterly 满10万返2% rebate program, and price floors. Deterministic: rules are derived from
the SKUs in SKU order; headers go through the pricing services, item rows are bulk-inserted."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from qudao.catalog.choices import ItemKind
from qudao.catalog.models import Item
from qudao.demo.base import DemoContext, bulk_insert
from qudao.parties.models import CustomerGroup
from qudao.pricing.models import Coupon, PriceFloor, PriceListItem
from qudao.pricing.services.price_lists import create_price_list
from qudao.pricing.services.promotions import create_promotion
from qudao.pricing.services.rebates import create_rebate_program

YEAR_START = date(2026, 1, 1)
#: channel code → (list code, name, share of the list price)
CHANNEL_LISTS = (
    ("WHOLESALE", "HM-PF", "传统批发价", Decimal("0.90")),
    ("RETAIL", "HM-LS", "零售终端价", Decimal("0.97")),
    ("GROUPBUY", "HM-TG", "社区团购价", Decimal("0.93")),
)
#: KA tiers: (from quantity, share of the list price)
KA_TIERS = ((Decimal(0), Decimal("0.92")), (Decimal(48), Decimal("0.90")), (Decimal(240), Decimal("0.87")))
COUPONS = 5


def _price(list_price: Decimal, share: Decimal) -> Decimal:
    return (list_price * share).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _rows(dealer, price_list, items, share, min_quantity=Decimal(0)) -> list[PriceListItem]:
    return [
        PriceListItem(
            dealer=dealer,
            price_list=price_list,
            item=item,
            min_quantity=min_quantity,
            unit_price=_price(item.list_price, share),
        )
        for item in items
    ]


def load_fmcg_pricing(ctx: DemoContext) -> None:
    dealer = ctx.refs["fmcg.dealer"]
    actor = ctx.actor
    items = list(
        Item.objects.filter(dealer=dealer, kind=ItemKind.GOODS, is_active=True, list_price__isnull=False)
        .select_related("category")
        .order_by("sku")
    )
    if not items:
        return
    base = {"dealer_id": dealer.pk, "valid_from": YEAR_START}
    rows: list[PriceListItem] = []
    default = create_price_list(
        actor=actor,
        data={**base, "code": "HM-STD", "name": "惠民标准价目表", "scope": "default", "priority": 10},
    )
    rows += _rows(dealer, default, items, Decimal("0.98"))
    for channel_code, code, name, share in CHANNEL_LISTS:
        channel = ctx.refs[f"fmcg.channel.{channel_code}"]
        price_list = create_price_list(
            actor=actor,
            data={**base, "code": code, "name": name, "scope": "channel", "channel_id": channel.pk},
        )
        rows += _rows(dealer, price_list, items, share)
    ka_group = CustomerGroup.objects.get(dealer=dealer, code="KA")
    ka = create_price_list(
        actor=actor,
        data={
            **base,
            "code": "HM-KA",
            "name": "KA连锁阶梯价",
            "scope": "customer_group",
            "customer_group_id": ka_group.pk,
        },
    )
    for min_quantity, share in KA_TIERS:
        rows += _rows(dealer, ka, items[:200], share, min_quantity)
    bulk_insert(ctx, PriceListItem, rows)
    ctx.count("price_lists", 2 + len(CHANNEL_LISTS))
    ctx.count("price_list_items", len(rows))

    promos = [
        {
            "code": "HM-MJ5000",
            "name": "满5000减200（上不封顶，每单最多5次）",
            "kind": "spend_save",
            "threshold": Decimal(5000),
            "amount": Decimal(200),
            "repeat": True,
            "limit_per_order": 5,
            "priority": 50,
        },
        {
            "code": "HM-M10Z1",
            "name": "买十赠一",
            "kind": "buy_get",
            "item_ids": [i.pk for i in items[:8]],
            "buy_quantity": Decimal(10),
            "gift_quantity": Decimal(1),
            "priority": 60,
        },
        {
            "code": "HM-CPN50",
            "name": "满1000减50券",
            "kind": "spend_save",
            "threshold": Decimal(1000),
            "amount": Decimal(50),
            "requires_coupon": True,
            "priority": 90,
        },
    ]
    category = items[0].category
    if category is not None:
        promos.append(
            {
                "code": "HM-CAT95",
                "name": f"{category.name}95折",
                "kind": "percent_off",
                "percent": Decimal(5),
                "category_ids": [category.pk],
                "stackable": False,
                "priority": 20,
                "channel_id": ctx.refs["fmcg.channel.RETAIL"].pk,
            }
        )
    created = {p["code"]: create_promotion(actor=actor, data={**base, **p}) for p in promos}
    ctx.count("promotions", len(created))
    coupon_promo = created["HM-CPN50"]
    Coupon.objects.bulk_create(
        Coupon(dealer=dealer, promotion=coupon_promo, code=f"HM50-{n:04d}", valid_from=YEAR_START)
        for n in range(1, COUPONS + 1)
    )
    ctx.count("coupons", COUPONS)

    create_rebate_program(
        actor=actor,
        data={
            **base,
            "code": "HM-REBATE-Q",
            "name": "季度满10万返2%",
            "period": "quarter",
            "customer_scope": "all",
            "tiers": [
                {"threshold": Decimal(100000), "rate": Decimal("0.02")},
                {"threshold": Decimal(300000), "rate": Decimal("0.03")},
            ],
        },
    )
    ctx.count("rebate_programs", 1)

    suzhou = ctx.region("320500")
    floors = [
        PriceFloor(
            dealer=dealer,
            item=item,
            floor_price=_price(item.list_price, Decimal("0.85")),
            valid_from=YEAR_START,
        )
        for item in items[:40]
    ]
    floors += [
        PriceFloor(
            dealer=dealer,
            item=item,
            region=suzhou,
            floor_price=_price(item.list_price, Decimal("0.88")),
            valid_from=YEAR_START,
        )
        for item in items[:10]
    ]
    bulk_insert(ctx, PriceFloor, floors)
    ctx.count("price_floors", len(floors))
