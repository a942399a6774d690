"""The auto dealer group 华东汽车集团: three brands, 4S stores with workshops in Shanghai, Hangzhou and
Nanjing, its channels, the brands' dealerships with territories, and its customers."""

from __future__ import annotations

from datetime import date

from qudao.demo import names
from qudao.demo.base import DemoContext, jitter, place_name, spot_of
from qudao.demo.customer_plans import SiteRef, plan_auto_customers
from qudao.demo.customers import write_customers
from qudao.demo.plans import credit_code
from qudao.demo.vehicles import BRANDS, CITY_KEYS, STORES
from qudao.org.models import ChannelKind, Region, SiteKind
from qudao.org.services.channels import create_channel
from qudao.org.services.companies import create_company
from qudao.org.services.dealerships import create_dealership
from qudao.org.services.sites import create_site
from qudao.org.services.territories import create_territory
from qudao.parties.services import create_customer_group

GROUP_CODE = "HD-AUTO"
SUPPLIER_CODE = "HENGCHI"
COMPANY_CODES = (GROUP_CODE, SUPPLIER_CODE, *(b.code for b in BRANDS))

CHANNELS = (
    ("SHOWROOM", "展厅零售", ChannelKind.DIRECT),
    ("FLEET", "大客户及车队", ChannelKind.DIRECT),
    ("ONLINE", "线上商城及直播", ChannelKind.ECOMMERCE),
)
GROUPS = (
    ("PERSON", "个人客户", "购车及售后的个人客户"),
    ("FLEET", "车队及企业客户", "出租、租赁、网约车及企业用车"),
)
#: individual buyers and fleets per scale unit
PEOPLE_PER_SCALE = 60
FLEETS_PER_SCALE = 6
DEALERSHIP_START = date(2022, 1, 1)


def load_auto_group(ctx: DemoContext) -> None:
    """Companies, stores and workshops, channels, territories and dealerships of the auto group."""
    rng = ctx.rng("auto.org")
    actor = ctx.actor
    brands = {}
    for spec in BRANDS:
        region = ctx.region(spec.region_code)
        brands[spec.key] = create_company(
            actor=actor,
            data={
                "code": spec.code,
                "name": spec.name,
                "short_name": spec.short_name,
                "is_brand": True,
                "is_supplier": True,
                "is_public": True,
                "region_code": region.code,
                "address": spec.address,
            },
        )
        ctx.refs[f"auto.brand.{spec.key}"] = brands[spec.key]
    hq = ctx.region("310115")
    group = create_company(
        actor=actor,
        data={
            "code": GROUP_CODE,
            "name": "华东汽车集团有限公司",
            "short_name": "华东汽车",
            "is_dealer": True,
            "credit_code": credit_code(rng, hq.code),
            "region_code": hq.code,
            "address": f"{place_name(hq)}世纪大道1888号华东汽车大厦",
            "phone": "021-58881234",
            "email": "service@hd-auto.example.com",
        },
    )
    supplier_region = ctx.region("310114")
    supplier = create_company(
        actor=actor,
        data={
            "code": SUPPLIER_CODE,
            "name": "上海恒驰汽车零部件有限公司",
            "short_name": "恒驰零部件",
            "is_supplier": True,
            "owner_id": group.pk,
            "credit_code": credit_code(rng, supplier_region.code),
            "region_code": supplier_region.code,
            "address": f"{place_name(supplier_region)}博园路{rng.randint(100, 999)}号",
            "phone": "021-69581234",
        },
    )
    ctx.refs.update({"auto.group": group, "auto.supplier": supplier})
    ctx.summary.companies += [str(c.name) for c in (group, *brands.values(), supplier)]
    ctx.count("companies", 2 + len(brands))

    stores = _create_stores(ctx, group, brands, rng)
    for code, name, kind in CHANNELS:
        ctx.refs[f"auto.channel.{code}"] = create_channel(
            actor=actor, data={"dealer_id": group.pk, "code": code, "name": name, "kind": kind}
        )
    ctx.count("channels", len(CHANNELS))

    for spec in BRANDS:
        districts = sorted({site.region.code for site, key in stores if key == spec.key})
        territory = create_territory(
            actor=actor,
            data={
                "owner_id": brands[spec.key].pk,
                "code": f"{spec.key}-HD",
                "name": f"{spec.short_name}·华东汽车授权区域",
                "region_codes": districts,
            },
        )
        create_dealership(
            actor=actor,
            data={
                "brand_id": brands[spec.key].pk,
                "dealer_id": group.pk,
                "dealer_code": f"{spec.key}-{rng.randint(10000, 99999)}",
                "territory_id": territory.pk,
                "channel_kinds": [ChannelKind.DIRECT, ChannelKind.ECOMMERCE],
                "valid_from": DEALERSHIP_START,
            },
        )
    ctx.count("territories", len(BRANDS))
    ctx.count("dealerships", len(BRANDS))


