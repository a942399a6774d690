"""Pricing the baskets of an import with the pricing engine, rules loaded once per context.

The engine prices a basket in two steps: `load_rules(context, items)` (the queries) and
`price_lines(context, lines, rules)` (pure). `pricing_bridge.price_basket` runs both for one basket.
An import has thousands of baskets but few contexts (customer, channel, ship-to region, date): the
rules of one context are loaded once for every item its baskets name, then each basket is priced by
the same `price_lines` — so an imported line is priced exactly as `price_basket` would price it
(tests/sales/test_imports_pricing.py holds them side by side, promotions and price lists included).

Of the context, only the customer's own price lists (and coupons, which imported orders do not carry)
depend on the customer: the facts of customers without a price list of their own are the same for
every customer of the same group, channel and region, and are loaded once for all of them. The
basket is still priced with its own context."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from django.utils.translation import gettext as _

from qudao.pricing.choices import PriceListScope
from qudao.pricing.contracts import BasketLine, PricedBasket, PricingContext
from qudao.pricing.models import PriceList
from qudao.pricing.policies.basket import price_lines
from qudao.pricing.policies.engine import MissingPrices
from qudao.pricing.selectors_rules import load_rules


@dataclass
class Basket:
    #: the caller's handle (an order plan)
    owner: object
    context: PricingContext
    lines: Sequence[BasketLine]


@dataclass
class Failure:
    owner: object
    #: keys of the lines without any price, with the item's SKU and name
    missing: list[tuple[str, str]]


def price_baskets(
    baskets: Sequence[Basket], *, on_priced: Callable[[Basket, PricedBasket], None]
) -> list[Failure]:
    """Price every basket; `on_priced(basket, priced)` for each one priced. Baskets with an item
    without any price are returned as failures (the `no_price` error of price_basket)."""
    own_lists = _customers_with_price_lists(baskets)
    by_facts: dict[PricingContext, list[Basket]] = defaultdict(list)
    for basket in baskets:
        context = basket.context
        if context.coupon_codes or context.customer_id in own_lists:
            by_facts[context].append(basket)
        else:
            by_facts[replace(context, customer_id=None)].append(basket)
    failures: list[Failure] = []
    for facts, group in by_facts.items():
        rules = load_rules(facts, {line.item_id for basket in group for line in basket.lines})
        for basket in group:
            try:
                priced = price_lines(basket.context, basket.lines, rules)
            except MissingPrices as exc:
                failures.append(Failure(basket.owner, [(key, f"{i.sku} {i.name}") for key, i in exc.missing]))
                continue
            on_priced(basket, priced)
    return failures


def _customers_with_price_lists(baskets: Sequence[Basket]) -> set[int]:
    customers = sorted({b.context.customer_id for b in baskets if b.context.customer_id is not None})
    dealers = sorted({b.context.dealer_id for b in baskets})
    if not customers:
        return set()
    return set(
        PriceList.objects.filter(
            dealer_id__in=dealers, scope=PriceListScope.CUSTOMER, customer_id__in=customers
        ).values_list("customer_id", flat=True)
    )


def no_price_message(label: str) -> str:
    return _("No price for %(item)s.") % {"item": label}
