"""The catalog in the console. Saves go through the catalog services, so the console obeys the same
rules as the API (paths, base-unit rows, defaults, outbox events)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from unfold.admin import TabularInline

from qudao.catalog import resources, services
from qudao.catalog.models import Barcode, Category, Item, ItemUnit, Supersession, UnitOfMeasure, VehicleModel
from qudao.core.admin import QudaoModelAdmin, ScopedAdminMixin
from qudao.core.errors import PermissionDeniedError
from qudao.core.scoping import get_actor


class CatalogModelAdmin(QudaoModelAdmin):
    """Dealer choices limited to the user's own dealers; imports know who runs them; saves call a service."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and db_field.name == "brand":
            field.queryset = field.queryset.filter(is_brand=True)
        if field is not None and db_field.name == "dealer":
            actor = get_actor(request)
            field.queryset = field.queryset.filter(is_dealer=True)
            if not actor.is_platform_admin:
                field.queryset = field.queryset.filter(pk__in=sorted(actor.own_dealer_ids))
        return field

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {**super().get_resource_kwargs(request, *args, **kwargs), "actor": get_actor(request)}

    def save_model(self, request, obj, form, change):
        try:
            self.save_with_service(actor=get_actor(request), obj=obj)
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.render()) from exc

    def save_with_service(self, *, actor, obj) -> None:
        raise NotImplementedError


# --- item and its inlines ------------------------------------------------------------------------


def _submitted_unit_ids(data, prefix: str = "units") -> set[int]:
    """Units added in the same submission by the units inline (so a barcode may name them)."""
    try:
        total = int(data.get(f"{prefix}-TOTAL_FORMS", 0))
    except (TypeError, ValueError):
        return set()
    ids: set[int] = set()
    for index in range(min(total, 1000)):
        value = data.get(f"{prefix}-{index}-unit")
        if value and str(value).isdigit() and not data.get(f"{prefix}-{index}-DELETE"):
            ids.add(int(value))
    return ids


class ItemUnitFormSet(BaseInlineFormSet):
    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.dealer_id = self.instance.dealer_id
        return form

    def clean(self):
        super().clean()
        item = self.instance
        flagged = {"is_purchase_default": 0, "is_sales_default": 0}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            unit = data.get("unit")
            if unit is not None and unit.pk == item.base_unit_id and form.instance.pk is None:
                form.add_error("unit", _("The base unit's row is created with the item (factor 1)."))
            for flag in flagged:
                flagged[flag] += bool(data.get(flag))
        if flagged["is_purchase_default"] > 1 or flagged["is_sales_default"] > 1:
            raise ValidationError(
                _("Mark at most one unit as the purchasing default and one as the sales default.")
            )


class BarcodeFormSet(BaseInlineFormSet):
    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        item = self.instance
        form.instance.dealer_id = item.dealer_id
        allowed = {item.base_unit_id} | _submitted_unit_ids(self.data)
        if item.pk:
            allowed |= set(ItemUnit.objects.filter(item_id=item.pk).values_list("unit_id", flat=True))
        form.instance.allowed_unit_ids = allowed
        return form


class ScopedTabularInline(ScopedAdminMixin, TabularInline):
    extra = 0


class ItemUnitInline(ScopedTabularInline):
    model = ItemUnit
    formset = ItemUnitFormSet
    fields = ("unit", "factor", "is_purchase_default", "is_sales_default")
    can_delete = False
    autocomplete_fields = ("unit",)


class BarcodeInline(ScopedTabularInline):
    model = Barcode
    formset = BarcodeFormSet
    fields = ("code", "kind", "unit")
    autocomplete_fields = ("unit",)


@admin.register(Item)
class ItemAdmin(CatalogModelAdmin):
    resource_classes = [resources.ItemResource]
    list_display = (
        "sku",
        "name",
        "kind",
        "brand",
        "category",
        "base_unit",
        "tracking",
        "list_price",
        "is_active",
    )
    list_filter = (
        "kind",
        "tracking",
        ("brand", admin.RelatedOnlyFieldListFilter),
        ("category", admin.RelatedOnlyFieldListFilter),
        "is_active",
    )
    search_fields = ("sku", "name", "barcodes__code")
    autocomplete_fields = ("category", "base_unit", "vehicle_model")
    list_select_related = ("brand", "category", "base_unit")
    inlines = [ItemUnitInline, BarcodeInline]
    actions = ["deactivate"]
    fieldsets = (
        (
            None,
            {"fields": ("dealer", "sku", "name", "kind", "brand", "category", "vehicle_model", "is_active")},
        ),
        (_("Stock"), {"fields": ("base_unit", "tracking", "has_expiry", "shelf_life_days")}),
        (_("Price and tax"), {"fields": ("list_price", "currency", "tax_rate")}),
        (_("Shipping"), {"fields": ("weight_kg",)}),
        (_("Attributes"), {"fields": ("attributes",)}),
    )

    def get_readonly_fields(self, request, obj=None):
        fixed = ("dealer", "base_unit") if obj is not None else ()
        return tuple(super().get_readonly_fields(request, obj)) + fixed

    def save_with_service(self, *, actor, obj) -> None:
        services.save_item(actor=actor, item=obj)

    def save_formset(self, request, form, formset, change):
        actor = get_actor(request)
        try:
            for obj in formset.save(commit=False):
                if isinstance(obj, ItemUnit):
                    services.save_item_unit(actor=actor, item_unit=obj)
                else:
                    services.save_barcode(actor=actor, barcode=obj)
            for obj in formset.deleted_objects:
                services.delete_barcode(actor=actor, barcode=obj)
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.render()) from exc

    @admin.action(description=_("Deactivate selected items"))
    def deactivate(self, request, queryset):
        actor = get_actor(request)
        count = 0
        for item in queryset.filter(is_active=True):
            services.deactivate_item(actor=actor, item=item)
            count += 1
        self.message_user(request, _("%(count)d items deactivated.") % {"count": count}, messages.SUCCESS)


