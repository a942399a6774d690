"""Order intake with an `Idempotency-Key`: the same key and body answer the same order, never a
duplicate — also when two requests race (the key's unique constraint decides the winner; the
loser waits for it, then answers its order)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from qudao.core.scoping import Actor, require_dealer
from qudao.parties.models import Customer
from qudao.sales.errors import IdempotencyKeyReused, InvalidIdempotencyKey
from qudao.sales.models import OrderIdempotencyKey, SalesOrder
from qudao.sales.services._common import record, save
from qudao.sales.services.confirmation import TOTAL_FIELDS, confirm_locked
from qudao.sales.services.orders import assign_number, build_order, find_customer


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
        found = _replay(dealer_id, key, digest)
        if found is not None:
            return found, False
    try:
        with transaction.atomic():
            key_row = None
            if digest is not None:
                # first: a concurrent request with the same key waits here until this one ends
                key_row = OrderIdempotencyKey.objects.create(
                    dealer_id=dealer_id, key=key, request_hash=digest
                )
            order = _create(actor, data, confirm, customer)
            if key_row is not None:
                key_row.order = order
                key_row.save(update_fields=["order", "updated_at"])
            return order, True
    except IntegrityError:
        if digest is None:
            raise
        found = _replay(dealer_id, key, digest)
        if found is None:
            raise
        return found, False


def _create(actor: Actor, data: Mapping[str, Any], confirm: bool, customer: Customer | None) -> SalesOrder:
    order = build_order(actor=actor, data=data, customer=customer)
    if not confirm:
        assign_number(order)
    save(order, *TOTAL_FIELDS, "number", bump=False)
    record(order, actor=actor, kind="created", message=_("Order created."), data={"source": order.source})
    if confirm:
        confirm_locked(order, actor=actor, priced=True)
        # the number last: the dealer's number counter stays locked only until the commit
        assign_number(order)
        SalesOrder.objects.filter(pk=order.pk).update(number=order.number)
    return order
