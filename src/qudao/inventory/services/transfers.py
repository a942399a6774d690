"""Transfers between sites: create (draft), edit, ship (source → in transit), cancel a draft.
Receiving and closing are in transfer_receipts.py.

What is in transit on a line is read from the ledger (the moves referencing the line), per lot, so
the transfer's quantities can never disagree with the stock."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qudao.catalog.choices import Tracking
from qudao.core.errors import StaleVersion, ValidationFailed
from qudao.core.events import emit
from qudao.core.scoping import Actor, get_scoped
from qudao.core.sequences import next_code
from qudao.core.states import transition
from qudao.inventory.choices import LocationKind, MoveState, MoveType, SerialStatus
from qudao.inventory.errors import SameSite
from qudao.inventory.models import (
    Location,
    Lot,
    Serial,
    StockMove,
    Transfer,
    TransferLine,
)
from qudao.inventory.services import ledger
from qudao.inventory.services._common import (
    Problems,
    base_quantity,
    get_writable,
    resolve_item,
    resolve_site,
)
from qudao.inventory.services._lines import (
    Line,
    choose_serials,
    index_levels,
    lines_q,
    lock_serials,
    raise_shortages,
    shortage,
    take_free,
)
from qudao.inventory.services.locations import get_virtual_location
from qudao.inventory.states import TransferState

REFERENCE = "inventory.transfer"
SHIPPED = "inventory.transfer.shipped"
RECEIVED = "inventory.transfer.received"
OPEN_STATES = (TransferState.SHIPPED, TransferState.PARTIALLY_RECEIVED)


def _parse_lines(actor: Actor, raw_lines, dealer_id: int, problems: Problems) -> list[dict[str, Any]]:
    if not raw_lines:
        problems.add(ValidationFailed, "lines", _("Give at least one line."))
    out = []
    for n, raw in enumerate(raw_lines or []):
        name = f"lines.{n}"
        item = resolve_item(actor, raw.get("item_id"), f"{name}.item_id", problems)
        if item is None:
            continue
        if item.dealer_id != dealer_id:
            problems.add(
                ValidationFailed, f"{name}.item_id", _("No such record, or it is not visible to you.")
            )
            continue
        quantity = base_quantity(item, raw.get("quantity"), raw.get("unit_id"), name, problems)
        lot = None
        if raw.get("lot_id") is not None:
            lot = get_writable(actor, Lot, raw["lot_id"], f"{name}.lot_id", problems, item=item)
        serials = [str(s) for s in raw.get("serials") or []]
        if serials and item.tracking != Tracking.SERIAL:
            problems.add(ValidationFailed, f"{name}.serials", _("This item is not tracked by serial number."))
        if quantity is None:
            continue
        if item.tracking == Tracking.SERIAL:
            if quantity != quantity.to_integral_value():
                problems.add(
                    ValidationFailed, f"{name}.quantity", _("Serial items are counted in whole units.")
                )
            elif serials and (len(serials) != quantity or len(set(serials)) != len(serials)):
                problems.add(
                    ValidationFailed,
                    f"{name}.serials",
                    _("Give %(count)s different serial numbers, one per unit.") % {"count": quantity},
                )
        out.append({"item": item, "quantity": quantity, "lot": lot, "serials": serials})
    return out


def _lock(actor: Actor, transfer_id: int) -> Transfer:
    """The transfer (404 outside the write scope), locked: one service at a time per transfer."""
    found = get_scoped(Transfer.objects.all(), actor, for_write=True, pk=transfer_id)
    return (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("from_site", "to_site")
        .get(pk=found.pk)
    )


def _check_version(transfer: Transfer, version: Any) -> None:
    if version is not None and int(version) != transfer.version:
        raise StaleVersion(details={"version": transfer.version})


def _bump(transfer: Transfer, *fields: str) -> None:
    transfer.version += 1
    transfer.save(update_fields=["version", "updated_at", *fields])


@transaction.atomic
def create_transfer(*, actor: Actor, data: Mapping[str, Any]) -> Transfer:
    """A draft: data = {from_site_id, to_site_id, note?, lines: [{item_id, quantity, unit_id?, lot_id?,
    serials?}]}. Both sites belong to the same dealer."""
    problems = Problems()
    from_site = resolve_site(actor, data.get("from_site_id"), "from_site_id", problems, dealer_id=None)
    to_site = resolve_site(
        actor,
        data.get("to_site_id"),
        "to_site_id",
        problems,
        dealer_id=from_site.dealer_id if from_site else None,
    )
    if from_site is not None and to_site is not None and from_site.pk == to_site.pk:
        problems.add(SameSite, "to_site_id", SameSite.message)
    lines = _parse_lines(actor, data.get("lines"), from_site.dealer_id, problems) if from_site else []
    problems.raise_if_any()
    transfer = Transfer.objects.create(
        dealer_id=from_site.dealer_id,
        number=next_code(
            dealer_id=from_site.dealer_id,
            kind=f"transfer:{timezone.localdate():%y%m}",
            prefix=f"TR-{timezone.localdate():%y%m}-",
        ),
        from_site=from_site,
        to_site=to_site,
        note=data.get("note") or "",
    )
    _replace_lines(transfer, lines)
    return transfer


def _replace_lines(transfer: Transfer, lines: list[dict[str, Any]]) -> None:
    TransferLine.objects.filter(transfer=transfer).delete()
    for line in lines:
        TransferLine.objects.create(
            transfer=transfer,
            item=line["item"],
            quantity=line["quantity"],
            lot=line["lot"],
            serials=line["serials"],
        )


@transaction.atomic
def update_transfer(*, actor: Actor, transfer_id: int, data: Mapping[str, Any]) -> Transfer:
    """Edit a draft: data = {version, note?, to_site_id?, lines?} (lines replace the draft's lines)."""
    transfer = _lock(actor, transfer_id)
    _check_version(transfer, data.get("version"))
    if transfer.state != TransferState.DRAFT:
        transition(transfer, to=TransferState.DRAFT)  # raises invalid_transition: only drafts change
    problems = Problems()
    if data.get("to_site_id") is not None:
        to_site = resolve_site(
            actor, data["to_site_id"], "to_site_id", problems, dealer_id=transfer.dealer_id
        )
        if to_site is not None and to_site.pk == transfer.from_site_id:
            problems.add(SameSite, "to_site_id", SameSite.message)
        elif to_site is not None:
            transfer.to_site = to_site
    lines = None
    if data.get("lines") is not None:
        lines = _parse_lines(actor, data["lines"], transfer.dealer_id, problems)
    problems.raise_if_any()
    if data.get("note") is not None:
        transfer.note = data["note"]
    if lines is not None:
        _replace_lines(transfer, lines)
    _bump(transfer, "note", "to_site")
    return transfer


@transaction.atomic
def cancel_transfer(*, actor: Actor, transfer_id: int) -> Transfer:
    transfer = _lock(actor, transfer_id)
    transition(transfer, to=TransferState.CANCELLED)
    transfer.cancelled_at = timezone.now()
    _bump(transfer, "state", "cancelled_at")
    return transfer


def _move(
    transfer, line, *, quantity, source, target, lot_id, serial, move_type, site_id, unit_cost, reason=""
):
    return StockMove(
        dealer_id=transfer.dealer_id,
        site_id=site_id,
        item_id=line.item_id,
        quantity=quantity,
        from_location_id=source,
        to_location_id=target,
        lot_id=lot_id,
        serial=serial,
        move_type=move_type,
        state=MoveState.DRAFT,
        reason=reason,
        reference_type=REFERENCE,
        reference_id=transfer.pk,
        reference_line_id=line.pk,
        document_number=transfer.number,
        unit_cost=unit_cost,
    )


@transaction.atomic
def ship_transfer(*, actor: Actor, transfer_id: int) -> Transfer:
    """Move every line from the source site's free stock (FEFO, or the named lot/serials) into the
    dealer's in-transit location. All lines or none: one insufficient_stock error lists every short line."""
    transfer = _lock(actor, transfer_id)
    transition(transfer, to=TransferState.SHIPPED)
    rows = list(transfer.lines.select_related("item", "lot").order_by("pk"))
    if not rows:
        raise ValidationFailed(details=[{"field": "lines", "message": _("Give at least one line.")}])
    lines = [
        Line(n, row.item, transfer.from_site, row.quantity, None, row.lot, list(row.serials), row.pk)
        for n, row in enumerate(rows)
    ]
    levels = ledger.lock_candidate_levels(lines_q(lines))
    free = {ledger.level_key(level): level.on_hand - level.reserved for level in levels}
    index = index_levels(levels)
    serials = lock_serials(lines, statuses=[SerialStatus.IN_STOCK])
    plan: list[tuple[TransferLine, tuple, Decimal, Serial | None]] = []
    short, taken_serials = [], set()
    for row, line in zip(rows, lines, strict=True):
        if line.is_serial:
            chosen = choose_serials(line, serials, free, taken_serials, int(line.quantity))
            plan += [(row, (s.item_id, s.location_id, s.lot_id), Decimal(1), s) for s in chosen]
            missing = line.quantity - len(chosen)
        else:
            taken, missing = take_free(line, line.quantity, index, free)
            plan += [(row, key, quantity, None) for key, quantity in taken]
        if missing:
            short.append(shortage(line, line.quantity, missing))
    raise_shortages(short)

    in_transit = get_virtual_location(transfer.dealer_id, LocationKind.IN_TRANSIT)
    locations = Location.objects.in_bulk({key[1] for _r, key, *_x in plan} | {in_transit.pk})
    ledger.lock_levels({(key[0], in_transit.pk, key[2]) for _r, key, *_x in plan}, locations)
    costs = ledger.cost_out(
        [(transfer.dealer_id, row.item_id, transfer.from_site_id, quantity) for row, _k, quantity, _s in plan]
    )
    moves = [
        _move(
            transfer,
            row,
            quantity=quantity,
            source=key[1],
            target=in_transit.pk,
            lot_id=key[2],
            serial=serial,
            move_type=MoveType.TRANSFER_OUT,
            site_id=transfer.from_site_id,
            unit_cost=costs[(row.item_id, transfer.from_site_id)],
        )
        for row, key, quantity, serial in plan
    ]
    created = ledger.post_moves(moves=moves, actor=actor, locations=locations)
    serial_ids = [s.pk for *_x, s in plan if s is not None]
    if serial_ids:
        Serial.objects.filter(pk__in=serial_ids).update(
            location=in_transit, site=None, updated_at=timezone.now()
        )
    by_row: dict[int, list[str]] = defaultdict(list)
    for row, _key, _q, serial in plan:
        if serial is not None:
            by_row[row.pk].append(serial.serial_number)
    for row in rows:
        row.shipped_quantity = row.quantity
        row.serials = sorted(by_row[row.pk]) if row.item.tracking == Tracking.SERIAL else row.serials
        row.save(update_fields=["shipped_quantity", "serials", "updated_at"])
    transfer.shipped_at = timezone.now()
    _bump(transfer, "state", "shipped_at")
    emit(
        SHIPPED,
        {"transfer_id": transfer.pk, "number": transfer.number, "move_ids": [m.pk for m in created]},
        dealer_id=transfer.dealer_id,
        actor_id=actor.user_id,
    )
    return transfer
