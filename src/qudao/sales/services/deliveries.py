"""Delivery confirmation: the customer signs for a shipped shipment (proof: signer, time, place, photo);
delivered quantities grow, the order's delivery state follows, and the order completes (rebate volume
recorded) once every goods line is delivered."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qudao.catalog.choices import ItemKind
from qudao.core.errors import ValidationFailed
from qudao.core.quantity import quantize_quantity
from qudao.core.scoping import Actor
from qudao.core.states import transition
from qudao.sales.errors_fulfilment import InvalidPhoto
from qudao.sales.models import DeliveryProof, SalesOrder, SalesOrderLine, Shipment
from qudao.sales.services._common import Problems, record, save
from qudao.sales.services._fulfilment import (
    ZERO,
    announce,
    check_shipment_version,
    lock_shipment,
    save_shipment,
)
from qudao.sales.services.allocation import system_actor
from qudao.sales.services.completion import complete_order
from qudao.sales.states import DeliveryState
from qudao.sales.states_fulfilment import ShipmentState

MAX_PHOTO_BYTES = 10 * 1024 * 1024
#: a phone's clock may run a little ahead of the server's
CLOCK_SKEW = timedelta(minutes=2)


def photo_kind(head: bytes) -> str | None:
    """The image type by its magic bytes (never by the file name or the declared content type)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def _decimal(value: Any, field: str, problems: Problems, low: Decimal, high: Decimal, places: int):
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite() or not low <= number <= high:
        problems.add(
            ValidationFailed, field, _("Give a number from %(low)s to %(high)s.") % {"low": low, "high": high}
        )
        return None
    return number.quantize(Decimal(1).scaleb(-places))


def _photo(photo: Any, problems: Problems) -> tuple[Any, str] | None:
    if not photo:
        return None
    size = getattr(photo, "size", None)
    if size is None or size > MAX_PHOTO_BYTES or size == 0:
        problems.add(InvalidPhoto, "photo", InvalidPhoto.message)
        return None
    photo.seek(0)
    kind = photo_kind(photo.read(12))
    photo.seek(0)
    if kind is None:
        problems.add(InvalidPhoto, "photo", InvalidPhoto.message)
        return None
    return photo, kind


def _signed_at(value: Any, problems: Problems) -> datetime | None:
    now = timezone.now()
    if value is None:
        return now
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            value = None
    if not isinstance(value, datetime) or timezone.is_naive(value):
        problems.add(ValidationFailed, "signed_at", _("Give the date and time with its time zone."))
        return None
    if value > now + CLOCK_SKEW:
        problems.add(ValidationFailed, "signed_at", _("The signature cannot be in the future."))
        return None
    return value


def _delivered(shipment: Shipment, raw_lines: Any, problems: Problems) -> dict[int, Decimal]:
    """Delivered quantity per shipment line: every line in full, except those named in `lines`."""
    lines = {line.pk: line for line in shipment.lines.all()}
    out = {pk: line.quantity for pk, line in lines.items()}
    seen = set()
    for n, raw in enumerate(raw_lines or []):
        line = lines.get(raw.get("shipment_line_id"))
        if line is None or line.pk in seen:
            problems.add(ValidationFailed, f"lines.{n}.shipment_line_id", _("Not a line of this shipment."))
            continue
        seen.add(line.pk)
        try:
            quantity = quantize_quantity(Decimal(str(raw.get("quantity"))))
        except (ArithmeticError, ValueError):
            quantity = Decimal(-1)
        if not ZERO <= quantity <= line.quantity:
            problems.add(
                ValidationFailed,
                f"lines.{n}.quantity",
                _("Deliver from 0 to %(quantity)s.") % {"quantity": line.quantity},
            )
            continue
        out[line.pk] = quantity
    if not problems and not any(out.values()):
        problems.add(ValidationFailed, "lines", _("Nothing was delivered: record at least one quantity."))
    return out


