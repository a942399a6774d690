"""What the fulfilment services share: locking an order and its shipment in the actor's write scope,
the shipment's version, its outbox events, and the quantity each order line has left to ship."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from qudao.core.errors import NotFound, StaleVersion
from qudao.core.events import emit
from qudao.core.scoping import Actor, get_scoped
from qudao.inventory.choices import ReservationState
from qudao.inventory.models import Reservation
from qudao.sales.models import SalesOrder, Shipment, ShipmentLine
from qudao.sales.services._common import REFERENCE
from qudao.sales.states_fulfilment import ShipmentState

ZERO = Decimal(0)


def lock_writable_order(actor: Actor, order_id: Any) -> SalesOrder:
    """The order, locked, when the actor works for its dealer (a user limited to some sites ships from
    those sites; the site is checked by the caller). Brand readers and other dealers get 404."""
    found = get_scoped(SalesOrder.objects.only("pk", "dealer_id"), actor, pk=order_id)
    if not actor.is_platform_admin and found.dealer_id not in actor.own_dealers:
        raise NotFound()
    return SalesOrder.objects.select_for_update(of=("self",)).get(pk=found.pk)


def lock_shipment(actor: Actor, shipment_id: Any) -> tuple[SalesOrder, Shipment]:
    """The shipment (404 outside the actor's write scope) and its order, both locked: order first,
    as every order service does, so a shipment and its order never deadlock."""
    found = get_scoped(Shipment.objects.only("pk", "order_id"), actor, for_write=True, pk=shipment_id)
    order = SalesOrder.objects.select_for_update(of=("self",)).get(pk=found.order_id)
    shipment = Shipment.objects.select_for_update(of=("self",)).select_related("site").get(pk=found.pk)
    return order, shipment


def check_shipment_version(shipment: Shipment, version: Any) -> None:
    if version is not None and int(version) != shipment.version:
        raise StaleVersion(details={"version": shipment.version})


def save_shipment(shipment: Shipment, *fields: str) -> None:
    shipment.version += 1
    shipment.save(update_fields=[*fields, "version", "updated_at"])


def announce(shipment: Shipment, kind: str, *, actor: Actor, data: dict[str, Any] | None = None) -> None:
    """The outbox event `sales.shipment.<kind>` (delivered after commit)."""
    payload = {
        "shipment_id": shipment.pk,
        "number": shipment.number,
        "order_id": shipment.order_id,
        "site_id": shipment.site_id,
        "state": shipment.state,
        **(data or {}),
    }
    emit(f"sales.shipment.{kind}", payload, dealer_id=shipment.dealer_id, actor_id=actor.user_id)


def in_drafts(order_id: int, *, site_id: int | None = None, exclude: int | None = None) -> dict[int, Decimal]:
    """Quantity per order line already on draft shipments of the order (optionally of one site)."""
    qs = ShipmentLine.objects.filter(shipment__order_id=order_id, shipment__state=ShipmentState.DRAFT)
    if site_id is not None:
        qs = qs.filter(shipment__site_id=site_id)
    if exclude is not None:
        qs = qs.exclude(shipment_id=exclude)
    rows = qs.values("order_line_id").annotate(total=Sum("quantity")).order_by()
    return {row["order_line_id"]: row["total"] for row in rows}


def reserved_at(order_id: int, site_id: int) -> dict[int, Decimal]:
    """The order's active reservations at a site, per order line."""
    out: dict[int, Decimal] = defaultdict(Decimal)
    rows = Reservation.objects.filter(
        reference_type=REFERENCE, reference_id=order_id, site_id=site_id, state=ReservationState.ACTIVE
    ).values_list("reference_line_id", "quantity")
    for line_id, quantity in rows:
        if line_id is not None:
            out[line_id] += quantity
    return out


def reserved_sites(order_id: int) -> list[int]:
    return sorted(
        set(
            Reservation.objects.filter(
                reference_type=REFERENCE, reference_id=order_id, state=ReservationState.ACTIVE
            ).values_list("site_id", flat=True)
        )
    )
