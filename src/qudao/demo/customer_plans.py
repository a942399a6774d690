"""Pure generators of the demo customers (FMCG business customers, car buyers and fleets).

Inputs are plain values — the districts to spread customers over and the sites that serve them — so
the same seed gives the same customers without a database. `customers.py` writes the plans.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from qudao.demo import names
from qudao.demo.plans import ENTERPRISE, INDIVIDUAL_BUSINESS, credit_code, part_rng
from qudao.org.policies import distance_km


@dataclass(frozen=True)
class Spot:
    """A district: code, name, full place name (江苏省苏州市昆山市) and its seat's coordinates."""

    code: str
    name: str
    place: str
    city: str
    latitude: Decimal
    longitude: Decimal


@dataclass(frozen=True)
class SiteRef:
    code: str
    latitude: Decimal
    longitude: Decimal
    city: str = ""
    district_code: str = ""


@dataclass(frozen=True)
class ContactPlan:
    name: str
    title: str
    phone: str
    is_primary: bool = False


@dataclass(frozen=True)
class AddressPlan:
    kind: str
    region_code: str
    line: str
    latitude: Decimal
    longitude: Decimal
    receiver_name: str = ""
    receiver_phone: str = ""
    is_default: bool = True


@dataclass
class CustomerPlan:
    kind: str  # business | individual
    business_type: str
    name: str
    group: str
    channel: str
    site: str
    region_code: str
    legal_name: str = ""
    credit_code: str = ""
    mobile: str = ""
    id_number: str = ""  # individuals: the full number, stored masked with a keyed digest
    credit_limit: Decimal = Decimal(0)
    payment_terms_days: int = 0
    tags: list[str] = field(default_factory=list)
    source: str = ""
    status: str = "active"
    sales_rep: str = ""  # username
    contacts: list[ContactPlan] = field(default_factory=list)
    addresses: list[AddressPlan] = field(default_factory=list)


def _point(rng: random.Random, spot: Spot, spread: int = 20_000) -> tuple[Decimal, Decimal]:
    """The district seat plus a small deterministic offset (±0.02°, about ±2 km), 6 places."""
    step = Decimal("0.000001")
    lat = spot.latitude + Decimal(rng.randint(-spread, spread)) * step
    lon = spot.longitude + Decimal(rng.randint(-spread, spread)) * step
    return lat.quantize(step), lon.quantize(step)


def _person(rng: random.Random) -> str:
    family, given = names.person_name(rng)
    return family + given


def _unique(name: str, used: set[str]) -> str:
    candidate, n = name, 1
    while candidate in used:
        n += 1
        candidate = f"{name}（{n}号店）"
    used.add(candidate)
    return candidate


def nearest_site(lat: Decimal, lon: Decimal, sites: list[SiteRef]) -> SiteRef:
    return min(
        sites, key=lambda s: (distance_km(lat1=lat, lon1=lon, lat2=s.latitude, lon2=s.longitude), s.code)
    )


# --- FMCG ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A kind of FMCG customer: its share, business type, group, channel, credit and naming."""

    key: str
    share: int
    business_type: str
    group: str
    channel: str
    credit_limits: tuple[int, ...]
    payment_terms: tuple[int, ...]
    titles: tuple[str, ...]  # of the primary contact
    patterns: tuple[str, ...]  # shop names (names.fill)
    #: legal name: "{city}{t}…有限公司" for a company, "individual" for 个体工商户, "" for none
    legal: str
    second_contact: bool = False
    billing_address: bool = False


