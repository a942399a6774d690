"""A wholesaler's order is shipped in two parts, invoiced after each shipment, paid by bank transfer
and with its rebate balance; the order ends fully invoiced and paid, the statement tells the story."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.utils import timezone

from qudao.core.models import OutboxEvent
from qudao.finance.selectors_reports import get_customer_statement, get_receivables_ageing
from qudao.finance.services import invoice_sales_orders, record_payment
from tests.finance.factories import ROOT, give_rebate_balance, ship
from tests.sales.factories import make_world, submit

pytestmark = pytest.mark.django_db


def test_shipped_invoiced_paid(dealer):
    world = make_world(dealer, items=2)
    order = submit(world, [3, 1])  # 3 × 113.00 + 1 × 113.00
    assert (order.state, order.total) == ("confirmed", D("452.00"))
    ship(order, ["2", "0"])  # stands in for the first shipment
    [first] = invoice_sales_orders(actor=ROOT, order_ids=[order.pk], issue=True)
    assert first.total == D("226.00") and first.tax_total == D("26.00")
    ship(order, ["1", "1"])  # the second shipment
    [second] = invoice_sales_orders(actor=ROOT, order_ids=[order.pk], issue=True)
    assert second.total == D("226.00")
    order.refresh_from_db()
    assert (order.invoice_state, order.payment_state) == ("full", "none")

    record_payment(actor=ROOT, data={"customer_id": world.customer.pk, "method": "bank", "amount": "300.00"})
    order.refresh_from_db()
    assert order.payment_state == "partial"
    give_rebate_balance(world.customer, "152.00")
    record_payment(
        actor=ROOT, data={"customer_id": world.customer.pk, "method": "rebate", "amount": "152.00"}
    )
    order.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (order.payment_state, first.state, second.state) == ("full", "paid", "paid")

    today = timezone.localdate()
    statement = get_customer_statement(
        actor=ROOT, customer_id=world.customer.pk, date_from=date(2026, 1, 1), date_to=today
    )
    assert [e.kind for e in statement.entries] == ["invoice", "invoice", "payment", "payment"]
    assert statement.closing_balance == 0
    _rows, total = get_receivables_ageing(actor=ROOT, as_of=today)
    assert total.total == 0
    topics = set(OutboxEvent.objects.filter(topic__startswith="finance.").values_list("topic", flat=True))
    assert topics == {
        "finance.invoice.created",
        "finance.invoice.issued",
        "finance.invoice.partially_paid",
        "finance.invoice.paid",
        "finance.payment.received",
        "finance.payment.allocated",
    }
