"""Writing the checked and priced orders of an import in a few statements: numbers in one block
(core.sequences.next_numbers), the orders, their lines and their timeline entries as multi-row
inserts (COPY on PostgreSQL), one `sales.order.created` outbox event per order (emit_many).

Rows are built from the models' own fields: a value the import does not set takes the field's
default, so a field added to the order models later is written as Django would write it."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import JSONField, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from qudao.catalog.models import Item
from qudao.core.events import emit_many
from qudao.core.money import RATE_PLACES, quantize
from qudao.core.scoping import Actor
from qudao.core.sequences import format_number, next_numbers
from qudao.org.models import Region
from qudao.parties.models import Address
from qudao.pricing.contracts import PricedBasket
from qudao.sales import pricing_bridge
from qudao.sales.models import OrderEvent, SalesOrder, SalesOrderLine
from qudao.sales.services.imports_check import OrderPlan
from qudao.sales.services.lines import ZERO_QUANTITIES
from qudao.sales.states import OrderSource, OrderState

_MISSING = object()


@dataclass
class ShipTo:
    ship_to_id: int | None
    ship_region_id: int | None
    ship_line: str = ""
    receiver_name: str = ""
    receiver_phone: str = ""
    ship_latitude: Decimal | None = None
    ship_longitude: Decimal | None = None


def region_point(region: Region | None) -> tuple[Decimal, Decimal] | None:
    seen = 0
    while region is not None and seen < 6:
        if region.latitude is not None and region.longitude is not None:
            return (region.latitude, region.longitude)
        region, seen = region.parent, seen + 1
    return None


def resolve_ship_to(plans: Sequence[OrderPlan]) -> dict[int, ShipTo]:
    """id(plan) → the ship-to snapshot (as orders.build_order takes it): the given address, else the
    customer's default shipping address; coordinates of the address, else of its region, else of the
    customer's region. Three queries for the whole import."""
    given = {p.ship_to_id for p in plans if p.ship_to_id}
    customers = {p.customer.pk for p in plans if not p.ship_to_id}
    addresses = Address.objects.select_related("region__parent__parent")
    by_id = addresses.in_bulk(sorted(given)) if given else {}
    default: dict[int, Address] = {}
    if customers:
        for address in addresses.filter(customer_id__in=sorted(customers), kind="shipping").order_by(
            "customer_id", "-is_default", "pk"
        ):
            default.setdefault(address.customer_id, address)
    region_ids = {p.customer.region_id for p in plans if p.customer.region_id}
    regions = (
        Region.objects.select_related("parent__parent").in_bulk(sorted(region_ids)) if region_ids else {}
    )
    out = {}
    for plan in plans:
        customer = plan.customer
        address = by_id.get(plan.ship_to_id) if plan.ship_to_id else default.get(customer.pk)
        point = None
        if address is not None:
            ship = ShipTo(
                address.pk,
                address.region_id or customer.region_id,
                address.line,
                address.receiver_name,
                address.receiver_phone,
            )
            if address.latitude is not None and address.longitude is not None:
                point = (address.latitude, address.longitude)
            else:
                point = region_point(address.region)
        else:
            ship = ShipTo(None, customer.region_id)
        if point is None and customer.region_id:
            point = region_point(regions.get(customer.region_id))
        ship.ship_latitude, ship.ship_longitude = point or (None, None)
        out[id(plan)] = ship
    return out


