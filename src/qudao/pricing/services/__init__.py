"""Pricing services (writes) and the engine's entry points.

from qudao.pricing.services import price_basket, redeem_coupons, record_rebate_volume
"""

from qudao.pricing.services.promotions import redeem_coupons
from qudao.pricing.services.quote import build_context, price_basket, quote_basket
from qudao.pricing.services.rebates import (
    record_rebate_volume,
    settle_rebate_period,
    use_rebate_balance,
)

__all__ = [
    "build_context",
    "price_basket",
    "quote_basket",
    "record_rebate_volume",
    "redeem_coupons",
    "settle_rebate_period",
    "use_rebate_balance",
]
