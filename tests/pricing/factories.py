"""Pricing factories: rows written through the pricing services (ROOT), so they obey the same rules."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from typing import Any

from qudao.catalog.models import Item
from qudao.org.models import Company
from qudao.pricing.contracts import BasketLine, PricingContext
from qudao.pricing.services import price_lists, promotions, rebates
from tests.catalog.factories import ROOT, make_item

_seq = itertools.count(1)
TODAY = date(2026, 5, 20)


def D(value: object) -> Decimal:
    return Decimal(str(value))


def item(dealer: Company, price: object | None = "10.00", **fields: Any) -> Item:
    return make_item(dealer, list_price=None if price is None else D(price), **fields)


def price_list(dealer: Company, *, scope: str = "default", tiers=(), **fields: Any):
    n = next(_seq)
    data = {"dealer_id": dealer.pk, "code": f"PL{n}", "name": f"价目表 {n}", "scope": scope}
    data.update(fields)
    data["items"] = [
        {"item_id": t[0].pk, "unit_price": D(t[1]), "min_quantity": D(t[2] if len(t) > 2 else 0)}
        for t in tiers
    ]
    return price_lists.create_price_list(actor=ROOT, data=data)


def promotion(dealer: Company, kind: str, *, items=(), categories=(), bundle=(), **fields: Any):
    n = next(_seq)
    data = {"dealer_id": dealer.pk, "code": f"P{n}", "name": f"促销 {n}", "kind": kind}
    for key in (
        "percent",
        "amount",
        "threshold",
        "bundle_price",
        "buy_quantity",
        "gift_quantity",
        "min_quantity",
        "min_amount",
    ):
        if key in fields:
            fields[key] = D(fields[key])
    data.update(fields)
    if items:
        data["item_ids"] = [i.pk for i in items]
    if categories:
        data["category_ids"] = [c.pk for c in categories]
    if bundle:
        data["bundle"] = [{"item_id": i.pk, "quantity": D(q)} for i, q in bundle]
    return promotions.create_promotion(actor=ROOT, data=data)


def coupon(promo, code: str | None = None, **fields: Any):
    return promotions.create_coupon(
        actor=ROOT, data={"promotion_id": promo.pk, "code": code or f"CP{next(_seq)}", **fields}
    )


def floor(dealer: Company, it: Item, price: object, region=None, **fields: Any):
    return price_lists.create_price_floor(
        actor=ROOT,
        data={
            "dealer_id": dealer.pk,
            "item_id": it.pk,
            "floor_price": D(price),
            "region_id": region.pk if region else None,
            **fields,
        },
    )


def program(dealer: Company, *, tiers=((100000, "0.02"),), period: str = "quarter", **fields: Any):
    n = next(_seq)
    data = {
        "dealer_id": dealer.pk,
        "code": f"RB{n}",
        "name": f"返利 {n}",
        "period": period,
        "valid_from": date(2026, 1, 1),
        "tiers": [{"threshold": D(t), "rate": D(r)} for t, r in tiers],
    }
    data.update(fields)
    return rebates.create_rebate_program(actor=ROOT, data=data)


def ctx(dealer: Company, **fields: Any) -> PricingContext:
    fields.setdefault("on", TODAY)
    return PricingContext(dealer_id=dealer.pk, **fields)


def lines(*pairs) -> list[BasketLine]:
    return [BasketLine(key=str(n), item_id=it.pk, quantity=D(q)) for n, (it, q) in enumerate(pairs)]