def insert_rows(model: type[Model], rows: Iterable[dict[str, Any]]) -> int:
    """Insert rows (attname → value; missing fields take their default) without building model
    instances: COPY on PostgreSQL, one executemany elsewhere."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    pairs = []
    for f in fields:
        if f.has_default():
            pairs.append((f.attname, f.get_default()))
        else:
            pairs.append((f.attname, None if f.null else _MISSING))
    json_at = [n for n, f in enumerate(fields) if isinstance(f, JSONField)]
    dumps = json.JSONEncoder(ensure_ascii=False, default=str).encode
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)

    def values(row: dict[str, Any]) -> list:
        get = row.get
        out = [get(name, default) for name, default in pairs]
        for n in json_at:
            out[n] = dumps(out[n])
        return out

    if connection.vendor == "postgresql":
        return _copy(table, columns, rows, pairs, set(json_at), dumps)
    prepared = []
    for row in rows:
        _check(row, pairs)
        raw = values(row)
        prepared.append(
            [
                v if n in json_at else f.get_db_prep_save(v, connection)
                for n, (f, v) in enumerate(zip(fields, raw, strict=True))
            ]
        )
    placeholders = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        for start in range(0, len(prepared), 5000):
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608 (model table)
                prepared[start : start + 5000],
            )
    return len(prepared)


def _escape(text: str) -> str:
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def _text(value: Any) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    kind = type(value)
    if kind is str:
        return _escape(value)
    if kind is bool:
        return "t" if value else "f"
    if kind is Decimal or kind is int:
        return str(value)
    if kind is dict or kind is list:  # JSON columns are written by the caller
        return ""
    if isinstance(value, date | datetime):
        return value.isoformat()
    return _escape(str(value))


def _copy(table: str, columns: str, rows: Iterable[dict[str, Any]], pairs, json_at: set[int], dumps) -> int:
    """COPY … FROM STDIN in text format, written in blocks (psycopg's write_row adapts value by value
    and cost more than the rest of the import's writing)."""
    count = 0
    block: list[str] = []
    text = _text
    # the driver's own errors (a unique violation) become Django's, as for any other statement
    with (
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            if not count:
                _check(row, pairs)
            get = row.get
            cells = [text(get(name, default)) for name, default in pairs]
            for n in json_at:
                cells[n] = _escape(dumps(get(pairs[n][0], pairs[n][1])))
            block.append("\t".join(cells))
            count += 1
            if len(block) >= 2000:
                copy.write(("\n".join(block) + "\n").encode())
                block = []
        if block:
            copy.write(("\n".join(block) + "\n").encode())
    return count


def _check(row: dict[str, Any], pairs) -> None:
    missing = [name for name, default in pairs if default is _MISSING and name not in row]
    if missing:
        raise ValueError(f"no value for {', '.join(missing)}")


def write_orders(
    *,
    actor: Actor,
    dealer_id: int,
    plans: Sequence[OrderPlan],
    ship: dict[int, ShipTo],
    priced: dict[int, PricedBasket],
    settings,
    source: str = OrderSource.IMPORT,
) -> list[int]:
    """Write the plans as draft orders (`source`) with their priced lines. Returns the order ids."""
    if not plans:
        return []
    now = timezone.now()
    month = timezone.localdate()
    prefix = f"SO-{month:%y%m}-"
    numbers = next_numbers(dealer_id=dealer_id, kind=f"sales_order:{month:%y%m}", count=len(plans))
    extra = {
        p.item_id
        for plan in plans
        for p in priced[id(plan)].lines
        if not p.key.isdigit() or int(p.key) >= len(plan.lines)
    }
    gift_items = Item.objects.in_bulk(sorted(extra)) if extra else {}
    order_rows = []
    for plan, number in zip(plans, numbers, strict=True):
        basket, to, customer = priced[id(plan)], ship[id(plan)], plan.customer
        order_rows.append(
            {
                "created_at": now,
                "updated_at": now,
                "dealer_id": dealer_id,
                "number": format_number(number, prefix=prefix),
                "channel_id": plan.channel_id or customer.channel_id,
                "customer_id": customer.pk,
                "ship_to_id": to.ship_to_id,
                "ship_region_id": to.ship_region_id,
                "ship_latitude": to.ship_latitude,
                "ship_longitude": to.ship_longitude,
                "ship_line": to.ship_line,
                "receiver_name": to.receiver_name,
                "receiver_phone": to.receiver_phone,
                "source": source,
                "external_reference": plan.ref,
                "currency": basket.currency or customer.currency,
                "state": OrderState.DRAFT,
                "priority": settings.customer_priority(customer.business_type),
                "allow_split": settings.allow_split_default,
                "requested_date": plan.requested_date,
                "sales_rep_id": customer.sales_rep_id,
                "base_total": basket.base_total,
                "discount_total": basket.discount_total,
                "total": basket.total,
                "tax_total": basket.tax_total,
                "net_total": basket.net_total,
                "coupon_codes": [],
                "applied_coupons": [],
                "coupon_rejections": {},
                "notes": plan.notes,
                "created_by_id": actor.user_id,
            }
        )
    insert_rows(SalesOrder, order_rows)
    wanted = [row["number"] for row in order_rows]
    ids: dict[str, int] = {}
    for start in range(0, len(wanted), 5000):
        ids.update(
            SalesOrder.objects.filter(
                dealer_id=dealer_id, number__in=wanted[start : start + 5000]
            ).values_list("number", "pk")
        )
    order_ids = [ids[number] for number in wanted]
    insert_rows(SalesOrderLine, _line_rows(plans, order_rows, order_ids, priced, gift_items, now))
    message = str(_("Order created."))
    data = {"source": str(source)}
    insert_rows(
        OrderEvent,
        (
            {
                "created_at": now,
                "updated_at": now,
                "dealer_id": dealer_id,
                "order_id": pk,
                "at": now,
                "actor_id": actor.user_id,
                "kind": "created",
                "message": message,
                "data": data,
            }
            for pk in order_ids
        ),
    )
    emit_many(
        "sales.order.created",
        [{"order_id": pk, "state": OrderState.DRAFT, **data} for pk in order_ids],
        dealer_id=dealer_id,
        actor_id=actor.user_id,
    )
    return order_ids


def _line_rows(plans, order_rows, order_ids, priced, gift_items, now):
    explain = pricing_bridge.explain
    for plan, order, order_id in zip(plans, order_rows, order_ids, strict=True):
        common = {
            "created_at": now,
            "updated_at": now,
            "dealer_id": order["dealer_id"],
            "order_id": order_id,
            "channel_id": order["channel_id"],
            "region_id": order["ship_region_id"],
            "sales_rep_id": order["sales_rep_id"],
            **ZERO_QUANTITIES,
        }
        for no, line in enumerate(priced[id(plan)].lines, start=1):
            given = (
                plan.lines[int(line.key)] if line.key.isdigit() and int(line.key) < len(plan.lines) else None
            )
            item = given.item if given else gift_items[line.item_id]
            yield {
                **common,
                "line_no": no,
                "item_id": item.pk,
                "quantity_entered": given.quantity_entered if given else line.quantity,
                "unit_id": given.unit_id if given else item.base_unit_id,
                "quantity": line.quantity,
                "list_price": item.list_price,
                "unit_price": line.unit_price,
                "base_amount": line.base_amount,
                "amount": line.amount,
                "tax_rate": quantize(line.tax_rate, RATE_PLACES),
                "tax_amount": line.tax_amount,
                "net_amount": line.net_amount,
                "price_explanation": explain(line),
                "below_floor": line.below_floor,
                "is_gift": line.is_gift,
                "category_id": item.category_id,
            }
