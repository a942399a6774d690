"""The FMCG distributor 苏州惠民快消品分销有限公司: two warehouses, six channels, the brand 青禾饮品 that
authorises it for the Suzhou districts, 500 × scale SKUs and 200 × scale business customers."""

from __future__ import annotations

from datetime import date

from qudao.demo.base import DemoContext, jitter, place_name, spot_of
from qudao.demo.catalog import create_category_tree, create_units, write_skus
from qudao.demo.customer_plans import SiteRef, plan_fmcg_customers
from qudao.demo.customers import write_customers
from qudao.demo.plans import credit_code, plan_skus
from qudao.demo.products import CATALOG, DEMO_BRAND, UNITS
from qudao.org.models import ChannelKind, SiteKind
from qudao.org.services.channels import create_channel
from qudao.org.services.companies import create_company
from qudao.org.services.dealerships import create_dealership
from qudao.org.services.sites import create_site
from qudao.org.services.territories import create_territory
from qudao.parties.services import create_customer_group

DEALER_CODE = "HUIMIN"
BRAND_CODE = "QINGHE"
COMPANY_CODES = (DEALER_CODE, BRAND_CODE)
SKUS_PER_SCALE = 500
CUSTOMERS_PER_SCALE = 200

#: code → (name, kind, district, street address)
WAREHOUSES = (
    ("SZ-CDC", "惠民苏州中心仓", SiteKind.CENTRAL_WAREHOUSE, "320507", "太阳路2888号惠民物流园"),
    ("KS-RDC", "惠民昆山区域仓", SiteKind.REGIONAL_WAREHOUSE, "320583", "黄浦江南路1688号"),
)
CHANNELS = (
    ("KA", "KA商超", ChannelKind.KA),
    ("WHOLESALE", "传统批发", ChannelKind.WHOLESALE),
    ("RETAIL", "零售终端", ChannelKind.RETAIL_STORE),
    ("GROUPBUY", "社区团购", ChannelKind.GROUP_BUY),
    ("ECOM", "电商平台", ChannelKind.ECOMMERCE),
    ("SOCIAL", "社交分销", ChannelKind.SOCIAL),
)
GROUPS = (
    ("KA", "KA连锁客户", "大型连锁超市及卖场"),
    ("WHOLESALE", "批发客户", "二级批发商及经销部"),
    ("RETAIL", "零售终端", "便利店、食杂店、烟酒店"),
    ("COMMUNITY", "社区及社交渠道", "社区团购团长、社群分销"),
    ("ONLINE", "线上客户", "电商平台店铺"),
)
#: where the customers are: (weight, city code prefix) — Suzhou first, then Shanghai and Jiangsu
CUSTOMER_CITIES = ((10, "3205"), (6, "3101"), (2, "3202"), (1, "3204"), (1, "3206"))
SUZHOU = "3205"
DEALERSHIP_START = date(2024, 1, 1)


