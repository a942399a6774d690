"""The pricing rules without a database: resolution order, tiers, each promotion kind, stacking,
exact allocation, never negative, floors, rebate tiers and periods."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from qudao.pricing.contracts import BasketLine, PricingContext
from qudao.pricing.policies.basket import price_lines
from qudao.pricing.policies.engine import MissingPrices
from qudao.pricing.policies.facts import (
    CouponFacts,
    FloorRule,
    ItemFacts,
    PriceCandidate,
    PromotionRule,
    RuleSet,
)
from qudao.pricing.policies.prices import resolve_base_price, resolve_floor
from qudao.pricing.policies.rebates import closed_periods, compute_accrual, period_bounds

D = Decimal
CTX = PricingContext(dealer_id=1, on=date(2026, 5, 20))


def item(item_id: int, list_price="10", tax="0.13", categories=()) -> ItemFacts:
    return ItemFacts(
        item_id,
        f"SKU{item_id}",
        f"Item {item_id}",
        D(tax),
        None if list_price is None else D(list_price),
        category_ids=frozenset(categories),
    )


def cand(list_id, scope, price, min_qty="0", priority=10, item_id=1, depth=0) -> PriceCandidate:
    return PriceCandidate(list_id, f"L{list_id}", scope, priority, item_id, D(min_qty), D(price), depth)


def promo(pid, kind, **kw) -> PromotionRule:
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
        if key in kw:
            kw[key] = D(kw[key])
    kw.setdefault("code", f"P{pid}")
    kw.setdefault("name", f"Promo {pid}")
    for key in ("item_ids", "category_ids"):
        if key in kw:
            kw[key] = frozenset(kw[key])
    return PromotionRule(id=pid, kind=kind, **kw)


def basket(*pairs) -> list[BasketLine]:
    return [BasketLine(str(n), i, D(q)) for n, (i, q) in enumerate(pairs)]


def rules(items, promotions=(), prices=None, floors=None, coupons=()) -> RuleSet:
    return RuleSet(
        items={i.item_id: i for i in items},
        prices=prices or {},
        promotions=list(promotions),
        floors=floors or {},
        coupons=list(coupons),
    )


# --- base price resolution ---------------------------------------------------------------------------


def test_most_specific_list_wins_in_order():
    it = item(1)
    candidates = [
        cand(1, "default", "9"),
        cand(2, "region", "8.5", depth=1),
        cand(3, "region", "8.4", depth=2),
        cand(4, "channel", "8"),
        cand(5, "customer_group", "7"),
        cand(6, "customer", "6"),
    ]
    expected = ["6.0000", "7.0000", "8.0000", "8.4000", "8.5000", "9.0000"]
    for n, price in enumerate(expected):
        source = resolve_base_price(it, D(1), candidates[: len(candidates) - n])
        assert str(source.unit_price) == price
    source = resolve_base_price(it, D(1), candidates[1:3])
    assert source.kind == "region_price_list" and source.price_list_id == 3  # the deeper region wins
    assert resolve_base_price(it, D(1), []).kind == "item_list_price"
    assert resolve_base_price(item(2, list_price=None), D(1), []) is None


def test_ties_by_priority_then_id():
    it = item(1)
    assert (
        resolve_base_price(
            it, D(1), [cand(7, "default", "9", priority=5), cand(3, "default", "8", priority=20)]
        ).price_list_id
        == 7
    )
    assert resolve_base_price(it, D(1), [cand(7, "default", "9"), cand(3, "default", "8")]).price_list_id == 3


def test_tiers_take_the_greatest_minimum_reached():
    it = item(1)
    tiers = [
        cand(1, "customer_group", "10"),
        cand(1, "customer_group", "9", "10"),
        cand(1, "customer_group", "8", "100"),
    ]
    assert resolve_base_price(it, D("9.999"), tiers).unit_price == D("10")
    source = resolve_base_price(it, D(10), tiers)
    assert source.unit_price == D("9") and source.tier_min_quantity == D(10)
    assert resolve_base_price(it, D(500), tiers).unit_price == D("8")
    # a list whose tiers all start above the quantity does not apply: the next one does
    only_big = [cand(1, "customer", "5", "50"), cand(2, "default", "9")]
    assert resolve_base_price(it, D(10), only_big).price_list_id == 2


def test_no_price_anywhere_lists_every_missing_line():
    its = [item(1, list_price=None), item(2), item(3, list_price=None)]
    with pytest.raises(MissingPrices) as exc:
        price_lines(CTX, basket((1, 1), (2, 1), (3, 2)), rules(its))
    assert [key for key, _ in exc.value.missing] == ["0", "2"]


# --- line promotions ---------------------------------------------------------------------------------


def test_percent_and_amount_off_per_unit():
    its = [item(1, "10"), item(2, "3.33")]
    result = price_lines(
        CTX,
        basket((1, 3), (2, 3)),
        rules(
            its,
            [
                promo(1, "percent_off", percent="10", item_ids=[1]),
                promo(2, "amount_off", amount="0.50", item_ids=[2]),
            ],
        ),
    )
    one, two = result.lines
    assert (one.base_amount, one.amount, one.unit_price) == (D("30.00"), D("27.00"), D("9.0000"))
    assert one.adjustments[0].amount == D("-3.00") and one.adjustments[0].rule_id == 1
    assert (two.base_amount, two.amount) == (D("9.99"), D("8.49"))
    assert result.total == D("35.49") and result.discount_total == D("4.50")


def test_category_target_matches_subcategories():
    its = [item(1, "10", categories=[5, 6]), item(2, "10", categories=[7])]
    result = price_lines(
        CTX, basket((1, 1), (2, 1)), rules(its, [promo(1, "percent_off", percent="50", category_ids=[5])])
    )
    assert [line.amount for line in result.lines] == [D("5.00"), D("10.00")]


def test_stackable_promotions_chain_in_priority_order():
    its = [item(1, "100")]
    result = price_lines(
        CTX,
        basket((1, 1)),
        rules(
            its,
            [
                promo(2, "amount_off", amount="10", priority=20),
                promo(1, "percent_off", percent="10", priority=10),
            ],
        ),
    )
    line = result.lines[0]
    # 10% of 100 first (priority 10), then 10 off: 80 — not (100-10)*0.9 = 81
    assert [a.rule_id for a in line.adjustments] == [1, 2]
    assert line.amount == D("80.00")


def test_a_non_stackable_promotion_excludes_the_others_and_the_best_exclusive_wins():
    its = [item(1, "100")]
    promotions = [
        promo(1, "percent_off", percent="30"),  # stackable, would be better: excluded
        promo(2, "percent_off", percent="10", stackable=False, priority=1),
        promo(3, "amount_off", amount="15", stackable=False, priority=50),
    ]
    line = price_lines(CTX, basket((1, 1)), rules(its, promotions)).lines[0]
    assert [a.rule_id for a in line.adjustments] == [3]
    assert line.amount == D("85.00")


def test_conditions_count_every_targeted_line_together_and_limit_caps_units():
    its = [item(1, "10"), item(2, "10")]
    p = promo(1, "amount_off", amount="1", item_ids=[1, 2], min_quantity="5", limit_per_order=4)
    result = price_lines(CTX, basket((1, 3), (2, 3)), rules(its, [p]))
    assert [line.amount for line in result.lines] == [D("27.00"), D("29.00")]
    assert price_lines(CTX, basket((1, 3)), rules(its, [p])).lines[0].amount == D("30.00")


def test_never_below_zero():
    its = [item(1, "5")]
    result = price_lines(
        CTX,
        basket((1, 2)),
        rules(
            its,
            [
                promo(1, "amount_off", amount="4"),
                promo(2, "amount_off", amount="4"),
                promo(3, "order_amount", amount="100"),
            ],
        ),
    )
    line = result.lines[0]
    assert line.amount == D("0.00") and sum(a.amount for a in line.adjustments) == D("-10.00")
    assert result.total == D("0.00")


# --- bundles -----------------------------------------------------------------------------------------


def test_bundle_applies_per_complete_set_and_spreads_the_saving():
    its = [item(1, "30"), item(2, "20")]
    p = promo(1, "bundle", bundle=((1, D(1)), (2, D(2))), bundle_price="60")  # normal 70 → 60
    result = price_lines(CTX, basket((1, 3), (2, 5)), rules(its, [p]))
    # two complete sets (item 2: 5 // 2), saving 2 × 10 = 20 spread 60:80
    assert result.discount_total == D("20.00")
    assert [line.amount for line in result.lines] == [D("81.43"), D("88.57")]
    assert all(a.kind == "bundle" for line in result.lines for a in line.adjustments)


# --- order promotions ------------------------------------------------------------------------------


def test_spend_save_once_and_repeating_after_line_promotions():
    its = [item(1, "100")]
    line_promo = promo(1, "percent_off", percent="10")
    once = promo(2, "spend_save", threshold="1000", amount="100")
    result = price_lines(CTX, basket((1, 12)), rules(its, [line_promo, once]))
    assert result.total == D("980.00")  # 1200 → 1080 (line) → 980 (满1000减100 on 1080)
    # 1100 → 990 after the line promotion: below the threshold, no 满减
    assert price_lines(CTX, basket((1, 11)), rules(its, [line_promo, once])).total == D("990.00")
    every = promo(3, "spend_save", threshold="300", amount="30", repeat=True, limit_per_order=2)
    assert price_lines(CTX, basket((1, 10)), rules(its, [every])).total == D("940.00")  # capped at 2×


def test_order_discount_allocation_adds_up_exactly():
    its = [item(1, "3.33"), item(2, "3.33"), item(3, "3.34")]
    result = price_lines(
        CTX, basket((1, 1), (2, 1), (3, 1)), rules(its, [promo(1, "order_amount", amount="1")])
    )
    parts = [line.adjustments[0].amount for line in result.lines]
    assert sum(parts) == D("-1.00") and parts == [D("-0.33"), D("-0.33"), D("-0.34")]
    assert result.total == D("9.00")
    assert all(a.kind == "order_promotion" for line in result.lines for a in line.adjustments)


def test_order_percent_and_exclusive_order_promotions():
    its = [item(1, "100")]
    ps = [
        promo(1, "order_percent", percent="5"),
        promo(2, "order_amount", amount="8", stackable=False),
        promo(3, "order_amount", amount="6", stackable=False),
    ]
    result = price_lines(CTX, basket((1, 1)), rules(its, ps))
    assert result.total == D("92.00") and [a.rule_id for a in result.lines[0].adjustments] == [2]
    assert price_lines(CTX, basket((1, 1)), rules(its, ps[:1])).total == D("95.00")


# --- coupons and gifts -------------------------------------------------------------------------------


def test_coupons_apply_last_and_bad_ones_are_reported():
    its = [item(1, "100")]
    granted = promo(9, "order_amount", amount="20")
    needs_more = promo(8, "spend_save", threshold="500", amount="50")
    coupons = [
        CouponFacts("GOOD", 1, granted),
        CouponFacts("USED", 2, None, "already_used"),
        CouponFacts("BIG", 3, needs_more),
        CouponFacts("GOOD", 1, granted),
    ]
    result = price_lines(
        CTX, basket((1, 2)), rules(its, [promo(1, "percent_off", percent="10")], coupons=coupons)
    )
    assert result.total == D("160.00")
    assert result.coupons_applied == ["GOOD"]
    assert result.coupons_rejected == {"USED": "already_used", "BIG": "conditions_not_met"}
    last = result.lines[0].adjustments[-1]
    assert (last.kind, last.rule_type, last.rule_id, last.rule_code) == (
        "coupon",
        "pricing.coupon",
        1,
        "GOOD",
    )


def test_buy_x_get_y_adds_gift_lines_last():
    its = [item(1, "12"), item(2, "5")]
    same = promo(1, "buy_get", item_ids=[1], buy_quantity="10", gift_quantity="1")
    other = promo(
        2, "buy_get", item_ids=[1], buy_quantity="5", gift_quantity="2", gift_item_id=2, limit_per_order=3
    )
    result = price_lines(CTX, basket((1, 25)), rules(its, [same, other]))
    bought, gift_same, gift_other = result.lines
    assert bought.amount == D("300.00")
    assert (gift_same.item_id, gift_same.quantity, gift_same.amount, gift_same.is_gift) == (
        1,
        D(2),
        D("0.00"),
        True,
    )
    assert gift_same.adjustments[0].amount == D("-24.00") and gift_same.adjustments[0].kind == "gift"
    assert (gift_other.item_id, gift_other.quantity) == (2, D(6))  # 25 // 5 = 5 times, limited to 3
    assert result.total == D("300.00") and result.base_total == D("354.00")


# --- floors, tax -------------------------------------------------------------------------------------


def test_floor_most_specific_and_below_floor_flag():
    assert resolve_floor(
        [FloorRule(1, 1, D("8"), 0), FloorRule(2, 1, D("7"), 2), FloorRule(3, 1, D("9"), 1)]
    ) == D("7")
    assert resolve_floor([]) is None
    its = [item(1, "10")]
    floors = {1: [FloorRule(1, 1, D("9.50"), 0)]}
    ok = price_lines(
        CTX, basket((1, 2)), rules(its, [promo(1, "percent_off", percent="5")], floors=floors)
    ).lines[0]
    assert (ok.unit_price, ok.floor_price, ok.below_floor) == (D("9.5000"), D("9.5000"), False)
    low = price_lines(CTX, basket((1, 2)), rules(its, [promo(1, "percent_off", percent="6")], floors=floors))
    assert low.lines[0].below_floor and low.below_floor


def test_tax_and_net_per_line():
    result = price_lines(CTX, basket((1, 1), (2, 1)), rules([item(1, "113"), item(2, "106", tax="0.06")]))
    assert [(line.tax_amount, line.net_amount) for line in result.lines] == [
        (D("13.00"), D("100.00")),
        (D("6.00"), D("100.00")),
    ]
    assert (result.tax_total, result.net_total, result.total) == (D("19.00"), D("200.00"), D("219.00"))


# --- rebates -----------------------------------------------------------------------------------------


def test_rebate_tiers():
    tiers = [(D(100000), D("0.02")), (D(300000), D("0.03"))]
    accrual = compute_accrual(D(101000), tiers)
    assert (accrual.tier_threshold, accrual.rate, accrual.amount) == (D(100000), D("0.02"), D("2020.00"))
    assert (accrual.next_threshold, accrual.gap) == (D(300000), D("199000.00"))
    below = compute_accrual(D(99000), tiers)
    assert (below.amount, below.tier_threshold, below.gap) == (D("0.00"), None, D("1000.00"))
    assert compute_accrual(D(350000), tiers).amount == D("10500.00")
    assert compute_accrual(D(-5), tiers).amount == D("0.00")


def test_rebate_periods():
    assert period_bounds("quarter", date(2026, 5, 20)) == (date(2026, 4, 1), date(2026, 6, 30))
    assert period_bounds("month", date(2026, 12, 31)) == (date(2026, 12, 1), date(2026, 12, 31))
    assert period_bounds("year", date(2026, 2, 3)) == (date(2026, 1, 1), date(2026, 12, 31))
    assert period_bounds("quarter", date(2026, 11, 1)) == (date(2026, 10, 1), date(2026, 12, 31))
    assert closed_periods("quarter", date(2026, 1, 1), None, date(2026, 7, 1)) == [
        (date(2026, 1, 1), date(2026, 3, 31)),
        (date(2026, 4, 1), date(2026, 6, 30)),
    ]
