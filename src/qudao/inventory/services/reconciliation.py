"""Reconciliation: prove that the levels equal the ledger (on hand) and the active reservations (reserved)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from qudao.core.events import emit
from qudao.core.quantity import quantize_quantity
from qudao.inventory.choices import MoveState, ReservationState
from qudao.inventory.models import Reservation, StockLevel, StockMove

MISMATCH = "inventory.reconcile.mismatch"


@dataclass(frozen=True)
class Mismatch:
    dealer_id: int
    item_id: int
    location_id: int
    lot_id: int | None
    on_hand: Decimal
    ledger_on_hand: Decimal
    reserved: Decimal
    reservations: Decimal

    def as_json(self) -> dict:
        return {
            k: (str(quantize_quantity(v)) if isinstance(v, Decimal) else v) for k, v in asdict(self).items()
        }


def reconcile_levels(dealer: int | None = None) -> list[Mismatch]:
    """Recompute on hand from done moves and reserved from active reservations; list every difference."""
    moves = StockMove.objects.filter(state=MoveState.DONE)
    levels = StockLevel.objects.all()
    reservations = Reservation.objects.filter(state=ReservationState.ACTIVE)
    if dealer is not None:
        dealer_id = getattr(dealer, "pk", dealer)
        moves, levels = moves.filter(dealer_id=dealer_id), levels.filter(dealer_id=dealer_id)
        reservations = reservations.filter(dealer_id=dealer_id)
    dealers: dict[tuple, int] = {}
    ledger: dict[tuple, Decimal] = defaultdict(Decimal)
    for side, sign in (("to_location_id", 1), ("from_location_id", -1)):
        rows = moves.values("dealer_id", "item_id", side, "lot_id").annotate(total=Sum("quantity")).order_by()
        for row in rows:
            key = (row["item_id"], row[side], row["lot_id"])
            ledger[key] += sign * row["total"]
            dealers[key] = row["dealer_id"]
    held: dict[tuple, Decimal] = defaultdict(Decimal)
    rows = (
        reservations.values("dealer_id", "item_id", "location_id", "lot_id")
        .annotate(total=Sum("quantity"))
        .order_by()
    )
    for row in rows:
        key = (row["item_id"], row["location_id"], row["lot_id"])
        held[key] += row["total"]
        dealers[key] = row["dealer_id"]
    stored = {}
    for level in levels.values("dealer_id", "item_id", "location_id", "lot_id", "on_hand", "reserved"):
        key = (level["item_id"], level["location_id"], level["lot_id"])
        stored[key] = (level["on_hand"], level["reserved"])
        dealers[key] = level["dealer_id"]
    out = []
    zero = Decimal(0)
    for key in sorted(set(ledger) | set(held) | set(stored), key=lambda k: (k[0], k[1], k[2] or 0)):
        on_hand, reserved = stored.get(key, (zero, zero))
        if on_hand != ledger.get(key, zero) or reserved != held.get(key, zero):
            out.append(
                Mismatch(
                    dealer_id=dealers[key],
                    item_id=key[0],
                    location_id=key[1],
                    lot_id=key[2],
                    on_hand=quantize_quantity(on_hand),
                    ledger_on_hand=quantize_quantity(ledger.get(key, zero)),
                    reserved=quantize_quantity(reserved),
                    reservations=quantize_quantity(held.get(key, zero)),
                )
            )
    return out


@transaction.atomic
def report_mismatches(mismatches: list[Mismatch]) -> int:
    """Record the mismatches as outbox events, one per dealer (the alerts app will subscribe)."""
    by_dealer: dict[int, list[Mismatch]] = defaultdict(list)
    for mismatch in mismatches:
        by_dealer[mismatch.dealer_id].append(mismatch)
    for dealer_id, rows in sorted(by_dealer.items()):
        emit(
            MISMATCH,
            {"count": len(rows), "mismatches": [m.as_json() for m in rows[:500]]},
            dealer_id=dealer_id,
        )
    return len(by_dealer)
