"""Allocation and credit rules, without a database."""

from datetime import datetime
from decimal import Decimal

from qudao.sales.policies.allocation import (
    UNKNOWN_DISTANCE_KM,
    Costs,
    NeedLine,
    SiteOption,
    choose_sites,
    distance_km,
    haversine_km,
    order_priority_key,
)
from qudao.sales.policies.credit import check_credit

D = Decimal
SH = SiteOption(1, D("31.230416"), D("121.473701"))
HZ = SiteOption(2, D("30.274085"), D("120.155070"))
NJ = SiteOption(3, D("32.060255"), D("118.796877"))
COSTS = Costs(per_km=D("2"), per_kg_km=D("0.01"))
TO_HZ = (D("30.274085"), D("120.155070"))


def lines(*quantities, weight="1"):
    return [NeedLine(str(n), 100 + n, D(q), D(weight)) for n, q in enumerate(quantities)]


def stock(table):
    return {(100 + n, site): D(q) for (n, site), q in table.items()}


def test_haversine_shanghai_hangzhou():
    assert D("160") < haversine_km(SH.latitude, SH.longitude, *TO_HZ) < D("170")
    assert haversine_km(*TO_HZ, *TO_HZ) == D("0.0")
    assert distance_km(SiteOption(9, None, None), TO_HZ) == UNKNOWN_DISTANCE_KM
    assert distance_km(SH, None) == UNKNOWN_DISTANCE_KM


def test_nearest_site_that_ships_everything_wins():
    available = stock({(0, 1): 10, (1, 1): 10, (0, 2): 10, (1, 2): 10})
    plan = choose_sites(
        lines("2", "3"), [SH, HZ], available, destination=TO_HZ, costs=COSTS, allow_split=True
    )
    assert plan.strategy == "one_site"
    assert plan.sites == [2]
    assert plan.assignments == [("0", 2, D("2")), ("1", 2, D("3"))]
    assert plan.backorders == {}
    # the plan keeps every candidate's score, cheapest complete site first
    assert [c.site_id for c in plan.candidates] == [2, 1]
    assert plan.candidates[0].score == D("0.00")
    assert plan.candidates[1].score > D("300")


def test_one_complete_site_beats_a_nearer_split():
    # Hangzhou (next door) has only item 0; Nanjing (far) has both: one shipment from Nanjing
    available = stock({(0, 2): 10, (0, 3): 10, (1, 3): 10})
    plan = choose_sites(
        lines("1", "1"), [HZ, NJ], available, destination=TO_HZ, costs=COSTS, allow_split=True
    )
    assert plan.strategy == "one_site"
    assert plan.sites == [3]


def test_split_over_fewest_sites_when_nobody_has_everything():
    available = stock({(0, 1): 5, (1, 2): 5, (2, 2): 5, (2, 3): 5})
    plan = choose_sites(
        lines("5", "5", "5"), [SH, HZ, NJ], available, destination=TO_HZ, costs=COSTS, allow_split=True
    )
    assert plan.strategy == "split"
    # Hangzhou covers two full lines first, then Shanghai the third: two sites, Nanjing unused
    assert plan.sites == [2, 1]
    assert sorted(plan.assignments) == [("0", 1, D("5")), ("1", 2, D("5")), ("2", 2, D("5"))]
    assert plan.backorders == {}


def test_split_line_across_sites_and_backorder_the_rest():
    available = stock({(0, 1): 3, (0, 2): 4})
    plan = choose_sites(lines("10"), [SH, HZ], available, destination=TO_HZ, costs=COSTS, allow_split=True)
    assert plan.assignments == [("0", 2, D("4")), ("0", 1, D("3"))]
    assert plan.backorders == {"0": D("3")}
    assert plan.main_site_for("0") == 2


def test_no_split_takes_the_best_single_site_and_backorders():
    available = stock({(0, 1): 10, (1, 2): 10, (0, 2): 2})
    plan = choose_sites(
        lines("5", "5"), [SH, HZ], available, destination=TO_HZ, costs=COSTS, allow_split=False
    )
    assert plan.strategy == "partial_one_site"
    # Hangzhou covers one line fully and part of the other
    assert plan.sites == [2]
    assert plan.assignments == [("0", 2, D("2")), ("1", 2, D("5"))]
    assert plan.backorders == {"0": D("3")}


def test_site_priority_can_override_distance():
    preferred_sh = SiteOption(1, SH.latitude, SH.longitude, priority_cost=D("-1000"))
    available = stock({(0, 1): 10, (0, 2): 10})
    plan = choose_sites(
        lines("1"), [preferred_sh, HZ], available, destination=TO_HZ, costs=COSTS, allow_split=True
    )
    assert plan.sites == [1]


def test_weight_makes_distance_dearer():
    light = choose_sites(
        lines("1", weight="0"), [SH], stock({(0, 1): 5}), destination=TO_HZ, costs=COSTS, allow_split=True
    )
    heavy = choose_sites(
        lines("1", weight="100"), [SH], stock({(0, 1): 5}), destination=TO_HZ, costs=COSTS, allow_split=True
    )
    km = light.candidates[0].distance_km
    assert light.candidates[0].score == (km * D("2")).quantize(D("0.01"))
    assert heavy.candidates[0].score == (km * (D("2") + D("0.01") * 100)).quantize(D("0.01"))


def test_nothing_in_stock_backorders_everything():
    plan = choose_sites(lines("2"), [SH], {}, destination=TO_HZ, costs=COSTS, allow_split=True)
    assert plan.strategy == "none"
    assert plan.assignments == []
    assert plan.backorders == {"0": D("2")}


def test_priority_key_serves_ka_first_then_oldest():
    early, late = datetime(2026, 1, 1), datetime(2026, 1, 2)
    keys = {
        "retail-early": order_priority_key(priority=10, confirmed_at=early, order_id=1),
        "ka-late": order_priority_key(priority=30, confirmed_at=late, order_id=2),
        "ka-early": order_priority_key(priority=30, confirmed_at=early, order_id=3),
    }
    assert sorted(keys, key=keys.get) == ["ka-early", "ka-late", "retail-early"]


def test_credit_check():
    ok = check_credit(limit=D("1000"), exposure=D("1000"), tolerance=D("0"), check_zero_limit=False)
    assert ok.passes
    over = check_credit(limit=D("1000"), exposure=D("1000.01"), tolerance=D("0"), check_zero_limit=False)
    assert not over.passes and over.over_by == D("0.01")
    tolerated = check_credit(limit=D("1000"), exposure=D("1050"), tolerance=D("50"), check_zero_limit=False)
    assert tolerated.passes
    no_limit = check_credit(limit=D("0"), exposure=D("99999"), tolerance=D("0"), check_zero_limit=False)
    assert no_limit.passes and not no_limit.checked
    no_credit = check_credit(limit=D("0"), exposure=D("1"), tolerance=D("0"), check_zero_limit=True)
    assert not no_credit.passes
