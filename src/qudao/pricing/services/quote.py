"""The pricing engine's entry points: `price_basket` (read-only, the contract the order center codes
against) and `quote_basket` (the quote endpoint and the console simulator: a customer, lines in any of
the item's units, optional overrides)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from qudao.catalog.conversions import to_base
from qudao.catalog.errors import UnitNotConvertible
from qudao.catalog.models import Item
from qudao.core.errors import ValidationFailed
from qudao.core.scoping import Actor, get_scoped, scoped
from qudao.org.models import Channel, Region
from qudao.parties.models import Customer
from qudao.pricing.contracts import BasketLine, PricedBasket, PricingContext
from qudao.pricing.errors import NoPrice
from qudao.pricing.policies.basket import price_lines
from qudao.pricing.policies.engine import MissingPrices
from qudao.pricing.selectors_rules import load_rules
from qudao.pricing.services._common import Problems

MAX_LINES = 1000


def price_basket(*, context: PricingContext, lines: Sequence[BasketLine]) -> PricedBasket:
    """Price a basket for a context: every line with its base price source and each adjustment that
    changed it. Reads only (coupons are checked, not redeemed: see redeem_coupons). A constant number
    of queries whatever the number of lines. Items of another dealer → 422; items without any price →
    `no_price` (422) listing every such line."""
    problems = Problems()
    if not lines:
        problems.add("lines", _("Give at least one line."))
    if len(lines) > MAX_LINES:
        problems.add("lines", _("At most %(max)s lines.") % {"max": MAX_LINES})
    keys = [line.key for line in lines]
    if len(set(keys)) != len(keys):
        problems.add("lines", _("Each line needs its own key."))
    for n, line in enumerate(lines):
        if not isinstance(line.quantity, Decimal) or not line.quantity.is_finite() or line.quantity <= 0:
            problems.add(f"lines.{n}.quantity", _("The quantity must be greater than zero."))
    problems.raise_if_any()
    rules = load_rules(context, {line.item_id for line in lines})
    for n, line in enumerate(lines):
        if line.item_id not in rules.items:
            problems.add(f"lines.{n}.item_id", _("No such record, or it is not visible to you."))
    problems.raise_if_any()
    try:
        return price_lines(context, lines, rules)
    except MissingPrices as exc:
        index = {key: n for n, key in enumerate(keys)}
        raise NoPrice(
            details=[
                {
                    "field": f"lines.{index[key]}.item_id",
                    "code": NoPrice.code,
                    "message": _("No price for %(sku)s %(name)s.") % {"sku": item.sku, "name": item.name},
                    "item_id": item.item_id,
                }
                for key, item in exc.missing
            ]
        ) from None


def build_context(
    *,
    actor: Actor,
    customer_id: int,
    channel_id: int | None = None,
    region_id: int | None = None,
    on=None,
    coupon_codes: Sequence[str] = (),
) -> PricingContext:
    """The context of a customer (its group, channel and region), with optional overrides."""
    customer = get_scoped(Customer.objects.all(), actor, pk=customer_id)
    problems = Problems()
    if (
        channel_id is not None
        and not scoped(Channel.objects.filter(pk=channel_id, dealer_id=customer.dealer_id), actor).exists()
    ):
        problems.add("channel_id", _("No such record, or it is not visible to you."))
    if region_id is not None and not Region.objects.filter(pk=region_id).exists():
        problems.add("region_id", _("No such record, or it is not visible to you."))
    problems.raise_if_any()
    return PricingContext(
        dealer_id=customer.dealer_id,
        on=on or timezone.localdate(),
        customer_id=customer.pk,
        customer_group_id=customer.customer_group_id,
        channel_id=channel_id if channel_id is not None else customer.channel_id,
        region_id=region_id if region_id is not None else customer.region_id,
        coupon_codes=tuple(dict.fromkeys(c.strip().upper() for c in coupon_codes if c.strip())),
    )


def quote_basket(*, actor: Actor, data: Mapping[str, Any]) -> PricedBasket:
    """data = {customer_id, channel_id?, region_id?, on?, coupon_codes?, lines: [{item_id, quantity,
    unit_id?}]}: quantities are converted to the item's base unit; nothing is written."""
    context = build_context(
        actor=actor,
        customer_id=data["customer_id"],
        channel_id=data.get("channel_id"),
        region_id=data.get("region_id"),
        on=data.get("on"),
        coupon_codes=data.get("coupon_codes") or (),
    )
    raw_lines = data.get("lines") or []
    ids = {raw["item_id"] for raw in raw_lines if raw.get("unit_id")}
    items = {
        i.pk: i
        for i in scoped(Item.objects.filter(pk__in=ids, dealer_id=context.dealer_id), actor).select_related(
            "base_unit"
        )
    }
    problems = Problems()
    lines = []
    for n, raw in enumerate(raw_lines):
        quantity = raw["quantity"]
        if raw.get("unit_id") and raw["item_id"] in items:
            try:
                quantity = to_base(items[raw["item_id"]], raw["unit_id"], quantity)
            except UnitNotConvertible:
                problems.add(f"lines.{n}.unit_id", _("Not a unit of this item."), UnitNotConvertible.code)
                continue
        lines.append(BasketLine(key=str(n), item_id=raw["item_id"], quantity=Decimal(quantity)))
    problems.raise_if_any()
    if not lines:
        raise ValidationFailed(
            details=[{"field": "lines", "code": "validation_error", "message": _("Give at least one line.")}]
        )
    return price_basket(context=context, lines=lines)
