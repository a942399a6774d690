"""Writes of the alerts app: raise (idempotent), acknowledge, resolve, and the evaluators' sync.

A periodic job that evaluates a condition calls `sync_alerts(dealer_id=…, kind=…, active={…})`
with every dedupe key that is currently true: each one is raised or refreshed, and the live
alerts of that kind whose key is missing are resolved automatically.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from qudao.alerts import policies
from qudao.alerts.errors import AlertContention, InvalidAlert, UnknownAlertKind
from qudao.alerts.models import Alert
from qudao.alerts.registry import get_alert_kind
from qudao.alerts.states import ALERT_STATES, LIVE_STATUSES, AlertResolution, AlertSeverity, AlertStatus
from qudao.core.events import emit, emit_many
from qudao.core.scoping import Actor
from qudao.org.models import Company, Site

logger = logging.getLogger(__name__)

#: how often an insert that lost a race is retried (the winner's row is then found and refreshed)
RAISE_ATTEMPTS = 5


@dataclass(frozen=True)
class AlertSpec:
    """One active condition as an evaluator reports it to `sync_alerts`."""

    severity: str
    subject_type: str = ""
    subject_id: str | int = ""
    subject_label: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    message: str = ""
    message_key: str = ""
    site_id: int | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SyncResult:
    raised: int
    refreshed: int
    resolved: int


def _field_error(name: str, message: str) -> InvalidAlert:
    return InvalidAlert(details=[{"field": name, "message": message}])


def _max_length(name: str) -> int:
    return Alert._meta.get_field(name).max_length


def _check(*, dealer_id: int, kind: str, severity: str, dedupe_key: str, values: dict, site_id: int | None):
    if get_alert_kind(kind) is None:
        raise UnknownAlertKind(kind=kind, details=[{"field": "kind", "message": kind}])
    if severity not in AlertSeverity.values:
        raise _field_error(
            "severity", _("Choose one of: %(values)s.") % {"values": ", ".join(AlertSeverity.values)}
        )
    if not dedupe_key or len(dedupe_key) > _max_length("dedupe_key"):
        raise _field_error("dedupe_key", _("1 to %(max)d characters.") % {"max": _max_length("dedupe_key")})
    for name in ("subject_type", "subject_id", "subject_label", "message", "message_key"):
        if len(values[name]) > _max_length(name):
            raise _field_error(name, _("At most %(max)d characters.") % {"max": _max_length(name)})
    for name in ("params", "data"):
        if not isinstance(values[name], Mapping):
            raise _field_error(name, _("An object (a mapping of names to values) is expected."))
        values[name] = dict(values[name])
    if not Company.objects.filter(pk=dealer_id, is_dealer=True).exists():
        raise _field_error("dealer_id", _("No dealer with id %(id)s.") % {"id": dealer_id})
    if site_id is not None and not Site.objects.filter(pk=site_id, dealer_id=dealer_id).exists():
        raise _field_error("site_id", _("The site %(id)s does not belong to this dealer.") % {"id": site_id})


def _payload(alert: Alert) -> dict[str, Any]:
    return {
        "alert_id": alert.pk,
        "kind": alert.kind,
        "severity": alert.severity,
        "status": alert.status,
        "dedupe_key": alert.dedupe_key,
        "site_id": alert.site_id,
        "subject_type": alert.subject_type,
        "subject_id": alert.subject_id,
    }


def _refresh(alert: Alert, *, severity: str, values: dict, now) -> Alert:
    """Seen again: bump the counters; raise the severity if higher (reopening an acknowledged alert)."""
    new_severity = policies.escalated(alert.severity, severity)
    if new_severity is None:
        # The common case of every periodic run: one UPDATE, no history row.
        Alert.objects.filter(pk=alert.pk).update(
            last_seen_at=now, occurrences=F("occurrences") + 1, updated_at=now, **values
        )
        alert.refresh_from_db()
        return alert
    for name, value in values.items():
        setattr(alert, name, value)
    alert.severity = new_severity
    alert.last_seen_at = now
    alert.occurrences += 1
    if alert.status == AlertStatus.ACKNOWLEDGED:
        ALERT_STATES.transition(alert, to=AlertStatus.OPEN)
        alert.acknowledged_by = None
        alert.acknowledged_at = None
    alert.save()
    emit("alerts.alert.escalated", _payload(alert), dealer_id=alert.dealer_id)
    return alert


@transaction.atomic
def raise_alert(
    *,
    dealer_id: int,
    kind: str,
    severity: str,
    dedupe_key: str,
    subject_type: str = "",
    subject_id: str | int = "",
    subject_label: str = "",
    params: Mapping[str, Any] | None = None,
    message: str = "",
    message_key: str = "",
    site_id: int | None = None,
    data: Mapping[str, Any] | None = None,
) -> Alert:
    """Raise the alert, or refresh the live one with the same dedupe key (never a duplicate)."""
    values = {
        "subject_type": subject_type,
        "subject_id": str(subject_id),
        "subject_label": subject_label,
        "params": params if params is not None else {},
        "message": message,
        "message_key": message_key,
        "data": data if data is not None else {},
        "site_id": site_id,
    }
    _check(
        dealer_id=dealer_id,
        kind=kind,
        severity=severity,
        dedupe_key=dedupe_key,
        values=values,
        site_id=site_id,
    )
    now = timezone.now()
    for _attempt in range(RAISE_ATTEMPTS):
        live = (
            Alert.objects.select_for_update()
            .filter(dealer_id=dealer_id, dedupe_key=dedupe_key, status__in=LIVE_STATUSES)
            .first()
        )
        if live is not None:
            return _refresh(live, severity=severity, values=values, now=now)
        try:
            # The partial unique index (dealer, dedupe_key) over live alerts makes this insert
            # conditional: a concurrent raiser's insert fails here and the loop refreshes its row.
            with transaction.atomic():
                alert = Alert.objects.create(
                    dealer_id=dealer_id,
                    kind=kind,
                    severity=severity,
                    dedupe_key=dedupe_key,
                    first_seen_at=now,
                    last_seen_at=now,
                    **values,
                )
        except IntegrityError:
            logger.debug("alert %s of dealer %s raised concurrently: refreshing", dedupe_key, dealer_id)
            continue
        emit("alerts.alert.raised", _payload(alert), dealer_id=dealer_id)
        return alert
    raise AlertContention(details={"dedupe_key": dedupe_key})


def _locked(alert: Alert) -> Alert:
    return Alert.objects.select_for_update().get(pk=alert.pk)


@transaction.atomic
def acknowledge_alert(*, actor: Actor, alert: Alert) -> Alert:
    """Someone has seen it and is on it (InvalidTransition once resolved)."""
    alert = _locked(alert)
    ALERT_STATES.transition(alert, to=AlertStatus.ACKNOWLEDGED)
    alert.acknowledged_by_id = actor.user_id
    alert.acknowledged_at = timezone.now()
    alert.save()
    emit("alerts.alert.acknowledged", _payload(alert), dealer_id=alert.dealer_id, actor_id=actor.user_id)
    return alert


def _resolve(alert: Alert, *, resolution: str, user_id: int | None, note: str = "") -> Alert:
    ALERT_STATES.transition(alert, to=AlertStatus.RESOLVED)
    alert.resolution = resolution
    alert.resolved_by_id = user_id
    alert.resolved_at = timezone.now()
    alert.resolution_note = note
    alert.save()
    emit(
        "alerts.alert.resolved",
        {**_payload(alert), "resolution": resolution},
        dealer_id=alert.dealer_id,
        actor_id=user_id,
    )
    return alert


@transaction.atomic
def resolve_alert(*, actor: Actor, alert: Alert, note: str = "") -> Alert:
    """Close the alert by hand. If its condition persists, the next evaluation raises a new one."""
    if len(note) > _max_length("resolution_note"):
        raise _field_error("note", _("At most %(max)d characters.") % {"max": _max_length("resolution_note")})
    return _resolve(_locked(alert), resolution=AlertResolution.MANUAL, user_id=actor.user_id, note=note)


def _spec(value: AlertSpec | Mapping[str, Any]) -> AlertSpec:
    if isinstance(value, AlertSpec):
        return value
    try:
        return AlertSpec(**value)
    except TypeError as exc:
        raise InvalidAlert(details=[{"field": "active", "message": str(exc)}]) from exc


def _check_many(dealer_id: int, kind: str, specs: Mapping[str, AlertSpec]) -> None:
    """`_check` for a whole sync: the dealer and the sites are looked up once, not per alert."""
    if not specs:
        return
    if not Company.objects.filter(pk=dealer_id, is_dealer=True).exists():
        raise _field_error("dealer_id", _("No dealer with id %(id)s.") % {"id": dealer_id})
    site_ids = {spec.site_id for spec in specs.values() if spec.site_id is not None}
    known = site_ids and set(
        Site.objects.filter(pk__in=site_ids, dealer_id=dealer_id).values_list("pk", flat=True)
    )
    for site_id in sorted(site_ids - known):
        raise _field_error("site_id", _("The site %(id)s does not belong to this dealer.") % {"id": site_id})
    if get_alert_kind(kind) is None:
        raise UnknownAlertKind(kind=kind, details=[{"field": "kind", "message": kind}])


def _values(spec: AlertSpec) -> dict[str, Any]:
    return {
        "subject_type": spec.subject_type,
        "subject_id": str(spec.subject_id),
        "subject_label": spec.subject_label,
        "params": dict(spec.params or {}),
        "message": spec.message,
        "message_key": spec.message_key,
        "data": dict(spec.data or {}),
        "site_id": spec.site_id,
    }


def _validated(dealer_id: int, kind: str, active: Mapping[str, Any]) -> dict[str, tuple[AlertSpec, dict]]:
    specs = {key: _spec(value) for key, value in active.items()}
    _check_many(dealer_id, kind, specs)
    severities = set(AlertSeverity.values)  # (the enum builds this list on every access)
    out = {}
    for key, spec in specs.items():
        values = _values(spec)
        if spec.severity not in severities:
            raise _field_error(
                "severity", _("Choose one of: %(values)s.") % {"values": ", ".join(AlertSeverity.values)}
            )
        if not key or len(key) > _max_length("dedupe_key"):
            raise _field_error(
                "dedupe_key", _("1 to %(max)d characters.") % {"max": _max_length("dedupe_key")}
            )
        for name in ("subject_type", "subject_id", "subject_label", "message", "message_key"):
            if len(values[name]) > _max_length(name):
                raise _field_error(name, _("At most %(max)d characters.") % {"max": _max_length(name)})
        out[key] = (spec, values)
    return out


@transaction.atomic
def sync_alerts(
    *, dealer_id: int, kind: str, active: Mapping[str, AlertSpec | Mapping[str, Any]]
) -> SyncResult:
    """The evaluator contract: `active` maps each dedupe key whose condition holds to its spec.

    Every active condition is raised or refreshed; live alerts of `kind` for this dealer whose key
    is not active any more are resolved automatically. Batched: the live alerts are locked in one
    query, unchanged ones refreshed with one UPDATE, new ones inserted together; only escalations
    and changed texts are written row by row.
    """
    if get_alert_kind(kind) is None:
        raise UnknownAlertKind(kind=kind, details=[{"field": "kind", "message": kind}])
    wanted = _validated(dealer_id, kind, active)
    live = {
        alert.dedupe_key: alert
        for alert in Alert.objects.select_for_update()
        .filter(dealer_id=dealer_id, kind=kind, status__in=LIVE_STATUSES)
        .order_by("pk")
    }
    now = timezone.now()
    unchanged = []
    for key, (spec, values) in wanted.items():
        alert = live.get(key)
        if alert is None:
            continue
        same = all(getattr(alert, name) == value for name, value in values.items())
        if same and policies.escalated(alert.severity, spec.severity) is None:
            unchanged.append(alert.pk)
        else:
            _refresh(alert, severity=spec.severity, values=values, now=now)
    if unchanged:
        Alert.objects.filter(pk__in=unchanged).update(
            last_seen_at=now, occurrences=F("occurrences") + 1, updated_at=now
        )
    new = [key for key in wanted if key not in live]
    _raise_new(dealer_id, kind, {key: wanted[key] for key in new}, now)
    stale = sorted(policies.stale_keys(set(live), set(wanted)))
    _resolve_stale([live[key] for key in stale], now)
    return SyncResult(raised=len(new), refreshed=len(wanted) - len(new), resolved=len(stale))


def _raise_new(dealer_id: int, kind: str, new: Mapping[str, tuple[AlertSpec, dict]], now) -> None:
    if not new:
        return
    rows = [
        Alert(
            dealer_id=dealer_id,
            kind=kind,
            severity=spec.severity,
            dedupe_key=key,
            first_seen_at=now,
            last_seen_at=now,
            created_at=now,
            updated_at=now,
            **values,
        )
        for key, (spec, values) in new.items()
    ]
    try:
        # the partial unique index over live alerts makes the batch fail as a whole if someone
        # raised one of these keys meanwhile: then each key goes through raise_alert's retry loop
        with transaction.atomic():
            created = bulk_create_with_history(rows, Alert, default_date=now)
    except IntegrityError:
        for key, (spec, values) in new.items():
            raise_alert(dealer_id=dealer_id, kind=kind, dedupe_key=key, severity=spec.severity, **values)
        return
    if created and created[0].pk is None:  # a backend that does not return ids
        created = list(
            Alert.objects.filter(
                dealer_id=dealer_id, kind=kind, dedupe_key__in=list(new), status__in=LIVE_STATUSES
            )
        )
    emit_many("alerts.alert.raised", [_payload(alert) for alert in created], dealer_id=dealer_id)


def _resolve_stale(alerts: list[Alert], now) -> None:
    if not alerts:
        return
    for alert in alerts:
        ALERT_STATES.transition(alert, to=AlertStatus.RESOLVED)
        alert.resolution = AlertResolution.AUTO
        alert.resolved_by_id = None
        alert.resolved_at = now
        alert.resolution_note = ""
        alert.updated_at = now
    Alert.objects.filter(pk__in=[a.pk for a in alerts]).update(
        status=AlertStatus.RESOLVED,
        resolution=AlertResolution.AUTO,
        resolved_by=None,
        resolved_at=now,
        resolution_note="",
        updated_at=now,
    )
    bulk_history_create(alerts, now)
    emit_many(
        "alerts.alert.resolved",
        [{**_payload(alert), "resolution": AlertResolution.AUTO} for alert in alerts],
        dealer_id=alerts[0].dealer_id,
    )


def bulk_history_create(alerts: list[Alert], now) -> None:
    """One history row per alert, as a save() would have written (the audit trail of auto-resolution)."""
    Alert.history.bulk_history_create(alerts, default_date=now, update=True)
