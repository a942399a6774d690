"""The transactional outbox: `emit()` inside a transaction, delivery after commit, with retries.

    @subscriber("catalog.item.created")
    def index_item(event: OutboxEvent) -> None: ...

    emit("catalog.item.created", {"item_id": item.pk}, dealer_id=item.dealer_id, actor_id=user.pk)

`emit` writes one OutboxEvent and one OutboxDelivery per subscriber of that topic, in the caller's
transaction. After commit, a Huey task delivers it; a rolled-back change leaves nothing to send.
Each subscriber is retried on its own with exponential backoff; a periodic sweep picks up
anything whose task was lost (a crashed worker), so an event is never lost.
"""

from __future__ import annotations

import fnmatch
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from qudao.core.bulk import insert_rows
from qudao.core.models import OutboxDelivery, OutboxEvent, OutboxState

logger = logging.getLogger(__name__)

Handler = Callable[[OutboxEvent], None]
_SUBSCRIBERS: dict[str, tuple[str, Handler]] = {}


def subscriber(pattern: str, *, name: str | None = None) -> Callable[[Handler], Handler]:
    """Register `handler` for topics matching `pattern` (fnmatch, e.g. "sales.order.*")."""

    def register(handler: Handler) -> Handler:
        key = name or f"{handler.__module__}.{handler.__qualname__}"
        _SUBSCRIBERS[key] = (pattern, handler)
        return handler

    return register


def unsubscribe(name: str) -> None:
    _SUBSCRIBERS.pop(name, None)


def subscribers_for(topic: str) -> list[str]:
    return sorted(key for key, (pattern, _) in _SUBSCRIBERS.items() if fnmatch.fnmatchcase(topic, pattern))


def emit(
    topic: str, payload: dict[str, Any], *, dealer_id: int | None = None, actor_id: int | None = None
) -> OutboxEvent:
    """Write an event in the current transaction; it is delivered after commit."""
    event = OutboxEvent.objects.create(topic=topic, payload=payload, dealer_id=dealer_id, actor_id=actor_id)
    names = subscribers_for(topic)
    if names:
        OutboxDelivery.objects.bulk_create(OutboxDelivery(event=event, subscriber=n) for n in names)
        transaction.on_commit(lambda: _enqueue(event.pk))
    return event


def emit_many(
    topic: str, payloads: list[dict[str, Any]], *, dealer_id: int | None = None, actor_id: int | None = None
) -> list[OutboxEvent]:
    """`emit` for many events of one topic: two INSERTs whatever their number (batch jobs)."""
    if not payloads:
        return []
    events = OutboxEvent.objects.bulk_create(
        [OutboxEvent(topic=topic, payload=p, dealer_id=dealer_id, actor_id=actor_id) for p in payloads]
    )
    names = subscribers_for(topic)
    if names:
        OutboxDelivery.objects.bulk_create(
            OutboxDelivery(event=e, subscriber=n) for e in events for n in names
        )
        ids = [event.pk for event in events]
        transaction.on_commit(lambda: [_enqueue(pk) for pk in ids])
    return events


def emit_each(
    events: list[tuple[str, dict[str, Any]]], *, dealer_id: int | None = None, actor_id: int | None = None
) -> list[OutboxEvent]:
    """`emit` for several events of any topics written together (one change announced in steps,
    e.g. an order created and confirmed in one request): one INSERT for the events, one for their
    deliveries (if any), in the given order."""
    if not events:
        return []
    rows = insert_rows(
        [OutboxEvent(topic=t, payload=p, dealer_id=dealer_id, actor_id=actor_id) for t, p in events]
    )
    deliveries = [OutboxDelivery(event=e, subscriber=n) for e in rows for n in subscribers_for(e.topic)]
    if deliveries:
        insert_rows(deliveries)
        ids = sorted({d.event.pk for d in deliveries})
        transaction.on_commit(lambda: [_enqueue(pk) for pk in ids])
    return rows


def _enqueue(event_id: int) -> None:
    from qudao.core.tasks import deliver_event_task

    deliver_event_task(event_id)


def backoff(attempts: int) -> timedelta:
    base = settings.QUDAO["OUTBOX_BACKOFF_SECONDS"]
    return timedelta(seconds=min(base * (2 ** max(attempts - 1, 0)), 3600))


def deliver_event(event_id: int) -> int:
    """Deliver every due delivery of one event. Returns how many succeeded."""
    now = timezone.now()
    due = OutboxDelivery.objects.filter(
        event_id=event_id, state__in=[OutboxState.PENDING, OutboxState.FAILED], next_attempt_at__lte=now
    ).values_list("pk", flat=True)
    return sum(1 for pk in list(due) if deliver_one(pk))


def deliver_one(delivery_id: int) -> bool:
    """Run one subscriber for one event, under a row lock so two workers never both run it."""
    max_attempts = settings.QUDAO["OUTBOX_MAX_ATTEMPTS"]
    with transaction.atomic():
        delivery = (
            OutboxDelivery.objects.select_for_update(skip_locked=True)
            .select_related("event")
            .filter(pk=delivery_id, state__in=[OutboxState.PENDING, OutboxState.FAILED])
            .first()
        )
        if delivery is None:
            return False
        entry = _SUBSCRIBERS.get(delivery.subscriber)
        delivery.attempts += 1
        try:
            if entry is None:
                raise LookupError(f"no subscriber named {delivery.subscriber!r} is registered")
            with transaction.atomic():
                entry[1](delivery.event)
        except Exception as exc:  # a subscriber's failure must not stop the others: record and retry
            logger.warning("outbox delivery %s failed: %s", delivery.pk, exc)
            delivery.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if delivery.attempts >= max_attempts:
                delivery.state = OutboxState.DEAD
            else:
                delivery.state = OutboxState.FAILED
                delivery.next_attempt_at = timezone.now() + backoff(delivery.attempts)
            delivery.save(update_fields=["attempts", "last_error", "state", "next_attempt_at"])
            return False
        delivery.state = OutboxState.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.last_error = ""
        delivery.save(update_fields=["attempts", "last_error", "state", "delivered_at"])
        return True


def deliver_due(limit: int = 500) -> int:
    """The sweep: deliver everything due (lost tasks, retries whose backoff has passed)."""
    ids = list(
        OutboxDelivery.objects.filter(
            state__in=[OutboxState.PENDING, OutboxState.FAILED], next_attempt_at__lte=timezone.now()
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in ids if deliver_one(pk))


def retry_delivery(delivery: OutboxDelivery) -> None:
    """An operator's retry of a dead delivery (console action)."""
    OutboxDelivery.objects.filter(pk=delivery.pk).update(
        state=OutboxState.PENDING, next_attempt_at=timezone.now(), attempts=0
    )
    transaction.on_commit(lambda: _enqueue(delivery.event_id))
