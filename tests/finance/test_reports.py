"""Customer statement (opening, running and closing balance) and receivables ageing as of a date."""

from datetime import date
from decimal import Decimal as D

import pytest

from qudao.core.errors import NotFound
from qudao.core.scoping import build_actor
from qudao.finance.models import Payment
from qudao.finance.selectors_reports import get_customer_statement, get_receivables_ageing
from qudao.finance.services import create_credit_note, record_payment, reverse_payment
from tests.factories import make_user
from tests.finance.factories import ROOT, customer, make_issued_invoice

pytestmark = pytest.mark.django_db


def _pay(cust, amount, on, **extra):
    return record_payment(
        actor=ROOT,
        data={"customer_id": cust.pk, "method": "bank", "amount": amount, "payment_date": on, **extra},
    )


def test_statement_running_balance(dealer, cust, django_assert_max_num_queries):
    make_issued_invoice(dealer, cust, ["100.00"], on=date(2026, 1, 5))
    second = make_issued_invoice(dealer, cust, ["200.00"], on=date(2026, 1, 20))
    _pay(cust, "150.00", date(2026, 1, 25))
    create_credit_note(
        actor=ROOT,
        invoice_id=second.pk,
        data={"reason": "price", "amount": "20.00", "credit_date": date(2026, 1, 28)},
    )
    bounced = _pay(cust, "30.00", date(2026, 1, 29), auto_allocate=False)
    reverse_payment(actor=ROOT, payment_id=bounced.pk)
    Payment.objects.filter(pk=bounced.pk).update(reversed_on=date(2026, 1, 30))
    make_issued_invoice(dealer, cust, ["999.00"], on=date(2026, 2, 3))  # after the range
    with django_assert_max_num_queries(9):
        statement = get_customer_statement(
            actor=ROOT, customer_id=cust.pk, date_from=date(2026, 1, 10), date_to=date(2026, 1, 31)
        )
    assert statement.opening_balance == D("100.00")
    rows = [(e.on.day, e.kind, e.debit, e.credit, e.balance) for e in statement.entries]
    assert rows == [
        (20, "invoice", D("200.00"), 0, D("300.00")),
        (25, "payment", 0, D("150.00"), D("150.00")),
        (28, "credit_note", 0, D("20.00"), D("130.00")),
        (29, "payment", 0, D("30.00"), D("100.00")),
        (30, "reversal", D("30.00"), 0, D("130.00")),
    ]
    assert statement.closing_balance == D("130.00")
    later = get_customer_statement(
        actor=ROOT, customer_id=cust.pk, date_from=date(2026, 2, 1), date_to=date(2026, 2, 28)
    )
    assert later.opening_balance == D("130.00") and later.closing_balance == D("1129.00")


def test_statement_of_another_dealers_customer_is_not_found(dealer, other_dealer, cust):
    outsider = build_actor(make_user(other_dealer))
    with pytest.raises(NotFound):
        get_customer_statement(
            actor=outsider, customer_id=cust.pk, date_from=date(2026, 1, 1), date_to=date(2026, 1, 31)
        )


def test_ageing_buckets_as_of_a_date(dealer, cust, django_assert_num_queries):
    as_of = date(2026, 3, 31)
    on = date(2025, 11, 1)
    make_issued_invoice(dealer, cust, ["100.00"], on=on, due=date(2026, 4, 10))  # not yet due
    due_11 = make_issued_invoice(dealer, cust, ["200.00"], on=on, due=date(2026, 3, 20))  # 11 days
    due_44 = make_issued_invoice(dealer, cust, ["300.00"], on=on, due=date(2026, 2, 15))  # 44 days
    make_issued_invoice(dealer, cust, ["400.00"], on=on, due=date(2026, 1, 10))  # 80 days
    make_issued_invoice(dealer, cust, ["500.00"], on=on, due=date(2025, 12, 1))  # 120 days
    make_issued_invoice(dealer, cust, ["700.00"], on=date(2026, 4, 2), due=date(2026, 4, 2))  # after as_of
    make_issued_invoice(dealer, cust, ["1.00"], on=on, due=as_of)  # due today: current
    make_issued_invoice(dealer, cust, ["2.00"], on=on, due=date(2026, 3, 30))  # 1 day
    make_issued_invoice(dealer, cust, ["4.00"], on=on, due=date(2025, 12, 31))  # 90 days
    _pay(cust, "50.00", date(2026, 3, 1), allocations=[{"invoice_id": due_44.pk, "amount": "50.00"}])
    # paid after the date: still open as of it
    _pay(cust, "200.00", date(2026, 4, 5), allocations=[{"invoice_id": due_11.pk, "amount": "200.00"}])
    other = customer(dealer)
    make_issued_invoice(dealer, other, ["10.00"], on=on, due=date(2026, 3, 1))  # 30 days
    with django_assert_num_queries(1):
        rows, total = get_receivables_ageing(actor=ROOT, as_of=as_of)
    by_customer = {row.customer_id: row.buckets for row in rows}
    assert by_customer[cust.pk] == {
        "current": D("101.00"),
        "d1_30": D("202.00"),
        "d31_60": D("250.00"),
        "d61_90": D("404.00"),
        "d90_plus": D("500.00"),
    }
    assert by_customer[other.pk]["d1_30"] == D("10.00")
    assert total.buckets["d1_30"] == D("212.00") and total.total == D("1467.00")
    # a day later the April payment has not happened yet either; at April 6 it has
    rows, total = get_receivables_ageing(actor=ROOT, as_of=date(2026, 4, 6), customer_id=cust.pk)
    assert [r.customer_id for r in rows] == [cust.pk]
    assert total.total == D("1257.00") + D("700.00")
