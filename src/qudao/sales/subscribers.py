"""Reactions of the order center to other apps' events (delivered by the outbox after commit)."""

from __future__ import annotations

from qudao.core.events import subscriber
from qudao.core.models import OutboxEvent
from qudao.core.scoping import Actor

#: the outbox runs subscribers without a user: allocation works with full scope
SYSTEM = Actor(user_id=None, username="system", is_platform_admin=True)


@subscriber("inventory.stock.changed", name="sales.allocate_backorders_on_stock_change")
def allocate_backorders_on_stock_change(event: OutboxEvent) -> None:
    """Stock arrived (or changed): allocate the back-orders waiting for those items, by priority."""
    from qudao.sales.services import allocate_arrivals

    item_ids = event.payload.get("item_ids") or []
    if event.dealer_id is None or not item_ids:
        return
    allocate_arrivals(dealer_id=event.dealer_id, item_ids=item_ids, actor=SYSTEM)
