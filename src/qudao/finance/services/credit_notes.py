"""Credit notes: reverse part of an issued invoice, by lines (amount or quantity) or by an amount spread
over the lines in proportion to what is left on each. Never more than is open on the invoice."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from qudao.core.money import allocate, quantize_amount, tax_from_inclusive, to_decimal
from qudao.core.scoping import Actor
from qudao.finance.errors import CreditExceedsOpen, InvoiceNotOpen
from qudao.finance.models import CreditNote, CreditNoteLine, Invoice, InvoiceLine
from qudao.finance.policies import invoice_state_for
from qudao.finance.services import sales_link
from qudao.finance.services._common import Problems, announce, assign_number, check_version, lock, money, save
from qudao.finance.states import OPEN_INVOICE_STATES, CreditReason, InvoiceState


def credit_invoice_lines(
    invoice: Invoice,
    lines: list[InvoiceLine],
    amounts: Mapping[int, Decimal],
    *,
    actor: Actor,
    reason: str,
    note: str = "",
    credit_date: date | None = None,
    quantities: Mapping[int, Decimal] | None = None,
) -> CreditNote:
    """Write a credit note of `amounts` (invoice line id → amount, already checked) on a locked invoice;
    the invoice's credited and open amounts change in memory (the caller saves it)."""
    by_id = {ln.pk: ln for ln in lines}
    note_lines = []
    for line_id, amount in amounts.items():
        line = by_id[line_id]
        if amount == line.amount - line.credited_amount:
            tax = line.tax_amount - line.credited_tax
        else:
            tax = min(tax_from_inclusive(amount, line.tax_rate), line.tax_amount - line.credited_tax)
        note_lines.append(
            CreditNoteLine(
                dealer_id=invoice.dealer_id,
                invoice_line=line,
                item_id=line.item_id,
                quantity=(quantities or {}).get(line_id, Decimal(0)),
                amount=amount,
                tax_rate=line.tax_rate,
                tax_amount=tax,
                net_amount=amount - tax,
            )
        )
    credit = CreditNote(
        dealer_id=invoice.dealer_id,
        invoice=invoice,
        customer_id=invoice.customer_id,
        currency=invoice.currency,
        credit_date=credit_date or timezone.localdate(),
        reason=reason,
        total=sum((n.amount for n in note_lines), Decimal("0.00")),
        tax_total=sum((n.tax_amount for n in note_lines), Decimal("0.00")),
        note=note[:500],
        channel_id=invoice.channel_id,
        region_id=invoice.region_id,
        created_by_id=actor.user_id,
    )
    credit.net_total = credit.total - credit.tax_total
    credit.number = assign_number(invoice.dealer_id, "credit_note", "CN")
    credit.save()
    for n in note_lines:
        n.credit_note = credit
        InvoiceLine.objects.filter(pk=n.invoice_line_id).update(
            credited_amount=F("credited_amount") + n.amount,
            credited_tax=F("credited_tax") + n.tax_amount,
            updated_at=timezone.now(),
        )
    CreditNoteLine.objects.bulk_create(note_lines)
    invoice.amount_credited += credit.total
    invoice.open_amount = invoice.total - invoice.amount_paid - invoice.amount_credited
    announce(
        "credit_note.issued",
        credit,
        actor,
        invoice_id=invoice.pk,
        customer_id=invoice.customer_id,
        reason=reason,
        total=str(credit.total),
    )
    return credit


