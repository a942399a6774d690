"""Rebate reads: a customer's accrual in a program's period (real time), balances and ledgers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from qudao.core.scoping import Actor, get_scoped, scoped
from qudao.parties.models import Customer
from qudao.pricing.choices import RebateCustomerScope
from qudao.pricing.models import RebateBalance, RebateLedgerEntry, RebateProgram, RebateVolume
from qudao.pricing.policies.rebates import Accrual, compute_accrual, period_bounds


@dataclass(frozen=True)
class AccrualView:
    program: RebateProgram
    period_start: date
    period_end: date
    accrual: Accrual


def _tiers(program: RebateProgram) -> list:
    return [(t.threshold, t.rate) for t in program.tiers.all()]


def customers_q(program: RebateProgram) -> Q:
    """The customers a program covers."""
    if program.customer_scope == RebateCustomerScope.GROUP:
        return Q(customer__customer_group_id=program.customer_group_id)
    if program.customer_scope == RebateCustomerScope.CHANNEL:
        return Q(customer__channel_id=program.channel_id)
    if program.customer_scope == RebateCustomerScope.CUSTOMERS:
        return Q(customer_id__in=program.customers.values("pk"))
    return Q()


def program_volumes(program: RebateProgram, start: date, end: date) -> dict[int, Accrual]:
    """customer id → accrual of the period, for every covered customer with volume in it."""
    rows = (
        RebateVolume.objects.filter(
            customers_q(program), dealer_id=program.dealer_id, on__gte=start, on__lte=end
        )
        .values("customer_id")
        .annotate(volume=Sum("amount"))
        .order_by("customer_id")
    )
    tiers = _tiers(program)
    return {row["customer_id"]: compute_accrual(row["volume"], tiers) for row in rows}


def covers(program: RebateProgram, customer: Customer) -> bool:
    if program.customer_scope == RebateCustomerScope.GROUP:
        return customer.customer_group_id == program.customer_group_id
    if program.customer_scope == RebateCustomerScope.CHANNEL:
        return customer.channel_id == program.channel_id
    if program.customer_scope == RebateCustomerScope.CUSTOMERS:
        return program.customers.filter(pk=customer.pk).exists()
    return True


def get_rebate_accrual(customer: Customer, program: RebateProgram, period: date) -> Accrual:
    """The customer's volume in the program's period containing `period`, the tier reached, its rate,
    the amount accrued so far, and the next tier with the gap to it (real time, from RebateVolume)."""
    start, end = period_bounds(program.period, period)
    volume = RebateVolume.objects.filter(
        dealer_id=program.dealer_id, customer_id=customer.pk, on__gte=start, on__lte=end
    ).aggregate(total=Sum("amount"))["total"]
    return compute_accrual(volume or 0, _tiers(program))


def list_rebate_programs(*, actor: Actor) -> QuerySet:
    return scoped(RebateProgram.objects.all(), actor).prefetch_related("tiers", "customers")


def get_rebate_program(*, actor: Actor, program_id: int) -> RebateProgram:
    return get_scoped(list_rebate_programs(actor=actor), actor, pk=program_id)


def list_customer_accruals(*, actor: Actor, customer_id: int, on: date | None = None) -> list[AccrualView]:
    """The accruals of a customer in the current period of every active program that covers it."""
    customer = get_scoped(Customer.objects.all(), actor, pk=customer_id)
    on = on or timezone.localdate()
    programs = list_rebate_programs(actor=actor).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on),
        dealer_id=customer.dealer_id,
        is_active=True,
        valid_from__lte=on,
    )
    out = []
    for program in programs.order_by("code"):
        if covers(program, customer):
            start, end = period_bounds(program.period, on)
            out.append(AccrualView(program, start, end, get_rebate_accrual(customer, program, on)))
    return out


def get_rebate_balance(*, actor: Actor, customer_id: int) -> tuple[Customer, object, QuerySet]:
    customer = get_scoped(Customer.objects.all(), actor, pk=customer_id)
    row = RebateBalance.objects.filter(dealer_id=customer.dealer_id, customer_id=customer.pk).first()
    entries = scoped(RebateLedgerEntry.objects.filter(customer_id=customer.pk), actor).order_by("-id")
    return customer, (row.balance if row else None), entries
