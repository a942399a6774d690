"""Completing an order: every line delivered → done; the customer's rebate volume is recorded per
line (pricing, idempotent per source line). Fulfilment calls this once the last delivery is
confirmed; it is also an API/console step for orders delivered outside Qudao."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qudao.catalog.choices import ItemKind
from qudao.core.scoping import Actor
from qudao.core.states import transition
from qudao.sales import pricing_bridge
from qudao.sales.errors import NotDelivered
from qudao.sales.models import SalesOrder, SalesOrderLine
from qudao.sales.services._common import check_version, lock_order, record, save
from qudao.sales.states import OrderState


@transaction.atomic
def complete_order(*, actor: Actor, order_id: int, version: Any = None) -> SalesOrder:
    """Mark a confirmed (or processing) order done once every goods line is delivered."""
    order = lock_order(actor, order_id)
    check_version(order, version)
    if order.state == OrderState.DONE:
        transition(order, to=OrderState.DONE)  # raises invalid_transition
    lines = list(SalesOrderLine.objects.filter(order=order).select_related("item").order_by("line_no"))
    open_lines = [
        ln.line_no for ln in lines if ln.item.kind != ItemKind.SERVICE and ln.delivered_quantity < ln.quantity
    ]
    if open_lines:
        raise NotDelivered(details={"lines": open_lines})
    transition(order, to=OrderState.DONE)
    order.done_at = timezone.now()
    save(order, "state", "done_at")
    on = timezone.localdate(order.done_at)
    for line in lines:
        if line.amount > 0:
            pricing_bridge.record_rebate_volume(
                actor=actor,
                dealer_id=order.dealer_id,
                customer_id=order.customer_id,
                on=on,
                amount=line.amount,
                source_id=order.pk,
                source_line_id=line.pk,
            )
    record(order, actor=actor, kind="done", message=_("Order completed."), data={"total": str(order.total)})
    return order
