"""Finance reports open receivables to the sales credit check: an order that fits the limit on its own
goes on credit hold because of open invoices, and is counted once while partly invoiced."""

from decimal import Decimal as D

import pytest

from qudao.finance.selectors_reports import open_receivables
from qudao.finance.services import invoice_sales_orders, record_payment
from qudao.parties.models import Customer
from qudao.sales import credit
from tests.finance.factories import ROOT, ship
from tests.sales.factories import make_world, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(dealer):
    world = make_world(dealer, items=1)
    Customer.objects.filter(pk=world.customer.pk).update(credit_limit=D("1000.00"))
    return world


def test_finance_is_a_registered_exposure_source():
    assert open_receivables in credit._SOURCES


def test_open_invoices_put_the_next_order_on_credit_hold(world):
    first = submit(world, [5])  # 5 × 113.00
    assert (first.state, first.total) == ("confirmed", D("565.00"))
    invoice_sales_orders(actor=ROOT, order_ids=[first.pk], basis="ordered", issue=True)
    first.refresh_from_db()
    assert first.invoice_state == "full"
    assert credit.customer_exposure(dealer_id=world.dealer.pk, customer_id=world.customer.pk) == D("565.00")
    held = submit(world, [4])  # 452.00: 565 + 452 > 1000
    assert (held.state, held.hold_reason) == ("on_hold", "credit")
    record_payment(actor=ROOT, data={"customer_id": world.customer.pk, "method": "bank", "amount": "565.00"})
    assert submit(world, [4]).state == "confirmed"


def test_a_partly_invoiced_order_is_counted_once(world):
    order = submit(world, [5])
    ship(order, ["2"])  # stands in for a shipment of 2
    invoice_sales_orders(actor=ROOT, order_ids=[order.pk], basis="shipped", issue=True)
    order.refresh_from_db()
    assert order.invoice_state == "partial"
    assert credit.customer_exposure(dealer_id=world.dealer.pk, customer_id=world.customer.pk) == D("565.00")
    record_payment(actor=ROOT, data={"customer_id": world.customer.pk, "method": "bank", "amount": "100.00"})
    assert credit.customer_exposure(dealer_id=world.dealer.pk, customer_id=world.customer.pk) == D("465.00")
