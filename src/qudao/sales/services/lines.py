"""Order lines: parse a request's lines (one query for the items, units converted to the base unit),
price them through the pricing engine and write them with their explanations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from qudao.catalog.conversions import unit_factor
from qudao.catalog.errors import UnitNotConvertible
from qudao.catalog.models import Item
from qudao.catalog.policies import to_base_quantity
from qudao.core.bulk import insert_rows
from qudao.core.errors import ValidationFailed
from qudao.core.money import RATE_PLACES, quantize
from qudao.core.quantity import quantize_quantity
from qudao.core.scoping import Actor
from qudao.pricing.contracts import BasketLine, PricedBasket, PricingContext
from qudao.sales import pricing_bridge
from qudao.sales.models import SalesOrder, SalesOrderLine
from qudao.sales.selectors import list_items_for_order
from qudao.sales.services._common import Problems, ids

MAX_LINES = 500
#: as the database gives them back (3 places), so a line answered from memory reads like a fresh one
ZERO_QUANTITIES = {
    name: Decimal("0.000")
    for name in (
        "reserved_quantity",
        "backordered_quantity",
        "shipped_quantity",
        "delivered_quantity",
        "returned_quantity",
        "invoiced_quantity",
    )
}


@dataclass
class LineInput:
    n: int
    item: Item
    quantity_entered: Decimal
    unit_id: int
    quantity: Decimal


def parse_lines(
    actor: Actor, raw_lines: Sequence[Mapping[str, Any]] | None, dealer_id: int, problems: Problems
) -> list[LineInput]:
    raw_lines = list(raw_lines or [])
    if not raw_lines:
        problems.add(ValidationFailed, "lines", _("Give at least one line."))
    if len(raw_lines) > MAX_LINES:
        problems.add(ValidationFailed, "lines", _("At most %(max)s lines.") % {"max": MAX_LINES})
        return []
    items = list_items_for_order(
        actor=actor, dealer_id=dealer_id, item_ids=ids(raw.get("item_id") for raw in raw_lines)
    )
    out = []
    for n, raw in enumerate(raw_lines):
        name = f"lines.{n}"
        item = items.get(_as_int(raw.get("item_id")))
        if item is None:
            problems.add(
                ValidationFailed, f"{name}.item_id", _("No such record, or it is not visible to you.")
            )
            continue
        if not item.is_active:
            problems.add(
                ValidationFailed, f"{name}.item_id", _("Item %(sku)s is not active.") % {"sku": item.sku}
            )
            continue
        try:
            entered = Decimal(str(raw.get("quantity")))
        except (InvalidOperation, ValueError, TypeError):
            entered = Decimal(0)
        if not entered.is_finite() or entered <= 0:
            problems.add(ValidationFailed, f"{name}.quantity", _("The quantity must be greater than zero."))
            continue
        unit_id = raw.get("unit_id") or item.base_unit_id
        try:
            factor = unit_factor(item, unit_id).factor
        except UnitNotConvertible:
            problems.add(
                UnitNotConvertible,
                f"{name}.unit_id",
                _("Unit %(unit)s is not a unit of item %(sku)s.") % {"unit": unit_id, "sku": item.sku},
            )
            continue
        base = quantize_quantity(
            to_base_quantity(entered, factor=factor, places=item.base_unit.decimal_places)
        )
        if base <= 0:
            problems.add(
                ValidationFailed, f"{name}.quantity", _("The quantity rounds to zero in the base unit.")
            )
            continue
        out.append(LineInput(n, item, quantize_quantity(entered), int(unit_id), base))
    return out


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def pricing_context(order: SalesOrder, customer) -> PricingContext:
    return PricingContext(
        dealer_id=order.dealer_id,
        on=timezone.localdate(),
        customer_id=order.customer_id,
        customer_group_id=customer.customer_group_id,
        channel_id=order.channel_id,
        region_id=order.ship_region_id or customer.region_id,
        coupon_codes=tuple(order.coupon_codes or ()),
    )


def price_and_write(
    order: SalesOrder, customer, inputs: Sequence[LineInput], *, replace: bool
) -> PricedBasket:
    """Price `inputs` and write them as the order's lines (gift lines from the engine included);
    set the order's totals. `replace` deletes the previous lines first."""
    basket, rows = price_lines(order, customer, inputs)
    if replace:
        SalesOrderLine.objects.filter(order=order).delete()
    write_lines(order, rows)
    return basket


def write_lines(order: SalesOrder, rows: list[SalesOrderLine]) -> None:
    """INSERT the lines `price_lines` built (one statement), once the order has its id."""
    insert_rows(rows)
    order._lines_cache = rows


def price_lines(
    order: SalesOrder, customer, inputs: Sequence[LineInput]
) -> tuple[PricedBasket, list[SalesOrderLine]]:
    """Price `inputs`: the order's lines, not written yet (gift lines from the engine included), and
    its totals. The order itself may not be written yet either (no read or write here but pricing)."""
    basket = pricing_bridge.price_basket(
        context=pricing_context(order, customer),
        lines=[
            BasketLine(key=str(i), item_id=line.item.pk, quantity=line.quantity)
            for i, line in enumerate(inputs)
        ],
        items=[line.item for line in inputs],
    )
    by_key = {str(i): line for i, line in enumerate(inputs)}
    known = {line.item.pk: line.item for line in inputs}
    extra = [p.item_id for p in basket.lines if p.key not in by_key and p.item_id not in known]
    if extra:
        known.update(Item.objects.select_related("base_unit").in_bulk(extra))
    rows = []
    for no, priced in enumerate(basket.lines, start=1):
        given = by_key.get(priced.key)
        item = given.item if given else known[priced.item_id]
        rows.append(
            SalesOrderLine(
                dealer_id=order.dealer_id,
                order=order,
                line_no=no,
                item=item,
                quantity_entered=given.quantity_entered if given else priced.quantity,
                unit_id=given.unit_id if given else item.base_unit_id,
                quantity=priced.quantity,
                list_price=item.list_price,
                unit_price=priced.unit_price,
                base_amount=priced.base_amount,
                amount=priced.amount,
                tax_rate=quantize(priced.tax_rate, RATE_PLACES),
                tax_amount=priced.tax_amount,
                net_amount=priced.net_amount,
                price_explanation=pricing_bridge.explain(priced),
                below_floor=priced.below_floor,
                is_gift=priced.is_gift,
                channel_id=order.channel_id,
                region_id=order.ship_region_id,
                sales_rep_id=order.sales_rep_id,
                category_id=item.category_id,
                **ZERO_QUANTITIES,
            )
        )
    order.applied_coupons = sorted(basket.coupons_applied)
    order.coupon_rejections = {code: str(reason) for code, reason in sorted(basket.coupons_rejected.items())}
    order.currency = basket.currency or order.currency
    order.base_total = basket.base_total
    order.discount_total = basket.discount_total
    order.total = basket.total
    order.tax_total = basket.tax_total
    order.net_total = basket.net_total
    return basket, rows


def inputs_from_lines(order: SalesOrder) -> list[LineInput]:
    """The order's own (non-gift) lines as inputs, to price them again at confirmation."""
    lines = SalesOrderLine.objects.filter(order=order, is_gift=False).select_related("item__base_unit")
    return [
        LineInput(n, line.item, line.quantity_entered, line.unit_id, line.quantity)
        for n, line in enumerate(lines.order_by("line_no"))
    ]
