"""Issuing stock to a customer or a repair order; the reservations of the same document are consumed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from qudao.core.errors import ValidationFailed
from qudao.core.scoping import Actor
from qudao.inventory.choices import ISSUE_TYPES, LocationKind, MoveState, ReservationState, SerialStatus
from qudao.inventory.models import Location, Reservation, Serial, StockMove
from qudao.inventory.services import ledger
from qudao.inventory.services._common import Problems, Reference
from qudao.inventory.services._lines import (
    Line,
    choose_serials,
    index_levels,
    lines_q,
    lock_serials,
    parse_lines,
    raise_shortages,
    shortage,
    take_free,
)
from qudao.inventory.services.locations import get_virtual_location


def _reservations_q(reference: Reference, lines: list[Line]) -> Q | None:
    if not reference.type or reference.id is None:
        return None
    by_site: dict[int, set[int]] = defaultdict(set)
    for line in lines:
        by_site[line.site.pk].add(line.item.pk)
    return Q(
        reference_type=reference.type, reference_id=reference.id, state=ReservationState.ACTIVE
    ) & reduce(or_, (Q(site_id=site, item_id__in=sorted(items)) for site, items in sorted(by_site.items())))


def _consume(
    line: Line, reservations: list[Reservation], quantity: Decimal
) -> list[tuple[Reservation, Decimal]]:
    """Take up to `quantity` from the line's reservations (same item, site, line id, lot, location)."""
    out = []
    for reservation in reservations:
        if quantity <= 0:
            break
        if reservation.quantity <= 0 or not line.matches(
            reservation.item_id, reservation.site_id, reservation.location_id, reservation.lot_id
        ):
            continue
        if line.line_id is not None and reservation.reference_line_id not in (None, line.line_id):
            continue
        if line.serial_numbers and (
            reservation.serial is None or reservation.serial.serial_number not in line.serial_numbers
        ):
            continue
        take = min(quantity, reservation.quantity)
        reservation.quantity -= take
        quantity -= take
        out.append((reservation, take))
    return out


