"""Cumulative rebates: volume recorded once per source, accrual in real time (returns lower it),
settlement of a closed period once into the balance, the balance never below zero; the API."""

from __future__ import annotations

from datetime import date

import pytest

from qudao.core.errors import NotFound
from qudao.core.models import OutboxEvent
from qudao.pricing.errors import InsufficientRebateBalance, PeriodAlreadySettled, PeriodNotClosed
from qudao.pricing.models import RebateBalance, RebateLedgerEntry, RebateSettlement, RebateVolume
from qudao.pricing.selectors_rebates import get_rebate_accrual
from qudao.pricing.services import record_rebate_volume, settle_rebate_period, use_rebate_balance
from qudao.pricing.tasks import settle_closed_periods
from tests.catalog.factories import ROOT
from tests.factories import make_channel
from tests.parties.factories import make_customer, make_customer_group
from tests.pricing.factories import D, program

pytestmark = pytest.mark.django_db
URL = "/api/v1/pricing"


def buy(customer, amount, on=date(2026, 2, 10), source_id=None, line=None):
    return record_rebate_volume(
        actor=ROOT,
        dealer_id=customer.dealer_id,
        customer_id=customer.pk,
        on=on,
        amount=D(amount),
        source_type="sales.order",
        source_id=source_id or int(D(amount)) % 100000 + 1,
        source_line_id=line,
    )


def test_accrual_reaches_the_tier_and_a_return_drops_it(dealer):
    customer = make_customer(dealer)
    rb = program(dealer, tiers=((100000, "0.02"), (200000, "0.03")))
    buy(customer, "98000", source_id=1)
    buy(customer, "3000", source_id=2)
    buy(customer, "3000", source_id=2)  # a replay: counted once
    buy(customer, "50000", on=date(2026, 4, 2), source_id=3)  # next quarter
    accrual = get_rebate_accrual(customer, rb, date(2026, 3, 1))
    assert (accrual.volume, accrual.rate, accrual.amount) == (D("101000.00"), D("0.0200"), D("2020.00"))
    assert (accrual.next_threshold, accrual.gap) == (D("200000.00"), D("99000.00"))
    record_rebate_volume(
        actor=ROOT,
        dealer_id=dealer.pk,
        customer_id=customer.pk,
        on=date(2026, 3, 5),
        amount=D("-2000"),
        source_type="sales.return",
        source_id=1,
    )
    accrual = get_rebate_accrual(customer, rb, date(2026, 3, 1))
    assert (accrual.volume, accrual.tier_threshold, accrual.amount, accrual.gap) == (
        D("99000.00"),
        None,
        D("0.00"),
        D("1000.00"),
    )
    assert RebateVolume.objects.count() == 4


def test_volume_is_unique_per_source_line(dealer):
    customer = make_customer(dealer)
    _row, created = buy(customer, "10", source_id=7, line=1)
    assert created
    assert buy(customer, "10", source_id=7, line=2)[1]
    assert not buy(customer, "99", source_id=7, line=1)[1]
    assert RebateVolume.objects.filter(source_id=7).count() == 2


def test_settle_once_credits_the_balance_and_use_never_goes_negative(dealer):
    group = make_customer_group(dealer)
    big, small, outside = (
        make_customer(dealer, customer_group=group),
        make_customer(dealer, customer_group=group),
        make_customer(dealer),
    )
    rb = program(dealer, customer_scope="group", customer_group_id=group.pk)
    buy(big, "101000", source_id=1)
    buy(small, "5000", source_id=2)
    buy(outside, "500000", source_id=3)
    with pytest.raises(PeriodNotClosed):
        settle_rebate_period(
            actor=ROOT, program_id=rb.pk, period_start=date(2026, 1, 1), today=date(2026, 3, 31)
        )
    run = settle_rebate_period(
        actor=ROOT, program_id=rb.pk, period_start=date(2026, 1, 1), today=date(2026, 4, 1)
    )
    assert run.total == D("2020.00") and run.period_end == date(2026, 3, 31)
    assert list(RebateSettlement.objects.values_list("customer_id", "amount")) == [(big.pk, D("2020.00"))]
    assert RebateBalance.objects.get(customer=big).balance == D("2020.00")
    assert OutboxEvent.objects.filter(topic="pricing.rebate.settled").count() == 1
    with pytest.raises(PeriodAlreadySettled):
        settle_rebate_period(
            actor=ROOT, program_id=rb.pk, period_start=date(2026, 1, 1), today=date(2026, 4, 1)
        )
    assert RebateSettlement.objects.count() == 1
    entry = use_rebate_balance(
        actor=ROOT, customer_id=big.pk, amount=D("2000"), reference_type="finance.invoice", reference_id=5
    )
    assert (entry.amount, entry.balance_after) == (D("-2000.00"), D("20.00"))
    with pytest.raises(InsufficientRebateBalance) as exc:
        use_rebate_balance(
            actor=ROOT,
            customer_id=big.pk,
            amount=D("20.01"),
            reference_type="finance.invoice",
            reference_id=6,
        )
    assert exc.value.details == {"balance": "20.00", "requested": "20.01"}
    with pytest.raises(InsufficientRebateBalance):
        use_rebate_balance(
            actor=ROOT, customer_id=small.pk, amount=D("1"), reference_type="x", reference_id=1
        )
    assert RebateBalance.objects.get(customer=big).balance == D("20.00")
    assert RebateLedgerEntry.objects.filter(customer=big).count() == 2


