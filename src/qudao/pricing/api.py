"""Pricing API, mounted at /api/v1/pricing: price lists and tiers, floors, promotions, coupons,
rebate programs and balances, and POST /quote (price a basket without creating anything)."""

from ninja import Router

from qudao.pricing.api_promotions import router as promotions_router
from qudao.pricing.api_rebates import router as rebates_router
from qudao.pricing.api_rules import router as rules_router

router = Router(tags=["pricing"])
router.add_router("", rules_router)
router.add_router("", promotions_router)
router.add_router("", rebates_router)
