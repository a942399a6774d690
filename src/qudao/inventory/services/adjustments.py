"""Adjusting stock (with a reason code) and scrapping it: moves to or from the dealer's virtual
adjustment and scrap locations, so the ledger still explains every unit."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qudao.catalog.choices import Tracking
from qudao.core.errors import ValidationFailed
from qudao.core.quantity import quantize_quantity
from qudao.core.scoping import Actor
from qudao.inventory.choices import AdjustmentReason, LocationKind, MoveState, MoveType, SerialStatus
from qudao.inventory.errors import InsufficientStock, LotRequired, SerialRequired
from qudao.inventory.models import Lot, Serial, StockMove
from qudao.inventory.services import ledger
from qudao.inventory.services._common import (
    Problems,
    Reference,
    base_quantity,
    get_writable,
    resolve_internal_location,
    resolve_item,
)
from qudao.inventory.services.locations import get_virtual_location
from qudao.inventory.services.receipts import _take_serials, get_or_create_lot


def _parse(actor: Actor, data: Mapping[str, Any], problems: Problems, *, allow_negative: bool):
    item = resolve_item(actor, data.get("item_id"), "item_id", problems)
    location = None
    if item is not None:
        location = resolve_internal_location(
            actor, data.get("location_id"), "location_id", problems, dealer_id=item.dealer_id
        )
        if data.get("location_id") is None:
            problems.add(ValidationFailed, "location_id", _("Choose the location."))
    quantity = None
    raw = data.get("quantity")
    negative = False
    if item is not None:
        if allow_negative and raw is not None:
            try:
                negative = Decimal(str(raw)) < 0
            except ArithmeticError:
                negative = False
            raw = abs(Decimal(str(raw))) if negative else raw
        quantity = base_quantity(item, raw, data.get("unit_id"), "body", problems)
    lot = None
    if item is not None and data.get("lot_id") is not None:
        lot = get_writable(actor, Lot, data["lot_id"], "lot_id", problems, item=item)
    serials = list(data.get("serials") or [])
    if item is not None and quantity is not None:
        if item.tracking == Tracking.SERIAL and (
            len(serials) != quantity or len(set(serials)) != len(serials)
        ):
            problems.add(SerialRequired, "serials", SerialRequired.message)
        if item.tracking != Tracking.SERIAL and serials:
            problems.add(ValidationFailed, "serials", _("This item is not tracked by serial number."))
    return item, location, quantity, lot, serials, negative


def _out_serials(item, numbers: list[str], location) -> list[Serial]:
    found = list(
        Serial.objects.select_for_update()
        .filter(item=item, serial_number__in=numbers, location=location, status=SerialStatus.IN_STOCK)
        .order_by("pk")
    )
    missing = sorted(set(numbers) - {s.serial_number for s in found})
    if missing:
        from qudao.inventory.errors import SerialNotAvailable

        raise SerialNotAvailable(
            details=[{"field": "serials", "code": SerialNotAvailable.code, "message": n} for n in missing]
        )
    return found


def _move_out(
    *,
    actor,
    item,
    location,
    quantity,
    lot,
    serials,
    move_type,
    target_kind,
    reason,
    reference,
    effective_date,
):
    """Take `quantity` out of a level's free stock to a virtual location (under the level's lock)."""
    target = get_virtual_location(item.dealer_id, target_kind)
    locations = {location.pk: location, target.pk: target}
    key = (item.pk, location.pk, lot.pk if lot else None)
    levels = ledger.lock_levels({key, (item.pk, target.pk, key[2])}, locations)
    free = levels[key].on_hand - levels[key].reserved
    if free < quantity:
        raise InsufficientStock(
            details=[
                {
                    "line": 0,
                    "item_id": item.pk,
                    "sku": item.sku,
                    "site_id": location.site_id,
                    "requested": str(quantize_quantity(quantity)),
                    "available": str(quantize_quantity(free)),
                }
            ]
        )
    serial_rows = _out_serials(item, serials, location) if item.tracking == Tracking.SERIAL else [None]
    costs = ledger.cost_out([(item.dealer_id, item.pk, location.site_id, quantity)])
    per_move = Decimal(1) if item.tracking == Tracking.SERIAL else quantity
    moves = [
        _move(
            item,
            location,
            target,
            per_move,
            lot,
            serial,
            move_type,
            reason,
            reference,
            effective_date,
            costs[(item.pk, location.site_id)],
        )
        for serial in serial_rows
    ]
    created = ledger.post_moves(moves=moves, actor=actor, locations=locations)
    if item.tracking == Tracking.SERIAL:
        status = SerialStatus.SCRAPPED if target_kind == LocationKind.SCRAP else SerialStatus.ISSUED
        Serial.objects.filter(pk__in=[s.pk for s in serial_rows]).update(
            status=status, location=target, site=None, updated_at=timezone.now()
        )
    return created


def _move(
    item, source, target, quantity, lot, serial, move_type, reason, reference, effective_date, unit_cost
):
    return StockMove(
        dealer_id=item.dealer_id,
        site_id=source.site_id or target.site_id,
        item=item,
        quantity=quantity,
        from_location=source,
        to_location=target,
        lot=lot,
        serial=serial,
        move_type=move_type,
        state=MoveState.DRAFT,
        reason=reason,
        reference_type=reference.type,
        reference_id=reference.id,
        reference_line_id=reference.line_id,
        document_number=reference.number,
        effective_date=effective_date,
        unit_cost=unit_cost,
    )


@transaction.atomic
def adjust_stock(*, actor: Actor, data: Mapping[str, Any]) -> list[StockMove]:
    """Correct the stock of one level: data = {item_id, location_id, quantity (signed: + found, − lost),
    unit_id?, reason, lot_id? or lot_number? (to add a new lot), serials?, unit_cost?, reference_*}."""
    problems = Problems()
    item, location, quantity, lot, serials, negative = _parse(actor, data, problems, allow_negative=True)
    reason = data.get("reason")
    if reason not in AdjustmentReason.values:
        problems.add(ValidationFailed, "reason", _("Choose a reason code."))
    if (
        item is not None
        and item.tracking == Tracking.LOT
        and lot is None
        and not (data.get("lot_number") and not negative)
    ):
        problems.add(LotRequired, "lot_id", LotRequired.message)
    problems.raise_if_any()
    reference = Reference.of(data)
    effective_date = data.get("effective_date") or timezone.localdate()
    if negative:
        return _move_out(
            actor=actor,
            item=item,
            location=location,
            quantity=quantity,
            lot=lot,
            serials=serials,
            move_type=MoveType.ADJUSTMENT,
            target_kind=LocationKind.ADJUSTMENT,
            reason=reason,
            reference=reference,
            effective_date=effective_date,
        )
    if lot is None and data.get("lot_number"):
        lot = get_or_create_lot(
            item, data["lot_number"], production_date=None, expiry_date=None, received_on=effective_date
        )
    source = get_virtual_location(item.dealer_id, LocationKind.ADJUSTMENT)
    locations = {location.pk: location, source.pk: source}
    lot_id = lot.pk if lot else None
    ledger.lock_levels({(item.pk, location.pk, lot_id), (item.pk, source.pk, lot_id)}, locations)
    serial_rows = (
        _take_serials(item, serials, location, lot, "serials") if item.tracking == Tracking.SERIAL else [None]
    )
    unit_cost = data.get("unit_cost")
    per_move = Decimal(1) if item.tracking == Tracking.SERIAL else quantity
    moves = [
        _move(
            item,
            source,
            location,
            per_move,
            lot,
            serial,
            MoveType.ADJUSTMENT,
            reason,
            reference,
            effective_date,
            unit_cost,
        )
        for serial in serial_rows
    ]
    created = ledger.post_moves(moves=moves, actor=actor, locations=locations)
    ledger.cost_in([(item.dealer_id, item.pk, location.site_id, quantity, unit_cost)])
    return created


@transaction.atomic
def scrap_stock(*, actor: Actor, data: Mapping[str, Any]) -> list[StockMove]:
    """Scrap free stock of one level: data = {item_id, location_id, quantity, unit_id?, lot_id?,
    serials?, reason?, reference_*}."""
    problems = Problems()
    item, location, quantity, lot, serials, _negative = _parse(actor, data, problems, allow_negative=False)
    if item is not None and item.tracking == Tracking.LOT and lot is None:
        problems.add(LotRequired, "lot_id", LotRequired.message)
    problems.raise_if_any()
    return _move_out(
        actor=actor,
        item=item,
        location=location,
        quantity=quantity,
        lot=lot,
        serials=serials,
        move_type=MoveType.SCRAP,
        target_kind=LocationKind.SCRAP,
        reason=data.get("reason") or AdjustmentReason.DAMAGE,
        reference=Reference.of(data),
        effective_date=data.get("effective_date") or timezone.localdate(),
    )
