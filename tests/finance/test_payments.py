"""Payments: oldest invoices first, overpayment kept unallocated, explicit allocations checked, rebate
balance, reversal, and the order's payment state."""

from datetime import date
from decimal import Decimal as D

import pytest

from qudao.core.models import OutboxEvent
from qudao.finance.errors import OverAllocation, PaymentReversed, RebateReversalUnsupported
from qudao.finance.models import Payment, PaymentAllocation
from qudao.finance.services import (
    allocate_payment,
    invoice_sales_orders,
    record_payment,
    reverse_payment,
)
from qudao.pricing.errors import InsufficientRebateBalance
from qudao.pricing.models import RebateBalance, RebateLedgerEntry
from qudao.sales.models import SalesOrder
from tests.finance.factories import ROOT, give_rebate_balance, make_issued_invoice, make_order

pytestmark = pytest.mark.django_db


def _state(invoice):
    invoice.refresh_from_db()
    return invoice.state, invoice.amount_paid, invoice.open_amount


def test_auto_allocation_settles_the_oldest_invoices_first(dealer, cust):
    a = make_issued_invoice(dealer, cust, ["100.00"], on=date(2026, 1, 1), due=date(2026, 1, 10))
    b = make_issued_invoice(dealer, cust, ["200.00"], on=date(2026, 1, 2), due=date(2026, 1, 5))
    c = make_issued_invoice(dealer, cust, ["50.00"], on=date(2026, 1, 3), due=date(2026, 2, 1))
    payment = record_payment(
        actor=ROOT, data={"customer_id": cust.pk, "method": "bank", "amount": D("250.00"), "reference": "B-1"}
    )
    assert _state(b) == ("paid", D("200.00"), 0)
    assert _state(a) == ("partial", D("50.00"), D("50.00"))
    assert _state(c) == ("issued", 0, D("50.00"))
    assert (payment.state, payment.allocated_amount) == ("allocated", D("250.00"))
    assert payment.number.startswith("PAY-")
    topics = list(
        OutboxEvent.objects.filter(topic__startswith="finance.payment").values_list("topic", flat=True)
    )
    assert sorted(topics) == ["finance.payment.allocated", "finance.payment.received"]


def test_overpayment_stays_unallocated_and_can_be_allocated_later(dealer, cust):
    a = make_issued_invoice(dealer, cust, ["100.00"], on=date(2026, 1, 1))
    payment = record_payment(actor=ROOT, data={"customer_id": cust.pk, "method": "cash", "amount": "150.00"})
    assert (payment.state, payment.allocated_amount, payment.unallocated_amount) == (
        "partial",
        D("100.00"),
        D("50.00"),
    )
    assert _state(a) == ("paid", D("100.00"), 0)
    b = make_issued_invoice(dealer, cust, ["80.00"], on=date(2026, 1, 5))
    allocate_payment(actor=ROOT, payment_id=payment.pk)
    payment.refresh_from_db()
    assert payment.state == "allocated" and _state(b) == ("partial", D("50.00"), D("30.00"))


def test_explicit_allocation_over_the_open_amount_writes_nothing(dealer, cust):
    a = make_issued_invoice(dealer, cust, ["100.00"], on=date(2026, 1, 1))
    with pytest.raises(OverAllocation):
        record_payment(
            actor=ROOT,
            data={
                "customer_id": cust.pk,
                "method": "online",
                "amount": "300.00",
                "allocations": [{"invoice_id": a.pk, "amount": "100.01"}],
            },
        )
    with pytest.raises(OverAllocation):
        record_payment(
            actor=ROOT,
            data={
                "customer_id": cust.pk,
                "method": "online",
                "amount": "50.00",
                "allocations": [{"invoice_id": a.pk, "amount": "60.00"}],
            },
        )
    assert not Payment.objects.exists() and _state(a) == ("issued", 0, D("100.00"))
    payment = record_payment(
        actor=ROOT,
        data={"customer_id": cust.pk, "method": "online", "amount": "300.00", "auto_allocate": False},
    )
    assert payment.state == "received" and payment.allocated_amount == 0
    allocate_payment(actor=ROOT, payment_id=payment.pk, allocations=[{"invoice_id": a.pk, "amount": "40.00"}])
    assert _state(a) == ("partial", D("40.00"), D("60.00"))


def test_paying_with_the_rebate_balance(dealer, cust):
    a = make_issued_invoice(dealer, cust, ["300.00"], on=date(2026, 1, 1))
    give_rebate_balance(cust, "500.00")
    payment = record_payment(
        actor=ROOT, data={"customer_id": cust.pk, "method": "rebate", "amount": "300.00"}
    )
    assert RebateBalance.objects.get(customer=cust).balance == D("200.00")
    entry = RebateLedgerEntry.objects.get(pk=payment.rebate_entry_id)
    assert (entry.amount, entry.reference_type, entry.reference_id) == (
        D("-300.00"),
        "finance.payment",
        payment.pk,
    )
    assert _state(a) == ("paid", D("300.00"), 0)
    with pytest.raises(RebateReversalUnsupported):
        reverse_payment(actor=ROOT, payment_id=payment.pk)


def test_a_rebate_payment_beyond_the_balance_writes_nothing(dealer, cust):
    a = make_issued_invoice(dealer, cust, ["300.00"], on=date(2026, 1, 1))
    give_rebate_balance(cust, "100.00")
    with pytest.raises(InsufficientRebateBalance):
        record_payment(actor=ROOT, data={"customer_id": cust.pk, "method": "rebate", "amount": "100.01"})
    assert not Payment.objects.exists() and not RebateLedgerEntry.objects.exists()
    assert RebateBalance.objects.get(customer=cust).balance == D("100.00")
    assert _state(a) == ("issued", 0, D("300.00"))


def test_reversal_reopens_the_invoices(dealer, cust):
    a = make_issued_invoice(dealer, cust, ["100.00"], on=date(2026, 1, 1))
    b = make_issued_invoice(dealer, cust, ["100.00"], on=date(2026, 1, 2))
    payment = record_payment(actor=ROOT, data={"customer_id": cust.pk, "method": "bank", "amount": "150.00"})
    reverse_payment(actor=ROOT, payment_id=payment.pk, reason="bounced")
    payment.refresh_from_db()
    assert (payment.state, payment.allocated_amount, payment.reversal_reason) == ("reversed", 0, "bounced")
    assert _state(a) == ("issued", 0, D("100.00")) and _state(b) == ("issued", 0, D("100.00"))
    assert PaymentAllocation.objects.filter(payment=payment, is_reversed=True).count() == 2
    assert OutboxEvent.objects.filter(topic="finance.invoice.reopened").count() == 2
    with pytest.raises(PaymentReversed):
        allocate_payment(actor=ROOT, payment_id=payment.pk)


def test_the_orders_payment_state_follows_its_invoices(dealer, cust):
    order = make_order(dealer, cust, [("2", "200.00", "0.13")])
    [invoice] = invoice_sales_orders(actor=ROOT, order_ids=[order.pk], basis="ordered", issue=True)

    def order_state():
        return SalesOrder.objects.get(pk=order.pk).payment_state

    assert order_state() == "none"
    p1 = record_payment(actor=ROOT, data={"customer_id": cust.pk, "method": "bank", "amount": "120.00"})
    assert order_state() == "partial"
    record_payment(actor=ROOT, data={"customer_id": cust.pk, "method": "bank", "amount": "80.00"})
    assert order_state() == "full"
    reverse_payment(actor=ROOT, payment_id=p1.pk)
    assert order_state() == "partial"
    assert _state(invoice) == ("partial", D("80.00"), D("120.00"))
