"""Alerts: a condition somebody should look at, raised by any app and deduplicated per dealer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qudao.alerts.registry import kind_label, render_message
from qudao.alerts.states import ALERT_STATES, LIVE_STATUSES, AlertResolution, AlertSeverity, AlertStatus
from qudao.core.models import DealerOwnedModel
from qudao.core.scoping import ScopeSpec


class Alert(DealerOwnedModel):
    site = models.ForeignKey(
        "org.Site",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("site"),
    )
    kind = models.CharField(_("kind"), max_length=100, db_index=True)
    severity = models.CharField(_("severity"), max_length=16, choices=AlertSeverity.choices)
    subject_type = models.CharField(
        _("subject type"), max_length=100, blank=True, help_text=_("e.g. catalog.item")
    )
    subject_id = models.CharField(_("subject id"), max_length=64, blank=True)
    subject_label = models.CharField(_("subject"), max_length=200, blank=True)
    message_key = models.CharField(_("message key"), max_length=100, blank=True)
    params = models.JSONField(_("message parameters"), default=dict, blank=True)
    message = models.CharField(
        _("plain message"),
        max_length=500,
        blank=True,
        help_text=_("Shown when no translatable template fits the parameters."),
    )
    dedupe_key = models.CharField(_("dedupe key"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=AlertStatus.choices, default=AlertStatus.OPEN, db_index=True
    )
    first_seen_at = models.DateTimeField(_("first seen at"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen at"), default=timezone.now, db_index=True)
    occurrences = models.PositiveIntegerField(_("occurrences"), default=1)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution = models.CharField(_("resolution"), max_length=16, choices=AlertResolution.choices, blank=True)
    resolution_note = models.CharField(_("resolution note"), max_length=500, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    history = HistoricalRecords()
    scope_spec = ScopeSpec(dealer="dealer", site="site")
    state_machine = ALERT_STATES

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-last_seen_at", "-id"]
        # Acknowledging is the standard "change_alert"; resolving by hand needs this one more.
        permissions = [("change_alertresolution", _("Can resolve alerts"))]
        constraints = [
            models.UniqueConstraint(
                fields=["dealer", "dedupe_key"],
                condition=Q(status__in=[str(s) for s in LIVE_STATUSES]),
                name="alerts_alert_live_dedupe_unique",
            ),
            models.CheckConstraint(condition=Q(occurrences__gte=1), name="alerts_alert_occurrences_positive"),
        ]
        indexes = [
            models.Index(fields=["dealer", "status", "severity"], name="alerts_dealer_status_idx"),
            models.Index(fields=["dealer", "kind", "status"], name="alerts_dealer_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind_label}: {self.subject_label or self.dedupe_key}"

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def text(self) -> str:
        """The message in the active language."""
        return render_message(
            kind=self.kind, message_key=self.message_key, params=self.params, fallback=self.message
        )

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES
