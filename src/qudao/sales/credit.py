"""Credit exposure of a customer: open receivables (from sources other apps register — finance will)
plus open orders not yet invoiced.

    from qudao.sales.credit import register_exposure_source

    @register_exposure_source
    def open_receivables(*, dealer_id: int, customer_id: int) -> Decimal: ...
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.db import connection

from qudao.core.bulk import fetch
from qudao.core.money import quantize_amount
from qudao.pricing.selectors_rules import dec
from qudao.sales.models import SalesOrder
from qudao.sales.states import OPEN_STATES, InvoiceState

ExposureSource = Callable[..., Decimal]
_SOURCES: list[ExposureSource] = []


def register_exposure_source(fn: ExposureSource) -> ExposureSource:
    """Add a source of open receivables: fn(*, dealer_id, customer_id) → Decimal."""
    if fn not in _SOURCES:
        _SOURCES.append(fn)
    return fn


def unregister_exposure_source(fn: ExposureSource) -> None:
    if fn in _SOURCES:
        _SOURCES.remove(fn)


def open_receivables(*, dealer_id: int, customer_id: int) -> Decimal:
    return sum((Decimal(fn(dealer_id=dealer_id, customer_id=customer_id)) for fn in _SOURCES), Decimal(0))


def open_orders_total(*, dealer_id: int, customer_id: int, exclude_order_id: int | None = None) -> Decimal:
    """Confirmed and processing orders not fully invoiced (partly invoiced ones count in full until
    finance reports the invoiced part as receivables of its own). One hand-written SUM (hot path:
    every confirmation asks)."""
    quote = connection.ops.quote_name
    states = sorted(OPEN_STATES)
    sql = (
        f"SELECT SUM({quote('total')}) FROM {quote(SalesOrder._meta.db_table)} "  # noqa: S608 (model metadata)
        f"WHERE {quote('dealer_id')} = %s AND {quote('customer_id')} = %s "
        f"AND {quote('state')} IN ({', '.join(['%s'] * len(states))}) AND {quote('invoice_state')} <> %s"
    )
    params: list = [dealer_id, customer_id, *states, InvoiceState.FULL]
    if exclude_order_id is not None:
        sql += f" AND {quote('id')} <> %s"
        params.append(exclude_order_id)
    total = fetch(sql, params)[0][0]
    return Decimal(0) if total is None else quantize_amount(dec(total))


def customer_exposure(*, dealer_id: int, customer_id: int, exclude_order_id: int | None = None) -> Decimal:
    return open_receivables(dealer_id=dealer_id, customer_id=customer_id) + open_orders_total(
        dealer_id=dealer_id, customer_id=customer_id, exclude_order_id=exclude_order_id
    )