# fmt: off
SEGMENTS: tuple[Segment, ...] = (
    Segment("ka", 8, "ka_chain", "KA", "KA", (300_000, 500_000, 800_000, 1_000_000), (45, 60),
            ("采购经理", "店长"), (), "{city}{t}商业连锁有限公司", second_contact=True, billing_address=True),
    Segment("wholesale", 22, "wholesaler", "WHOLESALE", "WHOLESALE",
            (50_000, 100_000, 150_000, 200_000, 300_000), (15, 30), ("老板", "总经理"),
            names.WHOLESALE_PATTERNS, "individual", second_contact=True, billing_address=True),
    Segment("retail", 50, "retail_store", "RETAIL", "RETAIL", (0, 3_000, 5_000, 10_000), (0, 0, 7),
            ("老板", "店长"), names.RETAIL_PATTERNS, "individual"),
    Segment("group_buy", 8, "other", "COMMUNITY", "GROUPBUY", (5_000, 10_000, 20_000), (7,), ("团长",),
            names.GROUP_BUY_PATTERNS, ""),
    Segment("ecommerce", 6, "other", "ONLINE", "ECOM", (50_000, 100_000), (30,), ("店铺运营", "总经理"),
            names.ECOMMERCE_PATTERNS, "{city}{t}电子商务有限公司", second_contact=True),
    Segment("social", 6, "other", "COMMUNITY", "SOCIAL", (2_000, 5_000), (0,), ("团长", "店主"),
            names.SOCIAL_PATTERNS, ""),
)
# fmt: on
_RETAIL_TAGS = ("社区店", "学校周边", "写字楼", "夜宵档", "新开店", "夫妻店", "24小时营业")
_SOURCES = ("sales_visit", "sales_visit", "sales_visit", "referral", "phone", "brand_lead", "exhibition")


def _fmcg_names(rng: random.Random, segment: Segment, spot: Spot) -> tuple[str, str, str]:
    """(shop name, legal name, credit code kind or "") of a new customer of `segment` in `spot`."""
    city = names.district_stem(spot.city)
    if segment.key == "ka":
        trade = rng.choice(names.KA_CHAINS)
        name = f"{trade}{rng.choice(names.KA_SUFFIXES)}（{names.district_stem(spot.name)}店）"
    else:
        trade = rng.choice(names.TRADE_NAMES)
        name = names.fill(rng.choice(segment.patterns), rng, trade=trade, district=spot.name)
    if name.endswith("公司"):
        return name, name, ENTERPRISE
    if segment.legal == "individual":
        return name, f"{city}{name}（个体工商户）", INDIVIDUAL_BUSINESS
    if segment.legal:
        return name, segment.legal.format(city=city, t=trade), ENTERPRISE
    return name, "", ""


def plan_fmcg_customers(
    *,
    seed: int,
    count: int,
    cities: list[tuple[int, list[Spot]]],
    sites: list[SiteRef],
    sales_rep: str,
    rep_site: str,
) -> list[CustomerPlan]:
    """`count` business customers over `cities` ((weight, districts) pairs), each served by its
    nearest warehouse; the customers of `rep_site` are looked after by `sales_rep`."""
    rng = part_rng(seed, "fmcg.customers")
    city_weights = [w for w, _ in cities]
    used: set[str] = set()
    plans: list[CustomerPlan] = []
    for _ in range(count):
        segment = rng.choices(SEGMENTS, [s.share for s in SEGMENTS])[0]
        spot = rng.choice(rng.choices(cities, city_weights)[0][1])
        name, legal, code_kind = _fmcg_names(rng, segment, spot)
        name = _unique(name, used)
        lat, lon = _point(rng, spot)
        owner, owner_phone = _person(rng), names.mobile_number(rng)
        contacts = [ContactPlan(owner, rng.choice(segment.titles), owner_phone, is_primary=True)]
        if segment.second_contact:
            contacts.append(
                ContactPlan(
                    _person(rng), rng.choice(("采购经理", "财务", "收货负责人")), names.mobile_number(rng)
                )
            )
        line = f"{spot.place}{names.street_address(rng)}"
        addresses = [AddressPlan("shipping", spot.code, line, lat, lon, owner, owner_phone)]
        if segment.billing_address:
            addresses.append(AddressPlan("billing", spot.code, line, lat, lon))
        site = nearest_site(lat, lon, sites)
        tags = ["重点客户"] if segment.key == "ka" else []
        if segment.key == "retail":
            tags = rng.sample(_RETAIL_TAGS, rng.randint(0, 2))
        with_code = segment.key in ("ka", "wholesale", "ecommerce")
        plans.append(
            CustomerPlan(
                kind="business",
                business_type=segment.business_type,
                name=name,
                legal_name=legal,
                credit_code=credit_code(rng, spot.code, code_kind) if with_code else "",
                mobile=owner_phone,
                group=segment.group,
                channel=segment.channel,
                site=site.code,
                region_code=spot.code,
                credit_limit=Decimal(rng.choice(segment.credit_limits)),
                payment_terms_days=rng.choice(segment.payment_terms),
                tags=tags,
                source=rng.choice(_SOURCES),
                status="prospect" if rng.random() < 0.05 else "active",
                sales_rep=sales_rep if site.code == rep_site else "",
                contacts=contacts,
                addresses=addresses,
            )
        )
    return plans


