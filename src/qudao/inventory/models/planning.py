"""Per item × site: planning parameters (entered now, computed later) and the moving average cost."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qudao.core.models import DealerOwnedModel
from qudao.core.money import UnitPriceField
from qudao.core.quantity import QuantityField
from qudao.core.scoping import ScopeSpec


class ItemSiteSettings(DealerOwnedModel):
    item = models.ForeignKey(
        "catalog.Item", on_delete=models.PROTECT, related_name="site_settings", verbose_name=_("item")
    )
    site = models.ForeignKey("org.Site", on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    safety_stock = QuantityField(_("safety stock"), default=0)
    reorder_point = QuantityField(_("reorder point"), default=0)
    max_level = QuantityField(_("maximum level"), null=True, blank=True)

    history = HistoricalRecords()
    scope_spec = ScopeSpec(dealer="dealer", site="site")

    class Meta:
        verbose_name = _("item stock settings")
        verbose_name_plural = _("item stock settings")
        ordering = ["site_id", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "site"], name="inventory_item_site_settings_unique"),
            models.CheckConstraint(
                condition=Q(safety_stock__gte=0, reorder_point__gte=0)
                & (Q(max_level__isnull=True) | Q(max_level__gte=0)),
                name="inventory_item_site_settings_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}@{self.site_id}"


class ItemSiteCost(DealerOwnedModel):
    """Moving weighted average cost of an item at a site, over the quantity it was computed on.

    Changes with every receipt: no history table (the receipts in the ledger carry their costs).
    """

    item = models.ForeignKey(
        "catalog.Item", on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    site = models.ForeignKey("org.Site", on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    average_cost = UnitPriceField(_("average cost"), default=0)
    quantity = QuantityField(_("quantity basis"), default=0)

    scope_spec = ScopeSpec(dealer="dealer", site="site")

    class Meta:
        verbose_name = _("item cost at site")
        verbose_name_plural = _("item costs at sites")
        ordering = ["site_id", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "site"], name="inventory_item_site_cost_unique"),
            models.CheckConstraint(
                condition=Q(average_cost__gte=0), name="inventory_item_site_cost_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}@{self.site_id}: {self.average_cost}"