def test_periodic_task_settles_every_closed_period_once(dealer):
    customer = make_customer(dealer)
    program(dealer, period="month", tiers=((1000, "0.01"),))
    buy(customer, "2000", on=date(2026, 1, 15), source_id=1)
    buy(customer, "3000", on=date(2026, 2, 15), source_id=2)
    buy(customer, "4000", on=date(2026, 3, 15), source_id=3)
    assert settle_closed_periods(today=date(2026, 3, 10)) == 2
    assert settle_closed_periods(today=date(2026, 3, 10)) == 0
    assert RebateBalance.objects.get(customer=customer).balance == D("50.00")


def test_channel_and_listed_customer_scopes(dealer):
    channel = make_channel(dealer)
    a, b = make_customer(dealer, channel=channel), make_customer(dealer)
    rb_channel = program(dealer, customer_scope="channel", channel_id=channel.pk, tiers=((100, "0.1"),))
    rb_listed = program(dealer, customer_scope="customers", customer_ids=[b.pk], tiers=((100, "0.1"),))
    buy(a, "200", source_id=1)
    buy(b, "300", source_id=2)
    settle_rebate_period(
        actor=ROOT, program_id=rb_channel.pk, period_start=date(2026, 1, 1), today=date(2026, 5, 1)
    )
    settle_rebate_period(
        actor=ROOT, program_id=rb_listed.pk, period_start=date(2026, 1, 1), today=date(2026, 5, 1)
    )
    assert dict(RebateBalance.objects.values_list("customer_id", "balance")) == {
        a.pk: D("20.00"),
        b.pk: D("30.00"),
    }


def test_rebate_api(api, other_api, dealer):
    customer = make_customer(dealer)
    response = api.post(
        f"{URL}/rebate-programs",
        {
            "code": "Q-2%",
            "name": "满10万返2%",
            "period": "quarter",
            "valid_from": "2026-01-01",
            "tiers": [{"threshold": "100000", "rate": "0.02"}],
        },
    )
    assert response.status_code == 422  # code pattern
    response = api.post(
        f"{URL}/rebate-programs",
        {
            "code": "Q2PCT",
            "name": "满10万返2%",
            "period": "quarter",
            "valid_from": "2026-01-15",
            "tiers": [{"threshold": "100000", "rate": "0.02"}],
        },
    )
    assert response.status_code == 422 and response.json()["details"][0]["field"] == "valid_from"
    response = api.post(
        f"{URL}/rebate-programs",
        {
            "code": "Q2PCT",
            "name": "满10万返2%",
            "period": "quarter",
            "valid_from": "2026-01-01",
            "tiers": [{"threshold": "100000", "rate": "0.02"}],
        },
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    buy(customer, "101000", on=date.today(), source_id=1)
    accruals = api.get(f"{URL}/customers/{customer.pk}/rebate-accruals").json()
    assert [(a["program_code"], a["volume"], a["accrued"]) for a in accruals] == [
        ("Q2PCT", "101000.00", "2020.00")
    ]
    assert other_api.get(f"{URL}/customers/{customer.pk}/rebate-accruals").status_code == 404
    settle = api.post(f"{URL}/rebate-programs/{pk}/settle", {"period_start": "2026-01-01"})
    assert settle.status_code == (201 if date.today() > date(2026, 3, 31) else 422)
    premature = api.post(f"{URL}/rebate-programs/{pk}/settle", {"period_start": "2099-01-01"})
    assert (premature.status_code, premature.json()["code"]) == (422, "period_not_closed")
    assert (
        other_api.post(f"{URL}/rebate-programs/{pk}/settle", {"period_start": "2026-01-01"}).status_code
        == 404
    )
    balance = api.get(f"{URL}/customers/{customer.pk}/rebate-balance").json()
    assert balance["customer_id"] == customer.pk
    assert other_api.get(f"{URL}/customers/{customer.pk}/rebate-balance").status_code == 404
    with pytest.raises(NotFound):
        use_rebate_balance(
            actor=_actor(other_api),
            customer_id=customer.pk,
            amount=D(1),
            reference_type="x",
            reference_id=1,
        )


def _actor(client):
    from qudao.core.scoping import build_actor

    return build_actor(client.user)
