"""Background jobs of pricing: settle every rebate program's ended periods (daily)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from qudao.core.scoping import Actor
from qudao.pricing.errors import PeriodAlreadySettled
from qudao.pricing.models import RebateProgram, RebateSettlementRun
from qudao.pricing.policies.rebates import closed_periods
from qudao.pricing.services.rebates import settle_rebate_period

SYSTEM = Actor(username="system", is_platform_admin=True)


def settle_closed_periods(today: date | None = None) -> int:
    """Settle each active program's ended periods not settled yet; returns how many were settled."""
    today = today or timezone.localdate()
    settled = 0
    for program in RebateProgram.objects.filter(is_active=True).order_by("pk"):
        done = set(RebateSettlementRun.objects.filter(program=program).values_list("period_start", flat=True))
        for start, _end in closed_periods(program.period, program.valid_from, program.valid_to, today):
            if start in done:
                continue
            try:
                settle_rebate_period(actor=SYSTEM, program_id=program.pk, period_start=start, today=today)
                settled += 1
            except PeriodAlreadySettled:  # settled meanwhile by someone else
                continue
    return settled


@db_periodic_task(crontab(hour="1", minute="15"))
def settle_rebates_task() -> int:
    return settle_closed_periods()
