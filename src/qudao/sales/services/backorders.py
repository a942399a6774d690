"""Back-orders: allocate what was short when stock arrives (automatically, on the inventory's
`inventory.stock.changed` event), on request for one order, or as a wave of pending orders served
by priority (KA first, then the oldest confirmation)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from qudao.core.errors import QudaoError
from qudao.core.scoping import Actor, require_dealer, scoped
from qudao.sales.errors import NothingToAllocate
from qudao.sales.models import SalesOrder, SalesOrderLine
from qudao.sales.services._common import check_version, lock_order, save
from qudao.sales.services.allocation import allocate_lines, record_allocation
from qudao.sales.states import OPEN_STATES

#: at most this many orders are allocated per wave (or per stock event)
WAVE_LIMIT = 500


def _allocate_locked(order: SalesOrder, *, actor: Actor, reason: str) -> Decimal:
    """Allocate the back-orders of a locked order; returns the quantity newly reserved."""
    if order.state not in OPEN_STATES or not order.has_backorder:
        raise NothingToAllocate(details={"state": order.state, "has_backorder": order.has_backorder})
    lines = list(
        SalesOrderLine.objects.filter(order=order, backordered_quantity__gt=0)
        .select_related("item")
        .order_by("pk")
    )
    needs = {ln.pk: ln.backordered_quantity for ln in lines}
    before = sum(needs.values(), Decimal(0))
    plan = allocate_lines(order, actor=actor, needs=needs, lines=lines, reason=reason)
    taken = sum((q for _k, _s, q in plan.assignments), Decimal(0))
    save(order, "allocation_plan", "site", "has_backorder")
    if taken:
        record_allocation(order, plan, actor=actor)
    return taken if before else Decimal(0)


@transaction.atomic
def allocate_order(*, actor: Actor, order_id: int, version: Any = None) -> SalesOrder:
    """Allocate the back-ordered quantities of one confirmed order now."""
    order = lock_order(actor, order_id)
    check_version(order, version)
    _allocate_locked(order, actor=actor, reason="manual")
    return order


def pending_orders(*, dealer_id: int, item_ids: Iterable[int] | None = None):
    """Open orders with back-orders, in service order: priority, then confirmation time, then id."""
    qs = SalesOrder.objects.filter(dealer_id=dealer_id, has_backorder=True, state__in=OPEN_STATES)
    if item_ids is not None:
        lines = SalesOrderLine.objects.filter(
            order=OuterRef("pk"), backordered_quantity__gt=0, item_id__in=sorted(set(item_ids))
        )
        qs = qs.filter(Exists(lines))
    return qs.order_by("-priority", "confirmed_at", "pk")


def run_wave(
    *,
    actor: Actor,
    dealer_id: int | None = None,
    order_ids: Iterable[int] | None = None,
    limit: int = WAVE_LIMIT,
) -> dict[str, Any]:
    """Allocate pending orders one by one in priority order, each in its own transaction (an order
    that fails is reported and skipped). Returns {allocated: [...], skipped: [...], still_short: n}."""
    dealer_id = require_dealer(actor, dealer_id)
    qs = scoped(pending_orders(dealer_id=dealer_id), actor, for_write=True)
    if order_ids is not None:
        qs = qs.filter(pk__in=list(order_ids))
    allocated, skipped = [], []
    for order_id, number in list(qs.values_list("pk", "number")[:limit]):
        try:
            with transaction.atomic():
                order = lock_order(actor, order_id)
                taken = _allocate_locked(order, actor=actor, reason="wave")
        except QudaoError as exc:
            skipped.append(
                {"order_id": order_id, "number": number, "code": exc.code, "message": exc.render()}
            )
            continue
        if taken:
            allocated.append({"order_id": order_id, "number": number, "quantity": str(taken)})
    still = pending_orders(dealer_id=dealer_id).count()
    return {
        "allocated": allocated,
        "skipped": skipped,
        "still_backordered": still,
        "message": _("Wave done."),
    }


def allocate_arrivals(*, dealer_id: int, item_ids: Iterable[int], actor: Actor) -> int:
    """Stock of `item_ids` changed: serve the pending orders that wait for them, by priority."""
    count = 0
    ids = list(
        pending_orders(dealer_id=dealer_id, item_ids=item_ids).values_list("pk", flat=True)[:WAVE_LIMIT]
    )
    for order_id in ids:
        try:
            with transaction.atomic():
                order = SalesOrder.objects.select_for_update(of=("self",)).get(pk=order_id)
                if _allocate_locked(order, actor=actor, reason="stock_arrived"):
                    count += 1
        except NothingToAllocate:
            continue
    return count
