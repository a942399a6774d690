"""Reads of finance documents; every one starts from `scoped(...)`."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, QuerySet

from qudao.core.scoping import Actor, get_scoped, scoped
from qudao.finance.models import CreditNote, CreditNoteLine, Invoice, InvoiceLine, Payment, PaymentAllocation


def list_invoices(
    *,
    actor: Actor,
    state: str | None = None,
    customer_id: int | None = None,
    order_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    overdue_on: date | None = None,
) -> QuerySet:
    qs = scoped(Invoice.objects.select_related("customer"), actor)
    if state:
        qs = qs.filter(state=state)
    if customer_id is not None:
        qs = qs.filter(customer_id=customer_id)
    if order_id is not None:
        qs = qs.filter(orders=order_id)
    if date_from is not None:
        qs = qs.filter(invoice_date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(invoice_date__lte=date_to)
    if overdue_on is not None:
        qs = qs.filter(state__in=["issued", "partial"], due_date__lt=overdue_on)
    return qs


def get_invoice(*, actor: Actor, invoice_id: int) -> Invoice:
    qs = Invoice.objects.select_related("customer").prefetch_related(
        Prefetch("lines", queryset=InvoiceLine.objects.order_by("line_no")),
        Prefetch("allocations", queryset=PaymentAllocation.objects.select_related("payment").order_by("id")),
        Prefetch("credit_notes", queryset=CreditNote.objects.order_by("id")),
        "orders",
    )
    return get_scoped(qs, actor, pk=invoice_id)


def list_credit_notes(
    *, actor: Actor, customer_id: int | None = None, invoice_id: int | None = None
) -> QuerySet:
    qs = scoped(CreditNote.objects.select_related("invoice", "customer"), actor)
    if customer_id is not None:
        qs = qs.filter(customer_id=customer_id)
    if invoice_id is not None:
        qs = qs.filter(invoice_id=invoice_id)
    return qs


def get_credit_note(*, actor: Actor, credit_note_id: int) -> CreditNote:
    qs = CreditNote.objects.select_related("invoice", "customer").prefetch_related(
        Prefetch("lines", queryset=CreditNoteLine.objects.order_by("id"))
    )
    return get_scoped(qs, actor, pk=credit_note_id)


def list_payments(
    *,
    actor: Actor,
    customer_id: int | None = None,
    state: str | None = None,
    method: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet:
    qs = scoped(Payment.objects.select_related("customer"), actor)
    if customer_id is not None:
        qs = qs.filter(customer_id=customer_id)
    if state:
        qs = qs.filter(state=state)
    if method:
        qs = qs.filter(method=method)
    if date_from is not None:
        qs = qs.filter(payment_date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(payment_date__lte=date_to)
    return qs


def get_payment(*, actor: Actor, payment_id: int) -> Payment:
    qs = Payment.objects.select_related("customer").prefetch_related(
        Prefetch("allocations", queryset=PaymentAllocation.objects.select_related("invoice").order_by("id"))
    )
    return get_scoped(qs, actor, pk=payment_id)
