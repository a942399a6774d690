"""Stocktakes: a count session per site (or zone), its snapshot of on hand, and the counted lines."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qudao.core.models import DealerOwnedModel
from qudao.core.quantity import QuantityField
from qudao.core.scoping import ScopeSpec
from qudao.inventory.states import STOCKTAKE_MACHINE, StocktakeState


class StocktakeKind(models.TextChoices):
    FULL = "full", _("Full count")
    CYCLE = "cycle", _("Cycle count")


class StocktakeSession(DealerOwnedModel):
    """A count of one site (or one zone of it). Starting it takes the snapshot of on hand; counting
    may go on while stock moves: the expected quantity is the snapshot plus the moves since."""

    number = models.CharField(_("number"), max_length=40, editable=False)
    site = models.ForeignKey("org.Site", on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    zone = models.ForeignKey(
        "inventory.Location",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("zone"),
        help_text=_("Count only this location and the locations inside it."),
    )
    kind = models.CharField(
        _("kind"), max_length=8, choices=StocktakeKind.choices, default=StocktakeKind.FULL
    )
    blind = models.BooleanField(
        _("blind count"), default=False, help_text=_("Counters do not see the expected quantities.")
    )
    state = models.CharField(
        _("state"), max_length=12, choices=StocktakeState.choices, default=StocktakeState.OPEN, db_index=True
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True, editable=False)
    #: the last ledger move included in the snapshot; later moves change the expected quantities
    snapshot_move_id = models.BigIntegerField(_("snapshot move"), default=0, editable=False)
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True, editable=False)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("posted by"),
    )

    history = HistoricalRecords()
    state_machine = STOCKTAKE_MACHINE
    scope_spec = ScopeSpec(dealer="dealer", site="site")

    class Meta:
        verbose_name = _("stocktake")
        verbose_name_plural = _("stocktakes")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["dealer", "number"], name="inventory_stocktake_number_unique"),
        ]

    def __str__(self) -> str:
        return self.number


class StocktakeSnapshot(models.Model):
    """On hand of one (item, location, lot) when the session started."""

    session = models.ForeignKey(
        StocktakeSession, on_delete=models.CASCADE, related_name="snapshot", verbose_name=_("stocktake")
    )
    item = models.ForeignKey(
        "catalog.Item", on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    location = models.ForeignKey(
        "inventory.Location", on_delete=models.PROTECT, related_name="+", verbose_name=_("location")
    )
    lot = models.ForeignKey(
        "inventory.Lot",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lot"),
    )
    on_hand = QuantityField(_("on hand at start"))

    scope_spec = ScopeSpec(dealer="session__dealer", site="session__site")

    class Meta:
        verbose_name = _("stocktake snapshot")
        verbose_name_plural = _("stocktake snapshots")
        ordering = ["session_id", "item_id", "location_id", "lot_id"]

    def __str__(self) -> str:
        return f"{self.item_id}@{self.location_id}: {self.on_hand}"


class StocktakeCount(models.Model):
    """One counted quantity (usually one scan), in the item's base unit."""

    session = models.ForeignKey(
        StocktakeSession, on_delete=models.CASCADE, related_name="counts", verbose_name=_("stocktake")
    )
    item = models.ForeignKey(
        "catalog.Item", on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    location = models.ForeignKey(
        "inventory.Location", on_delete=models.PROTECT, related_name="+", verbose_name=_("location")
    )
    lot = models.ForeignKey(
        "inventory.Lot",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lot"),
    )
    serial_number = models.CharField(_("serial number / VIN"), max_length=64, blank=True)
    quantity = QuantityField(_("counted (base unit)"))
    scanned_code = models.CharField(_("scanned code"), max_length=64, blank=True)
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("counted by"),
    )
    created_at = models.DateTimeField(_("counted at"), auto_now_add=True)

    scope_spec = ScopeSpec(dealer="session__dealer", site="session__site")

    class Meta:
        verbose_name = _("stocktake count")
        verbose_name_plural = _("stocktake counts")
        ordering = ["session_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="inventory_count_quantity_positive"),
            models.UniqueConstraint(
                fields=["session", "item", "serial_number"],
                condition=~Q(serial_number=""),
                name="inventory_count_serial_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}@{self.location_id}: {self.quantity}"
