"""Receiving stock: from the supplier (virtual) into a location of a site, with lots, serials and cost."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qudao.catalog.choices import Tracking
from qudao.catalog.models import Item
from qudao.core.errors import ValidationFailed
from qudao.core.money import quantize_unit_price
from qudao.core.scoping import Actor
from qudao.inventory.choices import LocationKind, MoveState, MoveType, SerialStatus
from qudao.inventory.errors import LotRequired, SerialInStock, SerialRequired
from qudao.inventory.models import Location, Lot, Serial, StockMove
from qudao.inventory.policies import expiry_from_shelf_life
from qudao.inventory.services import ledger
from qudao.inventory.services._common import (
    Problems,
    Reference,
    base_quantity,
    resolve_internal_location,
    resolve_item,
    resolve_site,
)
from qudao.inventory.services._lines import writable_by_pk
from qudao.inventory.services.locations import get_default_location, get_virtual_location

#: move types that bring stock in from outside (a supplier or a customer's return)
RECEIPT_TYPES = {MoveType.RECEIPT: LocationKind.SUPPLIER, MoveType.RETURN: LocationKind.CUSTOMER}


def get_or_create_lot(
    item: Item, lot_number: str, *, production_date: date | None, expiry_date: date | None, received_on: date
) -> Lot:
    """The item's lot with this number; a new one gets its expiry from the shelf life when none is given."""
    lot = Lot.objects.filter(item=item, lot_number=lot_number).first()
    if lot is not None:
        return lot
    if expiry_date is None and item.has_expiry:
        expiry_date = expiry_from_shelf_life(
            production_date=production_date, received_on=received_on, shelf_life_days=item.shelf_life_days
        )
    Lot.objects.bulk_create(
        [
            Lot(
                dealer_id=item.dealer_id,
                item=item,
                lot_number=lot_number,
                production_date=production_date,
                expiry_date=expiry_date,
            )
        ],
        ignore_conflicts=True,
    )
    return Lot.objects.get(item=item, lot_number=lot_number)


def get_or_create_lots(
    wanted: Mapping[Any, tuple[Item, str, date | None, date | None]], *, received_on: date
) -> dict[Any, Lot]:
    """Many lots at once: key → (item, lot number, production date, expiry date) → the lot (existing
    ones as they are, new ones created with their expiry from the shelf life when none is given)."""
    if not wanted:
        return {}

    def fetch() -> dict[tuple[int, str], Lot]:
        items = sorted({item.pk for item, *_r in wanted.values()})
        numbers = sorted({number for _i, number, *_r in wanted.values()})
        rows = Lot.objects.filter(item_id__in=items, lot_number__in=numbers)
        return {(lot.item_id, lot.lot_number): lot for lot in rows}

    found = fetch()
    missing = {}
    for item, number, produced, expires in wanted.values():
        if (item.pk, number) in found or (item.pk, number) in missing:
            continue
        if expires is None and item.has_expiry:
            expires = expiry_from_shelf_life(
                production_date=produced, received_on=received_on, shelf_life_days=item.shelf_life_days
            )
        missing[(item.pk, number)] = Lot(
            dealer_id=item.dealer_id,
            item=item,
            lot_number=number,
            production_date=produced,
            expiry_date=expires,
        )
    if missing:
        Lot.objects.bulk_create(list(missing.values()), ignore_conflicts=True)
        found = fetch()
    return {key: found[(item.pk, number)] for key, (item, number, *_r) in wanted.items()}


def _check_tracking(
    item: Item, line: Mapping[str, Any], quantity: Decimal, field: str, problems: Problems
) -> None:
    serials = line.get("serials") or []
    if item.tracking == Tracking.LOT and not line.get("lot_number"):
        problems.add(LotRequired, f"{field}.lot_number", LotRequired.message)
    if item.tracking == Tracking.SERIAL:
        if len(serials) != quantity or len(set(serials)) != len(serials):
            problems.add(
                SerialRequired,
                f"{field}.serials",
                _("Give %(count)s different serial numbers, one per unit.") % {"count": quantity},
            )
    elif serials:
        problems.add(ValidationFailed, f"{field}.serials", _("This item is not tracked by serial number."))
    if item.tracking != Tracking.LOT and line.get("lot_number"):
        problems.add(ValidationFailed, f"{field}.lot_number", _("This item is not tracked by lot."))


