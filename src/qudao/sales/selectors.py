"""Reads of the order center; every one starts from `scoped(queryset, actor)`."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from qudao.core.scoping import Actor, get_scoped, scoped
from qudao.sales.models import OrderEvent, SalesOrder, SalesOrderLine


def _start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def list_orders(
    *,
    actor: Actor,
    state: str | None = None,
    channel_id: int | None = None,
    site_id: int | None = None,
    customer_id: int | None = None,
    source: str | None = None,
    created_from: date | None = None,
    created_to: date | None = None,
    has_backorder: bool | None = None,
    q: str | None = None,
    before_id: int | None = None,
) -> QuerySet[SalesOrder]:
    """Orders the actor sees, newest first. Every filter is served by a (dealer, filter, -id) index;
    `before_id` gives keyset pages (id < before_id) that stay fast deep into a million orders."""
    qs = scoped(SalesOrder.objects.all(), actor).select_related("customer")
    filters: dict[str, Any] = {
        "state": state,
        "channel_id": channel_id,
        "site_id": site_id,
        "customer_id": customer_id,
        "source": source,
        "has_backorder": has_backorder,
    }
    qs = qs.filter(**{k: v for k, v in filters.items() if v is not None})
    if created_from is not None:
        qs = qs.filter(created_at__gte=_start(created_from))
    if created_to is not None:
        qs = qs.filter(created_at__lt=_start(created_to) + timedelta(days=1))
    if q:
        # exact matches only: each side is served by an index
        qs = qs.filter(Q(number=q) | Q(external_reference=q))
    if before_id is not None:
        qs = qs.filter(pk__lt=before_id)
    return qs


def get_order(*, actor: Actor, order_id: int) -> SalesOrder:
    """One order with its lines (and items) and timeline, in three queries. It joins only what the
    answer shows: compiling wide joins costs more than running them."""
    qs = SalesOrder.objects.select_related("customer").prefetch_related(
        Prefetch("lines", queryset=SalesOrderLine.objects.select_related("item").order_by("line_no")),
        Prefetch("events", queryset=OrderEvent.objects.order_by("at", "pk")),
    )
    return get_scoped(qs, actor, pk=order_id)


def order_as_written(order: SalesOrder) -> SalesOrder | None:
    """The order a service has just written, with its lines and timeline as the service left them
    in memory (no reads back); None when the service did not keep them (then use `get_order`)."""
    lines = getattr(order, "_lines_cache", None)
    events = getattr(order, "_events_cache", None)
    if lines is None or events is None or any(line.pk is None for line in lines):
        return None
    order._prefetched_objects_cache = {
        "lines": sorted(lines, key=lambda line: line.line_no),
        "events": sorted(events, key=lambda event: (event.at, event.pk)),
    }
    return order
