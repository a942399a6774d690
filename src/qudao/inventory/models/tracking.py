"""Lots (batches with production and expiry dates) and serials (VINs, serial numbers)."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qudao.core.models import DealerOwnedModel
from qudao.core.scoping import ScopeSpec
from qudao.inventory.choices import SerialStatus


class Lot(DealerOwnedModel):
    item = models.ForeignKey(
        "catalog.Item", on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    lot_number = models.CharField(_("lot number"), max_length=64)
    production_date = models.DateField(_("production date"), null=True, blank=True)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True, db_index=True)

    history = HistoricalRecords()
    scope_spec = ScopeSpec(dealer="dealer")

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["item_id", "expiry_date", "lot_number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "lot_number"], name="inventory_lot_number_unique"),
            models.CheckConstraint(
                condition=Q(production_date__isnull=True)
                | Q(expiry_date__isnull=True)
                | Q(expiry_date__gte=F("production_date")),
                name="inventory_lot_expiry_after_production",
            ),
        ]

    def __str__(self) -> str:
        return self.lot_number


class Serial(DealerOwnedModel):
    item = models.ForeignKey(
        "catalog.Item", on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    serial_number = models.CharField(_("serial number / VIN"), max_length=64)
    lot = models.ForeignKey(
        Lot, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("lot")
    )
    location = models.ForeignKey(
        "inventory.Location",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("current location"),
    )
    site = models.ForeignKey(
        "org.Site", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("site")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=SerialStatus.choices, default=SerialStatus.IN_STOCK, db_index=True
    )

    history = HistoricalRecords()
    scope_spec = ScopeSpec(dealer="dealer", site="site")

    class Meta:
        verbose_name = _("serial")
        verbose_name_plural = _("serials")
        ordering = ["item_id", "serial_number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "serial_number"], name="inventory_serial_number_unique"),
        ]

    def __str__(self) -> str:
        return self.serial_number
