"""Payments: record (bank transfer, cash, online, or the customer's rebate balance), allocate to
invoices (given, or the oldest open invoices first), reverse. Σ allocations never exceed the payment
nor an invoice's open amount: the payment is locked, then its invoices in primary-key order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qudao.core.errors import NotFound
from qudao.core.scoping import Actor, get_scoped
from qudao.core.states import transition
from qudao.finance.errors import OverAllocation, PaymentReversed, RebateReversalUnsupported
from qudao.finance.models import Invoice, Payment, PaymentAllocation
from qudao.finance.policies import OpenInvoice, plan_allocation
from qudao.finance.services._common import (
    Problems,
    announce,
    as_date,
    assign_number,
    check_version,
    lock,
    money,
    save,
)
from qudao.finance.services.credit_notes import apply_amounts
from qudao.finance.states import OPEN_INVOICE_STATES, PaymentMethod, PaymentState
from qudao.parties.models import Customer

REFERENCE = "finance.payment"


def _check_allocations(
    raw: Sequence[Mapping[str, Any]] | None, problems: Problems
) -> dict[int, Decimal] | None:
    """{invoice id: amount} from [{invoice_id, amount}] (same invoice twice: added up); None = auto."""
    if raw is None:
        return None
    out: dict[int, Decimal] = defaultdict(Decimal)
    for i, row in enumerate(raw):
        amount = money(row.get("amount"))
        if amount is None or amount <= 0:
            problems.add(f"allocations.{i}.amount", _("Enter an amount greater than zero, to the cent."))
            continue
        try:
            out[int(row.get("invoice_id"))] += amount
        except (TypeError, ValueError):
            problems.add(f"allocations.{i}.invoice_id", _("Choose an invoice."))
    return dict(out)


@transaction.atomic
def record_payment(*, actor: Actor, data: Mapping[str, Any]) -> Payment:
    """data = {customer_id, method, amount, payment_date?, currency?, reference?, note?,
    allocations?: [{invoice_id, amount}], auto_allocate? (default true)}. Without allocations the
    payment settles the customer's oldest open invoices; what is left stays unallocated."""
    customer = get_scoped(Customer.objects.all(), actor, for_write=True, pk=data.get("customer_id"))
    problems = Problems()
    amount = money(data.get("amount"))
    if amount is None or amount <= 0:
        problems.add("amount", _("Enter an amount greater than zero, to the cent."))
    method = data.get("method")
    if method not in PaymentMethod.values:
        problems.add("method", _("Choose bank transfer, cash, online payment or rebate balance."))
    allocations = _check_allocations(data.get("allocations"), problems)
    if amount and allocations and sum(allocations.values(), Decimal(0)) > amount:
        problems.add("allocations", _("The allocations add up to more than the payment."), OverAllocation)
    problems.raise_if_any()
    payment = Payment(
        dealer_id=customer.dealer_id,
        customer=customer,
        currency=data.get("currency") or customer.currency,
        payment_date=as_date(data.get("payment_date"), timezone.localdate()),
        method=method,
        amount=amount,
        reference=(data.get("reference") or "")[:100],
        note=(data.get("note") or "")[:500],
        created_by_id=actor.user_id,
    )
    payment.number = assign_number(customer.dealer_id, "payment", "PAY")
    payment.save()
    if method == PaymentMethod.REBATE:
        from qudao.pricing.services.rebates import use_rebate_balance

        entry = use_rebate_balance(
            actor=actor,
            customer_id=customer.pk,
            amount=amount,
            reference_type=REFERENCE,
            reference_id=payment.pk,
        )
        payment.rebate_entry_id = entry.pk
        payment.save(update_fields=["rebate_entry_id"])
    announce(
        "payment.received",
        payment,
        actor,
        customer_id=customer.pk,
        amount=str(amount),
        method=method,
    )
    if allocations is None and data.get("auto_allocate", True) is False:
        return payment
    _allocate(payment, actor, allocations)
    return payment


@transaction.atomic
def allocate_payment(
    *,
    actor: Actor,
    payment_id: int,
    allocations: Sequence[Mapping[str, Any]] | None = None,
    version: Any = None,
) -> Payment:
    """Allocate what is left of a payment: to the given invoices, or to the oldest open ones."""
    payment = lock(actor, Payment, payment_id)
    check_version(payment, version)
    problems = Problems()
    wanted = _check_allocations(allocations, problems)
    problems.raise_if_any()
    if payment.state == PaymentState.REVERSED:
        raise PaymentReversed()
    _allocate(payment, actor, wanted)
    return payment


