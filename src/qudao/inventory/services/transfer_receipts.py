"""Receiving transfers: in parts (in transit → destination) and closing with discrepancies (what is
still in transit goes to loss or scrap, extra units are found at the destination)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from qudao.catalog.choices import Tracking
from qudao.core.errors import ValidationFailed
from qudao.core.events import emit
from qudao.core.scoping import Actor
from qudao.core.states import transition
from qudao.inventory.choices import AdjustmentReason, LocationKind, MoveState, MoveType, SerialStatus
from qudao.inventory.errors import ExceedsInTransit
from qudao.inventory.models import (
    DiscrepancyKind,
    Lot,
    Serial,
    StockMove,
    Transfer,
    TransferDiscrepancy,
    TransferLine,
)
from qudao.inventory.services import ledger
from qudao.inventory.services._common import Problems, base_quantity, resolve_internal_location
from qudao.inventory.services.locations import get_default_location, get_virtual_location
from qudao.inventory.services.transfers import OPEN_STATES, RECEIVED, REFERENCE, _bump, _lock, _move
from qudao.inventory.states import TransferState


def in_transit_by_lot(transfer: Transfer) -> dict[int, dict[int | None, tuple[Decimal, Decimal]]]:
    """line id → lot id → (quantity still in transit, its value) read from the transfer's moves."""
    in_transit = get_virtual_location(transfer.dealer_id, LocationKind.IN_TRANSIT)
    out: dict[int, dict[int | None, list[Decimal]]] = defaultdict(
        lambda: defaultdict(lambda: [Decimal(0)] * 2)
    )
    moves = StockMove.objects.filter(reference_type=REFERENCE, reference_id=transfer.pk, state=MoveState.DONE)
    for side, sign in (("to_location_id", 1), ("from_location_id", -1)):
        rows = (
            moves.filter(**{side: in_transit.pk})
            .values("reference_line_id", "lot_id", "move_type")
            .annotate(total=Sum("quantity"))
            .order_by()
        )
        for row in rows:
            out[row["reference_line_id"]][row["lot_id"]][0] += sign * row["total"]
    for move in moves.filter(move_type=MoveType.TRANSFER_OUT).only(
        "reference_line_id", "lot_id", "unit_cost"
    ):
        out[move.reference_line_id][move.lot_id][1] = move.unit_cost or Decimal(0)
    return {line: {lot: (v[0], v[1]) for lot, v in lots.items()} for line, lots in out.items()}


def _parse_receipt(transfer, data, problems):
    rows = {row.pk: row for row in transfer.lines.select_related("item").order_by("pk")}
    raw_lines = data.get("lines")
    if raw_lines is None:  # everything still in transit
        raw_lines = [
            {"line_id": pk, "quantity": row.shipped_quantity - row.received_quantity}
            for pk, row in rows.items()
        ]
        raw_lines = [raw for raw in raw_lines if raw["quantity"] > 0]
    if not raw_lines:
        problems.add(ValidationFailed, "lines", _("Nothing is left to receive."))
    wanted: dict[int, tuple[TransferLine, Decimal, list[str]]] = {}
    for n, raw in enumerate(raw_lines):
        row = rows.get(raw.get("line_id"))
        if row is None:
            problems.add(ValidationFailed, f"lines.{n}.line_id", _("No such line on this transfer."))
            continue
        quantity = base_quantity(row.item, raw.get("quantity"), raw.get("unit_id"), f"lines.{n}", problems)
        if quantity is None:
            continue
        if row.pk in wanted:
            problems.add(ValidationFailed, f"lines.{n}.line_id", _("This line is given twice."))
            continue
        if quantity > row.shipped_quantity - row.received_quantity:
            problems.add(ExceedsInTransit, f"lines.{n}.quantity", ExceedsInTransit.message)
            continue
        serials = [str(s) for s in raw.get("serials") or []]
        if row.item.tracking == Tracking.SERIAL and serials and len(serials) != quantity:
            problems.add(
                ValidationFailed,
                f"lines.{n}.serials",
                _("Give %(count)s different serial numbers, one per unit.") % {"count": quantity},
            )
        wanted[row.pk] = (row, quantity, serials)
    return wanted


