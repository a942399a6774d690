"""Base models and the transactional outbox.

Ids are 64-bit integers (BigAutoField), not UUIDv7: every table in Qudao is joined and indexed
on its key millions of times (stock ledger, order lines); an 8-byte monotonically increasing key
keeps B-tree pages dense on PostgreSQL and SQLite alike, is what Django and the admin expect,
and is readable in URLs and logs. Ids are never a secret: visibility is enforced by data scopes
(an id of another dealer answers 404), and documents carry their own human-readable numbers.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qudao.core.scoping import ScopeSpec


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class DealerOwnedModel(TimeStampedModel):
    """A business row: it belongs to one dealer (a Company holding the dealer role)."""

    dealer = models.ForeignKey(
        "org.Company", on_delete=models.PROTECT, related_name="+", verbose_name=_("dealer")
    )

    scope_spec = ScopeSpec(dealer="dealer")

    class Meta:
        abstract = True


class OutboxState(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed (will retry)")
    DEAD = "dead", _("Dead (gave up)")


class OutboxEvent(models.Model):
    """Something that happened, written in the same transaction as the change that caused it."""

    topic = models.CharField(_("topic"), max_length=100, db_index=True)
    payload = models.JSONField(_("payload"), default=dict)
    dealer = models.ForeignKey(
        "org.Company",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dealer"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    scope_spec = ScopeSpec(dealer="dealer")

    class Meta:
        verbose_name = _("outbox event")
        verbose_name_plural = _("outbox events")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.topic} #{self.pk}"


class OutboxDelivery(models.Model):
    """One event handed to one subscriber; retried with backoff until delivered or dead."""

    event = models.ForeignKey(
        OutboxEvent, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("event")
    )
    subscriber = models.CharField(_("subscriber"), max_length=200)
    state = models.CharField(
        _("state"), max_length=16, choices=OutboxState.choices, default=OutboxState.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox delivery")
        verbose_name_plural = _("outbox deliveries")
        constraints = [
            models.UniqueConstraint(fields=["event", "subscriber"], name="outbox_delivery_unique"),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbox_due_idx")]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.subscriber} ({self.state})"


class DocumentSequence(models.Model):
    """The last number handed out per dealer and document kind (see core/sequences.py)."""

    dealer = models.ForeignKey(
        "org.Company", on_delete=models.PROTECT, related_name="+", verbose_name=_("dealer")
    )
    kind = models.CharField(_("kind"), max_length=40)
    last_number = models.PositiveBigIntegerField(_("last number"), default=0)

    scope_spec = ScopeSpec(dealer="dealer")

    class Meta:
        verbose_name = _("document sequence")
        verbose_name_plural = _("document sequences")
        constraints = [
            models.UniqueConstraint(fields=["dealer", "kind"], name="document_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.last_number}"