def load_fmcg_distributor(ctx: DemoContext) -> None:
    """The brand, the distributor, its warehouses and channels, the brand's territory and dealership."""
    rng = ctx.rng("fmcg.org")
    actor = ctx.actor
    brand_region = ctx.region("330110")
    brand = create_company(
        actor=actor,
        data={
            "code": BRAND_CODE,
            "name": "浙江青禾饮品有限公司",
            "short_name": "青禾饮品",
            "is_brand": True,
            "is_supplier": True,
            "is_public": True,
            "credit_code": credit_code(rng, brand_region.code),
            "region_code": brand_region.code,
            "address": f"{place_name(brand_region)}文一西路{rng.randint(100, 999)}号",
            "phone": "400-820-1234",
        },
    )
    hq = ctx.region("320507")
    dealer = create_company(
        actor=actor,
        data={
            "code": DEALER_CODE,
            "name": "苏州惠民快消品分销有限公司",
            "short_name": "惠民快消",
            "is_dealer": True,
            "credit_code": credit_code(rng, hq.code),
            "region_code": hq.code,
            "address": f"{place_name(hq)}太阳路2888号",
            "phone": "0512-65881234",
            "email": "order@huimin.example.com",
        },
    )
    ctx.refs.update({"fmcg.brand": brand, "fmcg.dealer": dealer})
    ctx.summary.companies += [str(dealer.name), str(brand.name)]
    ctx.count("companies", 2)

    for code, name, kind, district, street in WAREHOUSES:
        region = ctx.region(district)
        lat, lon = jitter(rng, region.latitude, region.longitude)
        ctx.refs[f"fmcg.site.{code}"] = create_site(
            actor=actor,
            data={
                "dealer_id": dealer.pk,
                "code": code,
                "name": name,
                "kind": kind,
                "region_code": region.code,
                "address": f"{place_name(region)}{street}",
                "latitude": lat,
                "longitude": lon,
            },
        )
    ctx.count("sites", len(WAREHOUSES))
    for code, name, kind in CHANNELS:
        ctx.refs[f"fmcg.channel.{code}"] = create_channel(
            actor=actor, data={"dealer_id": dealer.pk, "code": code, "name": name, "kind": kind}
        )
    ctx.count("channels", len(CHANNELS))

    suzhou = [r.code for r in ctx.districts(SUZHOU)]
    territory = create_territory(
        actor=actor,
        data={"owner_id": brand.pk, "code": "QH-SZ", "name": "青禾饮品苏州区域", "region_codes": suzhou},
    )
    create_dealership(
        actor=actor,
        data={
            "brand_id": brand.pk,
            "dealer_id": dealer.pk,
            "dealer_code": "QH-JS-0086",
            "territory_id": territory.pk,
            "channel_kinds": [kind for _, _, kind in CHANNELS],
            "valid_from": DEALERSHIP_START,
        },
    )
    ctx.count("territories", 1)
    ctx.count("dealerships", 1)


def load_fmcg_catalog(ctx: DemoContext) -> None:
    dealer = ctx.refs["fmcg.dealer"]
    units = create_units(ctx, dealer, UNITS)
    categories = create_category_tree(
        ctx,
        dealer,
        [(root.code, root.name, [(leaf.code, leaf.name) for leaf in root.leaves]) for root in CATALOG],
    )
    plans = plan_skus(seed=ctx.seed, count=SKUS_PER_SCALE * ctx.scale)
    write_skus(
        ctx,
        dealer=dealer,
        plans=plans,
        units=units,
        categories=categories,
        brands={DEMO_BRAND: ctx.refs["fmcg.brand"]},
    )


def load_fmcg_customers(ctx: DemoContext) -> None:
    dealer = ctx.refs["fmcg.dealer"]
    groups = {
        code: create_customer_group(
            actor=ctx.actor,
            data={"dealer_id": dealer.pk, "code": code, "name": name, "description": description},
        )
        for code, name, description in GROUPS
    }
    ctx.count("customer_groups", len(groups))
    cities = [(weight, [spot_of(r) for r in ctx.districts(prefix)]) for weight, prefix in CUSTOMER_CITIES]
    warehouses = [ctx.refs[f"fmcg.site.{code}"] for code, *_ in WAREHOUSES]
    rep = ctx.refs["fmcg.sales_rep"]
    plans = plan_fmcg_customers(
        seed=ctx.seed,
        count=CUSTOMERS_PER_SCALE * ctx.scale,
        cities=cities,
        sites=[SiteRef(s.code, s.latitude, s.longitude) for s in warehouses],
        sales_rep=rep.username,
        rep_site=WAREHOUSES[1][0],
    )
    write_customers(
        ctx,
        dealer=dealer,
        plans=plans,
        groups=groups,
        channels={code: ctx.refs[f"fmcg.channel.{code}"] for code, _, _ in CHANNELS},
        sites={s.code: s for s in warehouses},
        users={rep.username: rep},
    )
