"""API schemas of the alerts app."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from qudao.alerts.models import Alert
from qudao.alerts.states import AlertSeverity, AlertStatus
from qudao.core.api import StrictSchema


class AlertOut(Schema):
    id: int
    dealer_id: int
    site_id: int | None
    kind: str
    kind_label: str
    severity: str
    status: str
    subject_type: str
    subject_id: str
    subject_label: str
    message: str
    message_key: str
    params: dict[str, Any]
    dedupe_key: str
    first_seen_at: datetime
    last_seen_at: datetime
    occurrences: int
    acknowledged_by_id: int | None
    acknowledged_at: datetime | None
    resolved_by_id: int | None
    resolved_at: datetime | None
    resolution: str
    resolution_note: str
    data: dict[str, Any]

    @staticmethod
    def resolve_message(obj: Alert) -> str:
        return obj.text


class AlertFilters(Schema):
    status: AlertStatus | None = None
    severity: AlertSeverity | None = None
    kind: str | None = Field(None, max_length=100)
    site: int | None = Field(None, ge=1)
    since: datetime | None = None
    live: bool | None = None
    ordering: str | None = Field(None, max_length=200)


class AlertResolveIn(StrictSchema):
    note: str = Field("", max_length=Alert._meta.get_field("resolution_note").max_length)


class AlertCountsOut(Schema):
    total: int
    unacknowledged: int
    by_severity: dict[str, int]
