"""Pure decision rules of finance (no ORM): prorating invoiced amounts, invoice states, the order in
which a payment settles invoices, ageing buckets."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from qudao.core.money import quantize_amount, tax_from_inclusive
from qudao.finance.states import InvoiceState

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class LineAmounts:
    amount: Decimal
    tax_amount: Decimal
    net_amount: Decimal


def prorate_line(
    *,
    quantity: Decimal,
    line_quantity: Decimal,
    line_amount: Decimal,
    line_tax: Decimal,
    tax_rate: Decimal,
    already_quantity: Decimal,
    already_amount: Decimal,
    already_tax: Decimal,
) -> LineAmounts:
    """Amounts of invoicing `quantity` more of an order line. The invoice that completes the line takes
    the remainder, so that Σ invoiced amount (and tax) equals the line's exactly."""
    if quantity <= 0 or line_quantity <= 0:
        raise ValueError("quantities must be positive")
    if already_quantity + quantity >= line_quantity:
        amount = line_amount - already_amount
        tax = line_tax - already_tax
    else:
        amount = quantize_amount(line_amount * quantity / line_quantity)
        tax = tax_from_inclusive(amount, tax_rate)
    return LineAmounts(amount=amount, tax_amount=tax, net_amount=amount - tax)


def invoice_state_for(*, current: str, total: Decimal, paid: Decimal, credited: Decimal) -> str:
    """The state an issued invoice takes from its amounts (drafts and cancelled invoices keep theirs)."""
    if current in (InvoiceState.DRAFT, InvoiceState.CANCELLED):
        return current
    if total - paid - credited <= 0:
        return InvoiceState.PAID
    if paid > 0:
        return InvoiceState.PARTIALLY_PAID
    return InvoiceState.ISSUED


@dataclass(frozen=True)
class OpenInvoice:
    invoice_id: int
    due_date: date
    invoice_date: date
    open_amount: Decimal


def plan_allocation(amount: Decimal, invoices: Iterable[OpenInvoice]) -> list[tuple[int, Decimal]]:
    """Settle the oldest invoices first (due date, then invoice date, then id) until `amount` is used;
    what is left stays unallocated."""
    left = quantize_amount(amount)
    plan: list[tuple[int, Decimal]] = []
    for inv in sorted(invoices, key=lambda i: (i.due_date, i.invoice_date, i.invoice_id)):
        if left <= 0:
            break
        take = min(left, inv.open_amount)
        if take > 0:
            plan.append((inv.invoice_id, take))
            left -= take
    return plan


#: ageing buckets: (key, first day past due, last day past due or None)
BUCKETS: Sequence[tuple[str, int | None, int | None]] = (
    ("current", None, 0),
    ("d1_30", 1, 30),
    ("d31_60", 31, 60),
    ("d61_90", 61, 90),
    ("d90_plus", 91, None),
)


def ageing_bucket(days_past_due: int) -> str:
    for key, low, high in BUCKETS:
        if (low is None or days_past_due >= low) and (high is None or days_past_due <= high):
            return key
    raise AssertionError("buckets cover every integer")


def order_payment_state(*, invoiced_fully: bool, totals: Sequence[tuple[Decimal, Decimal]]) -> str:
    """An order's payment state from its posted invoices' (open amount, amount paid): full when the
    order is fully invoiced and nothing is open; partial when something is paid; none otherwise."""
    if totals and invoiced_fully and all(open_ <= 0 for open_, _paid in totals):
        return "full"
    if any(paid > 0 for _open, paid in totals):
        return "partial"
    return "none"
