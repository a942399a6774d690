"""What every order service does: lock the order in the actor's write scope, check the version,
record a timeline entry and announce the change (outbox)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.utils import timezone

from qudao.core.bulk import insert_rows
from qudao.core.errors import QudaoError, StaleVersion, ValidationFailed
from qudao.core.events import emit, emit_each
from qudao.core.scoping import Actor, get_scoped
from qudao.sales.models import OrderEvent, SalesOrder

REFERENCE = "sales.order"


class Problems:
    """Collects field errors of a request; raises one error listing all of them."""

    def __init__(self) -> None:
        self.errors: list[tuple[type[QudaoError], dict[str, Any]]] = []

    def add(self, error: type[QudaoError], field: str, message: Any) -> None:
        self.errors.append((error, {"field": field, "code": error.code, "message": str(message)}))

    def raise_if_any(self) -> None:
        if not self.errors:
            return
        kinds = {error for error, _detail in self.errors}
        error = kinds.pop() if len(kinds) == 1 else ValidationFailed
        raise error(details=[detail for _error, detail in self.errors])

    def __bool__(self) -> bool:
        return bool(self.errors)


def lock_order(actor: Actor, order_id: int) -> SalesOrder:
    """The order (404 outside the actor's write scope), locked: one service at a time per order."""
    found = get_scoped(SalesOrder.objects.only("pk"), actor, for_write=True, pk=order_id)
    return SalesOrder.objects.select_for_update(of=("self",)).get(pk=found.pk)


def check_version(order: SalesOrder, version: Any) -> None:
    if version is not None and int(version) != order.version:
        raise StaleVersion(details={"version": order.version})


def record(
    order: SalesOrder,
    *,
    actor: Actor,
    kind: str,
    message: Any = "",
    data: dict[str, Any] | None = None,
    announce: bool = True,
) -> OrderEvent:
    """A timeline entry; for a transition also the outbox event `sales.order.<kind>`."""
    payload = {"order_id": order.pk, "state": order.state, **(data or {})}
    event = OrderEvent.objects.create(
        dealer_id=order.dealer_id,
        order=order,
        at=timezone.now(),
        actor_id=actor.user_id,
        kind=kind,
        message=str(message)[:500],
        data=data or {},
    )
    if announce:
        emit(f"sales.order.{kind}", payload, dealer_id=order.dealer_id, actor_id=actor.user_id)
    order.__dict__.setdefault("_events_cache", []).append(event)
    return event


def record_many(
    order: SalesOrder, *, actor: Actor, entries: list[tuple[str, Any, dict[str, Any], str]]
) -> list[OrderEvent]:
    """`record` for several steps of one request at once — (kind, message, data, order state at
    that step) each, in order — in one INSERT for the timeline and one for the outbox events."""
    events = []
    for kind, message, data, _state in entries:
        events.append(
            OrderEvent(
                dealer_id=order.dealer_id,
                order=order,
                at=timezone.now(),
                actor_id=actor.user_id,
                kind=kind,
                message=str(message)[:500],
                data=data or {},
            )
        )
    insert_rows(events)
    emit_each(
        [
            (f"sales.order.{kind}", {"order_id": order.pk, "state": state, **(data or {})})
            for kind, _message, data, state in entries
        ],
        dealer_id=order.dealer_id,
        actor_id=actor.user_id,
    )
    order.__dict__.setdefault("_events_cache", []).extend(events)
    return events


def save(order: SalesOrder, *fields: str, bump: bool = True) -> None:
    if bump:
        order.version += 1
        fields = (*fields, "version")
    order.save(update_fields=[*fields, "updated_at"])


def ids(values) -> list[int]:
    out = set()
    for value in values:
        if isinstance(value, bool) or value is None:
            continue
        try:
            out.add(int(value))
        except (TypeError, ValueError):
            continue
    return sorted(out)


def as_model(value: Any, model: type[Model]) -> Any:
    return value if isinstance(value, model) else None