# --- the other catalog records -------------------------------------------------------------------


@admin.register(Category)
class CategoryAdmin(CatalogModelAdmin):
    resource_classes = [resources.CategoryResource]
    list_display = ("code", "name", "parent", "sort_order", "dealer")
    list_filter = (("parent", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)
    list_select_related = ("parent", "dealer")
    ordering = ("dealer_id", "path")
    fields = ("dealer", "code", "name", "parent", "sort_order", "path")
    readonly_fields = ("path",)

    def save_with_service(self, *, actor, obj) -> None:
        services.save_category(actor=actor, category=obj)


@admin.register(UnitOfMeasure)
class UnitOfMeasureAdmin(CatalogModelAdmin):
    resource_classes = [resources.UnitOfMeasureResource]
    list_display = ("code", "name", "kind", "decimal_places", "dealer")
    list_filter = ("kind",)
    search_fields = ("code", "name")
    fields = ("dealer", "code", "name", "kind", "decimal_places")

    def save_with_service(self, *, actor, obj) -> None:
        services.save_unit_of_measure(actor=actor, unit=obj)


@admin.register(ItemUnit)
class ItemUnitAdmin(CatalogModelAdmin):
    """Units of items in bulk (pack sizes from a supplier's file); usually edited on the item."""

    resource_classes = [resources.ItemUnitResource]
    list_display = ("item", "unit", "factor", "is_purchase_default", "is_sales_default")
    list_filter = ("is_purchase_default", "is_sales_default")
    search_fields = ("item__sku", "item__name", "unit__code")
    autocomplete_fields = ("item", "unit")
    list_select_related = ("item", "unit")
    fields = ("item", "unit", "factor", "is_purchase_default", "is_sales_default")

    def save_with_service(self, *, actor, obj) -> None:
        services.save_item_unit(actor=actor, item_unit=obj)


@admin.register(Barcode)
class BarcodeAdmin(CatalogModelAdmin):
    resource_classes = [resources.BarcodeResource]
    list_display = ("code", "kind", "item", "unit", "dealer")
    list_filter = ("kind",)
    search_fields = ("code", "item__sku", "item__name")
    autocomplete_fields = ("item", "unit")
    list_select_related = ("item", "unit", "dealer")
    fields = ("dealer", "item", "unit", "code", "kind")

    def save_with_service(self, *, actor, obj) -> None:
        services.save_barcode(actor=actor, barcode=obj)

    def delete_model(self, request, obj):
        services.delete_barcode(actor=get_actor(request), barcode=obj)


@admin.register(VehicleModel)
class VehicleModelAdmin(CatalogModelAdmin):
    resource_classes = [resources.VehicleModelResource]
    list_display = ("series", "model_year", "trim", "brand", "powertrain", "msrp", "is_active")
    list_filter = (("brand", admin.RelatedOnlyFieldListFilter), "powertrain", "model_year", "is_active")
    search_fields = ("series", "trim")
    list_select_related = ("brand",)
    fields = (
        "dealer",
        "brand",
        "series",
        "model_year",
        "trim",
        "powertrain",
        "msrp",
        "currency",
        "is_active",
    )

    def save_with_service(self, *, actor, obj) -> None:
        services.save_vehicle_model(actor=actor, vehicle_model=obj)


@admin.register(Supersession)
class SupersessionAdmin(CatalogModelAdmin):
    resource_classes = [resources.SupersessionResource]
    list_display = ("old_item", "new_item", "effective_from", "factor", "note")
    list_filter = (("effective_from", admin.DateFieldListFilter),)
    search_fields = ("old_item__sku", "new_item__sku", "note")
    autocomplete_fields = ("old_item", "new_item")
    list_select_related = ("old_item", "new_item")
    date_hierarchy = "effective_from"
    fields = ("dealer", "old_item", "new_item", "effective_from", "factor", "note")

    def save_with_service(self, *, actor, obj) -> None:
        services.save_supersession(actor=actor, supersession=obj)
