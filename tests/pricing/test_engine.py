"""price_basket with the database: rules loaded for the context, scope by customer/group/channel/
region, no_price, coupons checked (not redeemed), floors, bounded query count."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qudao.core.errors import ValidationFailed
from qudao.pricing.contracts import BasketLine
from qudao.pricing.errors import NoPrice
from qudao.pricing.models import Coupon
from qudao.pricing.services import price_basket
from tests.catalog.factories import make_category
from tests.factories import make_channel
from tests.parties.factories import make_customer, make_customer_group, make_region_tree
from tests.pricing.factories import D, coupon, ctx, floor, item, lines, price_list, promotion

pytestmark = pytest.mark.django_db


def test_most_specific_list_for_the_context(dealer):
    province, city, county = make_region_tree()
    group = make_customer_group(dealer)
    channel = make_channel(dealer)
    customer = make_customer(dealer, customer_group=group, channel=channel)
    it = item(dealer, "20")
    price_list(dealer, tiers=[(it, "19")])
    price_list(dealer, scope="region", region_id=province.pk, tiers=[(it, "18.5")])
    price_list(dealer, scope="region", region_id=city.pk, tiers=[(it, "18")])
    price_list(dealer, scope="channel", channel_id=channel.pk, tiers=[(it, "17")])
    price_list(dealer, scope="customer_group", customer_group_id=group.pk, tiers=[(it, "16"), (it, "15", 10)])
    price_list(dealer, scope="customer", customer_id=customer.pk, tiers=[(it, "14")])
    price_list(dealer, code="OLD", valid_to=date(2026, 1, 1), tiers=[(it, "1")])  # expired
    price_list(dealer, code="OFF", is_active=False, tiers=[(it, "1")])

    def price(**context):
        return price_basket(context=ctx(dealer, **context), lines=lines((it, 10))).lines[0].source

    full = {
        "customer_id": customer.pk,
        "customer_group_id": group.pk,
        "channel_id": channel.pk,
        "region_id": county.pk,
    }
    assert price(**full).kind == "customer_price_list"
    assert price(**{**full, "customer_id": None}).unit_price == D("15.0000")  # group tier from 10
    assert price(region_id=county.pk, channel_id=channel.pk).unit_price == D("17.0000")
    assert price(region_id=county.pk).unit_price == D("18.0000")  # the city list beats the province one
    assert price(region_id=province.pk).unit_price == D("18.5000")
    assert price().unit_price == D("19.0000")


def test_no_price_lists_the_items(dealer):
    priced, unpriced = item(dealer, "5"), item(dealer, None, sku="NOPRICE-1")
    with pytest.raises(NoPrice) as exc:
        price_basket(context=ctx(dealer), lines=lines((priced, 1), (unpriced, 2)))
    assert exc.value.status == 422
    assert [(d["field"], d["item_id"]) for d in exc.value.details] == [("lines.1.item_id", unpriced.pk)]
    assert "NOPRICE-1" in exc.value.details[0]["message"]


def test_bad_lines_and_other_dealers_items(dealer, other_dealer):
    mine, theirs = item(dealer), item(other_dealer)
    with pytest.raises(ValidationFailed) as exc:
        price_basket(
            context=ctx(dealer), lines=[BasketLine("a", mine.pk, D(0)), BasketLine("b", theirs.pk, D(1))]
        )
    assert [d["field"] for d in exc.value.details] == ["lines.0.quantity"]
    with pytest.raises(ValidationFailed) as exc:
        price_basket(context=ctx(dealer), lines=lines((theirs, 1)))
    assert exc.value.details[0]["field"] == "lines.0.item_id"


def test_promotions_matched_by_context_and_category(dealer):
    channel, other_channel = make_channel(dealer), make_channel(dealer)
    root = make_category(dealer)
    leaf = make_category(dealer, parent=root)
    drink, snack = item(dealer, "10", category_id=leaf.pk), item(dealer, "10")
    promotion(dealer, "percent_off", percent="10", categories=[root])
    promotion(dealer, "amount_off", amount="1", channel_id=other_channel.pk)
    promotion(dealer, "amount_off", amount="2", items=[snack], valid_from=date(2026, 6, 1))  # not yet
    result = price_basket(context=ctx(dealer, channel_id=channel.pk), lines=lines((drink, 2), (snack, 2)))
    assert [line.amount for line in result.lines] == [D("18.00"), D("20.00")]


def test_coupons_are_checked_not_redeemed(dealer):
    customer, other = make_customer(dealer), make_customer(dealer)
    it = item(dealer, "100")
    promo = promotion(dealer, "order_amount", amount="15", requires_coupon=True)
    coupon(promo, "SAVE15")
    coupon(promo, "FORHIM", customer_id=other.pk)
    used = coupon(promo, "USED1")
    Coupon.objects.filter(pk=used.pk).update(
        redeemed_at="2026-05-01T00:00:00Z", reference_type="x", reference_id=1
    )
    context = ctx(dealer, customer_id=customer.pk, coupon_codes=("SAVE15", "FORHIM", "USED1", "NOPE"))
    result = price_basket(context=context, lines=lines((it, 1)))
    assert result.total == D("85.00")
    assert result.coupons_applied == ["SAVE15"]
    assert result.coupons_rejected == {"FORHIM": "other_customer", "USED1": "already_used", "NOPE": "unknown"}
    # without the coupon the coupon-only promotion does not apply
    assert price_basket(context=ctx(dealer), lines=lines((it, 1))).total == D("100.00")
    assert Coupon.objects.filter(redeemed_at__isnull=False).count() == 1


def test_floor_by_region_chain(dealer):
    _province, city, county = make_region_tree()
    it = item(dealer, "10")
    floor(dealer, it, "9")
    floor(dealer, it, "9.80", region=city)
    promotion(dealer, "percent_off", percent="5")
    here = price_basket(context=ctx(dealer, region_id=county.pk), lines=lines((it, 1))).lines[0]
    assert (here.unit_price, here.floor_price, here.below_floor) == (D("9.5000"), D("9.8000"), True)
    elsewhere = price_basket(context=ctx(dealer), lines=lines((it, 1))).lines[0]
    assert (elsewhere.floor_price, elsewhere.below_floor) == (D("9.0000"), False)


def test_gift_of_another_item_outside_the_basket(dealer):
    bought, gift = item(dealer, "12"), item(dealer, "3")
    promotion(dealer, "buy_get", items=[bought], buy_quantity="6", gift_quantity="1", gift_item_id=gift.pk)
    result = price_basket(context=ctx(dealer), lines=lines((bought, 12)))
    assert [(x.item_id, x.quantity, x.amount, x.is_gift) for x in result.lines] == [
        (bought.pk, D(12), D("144.00"), False),
        (gift.pk, D(2), D("0.00"), True),
    ]


def _queries(dealer, n_lines: int, **context) -> int:
    its = [item(dealer, "10") for _ in range(n_lines)]
    with CaptureQueriesContext(connection) as captured:
        price_basket(context=ctx(dealer, **context), lines=lines(*[(i, 3) for i in its]))
    return len(captured)


def test_query_count_does_not_grow_with_lines(dealer):
    _province, _city, county = make_region_tree()
    group = make_customer_group(dealer)
    customer = make_customer(dealer, customer_group=group)
    promo = promotion(dealer, "order_percent", percent="5", requires_coupon=True)
    coupon(promo, "Q1")
    promotion(dealer, "percent_off", percent="5")
    promotion(dealer, "bundle", bundle=[(item(dealer), 1), (item(dealer), 1)], bundle_price="15")
    context = {
        "customer_id": customer.pk,
        "customer_group_id": group.pk,
        "region_id": county.pk,
        "coupon_codes": ("Q1",),
    }
    few, many = _queries(dealer, 2, **context), _queries(dealer, 60, **context)
    assert few == many, (few, many)
    assert many <= 10, many


def test_a_coupon_of_an_automatic_promotion_is_not_applied_twice(dealer):
    it = item(dealer, "100")
    automatic = promotion(dealer, "order_amount", amount="10")
    coupon(automatic, "TWICE")
    result = price_basket(context=ctx(dealer, coupon_codes=("TWICE",)), lines=lines((it, 1)))
    assert result.total == D("90.00")
    assert result.coupons_rejected == {"TWICE": "automatic"} and result.coupons_applied == []
