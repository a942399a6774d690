"""Receivables reports, set-based: open receivables of a customer (the sales credit check's exposure
source), the customer statement and the receivables ageing as of a date."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Case, DecimalField, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from qudao.core.money import quantize_amount
from qudao.core.scoping import Actor, get_scoped, scoped
from qudao.finance.models import CreditNote, Invoice, InvoiceLine, Payment, PaymentAllocation
from qudao.finance.policies import BUCKETS
from qudao.finance.states import OPEN_INVOICE_STATES, POSTED_INVOICE_STATES
from qudao.parties.models import Customer
from qudao.sales.states import OPEN_STATES, InvoiceState

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=20, decimal_places=2)


def _sum(qs, expr: str) -> Decimal:
    return quantize_amount(qs.aggregate(s=Sum(expr))["s"] or ZERO)


def open_receivables(*, dealer_id: int, customer_id: int) -> Decimal:
    """What the customer owes on issued invoices, for the credit check (sales.credit). The sales side
    counts an open order that is not fully invoiced at its whole total, so the part of it already
    invoiced is taken out here: together they make order total − credited − paid, counted once."""
    owed = _sum(
        Invoice.objects.filter(dealer_id=dealer_id, customer_id=customer_id, state__in=OPEN_INVOICE_STATES),
        "open_amount",
    )
    counted_by_sales = _sum(
        InvoiceLine.objects.filter(
            dealer_id=dealer_id,
            invoice__customer_id=customer_id,
            invoice__state__in=POSTED_INVOICE_STATES,
            sales_order__state__in=OPEN_STATES,
        ).exclude(sales_order__invoice_state=InvoiceState.FULL),
        "amount",
    )
    return owed - counted_by_sales


@dataclass
class StatementEntry:
    on: date
    kind: str
    number: str
    description: str
    debit: Decimal
    credit: Decimal
    balance: Decimal = ZERO
    doc_id: int = 0


@dataclass
class Statement:
    customer: Customer
    date_from: date
    date_to: date
    opening_balance: Decimal
    entries: list[StatementEntry] = field(default_factory=list)
    closing_balance: Decimal = ZERO

    @property
    def total_debit(self) -> Decimal:
        return sum((e.debit for e in self.entries), ZERO)

    @property
    def total_credit(self) -> Decimal:
        return sum((e.credit for e in self.entries), ZERO)


KIND_ORDER = {"invoice": 0, "credit_note": 1, "payment": 2, "reversal": 3}


def get_customer_statement(*, actor: Actor, customer_id: int, date_from: date, date_to: date) -> Statement:
    """Opening balance before `date_from`, every invoice, credit note, payment and payment reversal
    from `date_from` to `date_to` with the running balance, and the closing balance."""
    customer = get_scoped(Customer.objects.all(), actor, pk=customer_id)
    invoices = scoped(Invoice.objects.filter(customer=customer, issued_at__isnull=False), actor)
    credits = scoped(CreditNote.objects.filter(customer=customer), actor)
    payments = scoped(Payment.objects.filter(customer=customer), actor)
    opening = (
        _sum(invoices.filter(invoice_date__lt=date_from), "total")
        - _sum(credits.filter(credit_date__lt=date_from), "total")
        - _sum(payments.filter(payment_date__lt=date_from), "amount")
        + _sum(payments.filter(reversed_on__lt=date_from), "amount")
    )
    entries: list[StatementEntry] = []
    for pk, number, on, total, due in invoices.filter(
        invoice_date__gte=date_from, invoice_date__lte=date_to
    ).values_list("pk", "number", "invoice_date", "total", "due_date"):
        text = _("Invoice, due %(due)s") % {"due": due.isoformat()}
        entries.append(StatementEntry(on, "invoice", number, text, total, ZERO, doc_id=pk))
    for pk, number, on, total, invoice_number in credits.filter(
        credit_date__gte=date_from, credit_date__lte=date_to
    ).values_list("pk", "number", "credit_date", "total", "invoice__number"):
        text = _("Credit note on %(invoice)s") % {"invoice": invoice_number}
        entries.append(StatementEntry(on, "credit_note", number, text, ZERO, total, doc_id=pk))
    for pk, number, on, amount, method, reversed_on in payments.filter(
        Q(payment_date__gte=date_from, payment_date__lte=date_to)
        | Q(reversed_on__gte=date_from, reversed_on__lte=date_to)
    ).values_list("pk", "number", "payment_date", "amount", "method", "reversed_on"):
        if date_from <= on <= date_to:
            text = _("Payment (%(method)s)") % {"method": method}
            entries.append(StatementEntry(on, "payment", number, text, ZERO, amount, doc_id=pk))
        if reversed_on is not None and date_from <= reversed_on <= date_to:
            entries.append(
                StatementEntry(
                    reversed_on, "reversal", number, _("Payment reversed"), amount, ZERO, doc_id=pk
                )
            )
    entries.sort(key=lambda e: (e.on, KIND_ORDER[e.kind], e.doc_id))
    balance = opening
    for entry in entries:
        balance += entry.debit - entry.credit
        entry.balance = balance
    return Statement(customer, date_from, date_to, opening, entries, balance)


@dataclass
class AgeingRow:
    customer_id: int | None
    code: str
    name: str
    buckets: dict[str, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.buckets.values(), ZERO)


def _bucket_q(as_of: date, low: int | None, high: int | None) -> Q:
    """Days past due d = as_of − due_date; low ≤ d ≤ high ⇔ as_of − high ≤ due_date ≤ as_of − low."""
    q = Q()
    if high is not None:
        q &= Q(due_date__gte=as_of - timedelta(days=high))
    if low is not None:
        q &= Q(due_date__lte=as_of - timedelta(days=low))
    return q


def get_receivables_ageing(
    *, actor: Actor, as_of: date, customer_id: int | None = None
) -> tuple[list[AgeingRow], AgeingRow]:
    """What was open on `as_of` (payments dated and credit notes up to that day count), by customer and
    in buckets of days past due: current, 1–30, 31–60, 61–90, over 90. One query."""
    paid = (
        PaymentAllocation.objects.filter(invoice=OuterRef("pk"), payment__payment_date__lte=as_of)
        .filter(Q(is_reversed=False) | Q(payment__reversed_on__gt=as_of))
        .values("invoice")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    credited = (
        CreditNote.objects.filter(invoice=OuterRef("pk"), credit_date__lte=as_of)
        .values("invoice")
        .annotate(s=Sum("total"))
        .values("s")
    )
    qs = scoped(Invoice.objects.filter(issued_at__isnull=False, invoice_date__lte=as_of), actor)
    if customer_id is not None:
        qs = qs.filter(customer_id=customer_id)
    qs = qs.annotate(
        open_at=F("total")
        - Coalesce(Subquery(paid, output_field=MONEY), Value(ZERO), output_field=MONEY)
        - Coalesce(Subquery(credited, output_field=MONEY), Value(ZERO), output_field=MONEY)
    )
    sums: dict[str, Any] = {
        key: Sum(
            Case(
                When(_bucket_q(as_of, low, high), then=F("open_at")), default=Value(ZERO), output_field=MONEY
            )
        )
        for key, low, high in BUCKETS
    }
    rows = []
    totals = {key: ZERO for key, _l, _h in BUCKETS}
    for row in (
        qs.values("customer_id", "customer__code", "customer__name")
        .annotate(**sums)
        .order_by("customer__code")
    ):
        buckets = {key: quantize_amount(row[key] or ZERO) for key, _l, _h in BUCKETS}
        if not any(buckets.values()):
            continue
        rows.append(AgeingRow(row["customer_id"], row["customer__code"], row["customer__name"], buckets))
        for key, value in buckets.items():
            totals[key] += value
    return rows, AgeingRow(None, "", _("Total"), totals)
