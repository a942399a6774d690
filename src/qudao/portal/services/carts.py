"""Carts: one per user, customer and source (portal / assistant), in the database. Placing the
order hands the cart to the order center (`sales.services.submit_order`, confirmed at once) with
the cart's token as idempotency key, so a double tap answers the same order instead of a second."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.db import transaction

from qudao.catalog.choices import ItemKind
from qudao.catalog.models import Item
from qudao.core.events import emit
from qudao.core.scoping import Actor, require_perm, scoped
from qudao.portal import policies
from qudao.portal.actors import PortalActor, get_customer
from qudao.portal.errors import CartChanged, CartEmpty, ItemNotOrderable, QuantityInvalid
from qudao.portal.models import Cart, CartLine, CartSource
from qudao.sales.models import OrderIdempotencyKey, SalesOrder, SalesOrderLine
from qudao.sales.services import submit_order

ORDER_PERM = "sales.add_salesorder"


def _source_for(actor: Actor) -> str:
    return CartSource.PORTAL if isinstance(actor, PortalActor) else CartSource.ASSISTANT


def get_or_create_cart(*, actor: Actor, customer_id: Any) -> Cart:
    """The actor's cart for the customer (404 when the actor may not order for it)."""
    require_perm(actor, ORDER_PERM)
    customer = get_customer(actor, customer_id)
    cart, _created = Cart.objects.get_or_create(
        user_id=actor.user_id,
        customer=customer,
        source=_source_for(actor),
        defaults={"dealer_id": customer.dealer_id},
    )
    cart.customer = customer
    return cart


def _lock(actor: Actor, customer_id: Any) -> Cart:
    cart = get_or_create_cart(actor=actor, customer_id=customer_id)
    locked = Cart.objects.select_for_update().get(pk=cart.pk)
    locked.customer = cart.customer
    return locked


def _orderable_item(actor: Actor, cart: Cart, item_id: Any) -> Item:
    try:
        item = (
            scoped(Item.objects.all(), actor)
            .filter(dealer_id=cart.dealer_id, kind__in=[ItemKind.GOODS, ItemKind.PART])
            .get(pk=int(item_id))
        )
    except (Item.DoesNotExist, TypeError, ValueError) as exc:
        raise ItemNotOrderable(details=[{"field": "item_id", "code": ItemNotOrderable.code}]) from exc
    if not item.is_active:
        raise ItemNotOrderable(details=[{"field": "item_id", "code": ItemNotOrderable.code}])
    return item


def _quantity(raw: Any) -> Decimal:
    value = policies.parse_quantity(raw)
    if value is None:
        raise QuantityInvalid(
            details=[{"field": "quantity", "code": QuantityInvalid.code, "value": str(raw)}]
        )
    return value


def _write_line(cart: Cart, item: Item, quantity: Decimal) -> CartLine | None:
    if quantity <= 0:
        CartLine.objects.filter(cart=cart, item=item).delete()
        line = None
    else:
        line, _created = CartLine.objects.update_or_create(
            cart=cart, item=item, defaults={"quantity": quantity, "dealer_id": cart.dealer_id}
        )
    cart.save(update_fields=["updated_at"])
    return line


@transaction.atomic
def set_cart_quantity(*, actor: Actor, customer_id: Any, item_id: Any, quantity: Any) -> CartLine | None:
    """Set an item's quantity in the cart (0 removes it)."""
    value = _quantity(quantity)
    cart = _lock(actor, customer_id)
    if value <= 0:  # removing needs no orderable item (it may have been deactivated since)
        CartLine.objects.filter(cart=cart, item_id=int(item_id) if str(item_id).isdigit() else None).delete()
        cart.save(update_fields=["updated_at"])
        return None
    return _write_line(cart, _orderable_item(actor, cart, item_id), value)


