"""Alert severities and lifecycle: open → acknowledged → resolved; an escalation reopens."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from qudao.core.states import StateMachine


class AlertSeverity(models.TextChoices):
    INFO = "info", _("Info")
    WARNING = "warning", _("Warning")
    CRITICAL = "critical", _("Critical")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")


class AlertResolution(models.TextChoices):
    AUTO = "auto", _("Automatic (condition cleared)")
    MANUAL = "manual", _("Manual")


#: statuses of an alert whose condition is still considered present (one per dedupe key and dealer)
LIVE_STATUSES = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)

ALERT_STATES = StateMachine(
    AlertStatus,
    {
        AlertStatus.OPEN: {AlertStatus.ACKNOWLEDGED, AlertStatus.RESOLVED},
        # An acknowledged alert whose severity rises is reopened so that people see it again.
        AlertStatus.ACKNOWLEDGED: {AlertStatus.OPEN, AlertStatus.RESOLVED},
        AlertStatus.RESOLVED: set(),
    },
    field="status",
)
