"""Credit notes: by amount (spread over the lines), by line amount or quantity, never over what is open."""

from datetime import date
from decimal import Decimal as D

import pytest

from qudao.core.errors import ValidationFailed
from qudao.finance.errors import CreditExceedsOpen, InvoiceNotOpen
from qudao.finance.models import CreditNote, Invoice
from qudao.finance.services import create_credit_note, invoice_sales_orders, record_payment
from tests.finance.factories import ROOT, make_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(dealer, cust):
    order = make_order(dealer, cust, [("2", "226.00", "0.13"), ("1", "106.00", "0.06")])
    [invoice] = invoice_sales_orders(actor=ROOT, order_ids=[order.pk], basis="ordered", issue=True)
    return invoice


def test_credit_by_amount_is_spread_over_the_lines_in_cents(invoice):
    note = create_credit_note(
        actor=ROOT,
        invoice_id=invoice.pk,
        data={"reason": "price", "amount": D("50.00"), "credit_date": date(2026, 2, 1)},
    )
    lines = list(note.lines.order_by("invoice_line__line_no").values_list("amount", "tax_amount"))
    assert lines == [(D("34.04"), D("3.92")), (D("15.96"), D("0.90"))]
    assert (note.total, note.tax_total, note.net_total) == (D("50.00"), D("4.82"), D("45.18"))
    invoice.refresh_from_db()
    assert (invoice.amount_credited, invoice.open_amount, invoice.state) == (
        D("50.00"),
        D("282.00"),
        "issued",
    )
    first = invoice.lines.get(line_no=1)
    assert (first.credited_amount, first.credited_tax) == (D("34.04"), D("3.92"))


def test_credit_by_quantity_and_the_whole_rest_of_a_line(invoice):
    l1, l2 = invoice.lines.order_by("line_no")
    note = create_credit_note(
        actor=ROOT,
        invoice_id=invoice.pk,
        data={
            "reason": "return",
            "lines": [
                {"invoice_line_id": l1.pk, "quantity": D("1")},
                {"invoice_line_id": l2.pk, "amount": "106.00"},
            ],
        },
    )
    assert list(note.lines.order_by("id").values_list("amount", "tax_amount", "quantity")) == [
        (D("113.00"), D("13.00"), D("1.000")),
        (D("106.00"), D("6.00"), D("0.000")),
    ]
    invoice.refresh_from_db()
    assert invoice.open_amount == D("113.00")
    l1.refresh_from_db()
    assert l1.sales_order_line.invoiced_quantity == D("2")  # returns are a later issue: quantities stay


def test_crediting_the_whole_open_amount_settles_the_invoice(invoice):
    record_payment(actor=ROOT, data={"customer_id": invoice.customer_id, "method": "cash", "amount": "32.00"})
    create_credit_note(actor=ROOT, invoice_id=invoice.pk, data={"reason": "rebate", "amount": "300.00"})
    invoice.refresh_from_db()
    assert (invoice.state, invoice.open_amount, invoice.amount_paid) == ("paid", 0, D("32.00"))
    with pytest.raises(InvoiceNotOpen):
        create_credit_note(actor=ROOT, invoice_id=invoice.pk, data={"reason": "rebate", "amount": "1.00"})


def test_over_crediting_and_bad_input_write_nothing(invoice):
    l1, _l2 = invoice.lines.order_by("line_no")
    with pytest.raises(CreditExceedsOpen):
        create_credit_note(actor=ROOT, invoice_id=invoice.pk, data={"reason": "price", "amount": "332.01"})
    with pytest.raises(CreditExceedsOpen) as err:
        create_credit_note(
            actor=ROOT,
            invoice_id=invoice.pk,
            data={"reason": "price", "lines": [{"invoice_line_id": l1.pk, "amount": "226.01"}]},
        )
    assert err.value.details[0]["field"] == "lines.0.amount"
    with pytest.raises(ValidationFailed) as err:
        create_credit_note(
            actor=ROOT,
            invoice_id=invoice.pk,
            data={"reason": "nope", "lines": [{"invoice_line_id": 0, "amount": "1"}]},
        )
    assert {d["field"] for d in err.value.details} == {"reason", "lines.0.invoice_line_id"}
    with pytest.raises(ValidationFailed):
        create_credit_note(actor=ROOT, invoice_id=invoice.pk, data={"reason": "price", "amount": "1.001"})
    assert not CreditNote.objects.exists()
    assert Invoice.objects.get(pk=invoice.pk).open_amount == D("332.00")


def test_a_draft_cannot_be_credited(dealer, cust):
    order = make_order(dealer, cust, [("1", "10.00", "0.13")])
    [draft] = invoice_sales_orders(actor=ROOT, order_ids=[order.pk], basis="ordered")
    with pytest.raises(InvoiceNotOpen):
        create_credit_note(actor=ROOT, invoice_id=draft.pk, data={"reason": "price", "amount": "1.00"})