def _take_serials(
    item: Item, numbers: list[str], location: Location, lot: Lot | None, field: str
) -> list[Serial]:
    """Serials arriving at `location`: new ones are created, returning ones come back into stock."""
    existing = {
        s.serial_number: s
        for s in Serial.objects.select_for_update()
        .filter(item=item, serial_number__in=numbers)
        .order_by("pk")
    }
    in_stock = [n for n, s in existing.items() if s.status in (SerialStatus.IN_STOCK, SerialStatus.RESERVED)]
    if in_stock:
        raise SerialInStock(
            details=[{"field": field, "code": SerialInStock.code, "message": n} for n in sorted(in_stock)]
        )
    out = []
    for number in numbers:
        serial = existing.get(number)
        if serial is None:
            serial = Serial(dealer_id=item.dealer_id, item=item, serial_number=number)
        serial.location, serial.site_id, serial.lot = location, location.site_id, lot
        serial.status = SerialStatus.IN_STOCK
        try:
            with transaction.atomic():
                serial.save()
        except IntegrityError as exc:  # received at the same moment by someone else
            raise SerialInStock(
                details=[{"field": field, "code": SerialInStock.code, "message": number}]
            ) from exc
        out.append(serial)
    return out


@transaction.atomic
def receive_stock(
    *, actor: Actor, data: Mapping[str, Any], move_type: str = MoveType.RECEIPT
) -> list[StockMove]:
    """Receive lines into a site: data = {site_id, location_id?, effective_date?, reference_*, lines: [
    {item_id, quantity, unit_id?, unit_cost?, lot_number?, production_date?, expiry_date?, serials?}]}."""
    problems = Problems()
    site = resolve_site(actor, data.get("site_id"), "site_id", problems, dealer_id=None)
    location = None
    if site is not None and data.get("location_id") is not None:
        location = resolve_internal_location(
            actor, data["location_id"], "location_id", problems, dealer_id=site.dealer_id, site=site
        )
    lines = list(data.get("lines") or [])
    if not lines:
        problems.add(ValidationFailed, "lines", _("Give at least one line."))
    parsed = []
    items = writable_by_pk(
        actor, Item.objects.select_related("base_unit"), [line.get("item_id") for line in lines]
    )
    for n, line in enumerate(lines):
        field = f"lines.{n}"
        item = resolve_item(actor, line.get("item_id"), f"{field}.item_id", problems, known=items)
        if item is None:
            continue
        if site is not None and item.dealer_id != site.dealer_id:
            problems.add(
                ValidationFailed, f"{field}.item_id", _("No such record, or it is not visible to you.")
            )
            continue
        quantity = base_quantity(item, line.get("quantity"), line.get("unit_id"), field, problems)
        if quantity is None:
            continue
        _check_tracking(item, line, quantity, field, problems)
        parsed.append((n, item, quantity, line))
    problems.raise_if_any()

    location = location or get_default_location(site)
    source = get_virtual_location(site.dealer_id, RECEIPT_TYPES[move_type])
    locations = {location.pk: location, source.pk: source}
    effective_date = data.get("effective_date") or timezone.localdate()
    reference = Reference.of(data)
    lots: dict[int, Lot | None] = dict.fromkeys((n for n, *_r in parsed), None)
    lots.update(
        get_or_create_lots(
            {
                n: (item, line["lot_number"], line.get("production_date"), line.get("expiry_date"))
                for n, item, _q, line in parsed
                if line.get("lot_number")
            },
            received_on=effective_date,
        )
    )
    keys = set()
    for n, item, _q, _line in parsed:
        lot_id = lots[n].pk if lots[n] else None
        keys |= {(item.pk, location.pk, lot_id), (item.pk, source.pk, lot_id)}
    ledger.lock_levels(keys, locations)

    moves: list[StockMove] = []
    costs = []
    for n, item, quantity, line in parsed:
        unit_cost = quantize_unit_price(line["unit_cost"]) if line.get("unit_cost") is not None else None
        serials = (
            _take_serials(item, list(line["serials"]), location, lots[n], f"lines.{n}.serials")
            if item.tracking == Tracking.SERIAL
            else [None]
        )
        per_move = Decimal(1) if item.tracking == Tracking.SERIAL else quantity
        for serial in serials:
            moves.append(
                StockMove(
                    dealer_id=item.dealer_id,
                    site=site,
                    item=item,
                    quantity=per_move,
                    from_location=source,
                    to_location=location,
                    lot=lots[n],
                    serial=serial,
                    move_type=move_type,
                    state=MoveState.DRAFT,
                    reference_type=reference.type,
                    reference_id=reference.id,
                    reference_line_id=line.get("reference_line_id", reference.line_id),
                    document_number=reference.number,
                    effective_date=effective_date,
                    unit_cost=unit_cost,
                )
            )
        costs.append((item.dealer_id, item.pk, site.pk, quantity, unit_cost))
    created = ledger.post_moves(moves=moves, actor=actor, locations=locations)
    ledger.cost_in(costs)
    return created
