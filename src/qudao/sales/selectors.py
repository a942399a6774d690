"""Reads of the order center; every one starts from `scoped(queryset, actor)`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from qudao.catalog.models import Category, Item, UnitOfMeasure
from qudao.core.bulk import RowLoader, fetch, in_sql
from qudao.core.scoping import Actor, get_scoped, scope_sql, scoped
from qudao.parties.models import Address, Customer
from qudao.sales.models import OrderEvent, SalesOrder, SalesOrderLine, SalesSettings


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


# --- the intake's reads: hand-written SQL on the hot path (each one query, scope included) ---------

_CUSTOMERS = RowLoader(Customer, "c")
_ADDRESSES = RowLoader(Address, "a")
_SETTINGS = RowLoader(SalesSettings, "s")
_ITEMS = RowLoader(Item, "i")
_UNITS = RowLoader(UnitOfMeasure, "u")


def _id(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def get_customer_for_order(
    *, actor: Actor, customer_id: Any, dealer_id: int | None = None
) -> Customer | None:
    """The customer the actor may order for (write scope), or None — with, from the same query, its
    default shipping address (`customer._default_shipping`, None if it has none) and its dealer's
    sales settings (`customer._sales_settings`, the defaults when the dealer has no row)."""
    pk = _id(customer_id)
    scope = scope_sql(Customer, actor, alias="c", for_write=True)
    if pk is None or scope is None:
        qs = scoped(Customer.objects.all(), actor, for_write=True)
        qs = qs if dealer_id is None else qs.filter(dealer_id=dealer_id)
        return qs.filter(pk=pk).first() if pk is not None else None
    quote = connection.ops.quote_name
    address_table = quote(Address._meta.db_table)
    settings_table = quote(SalesSettings._meta.db_table)
    where, params = [f"c.{quote('id')} = %s", scope[0]], ["shipping", pk, *scope[1]]
    if dealer_id is not None:
        where.append(f"c.{quote('dealer_id')} = %s")
        params.append(dealer_id)
    rows = fetch(
        f"SELECT {_CUSTOMERS.columns}, {_ADDRESSES.columns}, {_SETTINGS.columns} "  # noqa: S608 (model metadata)
        f"FROM {quote(Customer._meta.db_table)} c "
        f"LEFT JOIN {address_table} a ON a.{quote('id')} = (SELECT a2.{quote('id')} FROM {address_table} a2 "
        f"WHERE a2.{quote('customer_id')} = c.{quote('id')} AND a2.{quote('kind')} = %s "
        f"ORDER BY a2.{quote('is_default')} DESC, a2.{quote('id')} LIMIT 1) "
        f"LEFT JOIN {settings_table} s ON s.{quote('dealer_id')} = c.{quote('dealer_id')} "
        f"WHERE {' AND '.join(where)}",
        params,
    )
    if not rows:
        return None
    customer, end = _CUSTOMERS.load(rows[0])
    address, end = _ADDRESSES.load(rows[0], end)
    settings, _end = _SETTINGS.load(rows[0], end)
    customer._default_shipping = address
    customer._sales_settings = settings or SalesSettings(dealer_id=customer.dealer_id)
    return customer


def list_items_for_order(*, actor: Actor, dealer_id: int, item_ids: Sequence[int]) -> dict[int, Item]:
    """The dealer's items the actor may write, with their base unit (and their category's path,
    `_category_path`), by id (one query)."""
    scope = scope_sql(Item, actor, alias="i", for_write=True)
    if scope is None or not item_ids:
        qs = scoped(Item.objects.select_related("base_unit"), actor, for_write=True)
        return {i.pk: i for i in qs.filter(pk__in=list(item_ids), dealer_id=dealer_id)}
    quote = connection.ops.quote_name
    ids_sql, ids_params = in_sql(f"i.{quote('id')}", sorted(set(item_ids)))
    rows = fetch(
        f"SELECT {_ITEMS.columns}, {_UNITS.columns}, c.{quote('path')} FROM {quote(Item._meta.db_table)} i "  # noqa: S608 (model metadata)
        f"JOIN {quote(UnitOfMeasure._meta.db_table)} u ON u.{quote('id')} = i.{quote('base_unit_id')} "
        f"LEFT JOIN {quote(Category._meta.db_table)} c ON c.{quote('id')} = i.{quote('category_id')} "
        f"WHERE i.{quote('dealer_id')} = %s AND {ids_sql} AND {scope[0]}",
        [dealer_id, *ids_params, *scope[1]],
    )
    out = {}
    base_unit = Item._meta.get_field("base_unit")
    for row in rows:
        item, end = _ITEMS.load(row)
        unit, end = _UNITS.load(row, end)
        base_unit.set_cached_value(item, unit)
        item._category_path = row[end]  # for the pricing engine (pricing_bridge.price_basket)
        out[item.pk] = item
    return out
