"""Races on PostgreSQL with real threads: two orders redeeming one coupon (one wins, the other gets
`coupon_already_used`); many invoices spending one rebate balance (it never goes below zero)."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from qudao.pricing.errors import CouponAlreadyUsed, InsufficientRebateBalance
from qudao.pricing.models import Coupon, RebateBalance, RebateLedgerEntry
from qudao.pricing.services import redeem_coupons, use_rebate_balance
from qudao.pricing.services.rebates import _credit
from tests.catalog.factories import ROOT
from tests.factories import make_dealer
from tests.parties.factories import make_customer
from tests.pricing.factories import coupon, promotion

THREADS = 8


def _race(target, n: int) -> tuple[list, list]:
    outcomes: list = []
    errors: list = []
    barrier = threading.Barrier(n)

    def run(i: int) -> None:
        try:
            barrier.wait()
            outcomes.append(target(i))
        except (CouponAlreadyUsed, InsufficientRebateBalance) as exc:
            outcomes.append(exc.code)
        except Exception as exc:  # a deadlock or a constraint would fail the test
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_coupon_two_orders_one_wins():
    if connection.vendor != "postgresql":
        pytest.skip("the concurrency test needs PostgreSQL")
    dealer = make_dealer()
    customer = make_customer(dealer)
    code = coupon(promotion(dealer, "order_amount", amount="10", requires_coupon=True), "RACE1").code

    def redeem(i: int):
        redeem_coupons(
            actor=ROOT,
            dealer_id=dealer.pk,
            codes=[code],
            customer_id=customer.pk,
            reference_type="sales.order",
            reference_id=1000 + i,
        )
        return "won"

    outcomes, errors = _race(redeem, THREADS)
    assert errors == []
    assert sorted(outcomes) == ["coupon_already_used"] * (THREADS - 1) + ["won"]
    row = Coupon.objects.get(code=code)
    assert row.redeemed_at is not None and 1000 <= row.reference_id < 1000 + THREADS
    # the winner may replay its redemption; nobody else may
    redeem_coupons(
        actor=ROOT,
        dealer_id=dealer.pk,
        codes=[code],
        customer_id=customer.pk,
        reference_type="sales.order",
        reference_id=row.reference_id,
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_rebate_balance_never_goes_negative():
    if connection.vendor != "postgresql":
        pytest.skip("the concurrency test needs PostgreSQL")
    dealer = make_dealer()
    customer = make_customer(dealer)
    _credit(dealer.pk, customer.pk, Decimal("250.00"), "test.credit", 1)

    def spend(i: int):
        use_rebate_balance(
            actor=ROOT,
            customer_id=customer.pk,
            amount=Decimal("100"),
            reference_type="finance.invoice",
            reference_id=i,
        )
        return "paid"

    outcomes, errors = _race(spend, THREADS)
    assert errors == []
    assert outcomes.count("paid") == 2 and outcomes.count("insufficient_rebate_balance") == THREADS - 2
    assert RebateBalance.objects.get(customer=customer).balance == Decimal("50.00")
    assert RebateLedgerEntry.objects.filter(customer=customer, amount__lt=0).count() == 2
