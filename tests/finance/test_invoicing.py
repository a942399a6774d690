"""Invoicing sales orders: prorated partial invoices that add up exactly, VAT per line, one invoice
per customer, states of the order, issue and cancel."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from qudao.core.errors import NotFound, ValidationFailed
from qudao.core.models import OutboxEvent
from qudao.core.sequences import format_number
from qudao.finance.errors import InvoiceHasPayments, NothingToInvoice
from qudao.finance.models import CreditNote, Invoice
from qudao.finance.services import (
    cancel_invoice,
    invoice_sales_orders,
    issue_invoice,
    record_payment,
)
from qudao.sales.models import SalesOrder, SalesSettings
from tests.finance.factories import ROOT, customer, make_order, ship

pytestmark = pytest.mark.django_db


def _lines(invoice):
    return [
        (ln.quantity, ln.amount, ln.tax_amount, ln.net_amount) for ln in invoice.lines.order_by("line_no")
    ]


def test_partial_invoices_from_shipments_add_up_exactly_to_the_line(dealer, cust):
    order = make_order(dealer, cust, [("3", "100.00", "0.13")])
    amounts = []
    for expected_state in ("partial", "partial", "full"):
        ship(order, ["1"])
        [invoice] = invoice_sales_orders(actor=ROOT, order_ids=[order.pk])
        amounts.append(_lines(invoice)[0])
        order.refresh_from_db()
        assert order.invoice_state == expected_state
    assert amounts == [
        (D("1.000"), D("33.33"), D("3.83"), D("29.50")),
        (D("1.000"), D("33.33"), D("3.83"), D("29.50")),
        (D("1.000"), D("33.34"), D("3.84"), D("29.50")),
    ]
    assert sum(a[1] for a in amounts) == D("100.00")
    assert sum(a[2] for a in amounts) == order.lines.get().tax_amount == D("11.50")
    assert order.lines.get().invoiced_quantity == D("3")
    with pytest.raises(NothingToInvoice):
        invoice_sales_orders(actor=ROOT, order_ids=[order.pk])


def test_shipped_basis_invoices_nothing_before_shipment_and_writes_nothing(dealer, cust):
    order = make_order(dealer, cust, [("2", "50.00", "0.13")])
    with pytest.raises(NothingToInvoice):
        invoice_sales_orders(actor=ROOT, order_ids=[order.pk])
    assert not Invoice.objects.exists()
    assert order.lines.get().invoiced_quantity == 0


def test_ordered_basis_by_dealer_setting_with_vat_per_line(dealer, cust):
    SalesSettings.objects.create(dealer=dealer, invoice_basis="ordered")
    order = make_order(dealer, cust, [("2", "226.00", "0.13"), ("1", "106.00", "0.06")])
    [invoice] = invoice_sales_orders(actor=ROOT, order_ids=[order.pk], invoice_date=date(2026, 3, 1))
    assert _lines(invoice) == [
        (D("2.000"), D("226.00"), D("26.00"), D("200.00")),
        (D("1.000"), D("106.00"), D("6.00"), D("100.00")),
    ]
    assert (invoice.total, invoice.tax_total, invoice.net_total) == (D("332.00"), D("32.00"), D("300.00"))
    assert invoice.state == "draft" and invoice.open_amount == D("332.00")
    assert invoice.due_date == date(2026, 3, 31)  # 30 days of payment terms
    assert invoice.basis == "ordered"
    assert list(invoice.orders.all()) == [order]
    month = timezone.localdate().strftime("%y%m")
    assert invoice.number == format_number(1, prefix=f"INV-{month}-")
    order.refresh_from_db()
    assert order.invoice_state == "full" and order.payment_state == "none"


def test_one_invoice_per_customer_per_call(dealer, cust):
    other = customer(dealer, payment_terms_days=0)
    a = make_order(dealer, cust, [("1", "10.00", "0.13")])
    b = make_order(dealer, cust, [("1", "20.00", "0.13")])
    c = make_order(dealer, other, [("1", "30.00", "0.13")])
    invoices = invoice_sales_orders(actor=ROOT, order_ids=[a.pk, b.pk, c.pk], basis="ordered")
    by_customer = {inv.customer_id: inv for inv in invoices}
    assert by_customer[cust.pk].total == D("30.00")
    assert set(by_customer[cust.pk].orders.values_list("pk", flat=True)) == {a.pk, b.pk}
    assert by_customer[other.pk].total == D("30.00")
    assert by_customer[other.pk].due_date == by_customer[other.pk].invoice_date


def test_by_customer_invoices_all_open_orders(dealer, cust):
    make_order(dealer, cust, [("1", "10.00", "0.13")])
    make_order(dealer, cust, [("1", "20.00", "0.13")])
    make_order(dealer, cust, [("1", "40.00", "0.13")], state="draft")
    [invoice] = invoice_sales_orders(actor=ROOT, customer_id=cust.pk, basis="ordered", issue=True)
    assert invoice.total == D("30.00") and invoice.state == "issued"


def test_bad_input_raises_one_error_and_writes_nothing(dealer, cust, other_dealer):
    draft = make_order(dealer, cust, [("1", "10.00", "0.13")], state="draft")
    with pytest.raises(ValidationFailed) as err:
        invoice_sales_orders(actor=ROOT, order_ids=[draft.pk], basis="ordered")
    assert err.value.details[0]["field"] == f"order_ids.{draft.pk}"
    with pytest.raises(ValidationFailed):
        invoice_sales_orders(actor=ROOT, order_ids=[draft.pk], basis="weekly")
    with pytest.raises(ValidationFailed):
        invoice_sales_orders(actor=ROOT)
    with pytest.raises(NotFound):
        invoice_sales_orders(actor=ROOT, order_ids=[draft.pk, 999999])
    assert not Invoice.objects.exists()


def test_issue_announces_and_cancel_credits_and_gives_quantities_back(dealer, cust):
    order = make_order(dealer, cust, [("2", "226.00", "0.13")])
    ship(order, ["2"])
    [invoice] = invoice_sales_orders(actor=ROOT, order_ids=[order.pk])
    invoice = issue_invoice(actor=ROOT, invoice_id=invoice.pk, version=1)
    assert invoice.state == "issued" and invoice.issued_at is not None and invoice.version == 2
    assert OutboxEvent.objects.filter(topic="finance.invoice.issued", payload__id=invoice.pk).count() == 1
    cancel_invoice(actor=ROOT, invoice_id=invoice.pk, reason="wrong customer")
    invoice.refresh_from_db()
    note = CreditNote.objects.get(invoice=invoice)
    assert (note.reason, note.total, note.tax_total) == ("cancel", D("226.00"), D("26.00"))
    assert (invoice.state, invoice.amount_credited, invoice.open_amount) == ("cancelled", D("226.00"), 0)
    order.refresh_from_db()
    assert order.invoice_state == "none" and order.lines.get().invoiced_quantity == 0
    assert {e.topic for e in OutboxEvent.objects.filter(topic__startswith="finance.")} >= {
        "finance.invoice.created",
        "finance.invoice.issued",
        "finance.credit_note.issued",
        "finance.invoice.cancelled",
    }
    # invoiced again from scratch: the cancelled invoice does not count
    [again] = invoice_sales_orders(actor=ROOT, order_ids=[order.pk])
    assert again.total == D("226.00")


def test_a_draft_is_cancelled_without_credit_note(dealer, cust):
    order = make_order(dealer, cust, [("1", "10.00", "0.13")])
    [invoice] = invoice_sales_orders(actor=ROOT, order_ids=[order.pk], basis="ordered")
    cancel_invoice(actor=ROOT, invoice_id=invoice.pk)
    assert not CreditNote.objects.exists()
    assert SalesOrder.objects.get(pk=order.pk).invoice_state == "none"


def test_an_invoice_with_payments_cannot_be_cancelled(dealer, cust):
    order = make_order(dealer, cust, [("1", "10.00", "0.13")])
    [invoice] = invoice_sales_orders(actor=ROOT, order_ids=[order.pk], basis="ordered", issue=True)
    record_payment(actor=ROOT, data={"customer_id": cust.pk, "method": "cash", "amount": D("1.00")})
    with pytest.raises(InvoiceHasPayments):
        cancel_invoice(actor=ROOT, invoice_id=invoice.pk)
    invoice.refresh_from_db()
    assert invoice.state == "partial" and not CreditNote.objects.exists()


def test_invoice_date_sets_due_date_from_terms(dealer):
    cust = customer(dealer, payment_terms_days=45)
    order = make_order(dealer, cust, [("1", "10.00", "0.13")])
    [invoice] = invoice_sales_orders(
        actor=ROOT, order_ids=[order.pk], basis="ordered", invoice_date=date(2026, 1, 31)
    )
    assert invoice.due_date == date(2026, 1, 31) + timedelta(days=45)
