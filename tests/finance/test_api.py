"""Finance API: create from orders, issue, credit, pay, allocate, reverse, statement, ageing; bad input
→ 4xx with field errors and nothing written; another dealer's documents → 404."""

from datetime import date
from decimal import Decimal as D

import pytest

from qudao.finance.models import CreditNote, Invoice, Payment
from tests.factories import ApiClient, make_user
from tests.finance.factories import make_issued_invoice, make_order

pytestmark = pytest.mark.django_db
BASE = "/api/v1/finance"


def test_invoice_flow_through_the_api(api, dealer, cust):
    order = make_order(dealer, cust, [("2", "226.00", "0.13"), ("1", "106.00", "0.06")])
    res = api.post(
        f"{BASE}/invoices", {"order_ids": [order.pk], "basis": "ordered", "invoice_date": "2026-03-01"}
    )
    assert res.status_code == 201, res.json()
    [body] = res.json()
    assert (body["state"], body["total"], body["tax_total"], body["due_date"]) == (
        "draft",
        "332.00",
        "32.00",
        "2026-03-31",
    )
    inv_id = body["id"]
    res = api.post(f"{BASE}/invoices/{inv_id}/issue", {"version": 1})
    assert res.status_code == 200 and res.json()["state"] == "issued"
    assert res.json()["order_ids"] == [order.pk] and len(res.json()["lines"]) == 2
    assert api.post(f"{BASE}/invoices/{inv_id}/issue", {"version": 1}).json()["code"] == "stale_version"
    assert api.post(f"{BASE}/invoices/{inv_id}/issue", {}).status_code == 409
    line_id = res.json()["lines"][1]["id"]
    res = api.post(
        f"{BASE}/invoices/{inv_id}/credit-notes",
        {"reason": "price", "lines": [{"invoice_line_id": line_id, "amount": "6.00"}]},
    )
    assert res.status_code == 201, res.json()
    assert (res.json()["total"], res.json()["lines"][0]["tax_amount"]) == ("6.00", "0.34")
    res = api.post(f"{BASE}/payments", {"customer_id": cust.pk, "method": "bank", "amount": "400.00"})
    assert res.status_code == 201, res.json()
    payment = res.json()
    assert (payment["state"], payment["allocated_amount"], payment["unallocated_amount"]) == (
        "partial",
        "326.00",
        "74.00",
    )
    assert api.get(f"{BASE}/invoices/{inv_id}").json()["state"] == "paid"
    listing = api.get(f"{BASE}/invoices", {"state": "paid", "customer_id": cust.pk}).json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == inv_id
    assert api.get(f"{BASE}/invoices", {"order_id": order.pk}).json()["count"] == 1
    assert api.get(f"{BASE}/credit-notes", {"invoice_id": inv_id}).json()["count"] == 1
    res = api.post(f"{BASE}/payments/{payment['id']}/reverse", {"reason": "bounced"})
    assert res.status_code == 200 and res.json()["state"] == "reversed"
    assert api.get(f"{BASE}/invoices/{inv_id}").json()["open_amount"] == "326.00"
    res = api.get(
        f"{BASE}/statement", {"customer_id": cust.pk, "date_from": "2026-01-01", "date_to": "2099-12-31"}
    )
    assert res.status_code == 200
    assert res.json()["closing_balance"] == "326.00"
    assert [e["kind"] for e in res.json()["entries"]][:1] == ["invoice"]
    res = api.get(f"{BASE}/ageing", {"as_of": "2026-05-15"})
    assert res.status_code == 200
    # the credit note is dated today, after 15 May: on that day the whole invoice was open
    assert res.json()["total"]["d31_60"] == "332.00" and res.json()["rows"][0]["customer_id"] == cust.pk


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/payments", {"method": "bank", "amount": "1.00"}, "customer_id"),
        ("/payments", {"customer_id": 1, "method": "bank", "amount": "-1.00"}, "amount"),
        ("/payments", {"customer_id": 1, "method": "cheque", "amount": "1.00"}, "method"),
        ("/payments", {"customer_id": 1, "method": "bank", "amount": "1.001"}, "amount"),
        ("/payments", {"customer_id": 1, "method": "bank", "amount": "1", "colour": "red"}, "colour"),
        ("/invoices", {"order_ids": [], "basis": "ordered"}, "order_ids"),
        ("/invoices", {"order_ids": [1], "basis": "weekly"}, "basis"),
    ],
)
def test_bad_input_is_422_with_the_field(api, path, body, field):
    res = api.post(f"{BASE}{path}", body)
    assert res.status_code == 422, res.json()
    assert res.json()["code"] == "validation_error"
    assert field in {d["field"] for d in res.json()["details"]}
    assert not Payment.objects.exists() and not Invoice.objects.exists()


