"""The pricing engine: from a basket and its loaded rules to priced, explained lines. Pure.

Order of the steps (each recorded as an Adjustment naming its rule):

1. base price per line (policies.prices.resolve_base_price);
2. line promotions (percent off, amount off per unit), by priority then id. Conditions (minimum
   quantity / amount) are checked on all the basket lines a promotion targets together. **Stacking
   rule:** on a line where one or more *non-stackable* promotions apply, only the best of those for
   the customer (the largest discount on the line; ties: priority, then id) is applied and every
   other line promotion is excluded; otherwise every stackable promotion applies, one after the
   other, each on the amount left by the previous one;
3. bundles, on the prices after step 2, as many complete sets as the basket holds (a unit counts
   in one set only), the saving spread over the set's lines;
4. order promotions (percent off the order, amount off, spend X save Y — repeating or not) on the
   amounts after steps 2–3, spread over the lines they target with core.money.allocate; the same
   stacking rule as step 2 among order promotions;
5. coupons (each grants one promotion of any kind), in the order given;
6. gift lines (buy X get Y): unit price 0, the gift recorded as an adjustment of its full price.

No line ever goes below zero: every discount is capped by what is left of the line.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from django.utils.translation import gettext as _

from qudao.core.money import allocate, quantize_amount
from qudao.pricing.choices import LINE_KINDS, ORDER_KINDS, PromotionKind
from qudao.pricing.contracts import (
    Adjustment,
    PriceSource,
)
from qudao.pricing.policies.facts import ItemFacts, PromotionRule

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
RULE_TYPE = "pricing.promotion"
COUPON_TYPE = "pricing.coupon"


class MissingPrices(Exception):
    """Lines without any price: (key, item) pairs. The service turns it into the `no_price` error."""

    def __init__(self, missing: list[tuple[str, ItemFacts]]):
        super().__init__(missing)
        self.missing = missing


@dataclass
class WorkLine:
    key: str
    item: ItemFacts
    quantity: Decimal
    source: PriceSource
    base_amount: Decimal
    amount: Decimal
    adjustments: list[Adjustment] = field(default_factory=list)
    is_gift: bool = False

    def discount(
        self,
        amount: Decimal,
        *,
        kind: str,
        rule: PromotionRule,
        rule_type: str = RULE_TYPE,
        rule_id: int | None = None,
        rule_code: str = "",
        description: str = "",
    ) -> Decimal:
        """Take up to `amount` off the line (never below zero); returns what was taken."""
        taken = min(quantize_amount(amount), self.amount)
        if taken <= 0:
            return ZERO
        self.amount -= taken
        self.adjustments.append(
            Adjustment(
                kind=kind,
                amount=-taken,
                rule_type=rule_type,
                rule_id=rule.id if rule_id is None else rule_id,
                rule_code=rule_code or rule.code,
                description=description or rule.label,
            )
        )
        return taken


@dataclass(frozen=True)
class Label:
    """How an applied promotion is recorded: as itself, or as the coupon that granted it."""

    kind: str | None = None
    rule_type: str = RULE_TYPE
    rule_id: int | None = None
    rule_code: str = ""
    description: str = ""

    def of(self, rule: PromotionRule, default_kind: str) -> dict:
        return {
            "kind": self.kind or default_kind,
            "rule": rule,
            "rule_type": self.rule_type,
            "rule_id": self.rule_id,
            "rule_code": self.rule_code,
            "description": self.description,
        }


PLAIN = Label()


# --- line promotions -------------------------------------------------------------------------------


def targeted_lines(rule: PromotionRule, lines: Sequence[WorkLine]) -> list[WorkLine]:
    return [line for line in lines if not line.is_gift and rule.targets(line.item)]


def conditions_met(rule: PromotionRule, lines: Sequence[WorkLine], *, use_amount: bool = False) -> bool:
    """Minimum quantity / amount over all the lines the rule targets (base amounts, or current ones)."""
    if not lines:
        return False
    if rule.min_quantity is not None and sum(line.quantity for line in lines) < rule.min_quantity:
        return False
    amount = sum((line.amount if use_amount else line.base_amount) for line in lines)
    return rule.min_amount is None or amount >= rule.min_amount


def line_discount(rule: PromotionRule, line: WorkLine, units: Decimal, amount: Decimal) -> Decimal:
    """The discount `rule` gives on `units` of `line` whose current amount is `amount`."""
    if units <= 0 or amount <= 0:
        return ZERO
    if rule.kind == PromotionKind.PERCENT_OFF:
        share = amount * units / line.quantity
        return min(amount, quantize_amount(share * rule.percent / HUNDRED))
    if rule.kind == PromotionKind.AMOUNT_OFF:
        return min(amount, quantize_amount(units * rule.amount))
    return ZERO


def units_left(rule: PromotionRule, line: WorkLine, used: dict[int, Decimal]) -> Decimal:
    if rule.limit_per_order is None:
        return line.quantity
    return max(Decimal(0), min(line.quantity, Decimal(rule.limit_per_order) - used[rule.id]))


def index_targets(rules: Sequence[PromotionRule], lines: Sequence[WorkLine]) -> dict[int, list[WorkLine]]:
    """rule id → the (non-gift) lines it targets, in line order, without testing every rule on every
    line: rules are indexed by the items and categories they name."""
    universal, by_item, by_category = [], defaultdict(list), defaultdict(list)
    for rule in rules:
        if not rule.item_ids and not rule.category_ids:
            universal.append(rule)
        for item_id in rule.item_ids:
            by_item[item_id].append(rule)
        for category_id in rule.category_ids:
            by_category[category_id].append(rule)
    out: dict[int, list[WorkLine]] = {rule.id: [] for rule in rules}
    for line in lines:
        if line.is_gift:
            continue
        matched = {rule.id for rule in universal}
        matched.update(rule.id for rule in by_item.get(line.item.item_id, ()))
        for category_id in line.item.category_ids:
            matched.update(rule.id for rule in by_category.get(category_id, ()))
        for rule_id in matched:
            out[rule_id].append(line)
    return out


def apply_line_promotions(lines: Sequence[WorkLine], rules: Sequence[PromotionRule]) -> None:
    rules = sorted((r for r in rules if r.kind in LINE_KINDS), key=lambda r: r.order_key)
    targets = index_targets(rules, lines)
    per_line: dict[str, list[PromotionRule]] = defaultdict(list)
    for rule in rules:  # in priority order
        if conditions_met(rule, targets[rule.id]):
            for line in targets[rule.id]:
                per_line[line.key].append(rule)
    used: dict[int, Decimal] = defaultdict(Decimal)
    for line in lines:
        if line.is_gift:
            continue
        applicable = per_line.get(line.key, [])
        exclusive = [r for r in applicable if not r.stackable]
        if exclusive:
            best = max(
                exclusive,
                key=lambda r: (
                    line_discount(r, line, units_left(r, line, used), line.amount),
                    -r.priority,
                    -r.id,
                ),
            )
            applicable = [best]
        for rule in applicable:
            units = units_left(rule, line, used)
            if line.discount(line_discount(rule, line, units, line.amount), kind="promotion", rule=rule) > 0:
                used[rule.id] += units


# --- bundles ---------------------------------------------------------------------------------------


def apply_bundle(
    rule: PromotionRule, lines: Sequence[WorkLine], consumed: dict[str, Decimal], label: Label = PLAIN
) -> bool:
    """As many complete sets as the basket holds (units already in another set excluded)."""
    if not rule.bundle or rule.bundle_price is None:
        return False
    by_item: dict[int, list[WorkLine]] = defaultdict(list)
    for line in lines:
        if not line.is_gift:
            by_item[line.item.item_id].append(line)
    sets: Decimal | None = None
    for item_id, per_set in rule.bundle:
        free = sum((line.quantity - consumed[line.key] for line in by_item.get(item_id, [])), Decimal(0))
        n = (free / per_set).to_integral_value(rounding=ROUND_FLOOR)
        sets = n if sets is None else min(sets, n)
    if rule.limit_per_order is not None and sets is not None:
        sets = min(sets, Decimal(rule.limit_per_order))
    if not sets or sets <= 0:
        return False
    parts: list[tuple[WorkLine, Decimal]] = []  # (line, current value of its units in the sets)
    for item_id, per_set in rule.bundle:
        need = per_set * sets
        for line in by_item[item_id]:
            take = min(need, line.quantity - consumed[line.key])
            if take <= 0:
                continue
            consumed[line.key] += take
            need -= take
            parts.append((line, line.amount * take / line.quantity))
    normal = sum((value for _line, value in parts), Decimal(0))
    saving = quantize_amount(normal - rule.bundle_price * sets)
    if saving <= 0:
        return True
    weights = [value for _line, value in parts]
    if sum(weights) <= 0:
        return True
    recorded = label.of(rule, "bundle")
    if not label.description:
        recorded["description"] = _("%(rule)s: %(sets)s sets") % {"rule": rule.label, "sets": sets}
    for (line, _value), share in zip(parts, allocate(saving, weights), strict=True):
        line.discount(share, **recorded)
    return True


def apply_bundles(lines: Sequence[WorkLine], rules: Sequence[PromotionRule]) -> None:
    consumed: dict[str, Decimal] = defaultdict(Decimal)
    for rule in sorted((r for r in rules if r.kind == PromotionKind.BUNDLE), key=lambda r: r.order_key):
        apply_bundle(rule, lines, consumed)


# --- order promotions ------------------------------------------------------------------------------


def order_discount(rule: PromotionRule, lines: Sequence[WorkLine]) -> Decimal:
    """What an order-level rule takes off the lines it targets (0 when its conditions are not met)."""
    targeted = targeted_lines(rule, lines)
    if not conditions_met(rule, targeted, use_amount=True):
        return ZERO
    eligible = sum((line.amount for line in targeted), ZERO)
    if eligible <= 0:
        return ZERO
    if rule.kind == PromotionKind.ORDER_PERCENT:
        discount = quantize_amount(eligible * rule.percent / HUNDRED)
    elif rule.kind == PromotionKind.ORDER_AMOUNT:
        discount = rule.amount
    elif rule.kind == PromotionKind.SPEND_SAVE:
        if eligible < rule.threshold:
            return ZERO
        times = (eligible / rule.threshold).to_integral_value(rounding=ROUND_FLOOR) if rule.repeat else 1
        if rule.limit_per_order is not None:
            times = min(times, rule.limit_per_order)
        discount = rule.amount * times
    else:
        return ZERO
    return min(quantize_amount(discount), eligible)


def apply_order_rule(rule: PromotionRule, lines: Sequence[WorkLine], label: Label = PLAIN) -> Decimal:
    """Spread the rule's discount over its lines in proportion to their amounts (parts add up exactly)."""
    discount = order_discount(rule, lines)
    if discount <= 0:
        return ZERO
    targeted = [line for line in targeted_lines(rule, lines) if line.amount > 0]
    shares = allocate(discount, [line.amount for line in targeted])
    taken = ZERO
    for line, share in zip(targeted, shares, strict=True):
        taken += line.discount(share, **label.of(rule, "order_promotion"))
    return taken


def apply_order_promotions(lines: Sequence[WorkLine], rules: Sequence[PromotionRule]) -> None:
    rules = sorted((r for r in rules if r.kind in ORDER_KINDS), key=lambda r: r.order_key)
    exclusive = [r for r in rules if not r.stackable and order_discount(r, lines) > 0]
    if exclusive:
        best = max(exclusive, key=lambda r: (order_discount(r, lines), -r.priority, -r.id))
        apply_order_rule(best, lines)
        return
    for rule in rules:
        apply_order_rule(rule, lines)
