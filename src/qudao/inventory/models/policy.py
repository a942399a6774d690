"""Per-dealer inventory health policy: the thresholds the health evaluators and the ageing report use."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qudao.core.models import DealerOwnedModel
from qudao.core.scoping import ScopeSpec


class InventoryPolicy(DealerOwnedModel):
    """One row per dealer; a dealer without a row uses the defaults below."""

    no_movement_days = models.PositiveIntegerField(
        _("no movement after (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_("Raise a no-movement alert when stock on hand had no done move for this many days."),
    )
    near_expiry_percent = models.PositiveSmallIntegerField(
        # xgettext:no-python-format
        _("near expiry below (% of shelf life)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Raise a near-expiry alert when less than this percentage of a lot's shelf life is left."
        ),
    )
    evaluate_overstock = models.BooleanField(
        _("evaluate overstock"),
        default=True,
        help_text=_("Raise an overstock alert when on hand exceeds the maximum level."),
    )
    ageing_bucket_1_days = models.PositiveIntegerField(
        _("first ageing bucket edge (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
    )
    ageing_bucket_2_days = models.PositiveIntegerField(
        _("second ageing bucket edge (days)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
    )
    ageing_bucket_3_days = models.PositiveIntegerField(
        _("third ageing bucket edge (days)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_("Stock older than this edge is aged stock."),
    )

    history = HistoricalRecords()
    scope_spec = ScopeSpec(dealer="dealer")

    class Meta:
        verbose_name = _("inventory policy")
        verbose_name_plural = _("inventory policies")
        ordering = ["dealer_id"]
        constraints = [
            models.UniqueConstraint(fields=["dealer"], name="inventory_policy_one_per_dealer"),
            models.CheckConstraint(
                condition=Q(no_movement_days__gte=1)
                & Q(near_expiry_percent__gte=1, near_expiry_percent__lte=100),
                name="inventory_policy_thresholds_valid",
            ),
            models.CheckConstraint(
                condition=Q(ageing_bucket_1_days__gte=1)
                & Q(ageing_bucket_2_days__gt=F("ageing_bucket_1_days"))
                & Q(ageing_bucket_3_days__gt=F("ageing_bucket_2_days")),
                name="inventory_policy_ageing_edges_ascending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dealer_id}"
