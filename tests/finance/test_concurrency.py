"""8 clients allocate payments to the same invoice at the same time: it is never over-allocated, and
invoicing the same order twice at once never invoices a quantity twice (PostgreSQL, real threads)."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection
from django.db.models import Sum

from qudao.core.errors import QudaoError
from qudao.finance.models import Invoice, Payment, PaymentAllocation
from qudao.finance.services import allocate_payment, invoice_sales_orders, record_payment
from tests.factories import make_dealer
from tests.finance.factories import ROOT, customer, make_issued_invoice, make_order

THREADS = 8


def _run_threads(target) -> tuple[list[str], list[str]]:
    barrier = threading.Barrier(THREADS)
    done: list[str] = []
    refused: list[str] = []

    def worker(n: int) -> None:
        try:
            barrier.wait()
            target(n)
            done.append(str(n))
        except QudaoError as exc:
            refused.append(exc.code)
        except Exception as exc:  # a deadlock or a constraint violation fails the test
            refused.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return done, refused


def _skip_unless_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the concurrency test needs PostgreSQL (row locks across connections)")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_allocations_never_over_allocate_an_invoice():
    _skip_unless_postgres()
    dealer = make_dealer()
    cust = customer(dealer)
    invoice = make_issued_invoice(dealer, cust, ["500.00"], on=date(2026, 1, 1))
    payments = [
        record_payment(
            actor=ROOT,
            data={"customer_id": cust.pk, "method": "bank", "amount": "150.00", "auto_allocate": False},
        )
        for _ in range(THREADS)
    ]

    def allocate(n: int) -> None:
        allocate_payment(
            actor=ROOT,
            payment_id=payments[n].pk,
            allocations=[{"invoice_id": invoice.pk, "amount": "150.00"}],
        )

    done, refused = _run_threads(allocate)
    assert len(done) == 3 and refused == ["over_allocation"] * 5
    invoice.refresh_from_db()
    allocated = PaymentAllocation.objects.filter(invoice=invoice).aggregate(s=Sum("amount"))["s"]
    assert (invoice.amount_paid, invoice.open_amount, invoice.state) == (D("450.00"), D("50.00"), "partial")
    assert allocated == D("450.00")
    assert Payment.objects.filter(state="allocated").count() == 3
    assert Payment.objects.filter(state="received", allocated_amount=0).count() == 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_auto_allocations_settle_exactly():
    _skip_unless_postgres()
    dealer = make_dealer()
    cust = customer(dealer)
    invoices = [make_issued_invoice(dealer, cust, ["100.00"], on=date(2026, 1, d)) for d in range(1, 4)]

    def pay(n: int) -> None:
        record_payment(actor=ROOT, data={"customer_id": cust.pk, "method": "cash", "amount": "70.00"})

    done, refused = _run_threads(pay)
    assert len(done) == THREADS and refused == []
    assert [Invoice.objects.get(pk=i.pk).open_amount for i in invoices] == [0, 0, 0]
    total = Payment.objects.aggregate(s=Sum("allocated_amount"))["s"]
    assert total == D("300.00")  # 560 received, 260 left unallocated


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_invoicing_of_one_order_invoices_it_once():
    _skip_unless_postgres()
    dealer = make_dealer()
    cust = customer(dealer)
    order = make_order(dealer, cust, [("3", "100.00", "0.13")])

    def invoice(n: int) -> None:
        invoice_sales_orders(actor=ROOT, order_ids=[order.pk], basis="ordered")

    done, refused = _run_threads(invoice)
    assert len(done) == 1 and refused == ["nothing_to_invoice"] * (THREADS - 1)
    assert Invoice.objects.get().total == D("100.00")
    assert order.lines.get().invoiced_quantity == D("3")