def _from_transit(row, quantity, serial_numbers, lots, in_transit, exclude=frozenset()):
    """(lot id, quantity, unit cost, serial) taken from what is in transit on the line (FEFO)."""
    if row.item.tracking == Tracking.SERIAL:
        qs = Serial.objects.select_for_update().filter(
            item_id=row.item_id, location=in_transit, serial_number__in=list(row.serials)
        )
        if serial_numbers:
            qs = qs.filter(serial_number__in=serial_numbers)
        qs = qs.exclude(pk__in=list(exclude))
        chosen = list(qs.order_by("serial_number")[: int(quantity)])
        if len(chosen) != quantity:
            raise ExceedsInTransit(details=[{"field": "serials", "message": sorted(serial_numbers)}])
        return [(s.lot_id, Decimal(1), lots.get(s.lot_id, (0, Decimal(0)))[1], s) for s in chosen]
    open_lots = [lot_id for lot_id, (left, _c) in lots.items() if left > 0]
    expiry = dict(Lot.objects.filter(pk__in=[i for i in open_lots if i]).values_list("pk", "expiry_date"))
    order = sorted(open_lots, key=lambda lot_id: (expiry.get(lot_id) or date.max, lot_id or 0))
    out, remaining = [], quantity
    for lot_id in order:
        if remaining <= 0:
            break
        take = min(lots[lot_id][0], remaining)
        out.append((lot_id, take, lots[lot_id][1], None))
        remaining -= take
    return out


@transaction.atomic
def receive_transfer(*, actor: Actor, transfer_id: int, data: Mapping[str, Any] | None = None) -> Transfer:
    """Receive shipped stock at the destination: data = {location_id?, lines?: [{line_id, quantity,
    unit_id?, serials?}]} (no lines: everything still in transit). Partial receipts are allowed."""
    data = data or {}
    transfer = _lock(actor, transfer_id)
    if transfer.state not in OPEN_STATES:
        transition(transfer, to=TransferState.RECEIVED)  # raises invalid_transition
    problems = Problems()
    location = None
    if data.get("location_id") is not None:
        location = resolve_internal_location(
            actor,
            data["location_id"],
            "location_id",
            problems,
            dealer_id=transfer.dealer_id,
            site=transfer.to_site,
        )
    wanted = _parse_receipt(transfer, data, problems)
    problems.raise_if_any()
    location = location or get_default_location(transfer.to_site)
    in_transit = get_virtual_location(transfer.dealer_id, LocationKind.IN_TRANSIT)
    by_lot = in_transit_by_lot(transfer)
    moves, entries, serial_ids = [], [], []
    for row, quantity, serial_numbers in wanted.values():
        for lot_id, q, unit_cost, serial in _from_transit(
            row, quantity, serial_numbers, by_lot.get(row.pk, {}), in_transit
        ):
            moves.append(
                _move(
                    transfer,
                    row,
                    quantity=q,
                    source=in_transit.pk,
                    target=location.pk,
                    lot_id=lot_id,
                    serial=serial,
                    move_type=MoveType.TRANSFER_IN,
                    site_id=transfer.to_site_id,
                    unit_cost=unit_cost,
                )
            )
            entries.append((transfer.dealer_id, row.item_id, transfer.to_site_id, q, unit_cost))
            if serial is not None:
                serial_ids.append(serial.pk)
        row.received_quantity += quantity
        row.save(update_fields=["received_quantity", "updated_at"])
    created = ledger.post_moves(
        moves=moves, actor=actor, locations={location.pk: location, in_transit.pk: in_transit}
    )
    ledger.cost_in(entries)
    if serial_ids:
        Serial.objects.filter(pk__in=serial_ids).update(
            location=location, site_id=transfer.to_site_id, updated_at=timezone.now()
        )
    done = all(row.received_quantity >= row.shipped_quantity for row in transfer.lines.all())
    transition(transfer, to=TransferState.RECEIVED if done else TransferState.PARTIALLY_RECEIVED)
    if done:
        transfer.received_at = timezone.now()
    _bump(transfer, "state", "received_at")
    emit(
        RECEIVED,
        {
            "transfer_id": transfer.pk,
            "number": transfer.number,
            "complete": done,
            "move_ids": [m.pk for m in created],
        },
        dealer_id=transfer.dealer_id,
        actor_id=actor.user_id,
    )
    return transfer


