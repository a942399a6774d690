"""The one place the order center talks to the pricing engine (qudao.pricing.services), through
the contracts of qudao.pricing.contracts. Swapping or faking the engine happens here only."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from qudao.core.scoping import Actor
from qudao.pricing.contracts import BasketLine, PricedBasket, PricedLine, PricingContext


def price_basket(
    *, context: PricingContext, lines: Sequence[BasketLine], items: Sequence[Any] = ()
) -> PricedBasket:
    """`items`: the lines' catalog items as the caller has just read them, with their category's
    path (`_category_path`); the engine then does not read them again."""
    from qudao.pricing import services
    from qudao.pricing.selectors_rules import item_facts, known_items

    facts = {
        item.pk: item_facts(
            item.pk, item.sku, item.name, item.tax_rate, item.list_price, item.currency, item._category_path
        )
        for item in items
        if hasattr(item, "_category_path") and item.dealer_id == context.dealer_id
    }
    if not facts:
        return services.price_basket(context=context, lines=list(lines))
    with known_items(context.dealer_id, facts):
        return services.price_basket(context=context, lines=list(lines))


def redeem_coupons(
    *, actor: Actor, dealer_id: int, codes: Sequence[str], customer_id: int, reference_id: int
) -> Any:
    if not codes:
        return None
    from qudao.pricing import services

    return services.redeem_coupons(
        actor=actor,
        dealer_id=dealer_id,
        codes=list(codes),
        customer_id=customer_id,
        reference_type="sales.order",
        reference_id=reference_id,
    )


def record_rebate_volume(
    *,
    actor: Actor,
    dealer_id: int,
    customer_id: int,
    on: date,
    amount: Decimal,
    source_id: int,
    source_line_id: int | None = None,
    source_type: str = "sales.order",
) -> Any:
    from qudao.pricing import services

    return services.record_rebate_volume(
        actor=actor,
        dealer_id=dealer_id,
        customer_id=customer_id,
        on=on,
        amount=amount,
        source_type=source_type,
        source_id=source_id,
        source_line_id=source_line_id,
    )


def explain(line: PricedLine) -> dict[str, Any]:
    """A PricedLine as the JSON kept on the order line (readable without the pricing tables)."""
    source = line.source
    return {
        "source": {
            "kind": source.kind,
            "unit_price": str(source.unit_price),
            "price_list_id": source.price_list_id,
            "price_list_code": source.price_list_code,
            "tier_min_quantity": None if source.tier_min_quantity is None else str(source.tier_min_quantity),
            "description": str(source.description),
        },
        "adjustments": [
            {
                "kind": a.kind,
                "amount": str(a.amount),
                "rule_type": a.rule_type,
                "rule_id": a.rule_id,
                "rule_code": a.rule_code,
                "description": str(a.description),
            }
            for a in line.adjustments
        ],
        "floor_price": None if line.floor_price is None else str(line.floor_price),
    }
