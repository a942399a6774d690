"""Order intake with an `Idempotency-Key`: the same key and body answer the same order, never a
duplicate — also when two requests race (the key's unique constraint decides the winner: the
loser's `INSERT … ON CONFLICT DO NOTHING` waits for it, then answers its order).

Created and confirmed in one request, an order is decided in memory — validated, priced, checked
for holds, allocated on locked stock — and written once in the state it ends in: one INSERT for the
order, one for its lines, one per inventory table for the reservation, one each for its timeline
and outbox entries, and last, the number (the dealer's counter stays locked only until the commit).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qudao.core.bulk import update_fields
from qudao.core.scoping import Actor, require_dealer
from qudao.core.states import transition
from qudao.parties.models import Customer
from qudao.sales.errors import IdempotencyKeyReused, InvalidIdempotencyKey
from qudao.sales.models import OrderIdempotencyKey, SalesOrder
from qudao.sales.services._common import record_many
from qudao.sales.services.allocation import apply_allocation, plan_allocation, reserve_allocation
from qudao.sales.services.confirmation import (
    confirmed_entry,
    held_message,
    hold_for,
    redeem_applied_coupons,
    stocked_needs,
)
from qudao.sales.services.lines import price_lines, write_lines
from qudao.sales.services.orders import (
    assign_number,
    create_draft,
    find_customer,
    insert_order,
    prepare_order,
)
from qudao.sales.states import HoldReason, OrderState

#: what the allocation decides after the order's INSERT (written with its number, last)
ALLOCATION_FIELDS = ("allocation_plan", "site_id", "has_backorder")


def request_hash(data: Mapping[str, Any]) -> str:
    body = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


def _dealer_of(actor: Actor, data: Mapping[str, Any], customer: Customer | None) -> int:
    if data.get("dealer_id") is not None:
        return require_dealer(actor, data["dealer_id"])
    return customer.dealer_id if customer is not None else require_dealer(actor, None)


def _replay(dealer_id: int, key: str, digest: str) -> SalesOrder | None:
    row = OrderIdempotencyKey.objects.filter(dealer_id=dealer_id, key=key).select_related("order").first()
    if row is None:
        return None
    if row.request_hash != digest:
        raise IdempotencyKeyReused(details={"idempotency_key": key})
    return row.order


def _claim(dealer_id: int, key: str, digest: str) -> int | None:
    """Insert the key (its id), or None when it is taken. A concurrent request holding the same key
    makes this wait until it ends: then its key is taken (committed) or free again (rolled back)."""
    meta = OrderIdempotencyKey._meta
    quote = connection.ops.quote_name
    columns = [meta.get_field(name).column for name in ("created_at", "updated_at", "dealer", "key")]
    columns.append(meta.get_field("request_hash").column)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608 (model metadata)
        f"VALUES (%s, %s, %s, %s, %s) ON CONFLICT ({quote(meta.get_field('dealer').column)}, "
        f"{quote(meta.get_field('key').column)}) DO NOTHING RETURNING {quote(meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, now, dealer_id, key, digest])
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def _link_key(key_id: int, order: SalesOrder) -> None:
    update_fields(OrderIdempotencyKey, key_id, {"order_id": order.pk, "updated_at": timezone.now()})


class _Taken(Exception):
    """The key belongs to another request (left the transaction to answer that one's order)."""


def submit_order(
    *, actor: Actor, data: Mapping[str, Any], confirm: bool = False, idempotency_key: str | None = None
) -> tuple[SalesOrder, bool]:
    """Create (and with `confirm`, confirm) an order. Returns (order, created)."""
    digest = None
    dealer_id = None
    customer = find_customer(actor, data)
    if idempotency_key is not None:
        key = idempotency_key.strip()
        if not key or len(key) > 200 or not key.isprintable():
            raise InvalidIdempotencyKey()
        digest = request_hash({"order": data, "confirm": confirm})
        dealer_id = _dealer_of(actor, data, customer)
    try:
        with transaction.atomic():
            key_id = None
            if digest is not None:
                # first: a concurrent request with the same key waits here until this one ends
                key_id = _claim(dealer_id, key, digest)
                if key_id is None:
                    raise _Taken()
            if confirm:
                order = create_confirmed(actor=actor, data=data, customer=customer, key_id=key_id)
            else:
                order = create_draft(actor=actor, data=data, customer=customer)
                if key_id is not None:
                    OrderIdempotencyKey.objects.filter(pk=key_id).update(
                        order=order, updated_at=timezone.now()
                    )
            return order, True
    except _Taken:
        pass
    found = _replay(dealer_id, key, digest)
    if found is None:  # the key's row went away in between (deleted): never answer a guess
        raise IntegrityError("idempotency key taken by a request without an order")
    return found, False


def create_confirmed(
    *, actor: Actor, data: Mapping[str, Any], customer: Customer | None = None, key_id: int | None = None
) -> SalesOrder:
    """Create and confirm an order in the caller's transaction, writing each row once (module doc).
    The same rules as `create_order` then `confirm_order`: price floor and credit holds, coupons
    redeemed, allocation on locked stock, all-or-nothing reservation, timeline and outbox for both
    steps (created, then confirmed or held), and the version a confirmation gives (2)."""
    order, inputs = prepare_order(actor=actor, data=data, customer=customer)
    customer, settings = order._customer_cache, order._settings_cache
    _basket, lines = price_lines(order, customer, inputs)
    created = ("created", _("Order created."), {"source": order.source}, OrderState.DRAFT)
    hold = hold_for(order, lines, customer=customer, settings=settings)
    order.version += 1
    if hold is not None:
        reason, details = hold
        transition(order, to=OrderState.ON_HOLD)
        order.hold_reason = reason
        order.held_at = timezone.now()
        insert_order(order)
        write_lines(order, lines)
        entries = [created, ("held", held_message(reason), {"reason": reason, **details}, order.state)]
        _finish(order, actor=actor, entries=entries, key_id=key_id, fields=())
        return order
    transition(order, to=OrderState.CONFIRMED)
    order.hold_reason = HoldReason.NONE
    order.confirmed_at = timezone.now()
    insert_order(order)  # before any lock it might wait on (coupons, stock): the protocol's order
    redeem_applied_coupons(order, actor=actor)
    allocation = plan_allocation(order, needs=stocked_needs(lines), lines=lines, settings=settings)
    apply_allocation(order, allocation, write_lines=False)  # the lines are written with the result
    write_lines(order, lines)
    allocation.rekey()
    reserve_allocation(order, allocation, actor=actor)
    entries = [created, confirmed_entry(order, allocation.plan)]
    _finish(
        order,
        actor=actor,
        entries=entries,
        key_id=key_id,
        fields=("allocation_plan", "site_id", "has_backorder"),
    )
    return order


def _finish(
    order: SalesOrder, *, actor: Actor, entries: list, key_id: int | None, fields: tuple[str, ...]
) -> None:
    """Timeline and outbox, the key's order, then the number (with `fields` decided after the
    INSERT) in the last statement before the commit."""
    record_many(order, actor=actor, entries=entries)
    if key_id is not None:
        _link_key(key_id, order)
    assign_number(order)
    update_fields(SalesOrder, order.pk, {name: getattr(order, name) for name in ("number", *fields)})
