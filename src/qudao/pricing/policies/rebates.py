"""Cumulative rebates: which tier a period's volume reaches, what it earns, and the periods."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from qudao.core.money import quantize_amount

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Accrual:
    volume: Decimal
    #: the threshold of the highest tier reached (None: no tier reached)
    tier_threshold: Decimal | None
    rate: Decimal
    amount: Decimal
    next_threshold: Decimal | None
    next_rate: Decimal | None
    #: how much more the customer must buy to reach the next tier
    gap: Decimal | None


def compute_accrual(volume: Decimal, tiers: Iterable[tuple[Decimal, Decimal]]) -> Accrual:
    """The highest tier whose threshold the volume reaches sets the rate of the whole volume
    (满10万返2%: ¥101,000 → ¥2,020); below every threshold nothing accrues. A negative volume (more
    returned than bought) earns nothing."""
    ordered = sorted(tiers)
    reached = [(t, r) for t, r in ordered if volume >= t]
    above = [(t, r) for t, r in ordered if volume < t]
    threshold, rate = reached[-1] if reached else (None, Decimal("0"))
    amount = quantize_amount(volume * rate) if reached and volume > 0 else ZERO
    nxt = above[0] if above else None
    return Accrual(
        volume=quantize_amount(volume),
        tier_threshold=threshold,
        rate=rate,
        amount=amount,
        next_threshold=nxt[0] if nxt else None,
        next_rate=nxt[1] if nxt else None,
        gap=quantize_amount(nxt[0] - volume) if nxt else None,
    )


def period_bounds(period: str, on: date) -> tuple[date, date]:
    """First and last day of the month / quarter / year containing `on`."""
    if period == "month":
        start = on.replace(day=1)
        months = 1
    elif period == "quarter":
        start = on.replace(month=(on.month - 1) // 3 * 3 + 1, day=1)
        months = 3
    elif period == "year":
        start = on.replace(month=1, day=1)
        months = 12
    else:
        raise ValueError(f"unknown rebate period {period!r}")
    month = start.month - 1 + months
    end = date(start.year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return start, end


def is_period_start(period: str, on: date) -> bool:
    return period_bounds(period, on)[0] == on


def closed_periods(
    period: str, valid_from: date, valid_to: date | None, today: date
) -> list[tuple[date, date]]:
    """Every period of a program that has ended before `today` (within the program's validity)."""
    out = []
    start, end = period_bounds(period, valid_from)
    while end < today:
        if valid_to is not None and start > valid_to:
            break
        out.append((start, end))
        start, end = period_bounds(period, end + timedelta(days=1))
    return out
