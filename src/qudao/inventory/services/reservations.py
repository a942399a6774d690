"""Reservations: set stock aside for document lines, all or nothing; release them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qudao.core.errors import ValidationFailed
from qudao.core.scoping import Actor, scoped
from qudao.core.states import transition
from qudao.inventory.choices import ReservationState, SerialStatus
from qudao.inventory.errors import NoActiveReservation
from qudao.inventory.models import Location, Reservation, Serial
from qudao.inventory.services import ledger
from qudao.inventory.services._common import Problems, Reference
from qudao.inventory.services._lines import (
    choose_serials,
    index_levels,
    lines_q,
    lock_serials,
    parse_lines,
    raise_shortages,
    shortage,
    take_free,
)

RESERVATION_CHANGED = "inventory.reservation.changed"


def _reference(data: Mapping[str, Any], problems: Problems) -> Reference:
    reference = Reference.of(data)
    if not reference.type:
        problems.add(ValidationFailed, "reference_type", _("Name the document holding the reservation."))
    if reference.id is None:
        problems.add(ValidationFailed, "reference_id", _("Name the document holding the reservation."))
    return reference


@transaction.atomic
def reserve_stock(*, actor: Actor, data: Mapping[str, Any]) -> list[Reservation]:
    """Reserve every line or none: data = {reference_type, reference_id, lines: [{item_id, site_id,
    quantity, unit_id?, location_id?, lot_id?, serials?, reference_line_id?}]}. A shortage raises one
    `insufficient_stock` error whose details list every short line with requested and available."""
    problems = Problems()
    reference = _reference(data, problems)
    lines = parse_lines(actor, list(data.get("lines") or []), problems)
    problems.raise_if_any()

    levels = ledger.lock_candidate_levels(lines_q(lines))
    free = {ledger.level_key(level): level.on_hand - level.reserved for level in levels}
    index = index_levels(levels)
    serials = lock_serials(lines, statuses=[SerialStatus.IN_STOCK])
    taken_serials: set[int] = set()
    plan: list[tuple[Any, tuple, Decimal, Serial | None]] = []
    short = []
    for line in lines:
        if line.is_serial:
            chosen = choose_serials(line, serials, free, taken_serials, int(line.quantity))
            plan += [(line, (s.item_id, s.location_id, s.lot_id), Decimal(1), s) for s in chosen]
            if len(chosen) < line.quantity:
                short.append(shortage(line, line.quantity, line.quantity - len(chosen)))
            continue
        taken, missing = take_free(line, line.quantity, index, free)
        plan += [(line, key, quantity, None) for key, quantity in taken]
        if missing:
            short.append(shortage(line, line.quantity, missing))
    raise_shortages(short)

    by_key = {ledger.level_key(level): level for level in levels}
    changes: dict[tuple, Decimal] = defaultdict(Decimal)
    for _line, key, quantity, _serial in plan:
        changes[key] += quantity
    ledger.change_reserved(by_key, changes)
    reservations = Reservation.objects.bulk_create(
        [
            Reservation(
                dealer_id=line.item.dealer_id,
                item_id=key[0],
                site_id=line.site.pk,
                location_id=key[1],
                lot_id=key[2],
                serial=serial,
                quantity=quantity,
                reference_type=reference.type,
                reference_id=reference.id,
                reference_line_id=line.line_id,
            )
            for line, key, quantity, serial in plan
        ]
    )
    chosen_serials = [serial.pk for _l, _k, _q, serial in plan if serial is not None]
    if chosen_serials:
        Serial.objects.filter(pk__in=chosen_serials).update(status=SerialStatus.RESERVED)
    return reservations


@transaction.atomic
def release_reservations(*, actor: Actor, data: Mapping[str, Any]) -> list[Reservation]:
    """Release the active reservations of a document (or one of its lines): data = {reference_type,
    reference_id, reference_line_id?}. Nothing active to release answers `no_active_reservation`."""
    problems = Problems()
    reference = _reference(data, problems)
    problems.raise_if_any()
    wanted = scoped(Reservation.objects.all(), actor, for_write=True).filter(
        reference_type=reference.type, reference_id=reference.id, state=ReservationState.ACTIVE
    )
    if reference.line_id is not None:
        wanted = wanted.filter(reference_line_id=reference.line_id)
    ids = list(wanted.values_list("pk", flat=True))
    if not ids:
        raise NoActiveReservation()
    rows = list(Reservation.objects.filter(pk__in=ids).values_list("item_id", "location_id", "lot_id"))
    locations = Location.objects.in_bulk({location for _i, location, _l in rows})
    levels = ledger.lock_levels(set(rows), locations)
    reservations = list(
        Reservation.objects.select_for_update()
        .filter(pk__in=ids, state=ReservationState.ACTIVE)
        .order_by("pk")
    )
    changes: dict[tuple, Decimal] = defaultdict(Decimal)
    for reservation in reservations:
        changes[(reservation.item_id, reservation.location_id, reservation.lot_id)] -= reservation.quantity
        transition(reservation, to=ReservationState.RELEASED)
    ledger.change_reserved(levels, changes)
    now = timezone.now()
    for reservation in reservations:
        reservation.updated_at = now
    Reservation.objects.filter(pk__in=[r.pk for r in reservations]).update(
        state=ReservationState.RELEASED, updated_at=now
    )
    serial_ids = [r.serial_id for r in reservations if r.serial_id]
    if serial_ids:
        Serial.objects.filter(pk__in=serial_ids, status=SerialStatus.RESERVED).update(
            status=SerialStatus.IN_STOCK
        )
    return reservations
