"""Invoices from sales orders: the not-yet-invoiced quantity of each line (shipped or ordered, by the
dealer's setting), one invoice per customer per call, amounts prorated so that Σ invoiced = the line's
amount exactly. Issue (the invoice becomes a receivable) and cancel (a credit note for what is open,
and the quantities can be invoiced again)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from qudao.core.errors import NotFound
from qudao.core.scoping import Actor, get_scoped, scoped
from qudao.core.states import transition
from qudao.finance.errors import InvoiceHasPayments, NothingToInvoice
from qudao.finance.models import Invoice, InvoiceLine
from qudao.finance.policies import prorate_line
from qudao.finance.services import sales_link
from qudao.finance.services._common import (
    Problems,
    announce,
    assign_number,
    check_version,
    lock,
    save,
)
from qudao.finance.services.credit_notes import credit_invoice_lines
from qudao.finance.states import CreditReason, InvoiceState
from qudao.parties.models import Customer
from qudao.sales.models import SalesOrder, SalesOrderLine, SalesSettings
from qudao.sales.selectors_returns import returned_not_invoiced
from qudao.sales.states import InvoiceBasis


def _resolve_orders(actor: Actor, order_ids: list[int] | None, customer_id: int | None) -> list[int]:
    problems = Problems()
    if bool(order_ids) == (customer_id is not None):
        problems.add("order_ids", _("Give either the orders or a customer."))
        problems.raise_if_any()
    if customer_id is not None:
        customer = get_scoped(Customer.objects.all(), actor, for_write=True, pk=customer_id)
        return list(
            SalesOrder.objects.filter(
                customer=customer, state__in=sales_link.INVOICEABLE_ORDER_STATES
            ).values_list("pk", flat=True)
        )
    wanted = sorted({int(i) for i in order_ids or []})
    found = dict(
        scoped(SalesOrder.objects.filter(pk__in=wanted), actor, for_write=True).values_list("pk", "state")
    )
    missing = [i for i in wanted if i not in found]
    if missing:
        raise NotFound(details={"order_ids": missing})
    for order_id in wanted:
        if found[order_id] not in sales_link.INVOICEABLE_ORDER_STATES:
            problems.add(f"order_ids.{order_id}", _("The order is not confirmed (or it is cancelled)."))
    problems.raise_if_any()
    return wanted


@transaction.atomic
def invoice_sales_orders(
    *,
    actor: Actor,
    order_ids: list[int] | None = None,
    customer_id: int | None = None,
    basis: str | None = None,
    invoice_date: date | None = None,
    issue: bool = False,
) -> list[Invoice]:
    """Draft invoices (issued too with `issue=True`) for what is left to invoice on the orders."""
    if basis is not None and basis not in InvoiceBasis.values:
        problems = Problems()
        problems.add("basis", _("Choose “shipped” or “ordered”."))
        problems.raise_if_any()
    ids = _resolve_orders(actor, order_ids, customer_id)
    orders = {o.pk: o for o in sales_link.lock_orders(ids)}
    bases = {
        dealer_id: basis or SalesSettings.for_dealer(dealer_id).invoice_basis
        for dealer_id in {o.dealer_id for o in orders.values()}
    }
    lines = list(
        SalesOrderLine.objects.filter(order_id__in=list(orders))
        .select_related("item")
        .order_by("order_id", "line_no")
    )
    before = {
        row["sales_order_line_id"]: row
        for row in InvoiceLine.objects.filter(sales_order_line__in=[ln.pk for ln in lines])
        .exclude(invoice__state=InvoiceState.CANCELLED)
        .values("sales_order_line_id")
        .annotate(amount=Sum("amount"), tax=Sum("tax_amount"))
    }
    groups: dict[tuple[int, int, str], list[tuple[SalesOrderLine, Decimal]]] = defaultdict(list)
    # goods returned before they were invoiced are never invoiced (sales/services/return_receipts.py)
    not_invoiced = returned_not_invoiced(ln.pk for ln in lines)
    for line in lines:
        order = orders[line.order_id]
        basis_of = bases[order.dealer_id]
        limit = line.shipped_quantity if basis_of == InvoiceBasis.SHIPPED else line.quantity
        quantity = limit - line.invoiced_quantity - not_invoiced.get(line.pk, Decimal(0))
        if quantity > 0:
            groups[(order.dealer_id, order.customer_id, order.currency)].append((line, quantity))
    if not groups:
        raise NothingToInvoice(details={"order_ids": ids})
    on = invoice_date or timezone.localdate()
    customers = Customer.objects.in_bulk([key[1] for key in groups])
    invoices = []
    for (dealer_id, customer_id_, currency), rows in groups.items():
        invoice = _write_invoice(
            actor, dealer_id, customers[customer_id_], currency, on, rows, orders, before, bases[dealer_id]
        )
        invoices.append(invoice)
    sales_link.refresh_invoice_states(ids)
    if issue:
        for invoice in invoices:
            _issue(invoice, actor)
        sales_link.refresh_payment_states(ids)
    return invoices


def _write_invoice(actor, dealer_id, customer, currency, on, rows, orders, before, basis) -> Invoice:
    first = orders[rows[0][0].order_id]
    invoice = Invoice(
        dealer_id=dealer_id,
        customer=customer,
        currency=currency,
        invoice_date=on,
        due_date=on + timedelta(days=customer.payment_terms_days),
        basis=basis,
        channel_id=first.channel_id,
        region_id=first.ship_region_id,
        sales_rep_id=first.sales_rep_id,
        created_by_id=actor.user_id,
    )
    invoice.number = assign_number(dealer_id, "invoice", "INV")
    invoice_lines = []
    for no, (line, quantity) in enumerate(rows, start=1):
        prior = before.get(line.pk, {})
        amounts = prorate_line(
            quantity=quantity,
            line_quantity=line.quantity,
            line_amount=line.amount,
            line_tax=line.tax_amount,
            tax_rate=line.tax_rate,
            already_quantity=line.invoiced_quantity,
            already_amount=prior.get("amount") or Decimal(0),
            already_tax=prior.get("tax") or Decimal(0),
        )
        invoice_lines.append(
            InvoiceLine(
                dealer_id=dealer_id,
                line_no=no,
                sales_order_id=line.order_id,
                sales_order_line=line,
                item_id=line.item_id,
                description=line.item.name[:300],
                quantity=quantity,
                unit_price=line.unit_price,
                amount=amounts.amount,
                tax_rate=line.tax_rate,
                tax_amount=amounts.tax_amount,
                net_amount=amounts.net_amount,
                channel_id=line.channel_id,
                region_id=line.region_id,
                sales_rep_id=line.sales_rep_id,
                category_id=line.category_id,
            )
        )
        sales_link.add_invoiced(line.pk, quantity, basis)
    set_totals(invoice, invoice_lines)
    invoice.save()
    for invoice_line in invoice_lines:
        invoice_line.invoice = invoice
    InvoiceLine.objects.bulk_create(invoice_lines)
    invoice.orders.set(sorted({line.order_id for line, _q in rows}))
    announce("invoice.created", invoice, actor, customer_id=customer.pk, total=str(invoice.total))
    return invoice


def set_totals(invoice: Invoice, lines: list[InvoiceLine]) -> None:
    """Round per line (already done), then sum."""
    invoice.total = sum((ln.amount for ln in lines), Decimal("0.00"))
    invoice.tax_total = sum((ln.tax_amount for ln in lines), Decimal("0.00"))
    invoice.net_total = invoice.total - invoice.tax_total
    invoice.open_amount = invoice.total - invoice.amount_paid - invoice.amount_credited


def _issue(invoice: Invoice, actor: Actor) -> None:
    transition(invoice, to=InvoiceState.ISSUED)
    invoice.issued_at = timezone.now()
    save(invoice, "state", "issued_at")
    announce(
        "invoice.issued",
        invoice,
        actor,
        customer_id=invoice.customer_id,
        total=str(invoice.total),
        due_date=invoice.due_date.isoformat(),
    )


@transaction.atomic
def issue_invoice(*, actor: Actor, invoice_id: int, version: Any = None) -> Invoice:
    """draft → issued: from now on the invoice is a receivable of the customer."""
    invoice = lock(actor, Invoice, invoice_id)
    check_version(invoice, version)
    _issue(invoice, actor)
    sales_link.refresh_payment_states(invoice.orders.values_list("pk", flat=True))
    return invoice


@transaction.atomic
def cancel_invoice(*, actor: Actor, invoice_id: int, version: Any = None, reason: str = "") -> Invoice:
    """Cancel a draft, or an issued invoice with no payment (a credit note reverses what is open).
    The order lines' invoiced quantities are given back, so they can be invoiced again."""
    invoice = lock(actor, Invoice, invoice_id)
    check_version(invoice, version)
    if invoice.amount_paid > 0:
        raise InvoiceHasPayments(details={"amount_paid": str(invoice.amount_paid)})
    was = invoice.state
    lines = list(InvoiceLine.objects.filter(invoice=invoice).order_by("line_no"))
    transition(invoice, to=InvoiceState.CANCELLED)
    if was != InvoiceState.DRAFT:
        rest = {ln.pk: ln.amount - ln.credited_amount for ln in lines if ln.amount > ln.credited_amount}
        if rest:
            credit_invoice_lines(
                invoice, lines, rest, actor=actor, reason=CreditReason.CANCELLATION, note=reason
            )
    invoice.cancelled_at = timezone.now()
    save(invoice, "state", "cancelled_at", "amount_credited", "open_amount")
    quantities: dict[int, Decimal] = defaultdict(Decimal)
    for ln in lines:
        if ln.sales_order_line_id:
            quantities[ln.sales_order_line_id] += ln.quantity
    sales_link.remove_invoiced(dict(quantities))
    order_ids = list(invoice.orders.values_list("pk", flat=True))
    sales_link.refresh_invoice_states(order_ids)
    sales_link.refresh_payment_states(order_ids)
    announce("invoice.cancelled", invoice, actor, customer_id=invoice.customer_id, reason=reason)
    return invoice