# --- auto ------------------------------------------------------------------------------------------

_CAR_TAGS = ("置换意向", "金融分期", "首次购车", "增购", "老客户推荐", "试驾完成")
_CAR_SOURCES = ("walk_in", "walk_in", "referral", "online", "phone", "brand_lead", "exhibition")


def plan_auto_customers(
    *,
    seed: int,
    people: int,
    fleets: int,
    stores: list[tuple[SiteRef, Spot, str]],
    sales_rep: str,
    rep_site: str,
) -> list[CustomerPlan]:
    """Car buyers (with a resident identity number, kept masked) and fleets, spread over the stores
    ((site, its district, brand short name) triples); the customers of `rep_site` are `sales_rep`'s."""
    rng = part_rng(seed, "auto.customers")
    plans: list[CustomerPlan] = []
    for index in range(people):
        site, spot, brand = stores[index % len(stores)]
        name, mobile = _person(rng), names.mobile_number(rng)
        lat, lon = _point(rng, spot, spread=40_000)
        prospect = rng.random() < 0.25
        tags = ["意向客户"] if prospect else [f"{brand}车主"]
        tags += rng.sample(_CAR_TAGS, rng.randint(0, 2))
        plans.append(
            CustomerPlan(
                kind="individual",
                business_type="",
                name=name,
                group="PERSON",
                channel="ONLINE" if rng.random() < 0.2 else "SHOWROOM",
                site=site.code,
                region_code=spot.code,
                mobile=mobile,
                id_number=names.resident_id(rng, spot.code),
                tags=tags,
                source=rng.choice(_CAR_SOURCES),
                status="prospect" if prospect else "active",
                sales_rep=sales_rep if site.code == rep_site else "",
                contacts=[ContactPlan(name, "本人", mobile, is_primary=True)],
                addresses=[
                    AddressPlan(
                        "shipping",
                        spot.code,
                        f"{spot.place}{names.street_address(rng)}"
                        f"{rng.randint(1, 30)}幢{rng.randint(101, 2802)}室",
                        lat,
                        lon,
                        name,
                        mobile,
                    )
                ],
            )
        )
    used: set[str] = set()
    for index in range(fleets):
        site, spot, _brand = stores[(index * 2) % len(stores)]
        city_stem = names.district_stem(spot.city)
        name = _unique(
            f"{city_stem}{rng.choice(names.FLEET_PREFIXES)}{rng.choice(names.FLEET_SUFFIXES)}", used
        )
        lat, lon = _point(rng, spot, spread=40_000)
        manager, manager_phone = _person(rng), names.mobile_number(rng)
        line = f"{spot.place}{names.street_address(rng)}"
        plans.append(
            CustomerPlan(
                kind="business",
                business_type="fleet",
                name=name,
                legal_name=name,
                group="FLEET",
                channel="FLEET",
                site=site.code,
                region_code=spot.code,
                credit_code=credit_code(rng, spot.code),
                mobile=manager_phone,
                credit_limit=Decimal(rng.choice((500_000, 1_000_000, 2_000_000))),
                payment_terms_days=rng.choice((30, 60)),
                tags=["车队客户"],
                source=rng.choice(("sales_visit", "referral")),
                sales_rep=sales_rep if site.code == rep_site else "",
                contacts=[
                    ContactPlan(manager, "车队经理", manager_phone, is_primary=True),
                    ContactPlan(_person(rng), "财务", names.mobile_number(rng)),
                ],
                addresses=[
                    AddressPlan("registered", spot.code, line, lat, lon),
                    AddressPlan("shipping", spot.code, line, lat, lon, manager, manager_phone),
                ],
            )
        )
    return plans