def _parse(data: Mapping[str, Any], shipment: Shipment, problems: Problems) -> dict[str, Any]:
    signer = str(data.get("signer_name") or "").strip()
    if not signer:
        problems.add(ValidationFailed, "signer_name", _("Who signed for the goods?"))
    elif len(signer) > 100:
        problems.add(ValidationFailed, "signer_name", _("At most 100 characters."))
    latitude = _decimal(data.get("latitude"), "latitude", problems, Decimal(-90), Decimal(90), 6)
    longitude = _decimal(data.get("longitude"), "longitude", problems, Decimal(-180), Decimal(180), 6)
    if (data.get("latitude") is None) != (data.get("longitude") is None):
        problems.add(ValidationFailed, "longitude", _("Give both latitude and longitude, or neither."))
    note = str(data.get("note") or "").strip()
    if len(note) > 500:
        problems.add(ValidationFailed, "note", _("At most 500 characters."))
    return {
        "signer_name": signer,
        "signed_at": _signed_at(data.get("signed_at"), problems),
        "latitude": latitude,
        "longitude": longitude,
        "accuracy_m": _decimal(data.get("accuracy_m"), "accuracy_m", problems, ZERO, Decimal(100_000), 1),
        "note": note,
        "photo": _photo(data.get("photo"), problems),
        "delivered": _delivered(shipment, data.get("lines"), problems),
    }


@transaction.atomic
def confirm_delivery(
    *, actor: Actor, shipment_id: int, data: Mapping[str, Any], version: Any = None
) -> Shipment:
    """Record the proof of delivery of a shipped shipment: data = {signer_name, signed_at?, latitude?,
    longitude?, accuracy_m?, photo?, note?, lines?: [{shipment_line_id, quantity}]}. Lines not named are
    delivered in full; a named line with less (even 0) was partly refused at the door and stays
    shipped-not-delivered on the order (a return or a new delivery settles it)."""
    order, shipment = lock_shipment(actor, shipment_id)
    check_shipment_version(shipment, version)
    transition(shipment, to=ShipmentState.DELIVERED)
    problems = Problems()
    parsed = _parse(data, shipment, problems)
    problems.raise_if_any()
    proof = DeliveryProof(
        dealer_id=shipment.dealer_id,
        shipment=shipment,
        captured_by_id=actor.user_id,
        **{k: parsed[k] for k in ("signer_name", "signed_at", "latitude", "longitude", "accuracy_m", "note")},
    )
    if parsed["photo"] is not None:
        photo, kind = parsed["photo"]
        proof.photo.save(f"{shipment.number}-{uuid.uuid4().hex[:12]}.{kind}", photo, save=False)
    proof.save()
    per_order_line: dict[int, Decimal] = defaultdict(Decimal)
    for line in shipment.lines.all():
        quantity = parsed["delivered"][line.pk]
        if quantity:
            line.delivered_quantity = quantity
            line.save(update_fields=["delivered_quantity", "updated_at"])
            per_order_line[line.order_line_id] += quantity
    shipment.delivered_at = parsed["signed_at"]
    save_shipment(shipment, "state", "delivered_at")
    was = order.delivery_state
    delivered = _apply_to_order(order, per_order_line)
    record(
        order,
        actor=actor,
        kind="shipment_delivered",
        message=_("Shipment %(number)s delivered, signed by %(signer)s.")
        % {"number": shipment.number, "signer": proof.signer_name},
        data={"shipment_id": shipment.pk, "lines": delivered, "signer_name": proof.signer_name},
        announce=False,
    )
    if order.delivery_state != was:
        kind = "delivered" if order.delivery_state == DeliveryState.FULL else "partially_delivered"
        record(order, actor=actor, kind=kind, message=DeliveryState(order.delivery_state).label)
    announce(shipment, "delivered", actor=actor, data={"lines": delivered, "signed_at": str(proof.signed_at)})
    if order.delivery_state == DeliveryState.FULL:
        complete_order(actor=system_actor(actor), order_id=order.pk)
    return shipment


def _apply_to_order(order: SalesOrder, per_order_line: Mapping[int, Decimal]) -> list[dict[str, Any]]:
    """Delivered quantities of the order lines grow; the order's delivery state follows."""
    lines = list(SalesOrderLine.objects.filter(order=order).select_related("item").order_by("line_no"))
    out = []
    for line in lines:
        quantity = per_order_line.get(line.pk)
        if quantity:
            line.delivered_quantity += quantity
            line.save(update_fields=["delivered_quantity", "updated_at"])
            out.append({"line_no": line.line_no, "quantity": str(quantity)})
    goods = [line for line in lines if line.item.kind != ItemKind.SERVICE]
    if goods and all(line.delivered_quantity >= line.quantity for line in goods):
        state = DeliveryState.FULL
    elif any(line.delivered_quantity > 0 for line in goods):
        state = DeliveryState.PARTIAL
    else:
        state = DeliveryState.NONE
    if state != order.delivery_state:
        order.delivery_state = state
        save(order, "delivery_state")
    return out
