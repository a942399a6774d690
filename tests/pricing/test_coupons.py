"""Redeeming coupons at confirmation: all or none, single use, replay-safe, customer-bound."""

from __future__ import annotations

import pytest

from qudao.core.models import OutboxEvent
from qudao.pricing.errors import CouponAlreadyUsed, CouponNotApplicable
from qudao.pricing.models import Coupon
from qudao.pricing.services import redeem_coupons
from tests.catalog.factories import ROOT
from tests.parties.factories import make_customer
from tests.pricing.factories import coupon, promotion

pytestmark = pytest.mark.django_db


def redeem(dealer, codes, customer=None, ref=1):
    return redeem_coupons(
        actor=ROOT,
        dealer_id=dealer.pk,
        codes=codes,
        customer_id=customer.pk if customer else None,
        reference_type="sales.order",
        reference_id=ref,
    )


def test_redeem_is_single_use_and_replay_safe(dealer):
    promo = promotion(dealer, "order_amount", amount="5", requires_coupon=True)
    coupon(promo, "one")
    assert [c.code for c in redeem(dealer, ["ONE"])] == ["ONE"]
    assert [c.reference_id for c in redeem(dealer, [" one "])] == [1]  # same order again: fine
    with pytest.raises(CouponAlreadyUsed):
        redeem(dealer, ["ONE"], ref=2)
    assert OutboxEvent.objects.filter(topic="pricing.coupon.redeemed").count() == 1


def test_all_or_none(dealer):
    customer, other = make_customer(dealer), make_customer(dealer)
    promo = promotion(dealer, "order_amount", amount="5", requires_coupon=True)
    coupon(promo, "A1")
    coupon(promo, "B1", customer_id=other.pk)
    with pytest.raises(CouponNotApplicable):
        redeem(dealer, ["A1", "B1"], customer=customer)
    assert not Coupon.objects.filter(redeemed_at__isnull=False).exists()
    with pytest.raises(CouponNotApplicable):
        redeem(dealer, ["MISSING"], customer=customer)
    assert [c.code for c in redeem(dealer, ["A1", "B1"], customer=other)] == ["A1", "B1"]
