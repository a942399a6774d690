"""The whole basket: base prices, the promotion steps of engine.py, coupons, gifts, floors, totals."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import ROUND_FLOOR, Decimal

from django.utils.translation import gettext as _

from qudao.core.money import line_amount, quantize_unit_price, tax_from_inclusive
from qudao.pricing.choices import LINE_KINDS, ORDER_KINDS, PromotionKind
from qudao.pricing.contracts import (
    Adjustment,
    BasketLine,
    PricedBasket,
    PricedLine,
    PriceSource,
    PricingContext,
)
from qudao.pricing.policies.engine import (
    COUPON_TYPE,
    PLAIN,
    ZERO,
    Label,
    MissingPrices,
    WorkLine,
    apply_bundle,
    apply_bundles,
    apply_line_promotions,
    apply_order_promotions,
    apply_order_rule,
    conditions_met,
    line_discount,
    targeted_lines,
    units_left,
)
from qudao.pricing.policies.facts import PromotionRule, RuleSet
from qudao.pricing.policies.prices import resolve_base_price, resolve_floor

#: why a coupon given with a basket was not applied
COUPON_NO_EFFECT = "conditions_not_met"


def base_lines(lines: Sequence[BasketLine], rules: RuleSet) -> list[WorkLine]:
    """Step 1: every line at its base price; lines without any price raise MissingPrices (all of them)."""
    work, missing = [], []
    for line in lines:
        item = rules.items[line.item_id]
        source = resolve_base_price(item, line.quantity, rules.prices.get(line.item_id, ()))
        if source is None:
            missing.append((line.key, item))
            continue
        base = line_amount(line.quantity, source.unit_price)
        work.append(WorkLine(line.key, item, line.quantity, source, base, base))
    if missing:
        raise MissingPrices(missing)
    return work


def gift_lines(
    rule: PromotionRule, lines: Sequence[WorkLine], rules: RuleSet, label: Label = PLAIN
) -> list[WorkLine]:
    """Buy `buy_quantity` of the targeted items, get `gift_quantity` of the gift item free (of the item
    bought, per line, when no gift item is named), as many times as bought, up to the limit per order."""
    if not rule.buy_quantity or not rule.gift_quantity:
        return []
    targeted = targeted_lines(rule, lines)
    if not conditions_met(rule, targeted):
        return []
    if rule.gift_item_id is None:
        groups = [(line.item.item_id, line.quantity) for line in targeted]
    else:
        groups = [(rule.gift_item_id, sum((line.quantity for line in targeted), Decimal(0)))]
    remaining = None if rule.limit_per_order is None else Decimal(rule.limit_per_order)
    out: list[WorkLine] = []
    for n, (item_id, bought) in enumerate(groups):
        times = (bought / rule.buy_quantity).to_integral_value(rounding=ROUND_FLOOR)
        if remaining is not None:
            times = min(times, remaining)
            remaining -= times
        item = rules.items.get(item_id)
        if times <= 0 or item is None:
            continue
        quantity = times * rule.gift_quantity
        source = resolve_base_price(item, quantity, rules.prices.get(item_id, ())) or PriceSource(
            kind="item_list_price", unit_price=quantize_unit_price(0), description=_("No price")
        )
        base = line_amount(quantity, source.unit_price)
        gift = WorkLine(f"gift:{rule.id}:{n}", item, quantity, source, base, ZERO, is_gift=True)
        gift.adjustments.append(
            Adjustment(
                kind="gift",
                amount=-base,
                rule_type=label.rule_type,
                rule_id=rule.id if label.rule_id is None else label.rule_id,
                rule_code=label.rule_code or rule.code,
                description=label.description or _("Gift: %(rule)s") % {"rule": rule.label},
            )
        )
        out.append(gift)
    return out


def apply_coupon(rule: PromotionRule, lines: list[WorkLine], rules: RuleSet, label: Label) -> bool:
    """Apply the promotion a coupon grants, on the current amounts; False when it gives nothing."""
    if rule.kind in LINE_KINDS:
        targeted = targeted_lines(rule, lines)
        if not conditions_met(rule, targeted):
            return False
        used: dict[int, Decimal] = defaultdict(Decimal)
        taken = ZERO
        for line in targeted:
            units = units_left(rule, line, used)
            got = line.discount(line_discount(rule, line, units, line.amount), **label.of(rule, "coupon"))
            if got > 0:
                used[rule.id] += units
                taken += got
        return taken > 0
    if rule.kind in ORDER_KINDS:
        return apply_order_rule(rule, lines, label) > 0
    if rule.kind == PromotionKind.BUNDLE:
        return apply_bundle(rule, lines, defaultdict(Decimal), label)
    if rule.kind == PromotionKind.BUY_GET:
        gifts = gift_lines(rule, lines, rules, label)
        lines.extend(gifts)
        return bool(gifts)
    return False


def _priced(line: WorkLine, rules: RuleSet) -> PricedLine:
    unit_price = quantize_unit_price(line.amount / line.quantity)
    tax = tax_from_inclusive(line.amount, line.item.tax_rate)
    floor = None if line.is_gift else resolve_floor(rules.floors.get(line.item.item_id, ()))
    return PricedLine(
        key=line.key,
        item_id=line.item.item_id,
        quantity=line.quantity,
        tax_rate=line.item.tax_rate,
        source=line.source,
        unit_price=unit_price,
        base_amount=line.base_amount,
        amount=line.amount,
        tax_amount=tax,
        net_amount=line.amount - tax,
        adjustments=list(line.adjustments),
        is_gift=line.is_gift,
        floor_price=floor,
        below_floor=floor is not None and unit_price < floor,
    )


def price_lines(context: PricingContext, lines: Sequence[BasketLine], rules: RuleSet) -> PricedBasket:
    """Price a basket with the rules loaded for it (see engine.py for the order of the steps)."""
    work = base_lines(lines, rules)
    automatic = list(rules.promotions)
    apply_line_promotions(work, automatic)
    apply_bundles(work, automatic)
    apply_order_promotions(work, automatic)
    applied: list[str] = []
    rejected: dict[str, str] = {}
    for coupon in rules.coupons:
        if coupon.code in applied or coupon.code in rejected:
            continue  # given twice: applied (or refused) once
        if coupon.rejected or coupon.promotion is None:
            rejected[coupon.code] = coupon.rejected or "unknown"
            continue
        label = Label(
            kind="coupon",
            rule_type=COUPON_TYPE,
            rule_id=coupon.coupon_id,
            rule_code=coupon.code,
            description=_("Coupon %(code)s: %(rule)s")
            % {"code": coupon.code, "rule": coupon.promotion.label},
        )
        if apply_coupon(coupon.promotion, work, rules, label):
            applied.append(coupon.code)
        else:
            rejected[coupon.code] = COUPON_NO_EFFECT
    for rule in sorted((r for r in automatic if r.kind == PromotionKind.BUY_GET), key=lambda r: r.order_key):
        work.extend(gift_lines(rule, [line for line in work if not line.is_gift], rules))
    priced = [_priced(line, rules) for line in work]
    base_total = sum((line.base_amount for line in priced), ZERO)
    total = sum((line.amount for line in priced), ZERO)
    tax_total = sum((line.tax_amount for line in priced), ZERO)
    return PricedBasket(
        context=context,
        currency=rules.currency,
        lines=priced,
        base_total=base_total,
        discount_total=base_total - total,
        total=total,
        tax_total=tax_total,
        net_total=total - tax_total,
        coupons_applied=applied,
        coupons_rejected=rejected,
    )
