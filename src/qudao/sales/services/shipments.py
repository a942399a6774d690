"""Shipments: create a draft from what is reserved at a site (or the lines asked for), ship it (the
stock leaves through the ledger, consuming the order's reservations), or cancel a draft.

Partial shipments are the normal case: an order has as many shipments as it needs, one site each; a
shipment may carry part of a line. The order is locked by every step, so what its draft and shipped
shipments hold never exceeds what was ordered, even when two clerks ship the same line at once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qudao.catalog.choices import ItemKind
from qudao.core.errors import ValidationFailed
from qudao.core.quantity import quantize_quantity
from qudao.core.scoping import Actor, scoped
from qudao.core.sequences import next_code
from qudao.core.states import transition
from qudao.inventory.services import issue_stock
from qudao.org.models import Company, Site
from qudao.sales.errors_fulfilment import NothingToShip, OrderNotOpen, OverShipment
from qudao.sales.models import SalesOrder, SalesOrderLine, Shipment, ShipmentLine, ShipmentPackage
from qudao.sales.services._common import REFERENCE, Problems, record, save
from qudao.sales.services._fulfilment import (
    ZERO,
    announce,
    check_shipment_version,
    in_drafts,
    lock_shipment,
    lock_writable_order,
    reserved_at,
    reserved_sites,
    save_shipment,
)
from qudao.sales.services.allocation import system_actor
from qudao.sales.states import OPEN_STATES, OrderState
from qudao.sales.states_fulfilment import ShipmentState


def _require_open(order: SalesOrder) -> None:
    if order.state not in OPEN_STATES:
        raise OrderNotOpen(details={"state": order.state})


def _site(actor: Actor, order: SalesOrder, site_id: Any, problems: Problems) -> Site | None:
    if site_id is None:
        sites = reserved_sites(order.pk)
        if len(sites) > 1:
            problems.add(ValidationFailed, "site_id", _("This order ships from several sites: choose one."))
            return None
        site_id = sites[0] if sites else order.site_id
        if site_id is None:
            problems.add(ValidationFailed, "site_id", _("Choose the site the shipment leaves from."))
            return None
    site = (
        scoped(Site.objects.all(), actor, for_write=True)
        .filter(pk=site_id, dealer_id=order.dealer_id)
        .first()
    )
    if site is None:
        problems.add(ValidationFailed, "site_id", _("Unknown site."))
    return site


def _header(actor: Actor, data: Mapping[str, Any], problems: Problems) -> dict[str, Any]:
    """Carrier, tracking number and notes of a request (only the keys it gives)."""
    out: dict[str, Any] = {}
    if data.get("carrier_id") is not None:
        carrier = scoped(Company.objects.filter(is_carrier=True), actor).filter(pk=data["carrier_id"]).first()
        if carrier is None:
            problems.add(ValidationFailed, "carrier_id", _("Unknown carrier."))
        else:
            out["carrier"] = carrier
            out["carrier_name"] = data.get("carrier_name") or carrier.name
    for name in ("carrier_name", "tracking_number", "notes"):
        if data.get(name) is not None:
            out[name] = data[name]
    return out


def _packages(shipment: Shipment, raw: list[Mapping[str, Any]], problems: Problems) -> list[ShipmentPackage]:
    out, seen = [], set()
    for n, package in enumerate(raw):
        number = str(package.get("number") or n + 1)
        if number in seen:
            problems.add(ValidationFailed, f"packages.{n}.number", _("Each package needs its own number."))
        seen.add(number)
        out.append(
            ShipmentPackage(
                dealer_id=shipment.dealer_id,
                shipment=shipment,
                number=number,
                weight_kg=package.get("weight_kg"),
                dimensions=package.get("dimensions") or "",
                tracking_number=package.get("tracking_number") or "",
            )
        )
    return out


def _wanted(
    order: SalesOrder, site: Site, raw_lines: list[Mapping[str, Any]] | None, problems: Problems
) -> list[tuple[SalesOrderLine, Decimal]]:
    """(order line, quantity) pairs of the new shipment; by default what is reserved at the site and
    not yet on a draft shipment."""
    lines = {ln.pk: ln for ln in SalesOrderLine.objects.filter(order=order).select_related("item")}
    drafted = in_drafts(order.pk)
    left = {pk: ln.quantity - ln.shipped_quantity - drafted.get(pk, ZERO) for pk, ln in lines.items()}
    if raw_lines is None:
        reserved = reserved_at(order.pk, site.pk)
        drafted_here = in_drafts(order.pk, site_id=site.pk)
        out = []
        for pk, ln in sorted(lines.items(), key=lambda kv: kv[1].line_no):
            quantity = min(reserved.get(pk, ZERO) - drafted_here.get(pk, ZERO), left[pk])
            if quantity > 0:
                out.append((ln, quantity))
        if not out:
            raise NothingToShip(details={"site_id": site.pk})
        return out
    out, seen = [], set()
    for n, raw in enumerate(raw_lines):
        line = lines.get(raw.get("order_line_id"))
        try:
            quantity = quantize_quantity(Decimal(str(raw.get("quantity"))))
        except (ArithmeticError, ValueError):
            quantity = ZERO
        if line is None:
            problems.add(ValidationFailed, f"lines.{n}.order_line_id", _("Not a line of this order."))
            continue
        if line.pk in seen:
            problems.add(ValidationFailed, f"lines.{n}.order_line_id", _("This line is given twice."))
            continue
        seen.add(line.pk)
        if line.item.kind == ItemKind.SERVICE:
            problems.add(ValidationFailed, f"lines.{n}.order_line_id", _("A service is not shipped."))
        elif quantity <= 0:
            problems.add(ValidationFailed, f"lines.{n}.quantity", _("Ship a positive quantity."))
        elif quantity > left[line.pk]:
            problems.add(
                OverShipment,
                f"lines.{n}.quantity",
                _("Only %(left)s left to ship on line %(line)s.")
                % {"left": quantize_quantity(max(left[line.pk], ZERO)), "line": line.line_no},
            )
        else:
            out.append((line, quantity))
    if not raw_lines:
        problems.add(ValidationFailed, "lines", _("Give at least one line."))
    return out


@transaction.atomic
def create_shipment(*, actor: Actor, order_id: int, data: Mapping[str, Any]) -> Shipment:
    """A draft shipment of an open order from one site: data = {site_id?, lines?: [{order_line_id,
    quantity}], carrier_id?, carrier_name?, tracking_number?, notes?, packages?: [{number?, weight_kg?,
    dimensions?, tracking_number?}]}. Without lines it takes everything reserved at that site."""
    order = lock_writable_order(actor, order_id)
    _require_open(order)
    problems = Problems()
    site = _site(actor, order, data.get("site_id"), problems)
    header = _header(actor, data, problems)
    problems.raise_if_any()
    wanted = _wanted(order, site, data.get("lines"), problems)
    now = timezone.now()
    shipment = Shipment(
        dealer_id=order.dealer_id, order=order, site=site, created_by_id=actor.user_id, **header
    )
    packages = _packages(shipment, list(data.get("packages") or []), problems)
    problems.raise_if_any()
    shipment.number = next_code(
        dealer_id=order.dealer_id, kind=f"sales_shipment:{now:%y%m}", prefix=f"SH-{now:%y%m}-"
    )
    shipment.save()
    ShipmentLine.objects.bulk_create(
        ShipmentLine(
            dealer_id=order.dealer_id, shipment=shipment, order_line=ln, item_id=ln.item_id, quantity=q
        )
        for ln, q in wanted
    )
    if packages:
        ShipmentPackage.objects.bulk_create(packages)
    lines = [{"line_no": ln.line_no, "quantity": str(q)} for ln, q in wanted]
    record(
        order,
        actor=actor,
        kind="shipment_created",
        message=_("Shipment %(number)s drafted at %(site)s.")
        % {"number": shipment.number, "site": site.name},
        data={"shipment_id": shipment.pk, "lines": lines},
        announce=False,
    )
    announce(shipment, "created", actor=actor, data={"lines": lines})
    return shipment


def _issued_by_line(moves) -> dict[int, list[tuple[int | None, Decimal, list[str]]]]:
    """Per order line: (lot, quantity, serial numbers) of the moves that left."""
    grouped: dict[int, dict[int | None, list]] = defaultdict(dict)
    for move in moves:
        entry = grouped[move.reference_line_id].setdefault(move.lot_id, [ZERO, []])
        entry[0] += move.quantity
        if move.serial_id:
            entry[1].append(move.serial.serial_number)
    return {
        line_id: [
            (lot, quantity, sorted(serials)) for lot, (quantity, serials) in sorted(lots.items(), key=str)
        ]
        for line_id, lots in grouped.items()
    }


def _split_by_lot(shipment: Shipment, lines: list[ShipmentLine], issued) -> None:
    """A shipment line that left in several lots becomes one line per lot (returns know the lot)."""
    extra = []
    for line in lines:
        parts = issued.get(line.order_line_id) or [(None, line.quantity, [])]
        (lot, quantity, serials), rest = parts[0], parts[1:]
        line.lot_id, line.quantity, line.serial_numbers = lot, quantity, serials
        line.save(update_fields=["lot", "quantity", "serial_numbers", "updated_at"])
        extra += [
            ShipmentLine(
                dealer_id=shipment.dealer_id,
                shipment=shipment,
                order_line_id=line.order_line_id,
                item_id=line.item_id,
                quantity=q,
                lot_id=lot_id,
                serial_numbers=numbers,
            )
            for lot_id, q, numbers in rest
        ]
    if extra:
        ShipmentLine.objects.bulk_create(extra)


@transaction.atomic
def ship_shipment(
    *, actor: Actor, shipment_id: int, data: Mapping[str, Any] | None = None, version: Any = None
) -> Shipment:
    """Ship a draft: its stock is issued from the site (the order's reservations there are consumed
    first, the rest must be free, FEFO), shipped quantities grow and the order is processing. `data`
    may set the carrier, tracking number and packages at the last moment."""
    order, shipment = lock_shipment(actor, shipment_id)
    check_shipment_version(shipment, version)
    transition(shipment, to=ShipmentState.SHIPPED)
    _require_open(order)
    problems = Problems()
    header = _header(actor, data or {}, problems)
    packages = _packages(shipment, list((data or {}).get("packages") or []), problems)
    problems.raise_if_any()
    lines = list(shipment.lines.select_related("order_line").order_by("pk"))
    for n, line in enumerate(lines):
        order_line = line.order_line
        if order_line.shipped_quantity + line.quantity > order_line.quantity:
            problems.add(
                OverShipment,
                f"lines.{n}.quantity",
                _("Only %(left)s left to ship on line %(line)s.")
                % {"left": order_line.quantity - order_line.shipped_quantity, "line": order_line.line_no},
            )
    problems.raise_if_any()
    before = reserved_at(order.pk, shipment.site_id)
    moves = issue_stock(
        actor=system_actor(actor),
        data={
            "move_type": "sale_issue",
            "reference_type": REFERENCE,
            "reference_id": order.pk,
            "document_number": shipment.number,
            "effective_date": timezone.localdate(),
            "lines": [
                {
                    "item_id": line.item_id,
                    "site_id": shipment.site_id,
                    "quantity": line.quantity,
                    "reference_line_id": line.order_line_id,
                }
                for line in lines
            ],
        },
    )
    after = reserved_at(order.pk, shipment.site_id)
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for line in lines:
        totals[line.order_line_id] += line.quantity
    shipped = [{"line_no": ln.order_line.line_no, "quantity": str(ln.quantity)} for ln in lines]
    _split_by_lot(shipment, lines, _issued_by_line(moves))
    _apply_to_order(order, totals, before, after)
    for name, value in header.items():
        setattr(shipment, name, value)
    if packages:
        shipment.packages.all().delete()
        ShipmentPackage.objects.bulk_create(packages)
    shipment.shipped_at = timezone.now()
    save_shipment(shipment, "state", "shipped_at", *header)
    was = order.state
    if order.state == OrderState.CONFIRMED:
        transition(order, to=OrderState.PROCESSING)
    save(order, "state", "has_backorder")
    message = _("Shipment %(number)s shipped from %(site)s.") % {
        "number": shipment.number,
        "site": shipment.site.name,
    }
    data_out = {"shipment_id": shipment.pk, "lines": shipped, "tracking_number": shipment.tracking_number}
    record(order, actor=actor, kind="shipment_shipped", message=message, data=data_out, announce=False)
    if was != order.state:
        record(order, actor=actor, kind="processing", message=_("Order in process: goods on the way."))
    announce(shipment, "shipped", actor=actor, data={"lines": shipped})
    return shipment


def _apply_to_order(order: SalesOrder, shipped: Mapping[int, Decimal], before, after) -> None:
    """Shipped quantities grow; what the ship consumed of the reservations is no longer reserved; a
    back-order shrinks when free stock covered it."""
    order_lines = {ln.pk: ln for ln in SalesOrderLine.objects.filter(order=order)}
    for pk, quantity in shipped.items():
        ln = order_lines[pk]
        ln.shipped_quantity += quantity
        ln.reserved_quantity = max(ln.reserved_quantity - (before.get(pk, ZERO) - after.get(pk, ZERO)), ZERO)
        ln.reserved_quantity = min(ln.reserved_quantity, ln.quantity - ln.shipped_quantity)
        ln.backordered_quantity = max(
            min(ln.backordered_quantity, ln.quantity - ln.shipped_quantity - ln.reserved_quantity), ZERO
        )
        ln.save(update_fields=["shipped_quantity", "reserved_quantity", "backordered_quantity", "updated_at"])
    order.has_backorder = any(ln.backordered_quantity > 0 for ln in order_lines.values())


@transaction.atomic
def cancel_shipment(*, actor: Actor, shipment_id: int, version: Any = None, reason: str = "") -> Shipment:
    """Cancel a draft shipment: nothing has left; the order's reservations stay for the next one."""
    order, shipment = lock_shipment(actor, shipment_id)
    check_shipment_version(shipment, version)
    transition(shipment, to=ShipmentState.CANCELLED)
    shipment.cancelled_at = timezone.now()
    if reason:
        shipment.notes = f"{shipment.notes}\n{reason}".strip()
    save_shipment(shipment, "state", "cancelled_at", "notes")
    record(
        order,
        actor=actor,
        kind="shipment_cancelled",
        message=_("Shipment %(number)s cancelled. %(reason)s")
        % {"number": shipment.number, "reason": reason},
        data={"shipment_id": shipment.pk, "reason": reason},
        announce=False,
    )
    announce(shipment, "cancelled", actor=actor, data={"reason": reason})
    return shipment


def cancel_order_drafts(order: SalesOrder, *, actor: Actor) -> list[Shipment]:
    """The draft shipments of an order being cancelled (the caller holds the order's lock)."""
    drafts = list(
        Shipment.objects.select_for_update(of=("self",))
        .filter(order=order, state=ShipmentState.DRAFT)
        .order_by("pk")
    )
    for shipment in drafts:
        transition(shipment, to=ShipmentState.CANCELLED)
        shipment.cancelled_at = timezone.now()
        save_shipment(shipment, "state", "cancelled_at")
        announce(shipment, "cancelled", actor=actor, data={"reason": "order_cancelled"})
    return drafts
