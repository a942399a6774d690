"""Pure rules of the inventory (no database): FEFO, allocation, expiry, moving average cost."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from qudao.core.money import quantize_unit_price, to_decimal

_FAR_FUTURE = date.max


@dataclass(frozen=True)
class Candidate:
    """Stock that a line could take: a level key with what is free there."""

    key: Hashable
    available: Decimal
    expiry_date: date | None = None
    #: tie-breakers: lot id (older lots first), then location id
    order: tuple = ()


def fefo(candidates: Iterable[Candidate]) -> list[Candidate]:
    """First expired, first out: earliest expiry first; lots without expiry last; then stable order."""
    return sorted(candidates, key=lambda c: (c.expiry_date or _FAR_FUTURE, c.order))


def allocate(
    requested: Decimal, candidates: Sequence[Candidate]
) -> tuple[list[tuple[Hashable, Decimal]], Decimal]:
    """Take `requested` from `candidates` in their order. Returns (key, quantity) pairs and what is
    still missing (0 when the request is covered)."""
    remaining = to_decimal(requested)
    taken: list[tuple[Hashable, Decimal]] = []
    for candidate in candidates:
        if remaining <= 0:
            break
        if candidate.available <= 0:
            continue
        quantity = min(candidate.available, remaining)
        taken.append((candidate.key, quantity))
        remaining -= quantity
    return taken, max(remaining, Decimal(0))


def expiry_from_shelf_life(
    *, production_date: date | None, received_on: date, shelf_life_days: int | None
) -> date | None:
    """The expiry of a lot when none is given: production (or receipt) date plus the shelf life."""
    if not shelf_life_days:
        return None
    return (production_date or received_on) + timedelta(days=shelf_life_days)


def moving_average(*, on_hand: object, average_cost: object, received: object, unit_cost: object) -> Decimal:
    """The new weighted average after receiving `received` at `unit_cost`.

    Stock at or below zero carries no value, so the new average is the receipt's cost then.
    """
    on_hand, average_cost = to_decimal(on_hand), to_decimal(average_cost)
    received, unit_cost = to_decimal(received), to_decimal(unit_cost)
    if on_hand <= 0:
        return quantize_unit_price(unit_cost)
    total = on_hand + received
    return quantize_unit_price((on_hand * average_cost + received * unit_cost) / total)