@transaction.atomic
def issue_stock(*, actor: Actor, data: Mapping[str, Any]) -> list[StockMove]:
    """Issue lines out of sites: data = {move_type (sale_issue|repair_issue), reference_*, effective_date?,
    lines: [{item_id, site_id, quantity, unit_id?, location_id?, lot_id?, serials?, reference_line_id?}]}.
    Reserved stock of the same document is consumed first; the rest must be free (FEFO)."""
    problems = Problems()
    move_type = data.get("move_type") or "sale_issue"
    if move_type not in ISSUE_TYPES:
        problems.add(ValidationFailed, "move_type", _("Issue as a sale or a repair-order issue."))
    reference = Reference.of(data)
    lines = parse_lines(actor, list(data.get("lines") or []), problems)
    problems.raise_if_any()

    held_q = _reservations_q(reference, lines)
    held_ids: list[int] = []
    level_q = lines_q(lines)
    if held_q is not None:
        held = list(Reservation.objects.filter(held_q).values_list("pk", "item_id", "location_id", "lot_id"))
        held_ids = [pk for pk, *_rest in held]
        if held:
            level_q |= ledger.keys_q({(item, location, lot) for _pk, item, location, lot in held})
    levels = ledger.lock_candidate_levels(level_q)
    reservations = list(
        Reservation.objects.select_for_update(of=("self",))
        .select_related("serial")
        .filter(pk__in=held_ids, state=ReservationState.ACTIVE)
        .order_by("pk")
    )
    originally = {r.pk: r.quantity for r in reservations}
    free = {ledger.level_key(level): level.on_hand - level.reserved for level in levels}
    index = index_levels(levels)
    serials = lock_serials(lines, statuses=[SerialStatus.IN_STOCK, SerialStatus.RESERVED])

    # (line, level key, quantity, serial, reserved quantity consumed)
    plan: list[tuple[Line, tuple, Decimal, Serial | None, Decimal]] = []
    short = []
    taken_serials: set[int] = set()
    for line in lines:
        consumed = _consume(line, reservations, line.quantity)
        for reservation, quantity in consumed:
            key = (reservation.item_id, reservation.location_id, reservation.lot_id)
            plan.append((line, key, quantity, reservation.serial, quantity))
            if reservation.serial_id:
                taken_serials.add(reservation.serial_id)
        remaining = line.quantity - sum((q for _r, q in consumed), Decimal(0))
        if remaining <= 0:
            continue
        if line.is_serial:
            chosen = choose_serials(line, serials, free, taken_serials, int(remaining))
            plan += [(line, (s.item_id, s.location_id, s.lot_id), Decimal(1), s, Decimal(0)) for s in chosen]
            missing = remaining - len(chosen)
        else:
            taken, missing = take_free(line, remaining, index, free)
            plan += [(line, key, quantity, None, Decimal(0)) for key, quantity in taken]
        if missing:
            short.append(shortage(line, line.quantity, missing))
    raise_shortages(short)

    customer = get_virtual_location(lines[0].item.dealer_id, LocationKind.CUSTOMER)
    locations = Location.objects.in_bulk({key[1] for _l, key, *_r in plan} | {customer.pk})
    # the lock order: internal levels (held), then the virtual ones, then the cost rows
    ledger.lock_levels({(key[0], customer.pk, key[2]) for _l, key, *_r in plan}, locations)
    costs = ledger.cost_out(
        [(line.item.dealer_id, line.item.pk, line.site.pk, quantity) for line, _k, quantity, _s, _r in plan]
    )
    moves = []
    reserved_changes: dict[tuple, Decimal] = defaultdict(Decimal)
    for line, key, quantity, serial, from_reserved in plan:
        reserved_changes[key] -= from_reserved
        moves.append(
            StockMove(
                dealer_id=line.item.dealer_id,
                site_id=line.site.pk,
                item_id=line.item.pk,
                quantity=quantity,
                from_location_id=key[1],
                to_location=customer,
                lot_id=key[2],
                serial=serial,
                move_type=move_type,
                state=MoveState.DRAFT,
                reference_type=reference.type,
                reference_id=reference.id,
                reference_line_id=line.line_id if line.line_id is not None else reference.line_id,
                document_number=reference.number,
                effective_date=data.get("effective_date"),
                unit_cost=costs[(line.item.pk, line.site.pk)],
            )
        )
    created = ledger.post_moves(
        moves=moves, actor=actor, locations=locations, reserved_changes=reserved_changes
    )
    _settle_reservations(reservations, originally)
    serial_ids = [serial.pk for _l, _k, _q, serial, _r in plan if serial is not None]
    if serial_ids:
        Serial.objects.filter(pk__in=serial_ids).update(
            status=SerialStatus.ISSUED, location=customer, site=None, updated_at=timezone.now()
        )
    return created


def _settle_reservations(reservations: list[Reservation], originally: dict[int, Decimal]) -> None:
    """A fully consumed reservation becomes consumed; a partly consumed one keeps the rest active and
    the consumed part is recorded as its own consumed row."""
    consumed_parts, fully_consumed = [], []
    for reservation in reservations:
        used = originally[reservation.pk] - reservation.quantity
        if used <= 0:
            continue
        if reservation.quantity <= 0:
            fully_consumed.append(reservation.pk)
            continue
        Reservation.objects.filter(pk=reservation.pk).update(
            quantity=reservation.quantity, updated_at=timezone.now()
        )
        consumed_parts.append(
            Reservation(
                dealer_id=reservation.dealer_id,
                item_id=reservation.item_id,
                site_id=reservation.site_id,
                location_id=reservation.location_id,
                lot_id=reservation.lot_id,
                serial_id=reservation.serial_id,
                quantity=used,
                reference_type=reservation.reference_type,
                reference_id=reservation.reference_id,
                reference_line_id=reservation.reference_line_id,
                state=ReservationState.CONSUMED,
            )
        )
    if fully_consumed:
        Reservation.objects.filter(pk__in=fully_consumed).update(
            state=ReservationState.CONSUMED, updated_at=timezone.now()
        )
    if consumed_parts:
        Reservation.objects.bulk_create(consumed_parts)
