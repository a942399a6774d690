from qudao.pricing.models.price_lists import PriceFloor, PriceList, PriceListItem
from qudao.pricing.models.promotions import BundleComponent, Coupon, Promotion
from qudao.pricing.models.rebates import (
    RebateBalance,
    RebateLedgerEntry,
    RebateProgram,
    RebateSettlement,
    RebateSettlementRun,
    RebateTier,
    RebateVolume,
)

__all__ = [
    "BundleComponent",
    "Coupon",
    "PriceFloor",
    "PriceList",
    "PriceListItem",
    "Promotion",
    "RebateBalance",
    "RebateLedgerEntry",
    "RebateProgram",
    "RebateSettlement",
    "RebateSettlementRun",
    "RebateTier",
    "RebateVolume",
]