def _create_stores(ctx: DemoContext, group, brands: dict, rng) -> list[tuple]:
    """Per city and brand, `scale` 4S stores (kind store), each with its workshop at the same address:
    the first in the brand's district of the city, more (scale > 1) in the city's other districts."""
    stores = []
    taken: dict[str, set[str]] = {}
    store_names: set[str] = set()
    for spec in STORES:
        city = ctx.region(spec.city_code)
        home = ctx.region(spec.district_code)
        districts = ctx.districts(spec.city_code[:4])
        used = taken.setdefault(city.code, {s.district_code for s in STORES if s.city_code == city.code})
        for n in range(ctx.scale):
            if n == 0:
                district, roads = home, spec.roads
            else:
                free = [d for d in districts if d.code not in used]
                district = free[0] if free else districts[n % len(districts)]
                roads = names.ROADS
                used.add(district.code)
            brand = brands[spec.brand_key]
            code = f"{CITY_KEYS[city.code]}-{spec.brand_key}-{n + 1:02d}"
            lat, lon = jitter(rng, district.latitude, district.longitude)
            address = f"{place_name(district)}{rng.choice(roads)}{rng.randint(1, 2999)}号"
            common = {
                "dealer_id": group.pk,
                "region_code": district.code,
                "address": address,
                "latitude": lat,
                "longitude": lon,
                "brand_ids": [brand.pk],
            }
            name = f"华东汽车{brand.short_name}{names.district_stem(district.name)}店"
            if name in store_names:  # more stores than districts (large scales)
                name = f"{name.removesuffix('店')}{n + 1}号店"
            store_names.add(name)
            store = create_site(
                actor=ctx.actor, data={**common, "code": code, "name": name, "kind": SiteKind.STORE}
            )
            create_site(
                actor=ctx.actor,
                data={**common, "code": f"{code}-WS", "name": f"{name}售后车间", "kind": SiteKind.WORKSHOP},
            )
            stores.append((store, spec.brand_key))
    ctx.refs["auto.stores"] = [store for store, _ in stores]
    # the demo sales rep works at the first store only (and sees only its customers)
    ctx.refs["auto.rep_site"] = stores[0][0]
    ctx.count("sites", 2 * len(stores))
    return stores


def load_auto_customers(ctx: DemoContext) -> None:
    """Customer groups, car buyers and fleets of the auto group, spread over its stores."""
    group = ctx.refs["auto.group"]
    groups = {
        code: create_customer_group(
            actor=ctx.actor,
            data={"dealer_id": group.pk, "code": code, "name": name, "description": description},
        )
        for code, name, description in GROUPS
    }
    ctx.count("customer_groups", len(groups))
    stores = ctx.refs["auto.stores"]
    brand_names = {b.pk: b.short_name for b in (ctx.refs[f"auto.brand.{s.key}"] for s in BRANDS)}
    refs = []
    for store in stores:
        region: Region = store.region
        brand_id = store.brands.values_list("pk", flat=True).first()
        refs.append(
            (SiteRef(store.code, store.latitude, store.longitude), spot_of(region), brand_names[brand_id])
        )
    rep_site = ctx.refs["auto.rep_site"]
    plans = plan_auto_customers(
        seed=ctx.seed,
        people=PEOPLE_PER_SCALE * ctx.scale,
        fleets=FLEETS_PER_SCALE * ctx.scale,
        stores=refs,
        sales_rep=ctx.refs["auto.sales_rep"].username,
        rep_site=rep_site.code,
    )
    write_customers(
        ctx,
        dealer=group,
        plans=plans,
        groups=groups,
        channels={code: ctx.refs[f"auto.channel.{code}"] for code, _, _ in CHANNELS},
        sites={store.code: store for store in stores},
        users={ctx.refs["auto.sales_rep"].username: ctx.refs["auto.sales_rep"]},
    )
