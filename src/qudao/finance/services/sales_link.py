"""The only place finance writes sales rows: invoiced quantities of order lines and the derived
invoice/payment states of orders, always by conditional UPDATEs (never read-check-write)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import F, Q, Sum
from django.utils import timezone

from qudao.finance.errors import InvoicingConflict
from qudao.finance.policies import order_payment_state
from qudao.sales.models import SalesOrder, SalesOrderLine
from qudao.sales.states import InvoiceBasis, InvoiceState, PaymentState

INVOICEABLE_ORDER_STATES = ("confirmed", "processing", "done")


def lock_orders(order_ids: Iterable[int]) -> list[SalesOrder]:
    """Lock the orders (primary-key order: no deadlocks) so two invoicing runs never overlap."""
    return list(SalesOrder.objects.select_for_update().filter(pk__in=sorted(set(order_ids))).order_by("pk"))


def add_invoiced(line_id: int, quantity: Decimal, basis: str) -> None:
    """invoiced += quantity, only while it stays within the shipped (or ordered) quantity."""
    limit = F("shipped_quantity") if basis == InvoiceBasis.SHIPPED else F("quantity")
    done = SalesOrderLine.objects.filter(Q(invoiced_quantity__lte=limit - quantity), pk=line_id).update(
        invoiced_quantity=F("invoiced_quantity") + quantity, updated_at=timezone.now()
    )
    if not done:
        raise InvoicingConflict(details={"sales_order_line_id": line_id})


def remove_invoiced(quantities: dict[int, Decimal]) -> None:
    """invoiced −= quantity (a cancelled invoice gives its quantities back), never below zero."""
    for line_id, quantity in quantities.items():
        if quantity <= 0:
            continue
        done = SalesOrderLine.objects.filter(pk=line_id, invoiced_quantity__gte=quantity).update(
            invoiced_quantity=F("invoiced_quantity") - quantity, updated_at=timezone.now()
        )
        if not done:
            raise InvoicingConflict(details={"sales_order_line_id": line_id})


def _set_states(field: str, by_order: dict[int, str]) -> None:
    groups: dict[str, list[int]] = defaultdict(list)
    for order_id, state in by_order.items():
        groups[state].append(order_id)
    now = timezone.now()
    for state, ids in groups.items():
        SalesOrder.objects.filter(pk__in=ids).exclude(**{field: state}).update(
            **{field: state, "updated_at": now}
        )


def refresh_invoice_states(order_ids: Iterable[int]) -> None:
    """none / partial / full from the lines' invoiced quantities (one query, one UPDATE per state)."""
    ids = sorted(set(order_ids))
    rows = (
        SalesOrderLine.objects.filter(order_id__in=ids)
        .values("order_id")
        .annotate(
            invoiced=Sum("invoiced_quantity"),
            short=Sum("quantity", filter=Q(invoiced_quantity__lt=F("quantity"))),
        )
    )
    states = {}
    for row in rows:
        if not row["invoiced"]:
            states[row["order_id"]] = InvoiceState.NONE
        elif row["short"]:
            states[row["order_id"]] = InvoiceState.PARTIAL
        else:
            states[row["order_id"]] = InvoiceState.FULL
    _set_states("invoice_state", states)


def refresh_payment_states(order_ids: Iterable[int]) -> None:
    """none / partial / full from the posted invoices that carry the orders' lines."""
    from qudao.finance.models import Invoice
    from qudao.finance.states import POSTED_INVOICE_STATES

    ids = sorted(set(order_ids))
    if not ids:
        return
    totals: dict[int, list[tuple[Decimal, Decimal]]] = defaultdict(list)
    through = Invoice.orders.through
    for order_id, _invoice_id, open_amount, paid in through.objects.filter(
        salesorder_id__in=ids, invoice__state__in=POSTED_INVOICE_STATES
    ).values_list("salesorder_id", "invoice_id", "invoice__open_amount", "invoice__amount_paid"):
        totals[order_id].append((open_amount, paid))
    full = set(
        SalesOrder.objects.filter(pk__in=ids, invoice_state=InvoiceState.FULL).values_list("pk", flat=True)
    )
    states = {
        order_id: order_payment_state(invoiced_fully=order_id in full, totals=totals.get(order_id, []))
        for order_id in ids
    }
    _set_states("payment_state", {k: PaymentState(v) for k, v in states.items()})
