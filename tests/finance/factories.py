"""Finance factories. Orders are written directly in the confirmed state with exact amounts, so the
invoicing arithmetic is tested on known numbers; `ship()` stands in for a shipment (fulfilment is not
built yet) by raising shipped_quantity with a plain UPDATE."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from qudao.core.money import tax_from_inclusive, to_decimal
from qudao.core.scoping import Actor
from qudao.finance.models import Invoice, InvoiceLine
from qudao.finance.services import issue_invoice
from qudao.org.models import Company
from qudao.parties.models import Customer
from qudao.pricing.models import RebateBalance
from qudao.sales.models import SalesOrder, SalesOrderLine
from tests.catalog.factories import make_item, unit
from tests.parties.factories import make_customer

ROOT = Actor(user_id=None, username="system", is_platform_admin=True)
D = Decimal


def customer(dealer: Company, **fields: Any) -> Customer:
    fields.setdefault("payment_terms_days", 30)
    return make_customer(dealer, **fields)


def make_order(
    dealer: Company,
    cust: Customer,
    lines: list[tuple[str, str, str]],
    *,
    state: str = "confirmed",
    number: str | None = None,
) -> SalesOrder:
    """A confirmed order; lines = [(quantity, amount tax incl., tax rate)]."""
    n = SalesOrder.objects.count() + 1
    order = SalesOrder.objects.create(
        dealer=dealer, customer=cust, number=number or f"SO-T-{n:05d}", state=state
    )
    total = tax_total = D("0.00")
    for no, (quantity, amount, rate) in enumerate(lines, start=1):
        item = make_item(dealer, tax_rate=D(rate))
        qty, amt = to_decimal(quantity), to_decimal(amount)
        tax = tax_from_inclusive(amt, D(rate))
        SalesOrderLine.objects.create(
            dealer=dealer,
            order=order,
            line_no=no,
            item=item,
            unit=unit(dealer),
            quantity_entered=qty,
            quantity=qty,
            unit_price=(amt / qty).quantize(D("0.0001")),
            base_amount=amt,
            amount=amt,
            tax_rate=D(rate),
            tax_amount=tax,
            net_amount=amt - tax,
        )
        total += amt
        tax_total += tax
    SalesOrder.objects.filter(pk=order.pk).update(
        total=total, tax_total=tax_total, net_total=total - tax_total
    )
    order.refresh_from_db()
    return order


def ship(order: SalesOrder, quantities: list[str]) -> None:
    """Stands in for a shipment (fulfilment is not built yet): raise shipped_quantity directly."""
    for line, quantity in zip(order.lines.order_by("line_no"), quantities, strict=True):
        SalesOrderLine.objects.filter(pk=line.pk).update(
            shipped_quantity=line.shipped_quantity + D(quantity),
            reserved_quantity=max(line.reserved_quantity - D(quantity), D(0)),
        )


def make_issued_invoice(
    dealer: Company, cust: Customer, amounts: list[str], *, on: date, due: date | None = None
) -> Invoice:
    """An issued invoice of free lines (no order), 13% VAT, with the given amounts."""
    from qudao.core.sequences import next_code

    invoice = Invoice.objects.create(
        dealer=dealer,
        customer=cust,
        number=next_code(dealer_id=dealer.pk, kind="invoice:test", prefix="INV-T-"),
        invoice_date=on,
        due_date=due or on,
    )
    lines = []
    for no, amount in enumerate(amounts, start=1):
        tax = tax_from_inclusive(D(amount), D("0.13"))
        lines.append(
            InvoiceLine(
                dealer=dealer,
                invoice=invoice,
                line_no=no,
                description=f"line {no}",
                quantity=D(1),
                unit_price=D(amount),
                amount=D(amount),
                tax_rate=D("0.13"),
                tax_amount=tax,
                net_amount=D(amount) - tax,
            )
        )
    InvoiceLine.objects.bulk_create(lines)
    total = sum((ln.amount for ln in lines), D("0.00"))
    tax_total = sum((ln.tax_amount for ln in lines), D("0.00"))
    Invoice.objects.filter(pk=invoice.pk).update(
        total=total, tax_total=tax_total, net_total=total - tax_total, open_amount=total
    )
    return issue_invoice(actor=ROOT, invoice_id=invoice.pk)


def give_rebate_balance(cust: Customer, amount: str) -> None:
    RebateBalance.objects.update_or_create(
        dealer_id=cust.dealer_id, customer=cust, defaults={"balance": D(amount)}
    )
