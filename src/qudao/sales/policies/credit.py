"""Credit decision: does an order fit the customer's credit limit? (pure)"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class CreditCheck:
    limit: Decimal
    exposure: Decimal
    tolerance: Decimal
    checked: bool

    @property
    def over_by(self) -> Decimal:
        return max(self.exposure - self.limit, Decimal(0))

    @property
    def passes(self) -> bool:
        return not self.checked or self.exposure <= self.limit + self.tolerance

    def as_dict(self) -> dict[str, str | bool]:
        return {
            "limit": str(self.limit),
            "exposure": str(self.exposure),
            "tolerance": str(self.tolerance),
            "over_by": str(self.over_by),
            "checked": self.checked,
        }


def check_credit(
    *, limit: Decimal, exposure: Decimal, tolerance: Decimal, check_zero_limit: bool
) -> CreditCheck:
    """Exposure (open receivables + open orders + this order) against the limit. A limit of 0 means
    "no limit set" unless the dealer says it means "no credit"."""
    checked = limit > 0 or check_zero_limit
    return CreditCheck(limit=limit, exposure=exposure, tolerance=tolerance, checked=checked)