@transaction.atomic
def add_to_cart(*, actor: Actor, customer_id: Any, item_id: Any, quantity: Any = 1) -> CartLine:
    """Add `quantity` of an item to what the cart already holds."""
    value = _quantity(quantity)
    if value <= 0:
        raise QuantityInvalid(details=[{"field": "quantity", "code": QuantityInvalid.code}])
    cart = _lock(actor, customer_id)
    item = _orderable_item(actor, cart, item_id)
    held = CartLine.objects.filter(cart=cart, item=item).values_list("quantity", flat=True).first() or 0
    total = held + value
    if total > policies.MAX_CART_QUANTITY:
        raise QuantityInvalid(details=[{"field": "quantity", "code": QuantityInvalid.code}])
    return _write_line(cart, item, total)


@transaction.atomic
def set_cart_coupons(*, actor: Actor, customer_id: Any, codes: str) -> Cart:
    cart = _lock(actor, customer_id)
    cart.coupon_codes = policies.parse_coupon_codes(codes or "")
    cart.save(update_fields=["coupon_codes", "updated_at"])
    return cart


def idempotency_key(token: Any) -> str:
    return f"cart:{token}"


def order_data(cart: Cart, lines: list[CartLine]) -> dict[str, Any]:
    return {
        "customer_id": cart.customer_id,
        "source": cart.source,
        "coupon_codes": list(cart.coupon_codes or []),
        "notes": cart.notes,
        "lines": [{"item_id": line.item_id, "quantity": line.quantity} for line in lines],
    }


def _placed_with(cart: Cart, token: Any) -> SalesOrder | None:
    row = (
        OrderIdempotencyKey.objects.filter(dealer_id=cart.dealer_id, key=idempotency_key(token))
        .select_related("order")
        .first()
    )
    if row is None or row.order is None or row.order.customer_id != cart.customer_id:
        return None
    return row.order


@transaction.atomic
def place_cart_order(*, actor: Actor, customer_id: Any, token: Any) -> tuple[SalesOrder, bool]:
    """Order what the cart holds, confirmed at once (credit check, allocation, reservation): the order
    may come back on hold, which the pages say. `token` is the cart's token shown on the page: the
    same token again (a double tap, a retried request) answers the order it placed, created=False.
    The cart is emptied and gets a new token."""
    cart = _lock(actor, customer_id)
    if str(token) != str(cart.token):
        placed = _placed_with(cart, token)
        if placed is not None:
            return placed, False
        raise CartChanged(details=[{"field": "token", "code": CartChanged.code}])
    lines = list(CartLine.objects.filter(cart=cart).order_by("created_at", "pk"))
    if not lines:
        raise CartEmpty()
    order, created = submit_order(
        actor=actor, data=order_data(cart, lines), confirm=True, idempotency_key=idempotency_key(cart.token)
    )
    CartLine.objects.filter(cart=cart).delete()
    cart.token = uuid.uuid4()
    cart.coupon_codes = []
    cart.notes = ""
    cart.save(update_fields=["token", "coupon_codes", "notes", "updated_at"])
    emit(
        "portal.cart.ordered",
        {"order_id": order.pk, "customer_id": cart.customer_id, "source": cart.source, "lines": len(lines)},
        dealer_id=cart.dealer_id,
        actor_id=actor.user_id,
    )
    return order, created


@transaction.atomic
def reorder(*, actor: Actor, order_id: Any) -> tuple[Cart, int, list[str]]:
    """Put a past order's lines (not its gifts) into the cart of its customer, at today's prices
    (the cart is priced when shown). Items no longer orderable are left out and named.
    Returns (cart, lines added, skipped SKUs)."""
    from qudao.portal.selectors import get_customer_order

    order = get_customer_order(actor=actor, order_id=order_id)
    cart = _lock(actor, order.customer_id)
    added, skipped = 0, []
    lines = (
        SalesOrderLine.objects.filter(order=order, is_gift=False).select_related("item").order_by("line_no")
    )
    for line in lines:
        item = line.item
        if not item.is_active or item.kind not in (ItemKind.GOODS, ItemKind.PART):
            skipped.append(item.sku)
            continue
        held = CartLine.objects.filter(cart=cart, item=item).values_list("quantity", flat=True).first() or 0
        _write_line(cart, item, min(held + line.quantity, policies.MAX_CART_QUANTITY))
        added += 1
    return cart, added, skipped
