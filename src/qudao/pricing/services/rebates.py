"""Cumulative rebates: record the volume (idempotent per source), create/change programs, settle a
closed period (once) into the customers' rebate balance, and use the balance (never below zero)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from qudao.core.errors import ValidationFailed
from qudao.core.events import emit
from qudao.core.money import quantize_amount
from qudao.core.scoping import Actor, get_scoped, require_dealer
from qudao.org.models import Channel
from qudao.parties.models import Customer, CustomerGroup
from qudao.pricing.choices import RebateCustomerScope
from qudao.pricing.errors import InsufficientRebateBalance, PeriodAlreadySettled, PeriodNotClosed
from qudao.pricing.models import (
    RebateBalance,
    RebateLedgerEntry,
    RebateProgram,
    RebateSettlement,
    RebateSettlementRun,
    RebateTier,
    RebateVolume,
)
from qudao.pricing.policies.rebates import is_period_start, period_bounds
from qudao.pricing.selectors_rebates import program_volumes
from qudao.pricing.services._common import (
    Problems,
    apply,
    check_code_free,
    check_version,
    full_clean,
    resolve,
    writable,
)

PROGRAM_FIELDS = (
    "code",
    "name",
    "period",
    "basis",
    "customer_scope",
    "customer_group_id",
    "channel_id",
    "valid_from",
    "valid_to",
    "is_active",
)
SETTLED = "pricing.rebate.settled"
USED = "pricing.rebate.used"
SETTLEMENT_REFERENCE = "pricing.rebatesettlement"


@transaction.atomic
def record_rebate_volume(
    *,
    actor: Actor,
    dealer_id: int,
    customer_id: int,
    on: date,
    amount: Decimal,
    source_type: str,
    source_id: int,
    source_line_id: int | None = None,
) -> tuple[RebateVolume, bool]:
    """What a customer bought (negative: returned), once per source (line): a replay changes nothing.
    Returns (row, created)."""
    existing = RebateVolume.objects.filter(
        dealer_id=dealer_id, source_type=source_type, source_id=source_id, source_line_id=source_line_id
    ).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            row = RebateVolume.objects.create(
                dealer_id=dealer_id,
                customer_id=customer_id,
                on=on,
                amount=quantize_amount(amount),
                source_type=source_type,
                source_id=source_id,
                source_line_id=source_line_id,
            )
    except IntegrityError:  # recorded by a concurrent replay
        return RebateVolume.objects.get(
            dealer_id=dealer_id, source_type=source_type, source_id=source_id, source_line_id=source_line_id
        ), False
    return row, True


def _check_program(
    actor: Actor, data: Mapping[str, Any], dealer_id: int, problems: Problems
) -> list[int] | None:
    resolve(
        actor,
        CustomerGroup,
        data.get("customer_group_id"),
        "customer_group_id",
        problems,
        dealer_id=dealer_id,
    )
    resolve(actor, Channel, data.get("channel_id"), "channel_id", problems, dealer_id=dealer_id)
    scope = data.get("customer_scope")
    if scope == RebateCustomerScope.GROUP and not data.get("customer_group_id"):
        problems.add("customer_group_id", _("Required for a program of a customer group."))
    if scope == RebateCustomerScope.CHANNEL and not data.get("channel_id"):
        problems.add("channel_id", _("Required for a program of a channel."))
    if data.get("valid_from") and not is_period_start(data.get("period", "month"), data["valid_from"]):
        problems.add("valid_from", _("A program starts on the first day of a period."))
    tiers = data.get("tiers")
    if tiers is not None:
        thresholds = [t["threshold"] for t in tiers]
        if len(set(thresholds)) != len(thresholds):
            problems.add("tiers", _("Each threshold once."))
    customer_ids = None
    if data.get("customer_ids") is not None:
        customer_ids = [
            row.pk
            for n, pk in enumerate(data["customer_ids"])
            if (row := resolve(actor, Customer, pk, f"customer_ids.{n}", problems, dealer_id=dealer_id))
        ]
    return customer_ids


def _write_program_parts(program: RebateProgram, data: Mapping[str, Any], customer_ids) -> None:
    if data.get("tiers") is not None:
        program.tiers.all().delete()
        RebateTier.objects.bulk_create(
            RebateTier(dealer_id=program.dealer_id, program=program, threshold=t["threshold"], rate=t["rate"])
            for t in data["tiers"]
        )
    if customer_ids is not None:
        program.customers.set(customer_ids)


@transaction.atomic
def create_rebate_program(*, actor: Actor, data: Mapping[str, Any]) -> RebateProgram:
    """data: fields, tiers: [{threshold, rate}] (at least one), customer_ids for listed customers."""
    dealer_id = require_dealer(actor, data.get("dealer_id"))
    problems = Problems()
    if not data.get("tiers"):
        problems.add("tiers", _("Give at least one tier."))
    customer_ids = _check_program(actor, data, dealer_id, problems)
    program = RebateProgram(dealer_id=dealer_id)
    apply(program, data, PROGRAM_FIELDS)
    full_clean(program, problems, exclude=("dealer",))
    problems.raise_if_any()
    check_code_free(RebateProgram, dealer_id, program.code)
    program.save()
    _write_program_parts(program, data, customer_ids)
    return program


@transaction.atomic
def update_rebate_program(*, actor: Actor, program_id: int, data: Mapping[str, Any]) -> RebateProgram:
    program = writable(actor, RebateProgram, program_id)
    check_version(program, data.get("version"))
    merged = {name: getattr(program, name) for name in PROGRAM_FIELDS} | {
        k: v for k, v in data.items() if k in PROGRAM_FIELDS or k in ("tiers", "customer_ids")
    }
    problems = Problems()
    if "tiers" in data and not data["tiers"]:
        problems.add("tiers", _("Give at least one tier."))
    customer_ids = _check_program(actor, merged, program.dealer_id, problems)
    apply(program, data, PROGRAM_FIELDS)
    full_clean(program, problems, exclude=("dealer",))
    problems.raise_if_any()
    check_code_free(RebateProgram, program.dealer_id, program.code, exclude_pk=program.pk)
    program.version += 1
    program.save()
    _write_program_parts(program, data, customer_ids if "customer_ids" in data else None)
    return program


def _credit(
    dealer_id: int,
    customer_id: int,
    amount: Decimal,
    reference_type: str,
    reference_id: int,
    settlement: RebateSettlement | None = None,
) -> RebateLedgerEntry:
    balance, _created = RebateBalance.objects.get_or_create(dealer_id=dealer_id, customer_id=customer_id)
    RebateBalance.objects.filter(pk=balance.pk).update(
        balance=F("balance") + amount, updated_at=timezone.now()
    )
    balance.refresh_from_db(fields=["balance"])
    return RebateLedgerEntry.objects.create(
        dealer_id=dealer_id,
        customer_id=customer_id,
        amount=amount,
        reference_type=reference_type,
        reference_id=reference_id,
        settlement=settlement,
        balance_after=balance.balance,
    )


@transaction.atomic
def settle_rebate_period(
    *, actor: Actor, program_id: int, period_start: date, today: date | None = None
) -> RebateSettlementRun:
    """Settle a program's ended period: one RebateSettlement per customer whose volume reached a tier,
    credited to the rebate balance. Once only: settling again answers `period_already_settled` (409)."""
    program = writable(actor, RebateProgram, program_id)
    today = today or timezone.localdate()
    start, end = period_bounds(program.period, period_start)
    if start != period_start:
        raise ValidationFailed(
            details=[
                {
                    "field": "period_start",
                    "code": "validation_error",
                    "message": _("Not the first day of a period."),
                }
            ]
        )
    if end >= today:
        raise PeriodNotClosed(details={"period_end": end.isoformat()})
    if RebateSettlementRun.objects.filter(program=program, period_start=start).exists():
        raise PeriodAlreadySettled(details={"period_start": start.isoformat()})
    try:
        with transaction.atomic():
            run = RebateSettlementRun.objects.create(
                dealer_id=program.dealer_id,
                program=program,
                period_start=start,
                period_end=end,
                settled_by_id=actor.user_id,
            )
    except IntegrityError as exc:
        raise PeriodAlreadySettled(details={"period_start": start.isoformat()}) from exc
    total = Decimal("0.00")
    for customer_id, accrual in program_volumes(program, start, end).items():
        if accrual.amount <= 0:
            continue
        settlement = RebateSettlement.objects.create(
            dealer_id=program.dealer_id,
            run=run,
            program=program,
            customer_id=customer_id,
            period_start=start,
            period_end=end,
            volume=accrual.volume,
            rate=accrual.rate,
            amount=accrual.amount,
        )
        _credit(
            program.dealer_id, customer_id, accrual.amount, SETTLEMENT_REFERENCE, settlement.pk, settlement
        )
        total += accrual.amount
    run.total = total
    run.save(update_fields=["total", "updated_at"])
    emit(
        SETTLED,
        {
            "program_id": program.pk,
            "period_start": start.isoformat(),
            "period_end": end.isoformat(),
            "total": str(total),
        },
        dealer_id=program.dealer_id,
        actor_id=actor.user_id,
    )
    return run


@transaction.atomic
def use_rebate_balance(
    *, actor: Actor, customer_id: int, amount: Decimal, reference_type: str, reference_id: int
) -> RebateLedgerEntry:
    """Spend rebate (e.g. to pay an invoice). One conditional UPDATE (… WHERE balance >= amount): the
    balance never goes below zero, whatever runs at the same time; short → `insufficient_rebate_balance`."""
    customer = get_scoped(Customer.objects.all(), actor, for_write=True, pk=customer_id)
    amount = quantize_amount(amount)
    if amount <= 0:
        raise ValidationFailed(
            details=[
                {
                    "field": "amount",
                    "code": "validation_error",
                    "message": _("The amount must be greater than zero."),
                }
            ]
        )
    updated = RebateBalance.objects.filter(
        dealer_id=customer.dealer_id, customer_id=customer.pk, balance__gte=amount
    ).update(balance=F("balance") - amount, updated_at=timezone.now())
    if not updated:
        row = RebateBalance.objects.filter(dealer_id=customer.dealer_id, customer_id=customer.pk).first()
        raise InsufficientRebateBalance(
            details={"balance": str(row.balance if row else Decimal("0.00")), "requested": str(amount)}
        )
    balance = RebateBalance.objects.get(dealer_id=customer.dealer_id, customer_id=customer.pk)
    entry = RebateLedgerEntry.objects.create(
        dealer_id=customer.dealer_id,
        customer_id=customer.pk,
        amount=-amount,
        reference_type=reference_type,
        reference_id=reference_id,
        balance_after=balance.balance,
    )
    emit(
        USED,
        {
            "customer_id": customer.pk,
            "amount": str(amount),
            "reference_type": reference_type,
            "reference_id": reference_id,
        },
        dealer_id=customer.dealer_id,
        actor_id=actor.user_id,
    )
    return entry
