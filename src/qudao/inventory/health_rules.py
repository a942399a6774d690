"""Pure rules of inventory health: shelf life left and ageing buckets (no database)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

#: the default ageing bucket edges in days: 0–30, 31–60, 61–90, 90+
DEFAULT_AGEING_EDGES = (30, 60, 90)
#: one name per bucket, in order (the last one is "older than the last edge")
BUCKETS = ("days_0_30", "days_31_60", "days_61_90", "days_over_90")


def shelf_life_days(
    *, expiry_date: date | None, production_date: date | None, item_shelf_life_days: int | None
) -> int | None:
    """A lot's total shelf life: production → expiry when both are known, else the item's shelf life."""
    if expiry_date is None:
        return None
    if production_date is not None and expiry_date > production_date:
        return (expiry_date - production_date).days
    if item_shelf_life_days:
        return int(item_shelf_life_days)
    return None


def shelf_life_left_percent(*, expiry_date: date, total_days: int | None, today: date) -> Decimal | None:
    """Percentage of the shelf life still left today (0 once expired); None when the total is unknown."""
    left = (expiry_date - today).days
    if left <= 0:
        return Decimal(0)
    if not total_days or total_days <= 0:
        return None
    return min(Decimal(100), (Decimal(left) * 100 / Decimal(total_days)).quantize(Decimal("0.1")))


def is_near_expiry(*, expiry_date: date, total_days: int | None, today: date, percent: int) -> bool:
    """Less than `percent` % of the shelf life left (an expired lot always is)."""
    left = shelf_life_left_percent(expiry_date=expiry_date, total_days=total_days, today=today)
    return left is not None and left < percent


def bucket_cutoffs(today: date, edges: tuple[int, int, int]) -> tuple[date, date, date]:
    """Receipt dates at or after cutoff[i] fall into bucket i (age ≤ edge i days)."""
    return tuple(today - timedelta(days=edge) for edge in edges)  # type: ignore[return-value]


def bucket_of(received_on: date, *, today: date, edges: tuple[int, int, int]) -> str:
    """The bucket of a receipt layer by its age in days: ≤ e1, ≤ e2, ≤ e3, older."""
    age = (today - received_on).days
    for name, edge in zip(BUCKETS, edges, strict=False):
        if age <= edge:
            return name
    return BUCKETS[-1]


def fifo_layers(on_hand: Decimal, receipts: list[tuple[date, Decimal]]) -> list[tuple[date, Decimal]]:
    """Attribute `on_hand` to the most recent receipts first (what FIFO issuing leaves on the shelf).

    `receipts` are (date, quantity), any order; returns (date, attributed quantity), newest first.
    Stock not covered by any receipt (should not happen with a balanced ledger) is left out.
    """
    left = on_hand
    out: list[tuple[date, Decimal]] = []
    for received_on, quantity in sorted(receipts, key=lambda r: r[0], reverse=True):
        if left <= 0:
            break
        take = min(quantity, left)
        out.append((received_on, take))
        left -= take
    return out


def ageing_edges_valid(edges: tuple[int, int, int]) -> bool:
    first, second, third = edges
    return 1 <= first < second < third