def _amounts(
    invoice: Invoice, lines: list[InvoiceLine], data: Mapping[str, Any], problems: Problems
) -> tuple[dict[int, Decimal], dict[int, Decimal]]:
    by_id = {ln.pk: ln for ln in lines}
    rest = {ln.pk: ln.amount - ln.credited_amount for ln in lines}
    amounts: dict[int, Decimal] = {}
    quantities: dict[int, Decimal] = {}
    raw_lines, raw_amount = data.get("lines") or [], data.get("amount")
    if bool(raw_lines) == (raw_amount is not None):
        problems.add("lines", _("Give either lines or an amount."))
        return amounts, quantities
    if raw_amount is not None:
        amount = money(raw_amount)
        if amount is None or amount <= 0:
            problems.add("amount", _("Enter an amount greater than zero, to the cent."))
        elif amount > invoice.open_amount:
            problems.add("amount", _("More than is open on the invoice."), CreditExceedsOpen)
        else:
            ids = [pk for pk, left in rest.items() if left > 0]
            for pk, part in zip(ids, allocate(amount, [rest[pk] for pk in ids]), strict=True):
                if part > 0:
                    amounts[pk] = part
        return amounts, quantities
    for i, raw in enumerate(raw_lines):
        field = f"lines.{i}"
        line = by_id.get(raw.get("invoice_line_id"))
        if line is None:
            problems.add(f"{field}.invoice_line_id", _("Not a line of this invoice."))
            continue
        if line.pk in amounts:
            problems.add(f"{field}.invoice_line_id", _("This line is given twice."))
            continue
        if raw.get("amount") is not None:
            amount = money(raw["amount"])
            if amount is None or amount <= 0:
                problems.add(f"{field}.amount", _("Enter an amount greater than zero, to the cent."))
                continue
        elif raw.get("quantity") is not None:
            quantity = to_decimal(raw["quantity"])
            if quantity <= 0 or quantity > line.quantity:
                problems.add(f"{field}.quantity", _("Between zero and the invoiced quantity."))
                continue
            amount = quantize_amount(line.amount * quantity / line.quantity) if line.quantity else Decimal(0)
            quantities[line.pk] = quantity
        else:
            problems.add(f"{field}.amount", _("Give an amount or a quantity."))
            continue
        if amount > rest[line.pk]:
            problems.add(f"{field}.amount", _("More than is left to credit on this line."), CreditExceedsOpen)
            continue
        amounts[line.pk] = amount
    if not problems and sum(amounts.values(), Decimal(0)) > invoice.open_amount:
        problems.add("lines", _("More than is open on the invoice."), CreditExceedsOpen)
    return amounts, quantities


@transaction.atomic
def create_credit_note(
    *, actor: Actor, invoice_id: int, data: Mapping[str, Any], version: Any = None
) -> CreditNote:
    """data = {reason, credit_date?, note?, lines: [{invoice_line_id, amount | quantity}] | amount}."""
    invoice = lock(actor, Invoice, invoice_id)
    check_version(invoice, version)
    if invoice.state not in OPEN_INVOICE_STATES:
        raise InvoiceNotOpen(details={"state": invoice.state})
    problems = Problems()
    reason = data.get("reason")
    if reason not in CreditReason.values or reason == CreditReason.CANCELLATION:
        problems.add(
            "reason", _("Choose return, price adjustment or rebate (cancel the invoice to cancel it).")
        )
    lines = list(InvoiceLine.objects.filter(invoice=invoice).order_by("line_no"))
    amounts, quantities = _amounts(invoice, lines, data, problems)
    problems.raise_if_any()
    credit = credit_invoice_lines(
        invoice,
        lines,
        amounts,
        actor=actor,
        reason=reason,
        note=data.get("note") or "",
        credit_date=data.get("credit_date"),
        quantities=quantities,
    )
    apply_amounts(invoice, actor, "amount_credited", "open_amount")
    return credit


STATE_TOPICS = {
    InvoiceState.PAID: "invoice.paid",
    InvoiceState.PARTIALLY_PAID: "invoice.partially_paid",
    InvoiceState.ISSUED: "invoice.reopened",
}


def apply_amounts(invoice: Invoice, actor: Actor, *fields: str) -> None:
    """Save the invoice's changed amounts; move its state with them (announced when it changes)."""
    target = invoice_state_for(
        current=invoice.state, total=invoice.total, paid=invoice.amount_paid, credited=invoice.amount_credited
    )
    changed = target != invoice.state
    if changed:
        invoice.state_machine.transition(invoice, to=target)
    save(invoice, *fields, "state")
    if changed:
        announce(
            STATE_TOPICS[target],
            invoice,
            actor,
            customer_id=invoice.customer_id,
            open_amount=str(invoice.open_amount),
        )
    sales_link.refresh_payment_states(invoice.orders.values_list("pk", flat=True))
