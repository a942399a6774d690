"""Pure rules of the portal (no ORM).

Availability shown to retailers. A retailer never sees exact quantities (they are the dealer's
business, and they change by the minute); it sees one of three words computed from the sum of
available stock (on hand − reserved) over every warehouse of the dealer:

* out of stock — nothing available;
* low — less than LOW_STOCK_FLOOR base units, or not more than the safety stock the dealer keeps
  for the item over its sites (an order may then be partly back-ordered);
* in stock — otherwise.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

IN_STOCK, LOW, OUT = "in_stock", "low", "out"
LOW_STOCK_FLOOR = Decimal(10)
AVAILABILITY_LABELS = {IN_STOCK: _("In stock"), LOW: _("Low stock"), OUT: _("Out of stock")}
MAX_CART_QUANTITY = Decimal(99999)

#: adjustments that belong to the item alone (a catalog price); order promotions, bundles and
#: coupons depend on the whole basket and only show in the cart's quote
ITEM_ADJUSTMENTS = frozenset({"tier", "promotion"})


def availability(available: Decimal | None, safety_stock: Decimal | None = None) -> str:
    available = available or Decimal(0)
    if available <= 0:
        return OUT
    if available < LOW_STOCK_FLOOR or (safety_stock and available <= safety_stock):
        return LOW
    return IN_STOCK


def parse_quantity(raw: object) -> Decimal | None:
    """A cart quantity typed or stepped by a person: 0..99999 with at most 3 places, else None."""
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite() or value < 0 or value > MAX_CART_QUANTITY:
        return None
    if value != value.quantize(Decimal("0.001")):
        return None
    return value.quantize(Decimal("0.001"))


def parse_coupon_codes(raw: str) -> list[str]:
    """Codes separated by spaces or commas, upper-cased, without duplicates (at most 5)."""
    codes = [c.strip().upper() for c in raw.replace(",", " ").replace("，", " ").split()]
    return list(dict.fromkeys(c for c in codes if c and len(c) <= 40))[:5]
