"""Finance's reactions to the lower apps' events (delivered by the outbox after commit)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from qudao.core.events import subscriber
from qudao.core.models import OutboxEvent
from qudao.core.money import line_amount
from qudao.core.scoping import Actor
from qudao.finance.models import CreditNote, Invoice, InvoiceLine
from qudao.finance.states import OPEN_INVOICE_STATES, CreditReason

#: the outbox runs subscribers without a user
SYSTEM = Actor(user_id=None, username="system", is_platform_admin=True)
ZERO = Decimal("0.00")


@subscriber("sales.return.received", name="finance.credit_received_return")
def credit_received_return(event: OutboxEvent) -> None:
    credit_return(return_id=event.payload["return_id"])


@transaction.atomic
def credit_return(*, return_id: int) -> list[CreditNote]:
    """Credit notes for a received return: each line's `credit_quantity` (the part that had been
    invoiced) × the order line's unit price, against the open invoices carrying that order line, newest
    first, never more than is left to credit on an invoice line or open on the invoice. Then the return
    is marked credited. A replay finds the return credited already and does nothing.

    The part of a return that had not been invoiced gets no credit note: it is never invoiced either
    (finance.services.invoicing subtracts `sales.selectors_returns.returned_not_invoiced`). What cannot
    be credited because the invoice is paid, cancelled or still a draft is written on the return's
    note for a person to settle (a refund or a manual credit)."""
    from qudao.sales.models import ReturnRequest
    from qudao.sales.services import mark_return_credited
    from qudao.sales.states_fulfilment import ReturnState

    request = ReturnRequest.objects.select_for_update().get(pk=return_id)
    if request.state != ReturnState.RECEIVED:
        return []
    lines = [ln for ln in request.lines.order_by("pk") if ln.credit_quantity > 0]
    invoice_lines = list(
        InvoiceLine.objects.select_for_update(of=("self",))
        .filter(
            sales_order_line_id__in=[ln.order_line_id for ln in lines], invoice__state__in=OPEN_INVOICE_STATES
        )
        .order_by("-invoice_id", "-pk")
    )
    invoices = {inv.pk: inv for inv in Invoice.objects.filter(pk__in={il.invoice_id for il in invoice_lines})}
    room = {il.pk: il.amount - il.credited_amount for il in invoice_lines}
    open_left = {pk: inv.open_amount for pk, inv in invoices.items()}
    plan: dict[int, dict[int, Decimal]] = defaultdict(dict)
    short = ZERO
    for line in lines:
        wanted = line_amount(line.credit_quantity, line.unit_price)
        for il in invoice_lines:
            if wanted <= 0:
                break
            if il.sales_order_line_id != line.order_line_id:
                continue
            take = min(wanted, room[il.pk], open_left[il.invoice_id])
            if take <= 0:
                continue
            plan[il.invoice_id][il.pk] = plan[il.invoice_id].get(il.pk, ZERO) + take
            room[il.pk] -= take
            open_left[il.invoice_id] -= take
            wanted -= take
        short += wanted
    from qudao.finance.services import create_credit_note

    notes = [
        create_credit_note(
            actor=SYSTEM,
            invoice_id=invoice_id,
            data={
                "reason": CreditReason.RETURN,
                "note": request.number,
                "lines": [
                    {"invoice_line_id": pk, "amount": amount} for pk, amount in sorted(amounts.items())
                ],
            },
        )
        for invoice_id, amounts in sorted(plan.items())
    ]
    note = (
        _("%(amount)s could not be credited (no open invoice): settle it by hand.") % {"amount": short}
        if short > 0
        else ""
    )
    mark_return_credited(
        actor=SYSTEM, return_id=request.pk, credit_notes=[n.number for n in notes], note=note
    )
    return notes
