"""The demo shows pricing: 苏州惠民's lists, KA tiers, 满减 and 买赠, coupons, the rebate program, floors."""

from __future__ import annotations

import pytest

from qudao.accounts.models import User
from qudao.catalog.models import Item
from qudao.core.scoping import build_actor
from qudao.parties.models import Customer
from qudao.pricing.models import Coupon, PriceFloor, PriceList, Promotion, RebateProgram
from qudao.pricing.services import quote_basket

pytestmark = pytest.mark.django_db


def test_demo_pricing_of_the_fmcg_distributor():
    from qudao.demo import load_demo
    from qudao.demo.fmcg import DEALER_CODE

    summary = load_demo(scale=1, seed=7)
    assert summary.counts["price_lists"] == 5 and summary.counts["coupons"] == 5
    lists = PriceList.objects.filter(dealer__code=DEALER_CODE)
    assert set(lists.values_list("scope", flat=True)) == {"default", "channel", "customer_group"}
    assert Promotion.objects.filter(code__in=["HM-MJ5000", "HM-M10Z1", "HM-CPN50"]).count() == 3
    assert RebateProgram.objects.get(code="HM-REBATE-Q").tiers.count() == 2
    assert PriceFloor.objects.filter(region__isnull=False).count() == 10
    ka = Customer.objects.filter(dealer__code=DEALER_CODE, customer_group__code="KA").order_by("pk").first()
    sku = Item.objects.filter(dealer__code=DEALER_CODE, kind="goods").order_by("sku").first()
    admin = build_actor(User.objects.filter(is_superuser=True).order_by("pk").first())
    code = Coupon.objects.order_by("code").first().code
    basket = quote_basket(
        actor=admin,
        data={"customer_id": ka.pk, "coupon_codes": [code], "lines": [{"item_id": sku.pk, "quantity": 300}]},
    )
    bought = basket.lines[0]
    assert bought.source.kind == "group_price_list" and bought.source.tier_min_quantity == 240
    assert any(line.is_gift for line in basket.lines)  # 买十赠一 on the first SKUs
    assert basket.coupons_applied == [code]
