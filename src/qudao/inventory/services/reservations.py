"""Reservations: set stock aside for document lines, all or nothing; release them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qudao.catalog.models import Item
from qudao.core.bulk import insert_rows
from qudao.core.errors import ValidationFailed
from qudao.core.scoping import Actor, scoped
from qudao.core.states import transition
from qudao.inventory.choices import ReservationState, SerialStatus
from qudao.inventory.errors import NoActiveReservation
from qudao.inventory.models import Location, Reservation, Serial, StockLevel
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
from qudao.org.models import Site

RESERVATION_CHANGED = "inventory.reservation.changed"


def _reference(data: Mapping[str, Any], problems: Problems) -> Reference:
    reference = Reference.of(data)
    if not reference.type:
        problems.add(ValidationFailed, "reference_type", _("Name the document holding the reservation."))
    if reference.id is None:
        problems.add(ValidationFailed, "reference_id", _("Name the document holding the reservation."))
    return reference


@dataclass
class LockedStock:
    """The internal levels of some items at some sites, locked for the caller's transaction (pk
    order: the ledger's protocol), with the items and sites they belong to. A service that plans on
    free stock (the order center's allocation) locks once and hands this to `reserve_stock`, which
    then takes from these rows instead of reading and locking them again."""

    levels: list[StockLevel]
    items: dict[int, Item] = field(default_factory=dict)
    sites: dict[int, Site] = field(default_factory=dict)

    def free(self) -> dict[tuple[int, int], Decimal]:
        """Free stock per (item id, site id), as of now in this transaction."""
        out: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
        for level in self.levels:
            out[(level.item_id, level.site_id)] += level.on_hand - level.reserved
        return out

    def covers(self, lines: Iterable[Line]) -> bool:
        """Plain lines (no location, lot or serial named) of locked items and sites."""
        return all(
            line.location is None
            and line.lot is None
            and not line.is_serial
            and line.item.pk in self.items
            and line.site.pk in self.sites
            for line in lines
        )


def lock_stock(
    *, dealer_id: int, items: Iterable[Item], sites: Iterable[Site], with_items: bool = True
) -> LockedStock:
    """Lock every internal level of `items` at `sites` (one query, pk order, lots joined).
    `with_items`: the items carry their base unit (so `reserve_stock` needs not read them again)."""
    items = {item.pk: item for item in items}
    sites = {site.pk: site for site in sites}
    levels = ledger.lock_item_levels(dealer_id=dealer_id, item_ids=list(items), site_ids=list(sites))
    return LockedStock(levels, items if with_items else {}, sites)


def reserve_stock(
    *, actor: Actor, data: Mapping[str, Any], locked: LockedStock | None = None
) -> list[Reservation]:
    """Reserve every line or none: data = {reference_type, reference_id, lines: [{item_id, site_id,
    quantity, unit_id?, location_id?, lot_id?, serials?, reference_line_id?}]}. A shortage raises one
    `insufficient_stock` error whose details list every short line with requested and available.

    `locked`: levels the caller has locked in this transaction (`lock_stock`) after authorising the
    request; plain lines of those items and sites take from them without a read (and without a
    savepoint: an error aborts the caller's transaction as a whole, as it does for the order center)."""
    with transaction.atomic(savepoint=locked is None):
        return _reserve(actor, data, locked)


def _reserve(actor: Actor, data: Mapping[str, Any], locked: LockedStock | None) -> list[Reservation]:
    problems = Problems()
    reference = _reference(data, problems)
    raw_lines = list(data.get("lines") or [])
    known = (locked.items, locked.sites) if locked is not None and locked.items else None
    lines = parse_lines(actor, raw_lines, problems, known=known)
    problems.raise_if_any()

    if locked is not None and locked.covers(lines):
        pairs = {(line.item.pk, line.site.pk) for line in lines}
        levels = [level for level in locked.levels if (level.item_id, level.site_id) in pairs]
    else:
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
    reservations = insert_rows(
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
