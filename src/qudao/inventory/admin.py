"""The inventory in the console: the ledger and the levels are read-only; locations, lots, serials and
item × site settings are kept here. Quantities and states never change by hand: only moves do."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from qudao.core.admin import QudaoModelAdmin, QudaoReadOnlyAdmin
from qudao.inventory import resources
from qudao.inventory.models import (
    InventoryPolicy,
    ItemSiteSettings,
    Location,
    Lot,
    Reservation,
    Serial,
    StockLevel,
    StockMove,
)


@admin.register(Location)
class LocationAdmin(QudaoModelAdmin):
    resource_classes = [resources.LocationResource]
    list_display = ("code", "name", "site", "kind", "is_virtual", "is_active")
    list_filter = ("kind", "is_virtual", ("site", admin.RelatedOnlyFieldListFilter), "is_active")
    search_fields = ("code", "name")
    autocomplete_fields = ("site", "parent")
    list_select_related = ("site",)
    readonly_state_fields = ("is_virtual",)

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        # a virtual location is the system's: its kind and site never change
        return (*fields, "kind", "site") if obj is not None and obj.is_virtual else fields


@admin.register(Lot)
class LotAdmin(QudaoModelAdmin):
    resource_classes = [resources.LotResource]
    list_display = ("lot_number", "item", "production_date", "expiry_date")
    list_filter = ("expiry_date",)
    search_fields = ("lot_number", "item__sku", "item__name")
    autocomplete_fields = ("item",)
    list_select_related = ("item",)
    date_hierarchy = "expiry_date"


@admin.register(Serial)
class SerialAdmin(QudaoModelAdmin):
    resource_classes = [resources.SerialResource]
    list_display = ("serial_number", "item", "status", "site", "location", "lot")
    list_filter = ("status", ("site", admin.RelatedOnlyFieldListFilter))
    search_fields = ("serial_number", "item__sku", "item__name")
    list_select_related = ("item", "site", "location", "lot")
    readonly_state_fields = ("item", "status", "site", "location", "lot")

    def has_add_permission(self, request):
        return False  # serials arrive with a receipt

    def has_import_permission(self, request):
        return False


@admin.register(ItemSiteSettings)
class ItemSiteSettingsAdmin(QudaoModelAdmin):
    resource_classes = [resources.ItemSiteSettingsResource]
    list_display = ("item", "site", "safety_stock", "reorder_point", "max_level")
    list_filter = (("site", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("item__sku", "item__name")
    autocomplete_fields = ("item", "site")
    list_select_related = ("item", "site")


@admin.register(StockLevel)
class StockLevelAdmin(QudaoReadOnlyAdmin):
    list_display = ("item", "site", "location", "lot", "on_hand", "reserved", "available")
    list_filter = (("site", admin.RelatedOnlyFieldListFilter), "is_virtual")
    search_fields = ("item__sku", "item__name", "location__code", "lot__lot_number")
    list_select_related = ("item", "site", "location", "lot")

    @admin.display(description=_("available"))
    def available(self, obj: StockLevel):
        return obj.on_hand - obj.reserved


@admin.register(StockMove)
class StockMoveAdmin(QudaoReadOnlyAdmin):
    list_display = (
        "id",
        "effective_date",
        "move_type",
        "item",
        "quantity",
        "from_location",
        "to_location",
        "lot",
        "serial",
        "state",
        "document_number",
        "actor",
    )
    list_filter = ("move_type", "state", ("site", admin.RelatedOnlyFieldListFilter))
    search_fields = ("item__sku", "item__name", "document_number", "reference_type", "serial__serial_number")
    list_select_related = ("item", "from_location", "to_location", "lot", "serial", "actor")
    date_hierarchy = "effective_date"


@admin.register(Reservation)
class ReservationAdmin(QudaoReadOnlyAdmin):
    list_display = (
        "id",
        "item",
        "site",
        "location",
        "lot",
        "serial",
        "quantity",
        "reference_type",
        "reference_id",
        "state",
    )
    list_filter = ("state", ("site", admin.RelatedOnlyFieldListFilter))
    search_fields = ("item__sku", "reference_type")
    list_select_related = ("item", "site", "location", "lot", "serial")


class InventoryPolicyResource(resources.InventoryResource):
    """A dealer's health thresholds by dealer code; one row per dealer (imported by dealer)."""

    dealer = resources._dealer_field()

    class Meta:
        model = InventoryPolicy
        fields = (
            "dealer",
            "no_movement_days",
            "near_expiry_percent",
            "evaluate_overstock",
            "ageing_bucket_1_days",
            "ageing_bucket_2_days",
            "ageing_bucket_3_days",
        )
        import_id_fields = ("dealer",)
        clean_model_instances = True


@admin.register(InventoryPolicy)
class InventoryPolicyAdmin(QudaoModelAdmin):
    """Per-dealer thresholds of the inventory health alerts and the ageing buckets."""

    resource_classes = [InventoryPolicyResource]
    list_display = (
        "dealer",
        "no_movement_days",
        "near_expiry_percent",
        "evaluate_overstock",
        "ageing_bucket_1_days",
        "ageing_bucket_2_days",
        "ageing_bucket_3_days",
    )
    list_filter = ("evaluate_overstock",)
    search_fields = ("dealer__name", "dealer__code")
    autocomplete_fields = ("dealer",)
    list_select_related = ("dealer",)


from qudao.inventory import admin_documents  # noqa: E402, F401  (transfers and stocktakes)
