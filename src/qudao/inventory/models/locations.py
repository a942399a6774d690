"""Locations: bins and zones inside a site, plus one set of virtual locations per dealer."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qudao.core.models import DealerOwnedModel
from qudao.core.scoping import ScopeSpec
from qudao.inventory.choices import INTERNAL_KINDS, VIRTUAL_KINDS, LocationKind


class Location(DealerOwnedModel):
    """Where stock is. Internal locations belong to a site; virtual ones (supplier, customer,
    in transit, adjustment, scrap, quarantine) are the other side of every move and belong to the
    dealer only, so a ledger always balances: stock never appears or vanishes without a move."""

    site = models.ForeignKey(
        "org.Site",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="locations",
        verbose_name=_("site"),
    )
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=LocationKind.choices, default=LocationKind.BIN)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    is_virtual = models.BooleanField(_("virtual"), default=False, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()
    scope_spec = ScopeSpec(dealer="dealer", site="site")

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["dealer_id", "site_id", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "code"], condition=Q(is_virtual=False), name="inventory_location_code_unique"
            ),
            models.UniqueConstraint(
                fields=["dealer", "kind"],
                condition=Q(is_virtual=True),
                name="inventory_location_virtual_unique",
            ),
            models.CheckConstraint(
                condition=Q(is_virtual=True, kind__in=sorted(VIRTUAL_KINDS), site__isnull=True)
                | Q(is_virtual=False, kind__in=sorted(INTERNAL_KINDS), site__isnull=False),
                name="inventory_location_virtual_kind",
            ),
        ]

    def save(self, *args, **kwargs):
        self.is_virtual = self.kind in VIRTUAL_KINDS
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
