"""Pure rules of finance (no database)."""

from datetime import date
from decimal import Decimal as D

import pytest

from qudao.finance.policies import (
    OpenInvoice,
    ageing_bucket,
    invoice_state_for,
    order_payment_state,
    plan_allocation,
    prorate_line,
)


def _prorate(quantity, already_quantity="0", already_amount="0", already_tax="0"):
    return prorate_line(
        quantity=D(quantity),
        line_quantity=D("7"),
        line_amount=D("100.00"),
        line_tax=D("11.50"),
        tax_rate=D("0.13"),
        already_quantity=D(already_quantity),
        already_amount=D(already_amount),
        already_tax=D(already_tax),
    )


def test_prorating_rounds_each_part_and_the_last_takes_the_rest():
    parts, done, amount, tax = [], D(0), D(0), D(0)
    for q in ("1", "2", "3", "1"):
        part = _prorate(q, str(done), str(amount), str(tax))
        parts.append(part.amount)
        done, amount, tax = done + D(q), amount + part.amount, tax + part.tax_amount
        assert part.amount == part.net_amount + part.tax_amount
    assert parts == [D("14.29"), D("28.57"), D("42.86"), D("14.28")]
    assert amount == D("100.00") and tax == D("11.50")


def test_prorating_refuses_nothing():
    with pytest.raises(ValueError):
        _prorate("0")


@pytest.mark.parametrize(
    ("current", "paid", "credited", "expected"),
    [
        ("issued", "0", "0", "issued"),
        ("issued", "10", "0", "partial"),
        ("partial", "60", "40", "paid"),
        ("issued", "0", "100", "paid"),
        ("paid", "0", "0", "issued"),
        ("draft", "100", "0", "draft"),
        ("cancelled", "0", "100", "cancelled"),
    ],
)
def test_invoice_state_from_amounts(current, paid, credited, expected):
    assert invoice_state_for(current=current, total=D("100"), paid=D(paid), credited=D(credited)) == expected


def test_allocation_plan_oldest_due_first_and_leftover_kept():
    invoices = [
        OpenInvoice(3, date(2026, 2, 1), date(2026, 1, 3), D("50.00")),
        OpenInvoice(1, date(2026, 1, 10), date(2026, 1, 1), D("100.00")),
        OpenInvoice(2, date(2026, 1, 5), date(2026, 1, 2), D("200.00")),
        OpenInvoice(4, date(2026, 1, 5), date(2026, 1, 2), D("0.00")),
    ]
    assert plan_allocation(D("250.00"), invoices) == [(2, D("200.00")), (1, D("50.00"))]
    assert plan_allocation(D("1000.00"), invoices) == [(2, D("200.00")), (1, D("100.00")), (3, D("50.00"))]
    assert plan_allocation(D("0"), invoices) == []


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (-5, "current"),
        (0, "current"),
        (1, "d1_30"),
        (30, "d1_30"),
        (31, "d31_60"),
        (60, "d31_60"),
        (61, "d61_90"),
        (90, "d61_90"),
        (91, "d90_plus"),
        (4000, "d90_plus"),
    ],
)
def test_ageing_buckets(days, bucket):
    assert ageing_bucket(days) == bucket


def test_order_payment_state():
    assert order_payment_state(invoiced_fully=True, totals=[]) == "none"
    assert order_payment_state(invoiced_fully=True, totals=[(D("10"), D("0"))]) == "none"
    assert order_payment_state(invoiced_fully=True, totals=[(D("10"), D("5"))]) == "partial"
    assert order_payment_state(invoiced_fully=False, totals=[(D("0"), D("15"))]) == "partial"
    assert order_payment_state(invoiced_fully=True, totals=[(D("0"), D("15")), (D("0"), D("1"))]) == "full"