def test_service_errors_are_4xx_and_write_nothing(api, dealer, cust):
    invoice = make_issued_invoice(dealer, cust, ["100.00"], on=date(2026, 1, 1))
    res = api.post(
        f"{BASE}/payments",
        {
            "customer_id": cust.pk,
            "method": "cash",
            "amount": "50.00",
            "allocations": [{"invoice_id": invoice.pk, "amount": "60.00"}],
        },
    )
    assert res.status_code == 409 and res.json()["code"] == "over_allocation"
    res = api.post(f"{BASE}/invoices/{invoice.pk}/credit-notes", {"reason": "price", "amount": "100.01"})
    assert res.status_code == 409 and res.json()["code"] == "credit_exceeds_open"
    res = api.post(f"{BASE}/invoices/{invoice.pk}/credit-notes", {"reason": "price"})
    assert res.status_code == 422
    res = api.post(f"{BASE}/invoices", {"customer_id": cust.pk})
    assert res.status_code == 409 and res.json()["code"] == "nothing_to_invoice"
    res = api.get(
        f"{BASE}/statement", {"customer_id": cust.pk, "date_from": "2026-02-01", "date_to": "2026-01-01"}
    )
    assert res.status_code == 422
    assert not Payment.objects.exists() and not CreditNote.objects.exists()
    assert Invoice.objects.get(pk=invoice.pk).open_amount == D("100.00")


def test_another_dealers_documents_are_not_found(api, other_api, dealer, cust):
    invoice = make_issued_invoice(dealer, cust, ["100.00"], on=date(2026, 1, 1))
    payment = api.post(
        f"{BASE}/payments", {"customer_id": cust.pk, "method": "cash", "amount": "10.00"}
    ).json()
    order = make_order(dealer, cust, [("1", "10.00", "0.13")])
    assert other_api.get(f"{BASE}/invoices/{invoice.pk}").status_code == 404
    assert other_api.post(f"{BASE}/invoices/{invoice.pk}/cancel", {}).status_code == 404
    assert (
        other_api.post(
            f"{BASE}/invoices/{invoice.pk}/credit-notes", {"reason": "price", "amount": "1"}
        ).status_code
        == 404
    )
    assert other_api.post(f"{BASE}/payments/{payment['id']}/reverse", {}).status_code == 404
    assert other_api.post(f"{BASE}/payments/{payment['id']}/allocate", {}).status_code == 404
    assert (
        other_api.post(f"{BASE}/invoices", {"order_ids": [order.pk], "basis": "ordered"}).status_code == 404
    )
    assert (
        other_api.post(
            f"{BASE}/payments", {"customer_id": cust.pk, "method": "cash", "amount": "1"}
        ).status_code
        == 404
    )
    assert other_api.get(f"{BASE}/invoices").json()["count"] == 0
    assert other_api.get(f"{BASE}/payments").json()["count"] == 0
    assert other_api.get(f"{BASE}/ageing").json()["rows"] == []
    stmt = other_api.get(
        f"{BASE}/statement", {"customer_id": cust.pk, "date_from": "2026-01-01", "date_to": "2026-12-31"}
    )
    assert stmt.status_code == 404
    assert Payment.objects.count() == 1 and Invoice.objects.count() == 1


def test_roles_and_api_key_scopes(dealer, cust):
    make_issued_invoice(dealer, cust, ["100.00"], on=date(2026, 1, 1))
    rep = ApiClient(make_user(dealer, role="sales_rep"))
    assert rep.get(f"{BASE}/invoices").status_code == 403
    manager = ApiClient(make_user(dealer, role="manager"))
    assert manager.get(f"{BASE}/invoices").json()["count"] == 1
    assert (
        manager.post(
            f"{BASE}/payments", {"customer_id": cust.pk, "method": "cash", "amount": "1"}
        ).status_code
        == 403
    )
    finance = ApiClient(make_user(dealer, role="finance"))
    assert (
        finance.post(
            f"{BASE}/payments", {"customer_id": cust.pk, "method": "cash", "amount": "1"}
        ).status_code
        == 201
    )
    reader = ApiClient(make_user(dealer, role="finance"), scopes=("finance:read",))
    assert reader.get(f"{BASE}/invoices").status_code == 200
    assert (
        reader.post(f"{BASE}/payments", {"customer_id": cust.pk, "method": "cash", "amount": "1"}).status_code
        == 403
    )


def test_lists_do_not_grow_queries_with_rows(api, dealer, cust):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for day in (1, 2):
        make_issued_invoice(dealer, cust, ["10.00"], on=date(2026, 1, day))
    api.get(f"{BASE}/invoices")  # the first call of a key also records its use
    with CaptureQueriesContext(connection) as few:
        assert api.get(f"{BASE}/invoices").json()["count"] == 2
    for day in range(3, 9):
        make_issued_invoice(dealer, cust, ["10.00"], on=date(2026, 1, day))
    with CaptureQueriesContext(connection) as many:
        assert api.get(f"{BASE}/invoices").json()["count"] == 8
    assert len(many.captured_queries) == len(few.captured_queries)
