"""Excel/CSV import and export of locations, lots and item × site settings (django-import-export).

Rows name related records by code: the dealer by its company code, a site by its code, an item by
its SKU (within the row's dealer). Only dealers the importing user works for can be written, and a
file with one bad row saves none.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from qudao.catalog.models import Item
from qudao.core.scoping import Actor, build_actor
from qudao.inventory.choices import INTERNAL_KINDS
from qudao.inventory.models import ItemSiteSettings, Location, Lot, Serial
from qudao.org.models import Company, Site


class DealerCodeWidget(widgets.ForeignKeyWidget):
    """A related row by its code within the row's dealer."""

    def __init__(self, model, field: str = "code"):
        super().__init__(model, field)

    def get_queryset(self, value, row, *args, **kwargs):
        return self.model.objects.filter(dealer__code=(row or {}).get("dealer"))

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist as exc:
            raise ValueError(
                _("No %(model)s “%(code)s” for dealer %(dealer)s.")
                % {"model": self.model._meta.verbose_name, "code": value, "dealer": (row or {}).get("dealer")}
            ) from exc


def _dealer_field() -> fields.Field:
    return fields.Field(
        attribute="dealer",
        column_name="dealer",
        widget=widgets.ForeignKeyWidget(Company, "code"),
    )


class InventoryResource(resources.ModelResource):
    """Refuses rows of dealers the importing user does not work for; all or nothing."""

    def __init__(self, actor: Actor | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.actor = actor

    def before_import(self, dataset, **kwargs):
        if self.actor is None and kwargs.get("user") is not None:
            self.actor = build_actor(kwargs["user"])

    def before_save_instance(self, instance, row, **kwargs):
        actor = self.actor
        if actor is None or not (actor.is_platform_admin or instance.dealer_id in actor.own_dealers):
            raise ValueError(_("You cannot change the stock data of a company you do not work for."))
        self.check_row(instance)

    def check_row(self, instance) -> None:
        """Related rows must belong to the same dealer (subclasses add their own rules)."""


class LocationResource(InventoryResource):
    dealer = _dealer_field()
    site = fields.Field(attribute="site", column_name="site", widget=DealerCodeWidget(Site))

    class Meta:
        model = Location
        fields = ("id", "dealer", "site", "code", "name", "kind", "is_active")
        import_id_fields = ("id",)
        clean_model_instances = True

    def get_queryset(self):
        return super().get_queryset().filter(is_virtual=False)

    def check_row(self, instance) -> None:
        if instance.kind not in INTERNAL_KINDS:
            raise ValueError(_("Only bins and zones can be imported."))
        if instance.site_id is None or instance.site.dealer_id != instance.dealer_id:
            raise ValueError(_("The site must belong to the row's dealer."))


class LotResource(InventoryResource):
    dealer = _dealer_field()
    item = fields.Field(attribute="item", column_name="item", widget=DealerCodeWidget(Item, "sku"))

    class Meta:
        model = Lot
        fields = ("id", "dealer", "item", "lot_number", "production_date", "expiry_date")
        import_id_fields = ("id",)
        clean_model_instances = True

    def check_row(self, instance) -> None:
        if instance.item.dealer_id != instance.dealer_id:
            raise ValueError(_("The item must belong to the row's dealer."))


class ItemSiteSettingsResource(InventoryResource):
    dealer = _dealer_field()
    item = fields.Field(attribute="item", column_name="item", widget=DealerCodeWidget(Item, "sku"))
    site = fields.Field(attribute="site", column_name="site", widget=DealerCodeWidget(Site))

    class Meta:
        model = ItemSiteSettings
        fields = ("id", "dealer", "item", "site", "safety_stock", "reorder_point", "max_level")
        import_id_fields = ("id",)
        clean_model_instances = True

    def check_row(self, instance) -> None:
        if instance.item.dealer_id != instance.dealer_id or instance.site.dealer_id != instance.dealer_id:
            raise ValueError(_("The item and the site must belong to the row's dealer."))


class SerialResource(InventoryResource):
    """Export only: serials enter and leave stock through receipts and issues."""

    dealer = _dealer_field()
    item = fields.Field(attribute="item", column_name="item", widget=DealerCodeWidget(Item, "sku"))

    class Meta:
        model = Serial
        fields = ("id", "dealer", "item", "serial_number", "status", "site", "location")
