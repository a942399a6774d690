"""Reads of fulfilment: shipments the actor sees, one shipment, and the pick list of a site."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from qudao.core.scoping import Actor, get_scoped, scoped
from qudao.inventory.choices import ReservationState
from qudao.inventory.models import Reservation, StockLevel
from qudao.inventory.policies import Candidate, fefo
from qudao.org.models import Site
from qudao.sales.models import Shipment, ShipmentLine
from qudao.sales.services._common import REFERENCE
from qudao.sales.states import OPEN_STATES
from qudao.sales.states_fulfilment import ShipmentState

ZERO = Decimal(0)


def list_shipments(
    *,
    actor: Actor,
    state: str | None = None,
    order_id: int | None = None,
    customer_id: int | None = None,
    site_id: int | None = None,
) -> QuerySet[Shipment]:
    """Shipments the actor sees, newest first."""
    qs = scoped(Shipment.objects.all(), actor).select_related("order", "site", "order__customer")
    filters = {"state": state, "order_id": order_id, "order__customer_id": customer_id, "site_id": site_id}
    return qs.filter(**{k: v for k, v in filters.items() if v is not None}).order_by("-pk")


def get_shipment(*, actor: Actor, shipment_id: int) -> Shipment:
    """One shipment with its lines, packages and proof (404 outside the actor's scope)."""
    qs = Shipment.objects.select_related(
        "order", "order__customer", "site", "carrier", "proof"
    ).prefetch_related(
        Prefetch(
            "lines",
            queryset=ShipmentLine.objects.select_related("item", "lot", "order_line").order_by("pk"),
        ),
        "packages",
    )
    return get_scoped(qs, actor, pk=shipment_id)


@dataclass
class PickRow:
    """One stop of the picker: take `quantity` of an item (lot) at a location for a shipment."""

    location_id: int | None
    location: str
    item_id: int
    sku: str
    item_name: str
    unit: str
    lot_id: int | None
    lot_number: str
    expiry_date: date | None
    quantity: Decimal
    order_id: int
    order_number: str
    shipment_id: int
    shipment_number: str
    #: True when no stock is known for it (the ship will refuse until stock arrives)
    short: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _free_levels(site_id: int, item_ids: set[int]) -> dict[int, list[list]]:
    """Free stock at the site per item, earliest expiry first: [[level, free], ...]."""
    levels = (
        StockLevel.objects.filter(site_id=site_id, item_id__in=item_ids, is_virtual=False)
        .select_related("location", "lot")
        .order_by("pk")
    )
    by_level = {lv.pk: lv for lv in levels if lv.on_hand - lv.reserved > 0}
    ordered = fefo(
        Candidate(
            key=lv.pk,
            available=lv.on_hand - lv.reserved,
            expiry_date=lv.lot.expiry_date if lv.lot_id else None,
            order=(lv.lot_id or 0, lv.location_id),
        )
        for lv in by_level.values()
    )
    out: dict[int, list[list]] = defaultdict(list)
    for candidate in ordered:
        level = by_level[candidate.key]
        out[level.item_id].append([level, level.on_hand - level.reserved])
    return out


def pick_list(*, actor: Actor, site_id: int, shipment_ids: list[int] | None = None) -> list[PickRow]:
    """What a picker walks at a site: the draft shipments of open orders there (or the ones named),
    each line taken from the order's reservations (their bins and lots, as allocated FEFO) and, for
    what is not reserved, from the free stock the ship would take (FEFO). Sorted by location, item."""
    site = get_scoped(Site.objects.all(), actor, pk=site_id)
    shipments = scoped(Shipment.objects.all(), actor).filter(
        site=site, state=ShipmentState.DRAFT, order__state__in=OPEN_STATES
    )
    if shipment_ids is not None:
        shipments = shipments.filter(pk__in=shipment_ids)
    lines = list(
        ShipmentLine.objects.filter(shipment__in=shipments)
        .select_related("shipment", "shipment__order", "item", "item__base_unit")
        .order_by("shipment_id", "pk")
    )
    if not lines:
        return []
    reservations: dict[int, list[list]] = defaultdict(list)
    held = (
        Reservation.objects.filter(
            reference_type=REFERENCE,
            reference_id__in={ln.shipment.order_id for ln in lines},
            reference_line_id__in={ln.order_line_id for ln in lines},
            site_id=site.pk,
            state=ReservationState.ACTIVE,
        )
        .select_related("location", "lot")
        .order_by("pk")
    )
    for reservation in sorted(held, key=_fefo_key):
        reservations[reservation.reference_line_id].append([reservation, reservation.quantity])
    free = _free_levels(site.pk, {ln.item_id for ln in lines})
    rows: list[PickRow] = []
    for line in lines:
        rows += _rows_for(line, reservations[line.order_line_id], free[line.item_id])
    return sorted(rows, key=lambda r: (r.short, r.location, r.sku, r.lot_number, r.shipment_number))


def _fefo_key(reservation: Reservation) -> tuple:
    expiry = reservation.lot.expiry_date if reservation.lot_id else None
    return (expiry or date.max, reservation.lot_id or 0, reservation.location_id, reservation.pk)


def _rows_for(line: ShipmentLine, held: list[list], free: list[list]) -> list[PickRow]:
    need = line.quantity
    taken: list[tuple[Any, Decimal]] = []
    for source in (held, free):
        for entry in source:
            if need <= 0:
                break
            take = min(need, entry[1])
            if take <= 0:
                continue
            entry[1] -= take
            need -= take
            taken.append((entry[0], take))
    out = [_row(line, place, quantity) for place, quantity in taken]
    if need > 0:
        out.append(_row(line, None, need))
    return out


def _row(line: ShipmentLine, place: Any, quantity: Decimal) -> PickRow:
    location = getattr(place, "location", None)
    lot = getattr(place, "lot", None)
    return PickRow(
        location_id=location.pk if location else None,
        location=location.code if location else "",
        item_id=line.item_id,
        sku=line.item.sku,
        item_name=line.item.name,
        unit=str(line.item.base_unit) if line.item.base_unit_id else "",
        lot_id=lot.pk if lot else None,
        lot_number=lot.lot_number if lot else "",
        expiry_date=lot.expiry_date if lot else None,
        quantity=quantity,
        order_id=line.shipment.order_id,
        order_number=line.shipment.order.number,
        shipment_id=line.shipment_id,
        shipment_number=line.shipment.number,
        short=place is None,
    )


_PHOTO_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def open_proof_photo(*, actor: Actor, shipment_id: int):
    """(open file, content type) of a shipment's proof-of-delivery photo, for whoever may see the
    shipment; `not_found` when there is none. Proofs carry customers' signatures: they are served
    through this check, never as public media files."""
    from qudao.core.errors import NotFound
    from qudao.sales.services.deliveries import photo_kind

    shipment = get_shipment(actor=actor, shipment_id=shipment_id)
    proof = getattr(shipment, "proof", None)
    if proof is None or not proof.photo:
        raise NotFound()
    try:
        handle = proof.photo.open("rb")
    except OSError as exc:
        raise NotFound() from exc
    kind = photo_kind(handle.read(16))
    handle.seek(0)
    return handle, _PHOTO_TYPES.get(kind or "", "application/octet-stream")
