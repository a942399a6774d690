"""Stocktakes: open a session, start it (the snapshot of on hand, in one pass), record counts (scans),
review the variances and post them as adjustments in one atomic step.

Counting may go on while goods move: the expected quantity of an (item, location, lot) is its
snapshot plus the net ledger moves at that location and lot after the snapshot."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from qudao.catalog.choices import Tracking
from qudao.catalog.errors import BarcodeNotFound
from qudao.catalog.models import Item
from qudao.catalog.selectors import lookup_barcode
from qudao.core.errors import Conflict, ValidationFailed
from qudao.core.scoping import Actor, get_scoped
from qudao.core.sequences import next_code
from qudao.core.states import transition
from qudao.inventory.choices import AdjustmentReason, MoveState, SerialStatus
from qudao.inventory.errors import LocationOutsideCount, LotRequired, SerialAlreadyCounted, UnknownBarcode
from qudao.inventory.models import (
    Location,
    Lot,
    Serial,
    StockLevel,
    StockMove,
    StocktakeCount,
    StocktakeKind,
    StocktakeSession,
    StocktakeSnapshot,
)
from qudao.inventory.services._common import Problems, base_quantity, get_writable, resolve_site
from qudao.inventory.services.adjustments import adjust_stock
from qudao.inventory.services.locations import get_default_location
from qudao.inventory.states import StocktakeState

REFERENCE = "inventory.stocktake"
POSTED = "inventory.stocktake.posted"

#: (item id, location id, lot id or None)
Key = tuple[int, int, int | None]


def _lock(actor: Actor, session_id: int) -> StocktakeSession:
    found = get_scoped(StocktakeSession.objects.all(), actor, for_write=True, pk=session_id)
    return (
        StocktakeSession.objects.select_for_update(of=("self",))
        .select_related("site", "zone")
        .get(pk=found.pk)
    )


def zone_location_ids(session: StocktakeSession) -> list[int] | None:
    """The locations counted: the zone and everything inside it (None: the whole site)."""
    if session.zone_id is None:
        return None
    ids, frontier = [session.zone_id], [session.zone_id]
    while frontier:
        frontier = list(Location.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids += frontier
    return ids


@transaction.atomic
def create_stocktake(*, actor: Actor, data: Mapping[str, Any]) -> StocktakeSession:
    """data = {site_id, zone_id?, kind (full|cycle), blind?, note?}."""
    problems = Problems()
    site = resolve_site(actor, data.get("site_id"), "site_id", problems, dealer_id=None)
    zone = None
    if data.get("zone_id") is not None and site is not None:
        zone = get_writable(
            actor, Location, data["zone_id"], "zone_id", problems, site=site, is_virtual=False
        )
    kind = data.get("kind") or StocktakeKind.FULL
    if kind not in StocktakeKind.values:
        problems.add(ValidationFailed, "kind", _("Choose a full or a cycle count."))
    problems.raise_if_any()
    today = timezone.localdate()
    return StocktakeSession.objects.create(
        dealer_id=site.dealer_id,
        number=next_code(
            dealer_id=site.dealer_id, kind=f"stocktake:{today:%y%m}", prefix=f"ST-{today:%y%m}-"
        ),
        site=site,
        zone=zone,
        kind=kind,
        blind=bool(data.get("blind")),
        note=data.get("note") or "",
    )


@transaction.atomic
def start_stocktake(*, actor: Actor, session_id: int) -> StocktakeSession:
    """open → counting: snapshot the on hand of every level of the site (or zone) in one pass.

    The levels are locked first (internal levels in pk order, the ledger's protocol), so no move is
    half-way when the last included move id is read: moves after it are the "moves since"."""
    session = _lock(actor, session_id)
    transition(session, to=StocktakeState.COUNTING)
    levels = StockLevel.objects.filter(site=session.site, is_virtual=False)
    zone = zone_location_ids(session)
    if zone is not None:
        levels = levels.filter(location_id__in=zone)
    rows = list(levels.select_for_update().order_by("pk"))
    session.snapshot_move_id = StockMove.objects.aggregate(last=Max("pk"))["last"] or 0
    session.started_at = timezone.now()
    StocktakeSnapshot.objects.bulk_create(
        [
            StocktakeSnapshot(
                session=session,
                item_id=row.item_id,
                location_id=row.location_id,
                lot_id=row.lot_id,
                on_hand=row.on_hand,
            )
            for row in rows
            if row.on_hand
        ]
    )
    session.save(update_fields=["state", "snapshot_move_id", "started_at", "updated_at"])
    return session


def _resolve_code(actor: Actor, session: StocktakeSession, code: str):
    """(item, unit id or None, serial number) for a scanned code: a barcode, else a serial/VIN."""
    try:
        match = lookup_barcode(actor, code)
    except BarcodeNotFound:
        match = None
    if match is not None and match.item.dealer_id == session.dealer_id:
        return match.item, match.unit.pk, ""
    serial = (
        Serial.objects.select_related("item")
        .filter(dealer_id=session.dealer_id, serial_number=code.strip())
        .first()
    )
    if serial is not None:
        return serial.item, None, serial.serial_number
    raise UnknownBarcode(details=[{"field": "code", "code": UnknownBarcode.code, "message": code}])


@transaction.atomic
def record_scan(*, actor: Actor, session_id: int, data: Mapping[str, Any]) -> StocktakeCount:
    """One count: data = {code, quantity? (in the scanned unit; default one), location_id?, lot_id? or
    lot_number?, serial?}. A case barcode counts one case in base units (24 for a case of 24); a
    serial/VIN counts that serial once."""
    session = _lock(actor, session_id)
    if session.state == StocktakeState.OPEN:
        raise Conflict(details=[{"field": "state", "message": _("Start the stocktake before counting.")}])
    if session.state != StocktakeState.COUNTING:
        transition(session, to=StocktakeState.COUNTING)  # only from review (counting resumes)
        session.save(update_fields=["state", "updated_at"])
    code = str(data.get("code") or "").strip()
    if not code:
        raise ValidationFailed(details=[{"field": "code", "message": _("Scan or type a code.")}])
    item, unit_id, serial_number = _resolve_code(actor, session, code)
    if data.get("serial"):
        serial_number = str(data["serial"]).strip()
    problems = Problems()
    if item.tracking == Tracking.SERIAL and not serial_number:
        problems.add(ValidationFailed, "serial", _("Scan the serial number (VIN) of each unit."))
    quantity = base_quantity(item, data.get("quantity") or 1, unit_id, "body", problems)
    if serial_number and quantity is not None and quantity != 1:
        problems.add(ValidationFailed, "quantity", _("A serial number counts exactly one unit."))
    location = _count_location(actor, session, data.get("location_id"), problems)
    lot = None
    if data.get("lot_id") is not None:
        lot = get_writable(actor, Lot, data["lot_id"], "lot_id", problems, item=item)
    elif data.get("lot_number"):
        lot = Lot.objects.filter(item=item, lot_number=str(data["lot_number"]).strip()).first()
        if lot is None:
            problems.add(LotRequired, "lot_number", _("No lot with this number for this item."))
    elif item.tracking == Tracking.LOT:
        problems.add(LotRequired, "lot_id", LotRequired.message)
    if serial_number and lot is None:
        lot = Lot.objects.filter(
            pk=Serial.objects.filter(item=item, serial_number=serial_number).values("lot_id")[:1]
        ).first()
    problems.raise_if_any()
    try:
        with transaction.atomic():
            return StocktakeCount.objects.create(
                session=session,
                item=item,
                location=location,
                lot=lot,
                serial_number=serial_number,
                quantity=quantity,
                scanned_code=code[:64],
                counted_by_id=actor.user_id,
            )
    except IntegrityError as exc:
        raise SerialAlreadyCounted(details=[{"field": "code", "message": serial_number}]) from exc


def _count_location(actor: Actor, session: StocktakeSession, location_id: Any, problems: Problems):
    if location_id is None:
        return session.zone if session.zone_id else get_default_location(session.site)
    location = get_writable(actor, Location, location_id, "location_id", problems)
    if location is None:
        return None
    zone = zone_location_ids(session)
    if (
        location.is_virtual
        or location.site_id != session.site_id
        or (zone is not None and location.pk not in zone)
    ):
        problems.add(LocationOutsideCount, "location_id", LocationOutsideCount.message)
        return None
    return location


@dataclass(frozen=True)
class Variance:
    item: Item
    location: Location
    lot: Lot | None
    snapshot: Decimal
    moved: Decimal
    counted: Decimal
    serials: tuple[str, ...] = ()

    @property
    def expected(self) -> Decimal:
        return self.snapshot + self.moved

    @property
    def variance(self) -> Decimal:
        return self.counted - self.expected


def _moves_since(session: StocktakeSession, keys: set[Key]) -> dict[Key, Decimal]:
    moved: dict[Key, Decimal] = defaultdict(Decimal)
    if not keys:
        return moved
    location_ids = sorted({k[1] for k in keys})
    moves = StockMove.objects.filter(
        pk__gt=session.snapshot_move_id, state=MoveState.DONE, dealer_id=session.dealer_id
    )
    moves = moves.exclude(reference_type=REFERENCE, reference_id=session.pk)
    for side, sign in (("to_location_id", 1), ("from_location_id", -1)):
        rows = (
            moves.filter(**{f"{side}__in": location_ids})
            .values("item_id", side, "lot_id")
            .annotate(total=Sum("quantity"))
            .order_by()
        )
        for row in rows:
            moved[(row["item_id"], row[side], row["lot_id"])] += sign * row["total"]
    return moved


def compute_variances(session: StocktakeSession) -> list[Variance]:
    """Every (item, location, lot) snapshotted or counted, with expected = snapshot + moves since and
    the counted total. A cycle count only compares the items it counted; a full count also reports
    uncounted stock as missing."""
    snapshot = {
        (s.item_id, s.location_id, s.lot_id): s.on_hand
        for s in StocktakeSnapshot.objects.filter(session=session)
    }
    counted: dict[Key, Decimal] = defaultdict(Decimal)
    serials: dict[Key, list[str]] = defaultdict(list)
    for c in StocktakeCount.objects.filter(session=session).order_by("pk"):
        key = (c.item_id, c.location_id, c.lot_id)
        counted[key] += c.quantity
        if c.serial_number:
            serials[key].append(c.serial_number)
    keys = set(snapshot) | set(counted)
    moved = _moves_since(session, keys | _moved_keys(session))
    keys |= {k for k, v in moved.items() if v}
    if session.kind == StocktakeKind.CYCLE:
        counted_items = {k[0] for k in counted}
        keys = {k for k in keys if k[0] in counted_items}
    zone = zone_location_ids(session)
    items = Item.objects.select_related("base_unit").in_bulk({k[0] for k in keys})
    locations = Location.objects.in_bulk({k[1] for k in keys})
    lots = Lot.objects.in_bulk({k[2] for k in keys if k[2]})
    out = []
    for key in sorted(keys, key=lambda k: (k[0], k[1], k[2] or 0)):
        location = locations[key[1]]
        if (
            location.is_virtual
            or location.site_id != session.site_id
            or (zone is not None and key[1] not in zone)
        ):
            continue
        out.append(
            Variance(
                item=items[key[0]],
                location=location,
                lot=lots.get(key[2]) if key[2] else None,
                snapshot=snapshot.get(key, Decimal(0)),
                moved=moved.get(key, Decimal(0)),
                counted=counted.get(key, Decimal(0)),
                serials=tuple(sorted(serials.get(key, []))),
            )
        )
    return out


def _moved_keys(session: StocktakeSession) -> set[Key]:
    """Levels of the counted site that exist now but were empty at the snapshot (goods received since)."""
    levels = StockLevel.objects.filter(site=session.site, is_virtual=False)
    zone = zone_location_ids(session)
    if zone is not None:
        levels = levels.filter(location_id__in=zone)
    return set(levels.values_list("item_id", "location_id", "lot_id"))


@transaction.atomic
def review_stocktake(*, actor: Actor, session_id: int) -> StocktakeSession:
    """counting → review: counting stops (a new scan resumes it)."""
    session = _lock(actor, session_id)
    transition(session, to=StocktakeState.REVIEW)
    session.save(update_fields=["state", "updated_at"])
    return session


@transaction.atomic
def post_stocktake(*, actor: Actor, session_id: int) -> list[StockMove]:
    """Post every non-zero variance as an adjustment (reason "count", referencing the session) — all in
    this one transaction: any failure (e.g. stock reserved meanwhile) posts nothing."""
    from qudao.core.events import emit

    session = _lock(actor, session_id)
    if session.state == StocktakeState.COUNTING:
        transition(session, to=StocktakeState.REVIEW)
    transition(session, to=StocktakeState.POSTED)
    moves: list[StockMove] = []
    for v in compute_variances(session):
        if not v.variance:
            continue
        data: dict[str, Any] = {
            "item_id": v.item.pk,
            "location_id": v.location.pk,
            "quantity": v.variance,
            "reason": AdjustmentReason.COUNT,
            "lot_id": v.lot.pk if v.lot else None,
            "reference_type": REFERENCE,
            "reference_id": session.pk,
            "document_number": session.number,
        }
        if v.item.tracking == Tracking.SERIAL:
            data["serials"] = _serial_difference(v)
        moves += adjust_stock(actor=actor, data=data)
    session.posted_at = timezone.now()
    session.posted_by_id = actor.user_id
    session.save(update_fields=["state", "posted_at", "posted_by", "updated_at"])
    emit(
        POSTED,
        {"stocktake_id": session.pk, "number": session.number, "move_ids": [m.pk for m in moves]},
        dealer_id=session.dealer_id,
        actor_id=actor.user_id,
    )
    return moves


def _serial_difference(v: Variance) -> list[str]:
    """The serials to add (counted, not in stock here) or to remove (in stock here, not counted)."""
    lot_filter = {"lot_id": v.lot.pk} if v.lot else {}
    in_stock = set(
        Serial.objects.filter(
            item=v.item, location=v.location, status=SerialStatus.IN_STOCK, **lot_filter
        ).values_list("serial_number", flat=True)
    )
    counted = set(v.serials)
    return sorted(counted - in_stock) if v.variance > 0 else sorted(in_stock - counted)[: int(-v.variance)]


@transaction.atomic
def cancel_stocktake(*, actor: Actor, session_id: int) -> StocktakeSession:
    session = _lock(actor, session_id)
    transition(session, to=StocktakeState.CANCELLED)
    session.save(update_fields=["state", "updated_at"])
    return session
