"""Finance in the console: invoice, credit note and payment pages, actions through the services,
the statement and ageing pages, recording a payment and invoicing a customer's orders."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.test import Client

from qudao.finance.models import Invoice, Payment
from tests.factories import make_user
from tests.finance.factories import make_issued_invoice, make_order

pytestmark = pytest.mark.django_db
ADMIN = "/admin/finance"


@pytest.fixture
def staff(dealer):
    client = Client()
    client.force_login(make_user(dealer, is_staff=True))
    return client


def test_lists_and_detail_pages_are_scoped(staff, dealer, other_dealer, cust):
    from tests.finance.factories import customer

    mine = make_issued_invoice(dealer, cust, ["100.00"], on=date(2026, 1, 1))
    foreign = make_issued_invoice(other_dealer, customer(other_dealer), ["50.00"], on=date(2026, 1, 1))
    page = staff.get(f"{ADMIN}/invoice/").content.decode()
    assert f"/invoice/{mine.pk}/change/" in page and f"/invoice/{foreign.pk}/change/" not in page
    assert staff.get(f"{ADMIN}/invoice/{mine.pk}/change/").status_code == 200
    assert staff.get(f"{ADMIN}/invoice/{foreign.pk}/change/").status_code in (302, 404)
    assert staff.get(f"{ADMIN}/creditnote/").status_code == 200
    assert staff.get(f"{ADMIN}/payment/").status_code == 200


def test_issue_and_cancel_actions_call_the_services(staff, dealer, cust):
    order = make_order(dealer, cust, [("1", "10.00", "0.13")])
    res = staff.post(
        f"{ADMIN}/invoice/from-orders/",
        {"customer": cust.pk, "basis": "ordered", "invoice_date": "2026-02-01"},
    )
    assert res.status_code == 302
    invoice = Invoice.objects.get()
    assert invoice.state == "draft" and list(invoice.orders.all()) == [order]
    staff.post(f"{ADMIN}/invoice/", {"action": "issue_selected", "_selected_action": [invoice.pk]})
    invoice.refresh_from_db()
    assert invoice.state == "issued"
    staff.post(f"{ADMIN}/invoice/", {"action": "cancel_selected", "_selected_action": [invoice.pk]})
    invoice.refresh_from_db()
    assert invoice.state == "cancelled" and invoice.amount_credited == D("10.00")


def test_record_payment_page(staff, dealer, cust):
    invoice = make_issued_invoice(dealer, cust, ["100.00"], on=date(2026, 1, 1))
    assert staff.get(f"{ADMIN}/payment/add/").status_code == 302
    assert staff.get(f"{ADMIN}/payment/record/").status_code == 200
    res = staff.post(
        f"{ADMIN}/payment/record/",
        {"customer": cust.pk, "method": "rebate", "amount": "30.00", "auto_allocate": "on"},
    )
    assert res.status_code == 200 and "rebate" in res.content.decode().lower()  # no balance: error shown
    assert not Payment.objects.exists()
    res = staff.post(
        f"{ADMIN}/payment/record/",
        {
            "customer": cust.pk,
            "method": "bank",
            "amount": "30.00",
            "auto_allocate": "on",
            "reference": "TX-1",
        },
    )
    payment = Payment.objects.get()
    assert res.status_code == 302 and res["Location"].endswith(f"/payment/{payment.pk}/change/")
    invoice.refresh_from_db()
    assert invoice.amount_paid == D("30.00")
    assert staff.get(f"{ADMIN}/payment/{payment.pk}/change/").status_code == 200


def test_statement_and_ageing_pages(staff, dealer, cust):
    make_issued_invoice(dealer, cust, ["100.00"], on=date(2026, 1, 5), due=date(2026, 1, 5))
    page = staff.get(
        f"{ADMIN}/invoice/statement/",
        {"customer": cust.pk, "date_from": "2026-01-01", "date_to": "2026-01-31"},
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="statement"' in text and "100.00" in text
    page = staff.get(f"{ADMIN}/invoice/ageing/", {"as_of": "2026-03-01"})
    text = page.content.decode()
    assert page.status_code == 200 and 'id="ageing-chart"' in text and "width: 100.0%" in text


def test_pages_need_the_finance_permission(dealer):
    client = Client()
    client.force_login(make_user(dealer, role="warehouse_clerk", is_staff=True))
    assert client.get(f"{ADMIN}/invoice/ageing/").status_code == 403
    assert client.get(f"{ADMIN}/payment/record/").status_code == 403
