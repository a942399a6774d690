"""What the pricing engine takes and gives: the boundary the order center (and the portal, the
quote endpoint, the sales assistant) code against. Plain dataclasses, no ORM.

Conventions
- Every price is per *base unit* of the item and **tax-inclusive** (含税价), in the dealer's currency;
  unit prices carry 4 decimal places, amounts 2 (core.money). Net (ex-VAT) and tax are derived per
  line: tax = core.money.tax_from_inclusive(amount, rate); net = amount - tax.
- A line's `amount` is rounded per line; basket totals are sums of the rounded lines (never a
  rounded total of unrounded lines).
- Order-level discounts (spend-X-save-Y, an order coupon) are spread over the lines they apply to
  with core.money.allocate (the parts add up exactly), each part recorded as an `Adjustment` on the
  line that names the order rule; so invoices and returns carry exact per-line amounts.
- Gift lines (buy X get Y) are lines with `is_gift=True`, unit price 0, and an adjustment naming
  the promotion that gave them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class PricingContext:
    """Who buys, where and when: the facts the rules match on."""

    dealer_id: int
    on: date
    customer_id: int | None = None
    customer_group_id: int | None = None
    channel_id: int | None = None
    #: the ship-to region (county, city or province id of org.Region); rules for a province match its
    #: cities and counties
    region_id: int | None = None
    coupon_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class BasketLine:
    #: the caller's key for the line (echoed back), e.g. "0", "1", or an order line id as text
    key: str
    item_id: int
    #: in the item's base unit, > 0
    quantity: Decimal


@dataclass(frozen=True)
class Adjustment:
    """One step from the base price to the final amount of a line, with the rule that made it."""

    #: "tier" | "promotion" | "order_promotion" | "bundle" | "gift" | "coupon" | "manual"
    kind: str
    #: change of the line's amount (tax-inclusive, 2 places; negative = discount)
    amount: Decimal
    #: "pricing.promotion", "pricing.coupon", … and the rule's id and code (None for manual)
    rule_type: str = ""
    rule_id: int | None = None
    rule_code: str = ""
    #: human-readable, already translated in the active language, e.g. "满1000减100 (PROMO-12)"
    description: str = ""


@dataclass(frozen=True)
class PriceSource:
    """Where the base unit price came from."""

    #: "customer_price_list" | "group_price_list" | "channel_price_list" | "region_price_list"
    #: | "default_price_list" | "item_list_price"
    kind: str
    unit_price: Decimal
    price_list_id: int | None = None
    price_list_code: str = ""
    #: the quantity tier that applied (its minimum quantity), if any
    tier_min_quantity: Decimal | None = None
    description: str = ""


@dataclass
class PricedLine:
    key: str
    item_id: int
    quantity: Decimal
    tax_rate: Decimal
    source: PriceSource
    #: final tax-inclusive unit price after line-level adjustments (4 places); amount / quantity
    #: rounded, for display — the amount is authoritative
    unit_price: Decimal
    #: base amount = quantity × source.unit_price, rounded
    base_amount: Decimal
    #: final line amount, tax-inclusive, = base_amount + sum(adjustment amounts) (never below 0)
    amount: Decimal
    tax_amount: Decimal
    net_amount: Decimal
    adjustments: list[Adjustment] = field(default_factory=list)
    is_gift: bool = False
    #: the price floor of the item for the context's region (per base unit), if one is set
    floor_price: Decimal | None = None
    #: unit_price < floor_price: the order must be approved before it is confirmed
    below_floor: bool = False

    @property
    def discount(self) -> Decimal:
        return self.base_amount - self.amount


@dataclass
class PricedBasket:
    context: PricingContext
    currency: str
    lines: list[PricedLine]
    #: sums of the rounded lines
    base_total: Decimal
    discount_total: Decimal
    total: Decimal
    tax_total: Decimal
    net_total: Decimal
    #: codes that applied; codes given but not applicable are listed with the reason
    coupons_applied: list[str] = field(default_factory=list)
    coupons_rejected: dict[str, str] = field(default_factory=dict)

    @property
    def below_floor(self) -> bool:
        return any(line.below_floor for line in self.lines)
