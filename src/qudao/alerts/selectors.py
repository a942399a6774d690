"""Reads of the alerts app; every one starts from `scoped(queryset, actor)`."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from qudao.alerts.models import Alert
from qudao.alerts.policies import SEVERITY_RANK
from qudao.alerts.states import LIVE_STATUSES, AlertSeverity, AlertStatus
from qudao.core.api import order_queryset
from qudao.core.scoping import Actor, get_scoped, scoped

#: API ordering keys; "severity" orders by seriousness, not alphabetically
ALERT_ORDERING = {"severity", "last_seen_at", "first_seen_at", "occurrences", "status", "kind", "created_at"}


def _severity_rank() -> Case:
    return Case(
        *(When(severity=s, then=Value(rank)) for s, rank in SEVERITY_RANK.items()),
        default=Value(0),
        output_field=IntegerField(),
    )


def list_alerts(
    *,
    actor: Actor,
    status: str | None = None,
    severity: str | None = None,
    kind: str | None = None,
    site: int | None = None,
    since: datetime | None = None,
    live: bool | None = None,
    ordering: str | None = None,
) -> QuerySet[Alert]:
    qs = scoped(Alert.objects.all(), actor).annotate(severity_rank=_severity_rank())
    if status:
        qs = qs.filter(status=status)
    if live is not None:
        qs = qs.filter(status__in=LIVE_STATUSES) if live else qs.exclude(status__in=LIVE_STATUSES)
    if severity:
        qs = qs.filter(severity=severity)
    if kind:
        qs = qs.filter(kind=kind)
    if site is not None:
        qs = qs.filter(site_id=site)
    if since is not None:
        qs = qs.filter(last_seen_at__gte=since)
    qs = order_queryset(qs, ordering, ALERT_ORDERING, "-last_seen_at")
    return qs.order_by(*(_rank_key(key) for key in qs.query.order_by))


def _rank_key(key: str) -> str:
    return key.replace("severity", "severity_rank") if key.lstrip("-") == "severity" else key


def get_alert(*, actor: Actor, alert_id: int, for_write: bool = False) -> Alert:
    return get_scoped(Alert.objects.all(), actor, for_write=for_write, pk=alert_id)


def count_alerts(*, actor: Actor) -> dict[str, int | dict[str, int]]:
    """Live alerts by severity, for a badge; `unacknowledged` counts those nobody has taken on."""
    qs = scoped(Alert.objects.filter(status__in=LIVE_STATUSES), actor)
    totals = qs.aggregate(
        total=Count("pk"),
        unacknowledged=Count("pk", filter=Q(status=AlertStatus.OPEN)),
        **{s: Count("pk", filter=Q(severity=s)) for s in AlertSeverity.values},
    )
    return {
        "total": totals["total"],
        "unacknowledged": totals["unacknowledged"],
        "by_severity": {s: totals[s] for s in AlertSeverity.values},
    }
