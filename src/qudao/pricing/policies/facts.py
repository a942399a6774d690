"""The facts the pricing policies decide on: plain frozen dataclasses loaded by the selectors.

No ORM here. The selectors load only the rules that can apply to a basket (its items, their
categories, the context's customer, group, channel, ship-to region chain and date) and hand them
over as these facts; the policies compute the priced basket from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

#: how specific a price list is: the most specific applicable list wins
SCOPE_RANK = {"customer": 5, "customer_group": 4, "channel": 3, "region": 2, "default": 1}
SOURCE_KIND = {
    "customer": "customer_price_list",
    "customer_group": "group_price_list",
    "channel": "channel_price_list",
    "region": "region_price_list",
    "default": "default_price_list",
}


@dataclass(frozen=True)
class ItemFacts:
    item_id: int
    sku: str
    name: str
    tax_rate: Decimal
    list_price: Decimal | None
    currency: str = "CNY"
    #: the item's category and every ancestor category
    category_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class PriceCandidate:
    """One tier of one item in one applicable price list."""

    price_list_id: int
    price_list_code: str
    scope: str
    priority: int
    item_id: int
    min_quantity: Decimal
    unit_price: Decimal
    #: for region lists, how deep the list's region is (province 1, city 2, county 3); else 0
    region_depth: int = 0

    @property
    def sort_key(self) -> tuple:
        """Best first: most specific scope, deepest region, lowest priority number, lowest id."""
        return (-SCOPE_RANK[self.scope], -self.region_depth, self.priority, self.price_list_id)


@dataclass(frozen=True)
class PromotionRule:
    id: int
    code: str
    name: str
    kind: str
    priority: int = 10
    stackable: bool = True
    item_ids: frozenset[int] = frozenset()
    category_ids: frozenset[int] = frozenset()
    min_quantity: Decimal | None = None
    min_amount: Decimal | None = None
    limit_per_order: int | None = None
    percent: Decimal | None = None
    amount: Decimal | None = None
    threshold: Decimal | None = None
    repeat: bool = False
    bundle_price: Decimal | None = None
    #: (item id, quantity per set)
    bundle: tuple[tuple[int, Decimal], ...] = ()
    buy_quantity: Decimal | None = None
    gift_item_id: int | None = None
    gift_quantity: Decimal | None = None

    @property
    def order_key(self) -> tuple[int, int]:
        return (self.priority, self.id)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.code})"

    def targets(self, item: ItemFacts) -> bool:
        """No items and no categories: every item; else the item or one of its categories is named."""
        if not self.item_ids and not self.category_ids:
            return True
        return item.item_id in self.item_ids or bool(self.category_ids & item.category_ids)


@dataclass(frozen=True)
class FloorRule:
    id: int
    item_id: int
    floor_price: Decimal
    #: 0 everywhere, 1 province, 2 city, 3 county: the most specific floor wins
    region_depth: int = 0


@dataclass(frozen=True)
class CouponFacts:
    code: str
    coupon_id: int | None = None
    promotion: PromotionRule | None = None
    #: why the coupon cannot be used (a stable reason code), None when it may be used
    rejected: str | None = None


@dataclass
class RuleSet:
    """Everything the engine needs for one basket."""

    items: dict[int, ItemFacts]
    prices: dict[int, list[PriceCandidate]] = field(default_factory=dict)
    promotions: list[PromotionRule] = field(default_factory=list)
    floors: dict[int, list[FloorRule]] = field(default_factory=dict)
    coupons: list[CouponFacts] = field(default_factory=list)
    currency: str = "CNY"