@transaction.atomic
def close_transfer(*, actor: Actor, transfer_id: int, data: Mapping[str, Any] | None = None) -> Transfer:
    """End a shipped transfer whose rest will not arrive: data = {discrepancies?: [{line_id, kind
    (short|damaged), quantity, note?}]}. Every quantity still in transit becomes a discrepancy (short
    unless said otherwise): short goes to the adjustment location (reason loss), damaged to scrap, so
    nothing stays in transit."""
    data = data or {}
    transfer = _lock(actor, transfer_id)
    transition(transfer, to=TransferState.RECEIVED)
    rows = {row.pk: row for row in transfer.lines.select_related("item").order_by("pk")}
    left = {pk: row.shipped_quantity - row.received_quantity for pk, row in rows.items()}
    problems = Problems()
    claimed: list[tuple[TransferLine, str, Decimal, str]] = []
    for n, raw in enumerate(data.get("discrepancies") or []):
        row = rows.get(raw.get("line_id"))
        if row is None:
            problems.add(ValidationFailed, f"discrepancies.{n}.line_id", _("No such line on this transfer."))
            continue
        if raw.get("kind") not in DiscrepancyKind.values:
            problems.add(ValidationFailed, f"discrepancies.{n}.kind", _("Choose short, over or damaged."))
            continue
        if raw["kind"] == DiscrepancyKind.OVER and row.item.tracking == Tracking.SERIAL:
            problems.add(
                ValidationFailed,
                f"discrepancies.{n}.kind",
                _("Extra serial units are received with their serial numbers, not as a discrepancy."),
            )
            continue
        quantity = base_quantity(
            row.item, raw.get("quantity"), raw.get("unit_id"), f"discrepancies.{n}", problems
        )
        if quantity is None:
            continue
        if raw["kind"] == DiscrepancyKind.OVER:
            claimed.append((row, raw["kind"], quantity, raw.get("note") or ""))
            continue
        if quantity > left[row.pk]:
            problems.add(ExceedsInTransit, f"discrepancies.{n}.quantity", ExceedsInTransit.message)
            continue
        left[row.pk] -= quantity
        claimed.append((row, raw["kind"], quantity, raw.get("note") or ""))
    problems.raise_if_any()
    claimed += [(rows[pk], DiscrepancyKind.SHORT, q, "") for pk, q in left.items() if q > 0]

    in_transit = get_virtual_location(transfer.dealer_id, LocationKind.IN_TRANSIT)
    loss = get_virtual_location(transfer.dealer_id, LocationKind.ADJUSTMENT)
    scrap = get_virtual_location(transfer.dealer_id, LocationKind.SCRAP)
    by_lot = in_transit_by_lot(transfer)
    moves, lost_serials, found = [], [], []
    destination = get_default_location(transfer.to_site)
    for row, kind, quantity, note in claimed:
        TransferDiscrepancy.objects.create(
            line=row, kind=kind, quantity=quantity, note=note, recorded_by_id=actor.user_id
        )
        if kind == DiscrepancyKind.OVER:
            lots = by_lot.get(row.pk, {})
            lot_id = row.lot_id or next(iter(sorted(lots, key=lambda i: i or 0)), None)
            unit_cost = lots.get(lot_id, (0, None))[1]
            moves.append(
                _move(
                    transfer,
                    row,
                    quantity=quantity,
                    source=loss.pk,
                    target=destination.pk,
                    lot_id=lot_id,
                    serial=None,
                    move_type=MoveType.ADJUSTMENT,
                    site_id=transfer.to_site_id,
                    unit_cost=unit_cost,
                    reason=AdjustmentReason.FOUND,
                )
            )
            found.append((transfer.dealer_id, row.item_id, transfer.to_site_id, quantity, unit_cost))
            continue
        target = scrap if kind == DiscrepancyKind.DAMAGED else loss
        lots = by_lot.get(row.pk, {})
        for lot_id, q, unit_cost, serial in _from_transit(
            row, quantity, [], lots, in_transit, {pk for pk, _k in lost_serials}
        ):
            if lot_id in lots:
                lots[lot_id] = (lots[lot_id][0] - q, lots[lot_id][1])
            moves.append(
                _move(
                    transfer,
                    row,
                    quantity=q,
                    source=in_transit.pk,
                    target=target.pk,
                    lot_id=lot_id,
                    serial=serial,
                    move_type=MoveType.SCRAP if kind == DiscrepancyKind.DAMAGED else MoveType.ADJUSTMENT,
                    site_id=None,
                    unit_cost=unit_cost,
                    reason=AdjustmentReason.DAMAGE
                    if kind == DiscrepancyKind.DAMAGED
                    else AdjustmentReason.LOSS,
                )
            )
            if serial is not None:
                lost_serials.append((serial.pk, kind))
    if moves:
        ledger.post_moves(
            moves=moves,
            actor=actor,
            locations={
                in_transit.pk: in_transit,
                loss.pk: loss,
                scrap.pk: scrap,
                destination.pk: destination,
            },
        )
    if found:
        ledger.cost_in(found)
    for serial_id, kind in lost_serials:
        target = scrap if kind == DiscrepancyKind.DAMAGED else loss
        Serial.objects.filter(pk=serial_id).update(
            location=target, site=None, status=SerialStatus.SCRAPPED, updated_at=timezone.now()
        )
    transfer.received_at = timezone.now()
    _bump(transfer, "state", "received_at")
    emit(
        RECEIVED,
        {"transfer_id": transfer.pk, "number": transfer.number, "complete": True, "closed": True},
        dealer_id=transfer.dealer_id,
        actor_id=actor.user_id,
    )
    return transfer