def _open_invoices(payment: Payment, ids: list[int] | None) -> dict[int, Invoice]:
    qs = Invoice.objects.filter(dealer_id=payment.dealer_id, customer_id=payment.customer_id)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    else:
        qs = qs.filter(state__in=OPEN_INVOICE_STATES, currency=payment.currency, open_amount__gt=0)
    return {inv.pk: inv for inv in qs.select_for_update().order_by("pk")}


def _allocate(payment: Payment, actor: Actor, wanted: dict[int, Decimal] | None) -> None:
    left = payment.amount - payment.allocated_amount
    if wanted is None:
        invoices = _open_invoices(payment, None)
        plan = plan_allocation(
            left,
            [OpenInvoice(i.pk, i.due_date, i.invoice_date, i.open_amount) for i in invoices.values()],
        )
    else:
        invoices = _open_invoices(payment, sorted(wanted))
        missing = sorted(set(wanted) - set(invoices))
        if missing:
            raise NotFound(details={"invoice_ids": missing})
        problems = Problems()
        for pk, amount in sorted(wanted.items()):
            inv = invoices[pk]
            if inv.state not in OPEN_INVOICE_STATES or inv.currency != payment.currency:
                problems.add(f"allocations.{pk}", _("The invoice is not open (or in another currency)."))
            elif amount > inv.open_amount:
                problems.add(f"allocations.{pk}", _("More than is open on the invoice."), OverAllocation)
        if sum(wanted.values(), Decimal(0)) > left:
            problems.add("allocations", _("More than is left of the payment."), OverAllocation)
        problems.raise_if_any()
        plan = sorted(wanted.items())
    if not plan:
        return
    PaymentAllocation.objects.bulk_create(
        PaymentAllocation(
            dealer_id=payment.dealer_id,
            payment=payment,
            invoice_id=pk,
            amount=amount,
            created_by_id=actor.user_id,
        )
        for pk, amount in plan
    )
    for pk, amount in plan:
        inv = invoices[pk]
        inv.amount_paid += amount
        inv.open_amount -= amount
        apply_amounts(inv, actor, "amount_paid", "open_amount")
    payment.allocated_amount += sum((amount for _pk, amount in plan), Decimal(0))
    _move_payment(payment)
    announce(
        "payment.allocated",
        payment,
        actor,
        customer_id=payment.customer_id,
        allocations=[{"invoice_id": pk, "amount": str(amount)} for pk, amount in plan],
    )


def _move_payment(payment: Payment) -> None:
    target = (
        PaymentState.ALLOCATED
        if payment.allocated_amount >= payment.amount
        else PaymentState.PARTIALLY_ALLOCATED
    )
    if target != payment.state:
        transition(payment, to=target)
    save(payment, "allocated_amount", "state")


@transaction.atomic
def reverse_payment(*, actor: Actor, payment_id: int, reason: str = "", version: Any = None) -> Payment:
    """Reverse a payment (bounced transfer, mistake): its allocations are undone, the invoices reopen."""
    payment = lock(actor, Payment, payment_id)
    check_version(payment, version)
    if payment.method == PaymentMethod.REBATE:
        raise RebateReversalUnsupported()
    transition(payment, to=PaymentState.REVERSED)
    live = list(PaymentAllocation.objects.filter(payment=payment, is_reversed=False))
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for allocation in live:
        totals[allocation.invoice_id] += allocation.amount
    invoices = _open_invoices(payment, sorted(totals))
    PaymentAllocation.objects.filter(pk__in=[a.pk for a in live]).update(
        is_reversed=True, updated_at=timezone.now()
    )
    for pk, amount in sorted(totals.items()):
        inv = invoices[pk]
        inv.amount_paid -= amount
        inv.open_amount += amount
        apply_amounts(inv, actor, "amount_paid", "open_amount")
    payment.allocated_amount = Decimal("0.00")
    payment.reversed_on = timezone.localdate()
    payment.reversal_reason = reason[:300]
    save(payment, "state", "allocated_amount", "reversed_on", "reversal_reason")
    announce("payment.reversed", payment, actor, customer_id=payment.customer_id, reason=reason)
    return payment
