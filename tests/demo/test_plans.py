"""The demo's pure generators, without a database: SKUs, customers, codes, names."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

import pytest

from qudao.catalog.policies import is_valid_gtin
from qudao.demo import names
from qudao.demo.auto_catalog import part_number, superseded_number
from qudao.demo.customer_plans import SEGMENTS, SiteRef, Spot, plan_auto_customers, plan_fmcg_customers
from qudao.demo.plans import (
    ENTERPRISE,
    INDIVIDUAL_BUSINESS,
    credit_code,
    leaf_capacity,
    part_rng,
    plan_rows,
    plan_skus,
    sku_digest,
    split_by_weight,
    split_capped,
)
from qudao.demo.products import CASE_UNIT, CATALOG, EDITIONS, PALLET_UNIT, UNITS
from qudao.org.policies import distance_km, validate_credit_code
from qudao.parties.policies import validate_contact_phone, validate_id_number, validate_mobile

LEAVES = [leaf for root in CATALOG for leaf in root.leaves]


# --- SKUs ------------------------------------------------------------------------------------------


def test_same_seed_gives_the_same_skus_and_another_seed_other_skus():
    first = sku_digest(plan_rows(plan_skus(seed=2026, count=500)))
    assert first == sku_digest(plan_rows(plan_skus(seed=2026, count=500)))
    assert first != sku_digest(plan_rows(plan_skus(seed=2027, count=500)))
    assert len(first) == 64


def test_five_hundred_skus_are_distinct_with_valid_unit_and_case_ean13s():
    plans = plan_skus(seed=2026, count=500)
    assert len(plans) == 500
    assert len({p.sku for p in plans}) == 500
    assert len({p.name for p in plans}) == 500
    codes = [code for p in plans for _, code in p.barcodes]
    assert len(codes) == 1000 == len(set(codes))
    for plan in plans:
        (unit, unit_ean), (case, case_ean) = plan.barcodes
        assert unit == plan.base_unit and case == CASE_UNIT
        for code in (unit_ean, case_ean):
            assert is_valid_gtin(code, 13), code
            assert 690 <= int(code[:3]) <= 699  # GS1 China
        assert unit_ean[:7] == case_ean[:7]  # one company prefix per brand
        assert plan.base_unit in UNITS and plan.base_unit not in (CASE_UNIT, PALLET_UNIT)
        assert dict(plan.packs)[CASE_UNIT] > 1
        assert plan.list_price > 0 and plan.list_price == plan.list_price.quantize(Decimal("0.01"))
        assert not any(edition in plan.name for edition in EDITIONS)


def test_each_brand_has_one_gs1_prefix():
    prefixes: dict[str, set[str]] = {}
    for plan in plan_skus(seed=2026, count=500):
        prefixes.setdefault(plan.brand, set()).update(code[:7] for _, code in plan.barcodes)
    assert all(len(p) == 1 for p in prefixes.values())
    assert len({next(iter(p)) for p in prefixes.values()}) == len(prefixes)


def test_perishables_have_a_shelf_life_and_household_goods_none():
    plans = plan_skus(seed=2026, count=500)
    by_root = {root: [p for p in plans if p.root == root] for root in ("BEV", "SNK", "DAIRY", "HOME")}
    assert all(by_root.values())
    assert all(p.shelf_life_days is None for p in by_root["HOME"])
    assert all(
        p.shelf_life_days and p.shelf_life_days > 0 for r in ("BEV", "SNK", "DAIRY") for p in by_root[r]
    )
    fresh = [p for p in plans if p.leaf == "DAIRY-FRESH"]
    assert fresh and all(p.shelf_life_days == 7 for p in fresh)


def test_some_bulky_skus_have_a_pallet_unit():
    plans = plan_skus(seed=2026, count=500)
    pallets = [p for p in plans if PALLET_UNIT in dict(p.packs)]
    assert 0 < len(pallets) < len(plans) // 2
    for plan in pallets:
        packs = dict(plan.packs)
        assert packs[PALLET_UNIT] % packs[CASE_UNIT] == 0  # a pallet holds whole cases


def test_skus_follow_the_leaf_weights_and_cover_every_leaf():
    counts = Counter(p.leaf for p in plan_skus(seed=2026, count=500))
    assert set(counts) == {leaf.code for leaf in LEAVES}
    heavy = next(leaf for leaf in LEAVES if leaf.code == "BEV-TEA")  # weight 3
    light = next(leaf for leaf in LEAVES if leaf.code == "BEV-COFFEE")  # weight 1
    assert counts[heavy.code] > 2 * counts[light.code]


def test_large_scales_use_editions_then_retailer_exclusive_variants():
    plain = sum(leaf_capacity(leaf) for leaf in LEAVES)
    ten = plan_skus(seed=2026, count=5000)
    assert len({p.sku for p in ten}) == 5000 and len({p.name for p in ten}) == 5000
    assert sum(1 for p in ten if any(p.name.endswith(e) for e in EDITIONS)) == 5000 - plain
    huge = plan_skus(seed=2026, count=20_000)
    assert len({p.name for p in huge}) == 20_000
    assert any("渠道定制" in p.name for p in huge)
    assert all(is_valid_gtin(code, 13) for p in huge for _, code in p.barcodes)


def test_split_by_weight_is_proportional_and_exact():
    assert split_by_weight(10, [1, 1]) == [5, 5]
    assert split_by_weight(10, [3, 1]) == [8, 2]  # 7.5 / 2.5: the tie goes to the first
    assert sum(split_by_weight(501, [3, 2, 2, 1])) == 501


def test_split_capped_moves_the_overflow_to_the_others():
    assert split_capped(10, [1, 1], [2, 100]) == [2, 8]
    assert split_capped(6, [5, 1, 1], [4, 1, 10]) == [4, 1, 1]
    with pytest.raises(ValueError, match="cannot place"):
        split_capped(10, [1, 1], [2, 3])


# --- codes and names -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [ENTERPRISE, INDIVIDUAL_BUSINESS])
def test_generated_credit_codes_pass_the_check_character_rule(kind):
    rng = part_rng(1, "test")
    for _ in range(50):
        code = credit_code(rng, "320505", kind)
        assert validate_credit_code(code) == code
        assert code.startswith(kind + "320505")


def test_mobile_numbers_and_resident_ids_are_valid():
    rng = part_rng(1, "people")
    for _ in range(200):
        mobile = names.mobile_number(rng)
        assert validate_mobile(mobile) == mobile
        number = names.resident_id(rng, "310115")
        assert validate_id_number(number, id_type="resident_id") == number
        assert number.startswith("310115") and 1960 <= int(number[6:10]) <= 2002


def test_person_names_are_a_family_name_and_one_or_two_characters():
    rng = part_rng(1, "names")
    seen = [names.person_name(rng) for _ in range(100)]
    assert all(len(family) == 1 and len(given) in (1, 2) for family, given in seen)
    assert {len(given) for _, given in seen} == {1, 2}


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("浦东新区", "浦东"),
        ("姑苏区", "姑苏"),
        ("昆山市", "昆山"),
        ("如东县", "如东"),
        ("市中区", "市中"),
        ("东区", "东区"),
    ],
)
def test_district_stem(name, stem):
    assert names.district_stem(name) == stem


@pytest.mark.parametrize(
    ("style", "pattern"),
    [
        ("toyota", r"04152-[0-9A-Z]{5}"),
        ("byd", r"1012\d{4}-01"),
    ],
)
def test_part_numbers_follow_the_makers_style(style, pattern):
    rng = part_rng(1, "parts")
    group = {"toyota": "04152", "byd": "1012"}[style]
    number = part_number(rng, style, group)
    assert re.fullmatch(pattern, number)
    old = superseded_number(number, style)
    assert old != number
    assert old[:-1] == number[:-1] if style == "toyota" else old == number[:-2] + "00"


def test_vw_part_numbers_and_fluids():
    rng = part_rng(1, "vw")
    assert re.fullmatch(r"(5QD|3QD|06L|5N0|1K0|3G0)115\d{3}[A-H]", part_number(rng, "vw", "115"))
    assert re.fullmatch(r"G052\d{3}(A2|M2|C2)", part_number(rng, "vw", "G052"))
    assert superseded_number("06L115562B", "vw") == "06L115562A"
    assert superseded_number("06L115562A", "vw") == "06L115562Z"
    assert superseded_number("04152-YZZA6", "toyota") == "04152-YZZA5"
    assert superseded_number("10121234-01", "byd") == "10121234-00"


# --- customers -------------------------------------------------------------------------------------

SPOTS = [
    Spot("320508", "姑苏区", "江苏省苏州市姑苏区", "苏州市", Decimal("31.335650"), Decimal("120.617369")),
    Spot("320583", "昆山市", "江苏省苏州市昆山市", "苏州市", Decimal("31.385597"), Decimal("120.980736")),
    Spot("310115", "浦东新区", "上海市浦东新区", "上海市", Decimal("31.221517"), Decimal("121.544379")),
]
SITES = [
    SiteRef("SZ-CDC", Decimal("31.349"), Decimal("120.630")),
    SiteRef("KS-RDC", Decimal("31.394"), Decimal("120.970")),
]


def _fmcg(seed=2026, count=200):
    return plan_fmcg_customers(
        seed=seed,
        count=count,
        cities=[(2, SPOTS[:2]), (1, SPOTS[2:])],
        sites=SITES,
        sales_rep="hm.sales",
        rep_site="KS-RDC",
    )


def test_fmcg_customers_are_deterministic_and_distinct():
    plans = _fmcg()
    assert [(p.name, p.mobile, p.credit_code) for p in plans] == [
        (p.name, p.mobile, p.credit_code) for p in _fmcg()
    ]
    assert [p.name for p in plans] != [p.name for p in _fmcg(seed=1)]
    assert len(plans) == 200 and len({p.name for p in plans}) == 200
    assert {p.channel for p in plans} == {s.channel for s in SEGMENTS}


def test_fmcg_customers_have_valid_codes_contacts_and_nearby_addresses():
    spots = {s.code: s for s in SPOTS}
    for plan in _fmcg():
        assert plan.kind == "business" and plan.business_type
        assert validate_mobile(plan.mobile) == plan.mobile
        assert plan.contacts[0].is_primary and sum(c.is_primary for c in plan.contacts) == 1
        assert all(validate_contact_phone(c.phone) == c.phone for c in plan.contacts)
        if plan.credit_code:
            validate_credit_code(plan.credit_code)
            expected = ENTERPRISE if plan.legal_name.endswith("公司") else INDIVIDUAL_BUSINESS
            assert plan.credit_code[:2] == expected, plan.legal_name
        shipping = [a for a in plan.addresses if a.kind == "shipping"]
        assert len(shipping) == 1 and shipping[0].is_default
        spot = spots[plan.region_code]
        assert shipping[0].line.startswith(spot.place)
        assert abs(shipping[0].latitude - spot.latitude) <= Decimal("0.02")
        assert abs(shipping[0].longitude - spot.longitude) <= Decimal("0.02")
        nearest = min(
            SITES,
            key=lambda s: distance_km(
                lat1=shipping[0].latitude, lon1=shipping[0].longitude, lat2=s.latitude, lon2=s.longitude
            ),
        )
        assert plan.site == nearest.code
        assert plan.sales_rep == ("hm.sales" if plan.site == "KS-RDC" else "")
        assert 0 <= plan.payment_terms_days <= 365 and plan.credit_limit >= 0


def test_ka_chains_get_the_largest_credit_and_shanghai_is_served_from_kunshan():
    plans = _fmcg()
    ka = [p for p in plans if p.business_type == "ka_chain"]
    retail = [p for p in plans if p.business_type == "retail_store"]
    assert ka and retail
    assert min(p.credit_limit for p in ka) > max(p.credit_limit for p in retail)
    assert all(p.legal_name.endswith("商业连锁有限公司") for p in ka)
    assert {p.site for p in plans if p.region_code == "310115"} == {"KS-RDC"}
    assert {p.site for p in plans if p.region_code == "320508"} == {"SZ-CDC"}


def test_auto_customers_are_people_with_resident_ids_and_fleets():
    stores = [
        (SiteRef("SH-BYD-01", SPOTS[2].latitude, SPOTS[2].longitude), SPOTS[2], "比亚迪"),
        (SiteRef("SZ-X-01", SPOTS[0].latitude, SPOTS[0].longitude), SPOTS[0], "上汽大众"),
    ]
    plans = plan_auto_customers(
        seed=2026, people=20, fleets=4, stores=stores, sales_rep="hd.sales", rep_site="SH-BYD-01"
    )
    people = [p for p in plans if p.kind == "individual"]
    fleets = [p for p in plans if p.kind == "business"]
    assert len(people) == 20 and len(fleets) == 4
    for plan in people:
        assert validate_id_number(plan.id_number, id_type="resident_id").startswith(plan.region_code)
        assert plan.business_type == "" and plan.credit_code == ""
        assert plan.status in ("active", "prospect")
    assert all(p.business_type == "fleet" and p.channel == "FLEET" for p in fleets)
    assert {p.sales_rep for p in plans if p.site == "SH-BYD-01"} == {"hd.sales"}
    assert {p.sales_rep for p in plans if p.site != "SH-BYD-01"} == {""}
    again = plan_auto_customers(
        seed=2026, people=20, fleets=4, stores=stores, sales_rep="hd.sales", rep_site="SH-BYD-01"
    )
    assert [p.id_number for p in again] == [p.id_number for p in plans]
