"""Excel/CSV import and export of the catalog (django-import-export), with natural keys.

Rows name related records by code, not id: the dealer by its company code, a category or a unit by
its code within that dealer, a brand by its company code, an item by its SKU. Imported rows go
through the same services as the API (rules, paths, base-unit rows, outbox events), and only into
dealers the importing user works for.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from qudao.catalog import services
from qudao.catalog.models import (
    Barcode,
    Category,
    Item,
    ItemUnit,
    Supersession,
    UnitOfMeasure,
    VehicleModel,
)
from qudao.core.errors import QudaoError
from qudao.core.scoping import Actor, build_actor
from qudao.org.models import Company


class DealerCodeWidget(widgets.ForeignKeyWidget):
    """A related catalog row by its code (or SKU) within the row's dealer."""

    def __init__(self, model, field: str = "code", dealer_column: str = "dealer", **kwargs):
        super().__init__(model, field, **kwargs)
        self.dealer_column = dealer_column

    def get_queryset(self, value, row, *args, **kwargs):
        return self.model.objects.filter(dealer__code=(row or {}).get(self.dealer_column))

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist as exc:
            raise ValueError(
                _("No %(model)s “%(code)s” for dealer %(dealer)s.")
                % {
                    "model": self.model._meta.verbose_name,
                    "code": value,
                    "dealer": (row or {}).get(self.dealer_column),
                }
            ) from exc


class CompanyCodeWidget(widgets.ForeignKeyWidget):
    def __init__(self, **filters: Any):
        super().__init__(Company, "code")
        self.filters = filters

    def get_queryset(self, value, row, *args, **kwargs):
        return Company.objects.filter(**self.filters)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except Company.DoesNotExist as exc:
            raise ValueError(_("No company with code “%(code)s”.") % {"code": value}) from exc


class VehicleModelWidget(widgets.ForeignKeyWidget):
    """A vehicle model as "BRAND CODE | series | model year | trim" (trim may be empty)."""

    SEPARATOR = " | "

    def __init__(self):
        super().__init__(VehicleModel)

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        parts = [part.strip() for part in str(value).split("|")]
        if len(parts) == 3:
            parts.append("")
        if len(parts) != 4 or not parts[2].isdigit():
            raise ValueError(_("Write a vehicle model as “brand code | series | model year | trim”."))
        brand, series, year, trim = parts
        found = VehicleModel.objects.filter(
            dealer__code=(row or {}).get("dealer"),
            brand__code=brand,
            series=series,
            model_year=int(year),
            trim=trim,
        ).first()
        if found is None:
            raise ValueError(_("No vehicle model “%(value)s” for this dealer.") % {"value": value})
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return self.SEPARATOR.join([value.brand.code, value.series, str(value.model_year), value.trim])


def _dealer_field() -> fields.Field:
    return fields.Field(attribute="dealer", column_name="dealer", widget=CompanyCodeWidget(is_dealer=True))


class CatalogResource(resources.ModelResource):
    """Checks the importing user's write scope and saves each row through a catalog service."""

    def __init__(self, actor: Actor | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.actor = actor

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=True,
        **kwargs,
    ):
        # all or nothing: a file with one bad row saves none (fix the file, import it again)
        return super().import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=raise_errors,
            use_transactions=use_transactions,
            collect_failed_rows=collect_failed_rows,
            rollback_on_validation_errors=rollback_on_validation_errors,
            **kwargs,
        )

    def before_import(self, dataset, **kwargs):
        if self.actor is None and kwargs.get("user") is not None:
            self.actor = build_actor(kwargs["user"])
        if self.actor is None:
            raise ValueError("an import needs the actor who runs it")
        super().before_import(dataset, **kwargs)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        dealer_id = getattr(instance, "dealer_id", None)
        if dealer_id is not None and not (
            self.actor.is_platform_admin or dealer_id in self.actor.own_dealers
        ):
            errors["dealer"] = ValidationError(_("You do not work for this dealer."))
        super().validate_instance(instance, errors, validate_unique)

    def do_instance_save(self, instance, is_create):
        try:
            self.save_with_service(instance)
        except QudaoError as exc:
            raise ValidationError(exc.render()) from exc

    def save_with_service(self, instance) -> None:
        raise NotImplementedError


class CategoryResource(CatalogResource):
    dealer = _dealer_field()
    parent = fields.Field(attribute="parent", column_name="parent", widget=DealerCodeWidget(Category))

    class Meta:
        model = Category
        fields = ("dealer", "code", "name", "parent", "sort_order")
        import_id_fields = ("dealer", "code")
        clean_model_instances = True
        skip_unchanged = True

    def save_with_service(self, instance) -> None:
        services.save_category(actor=self.actor, category=instance)


class UnitOfMeasureResource(CatalogResource):
    dealer = _dealer_field()

    class Meta:
        model = UnitOfMeasure
        fields = ("dealer", "code", "name", "decimal_places", "kind")
        import_id_fields = ("dealer", "code")
        clean_model_instances = True
        skip_unchanged = True

    def save_with_service(self, instance) -> None:
        services.save_unit_of_measure(actor=self.actor, unit=instance)


class VehicleModelResource(CatalogResource):
    dealer = _dealer_field()
    brand = fields.Field(attribute="brand", column_name="brand", widget=CompanyCodeWidget(is_brand=True))

    class Meta:
        model = VehicleModel
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
        import_id_fields = ("dealer", "brand", "series", "model_year", "trim")
        clean_model_instances = True
        skip_unchanged = True

    def save_with_service(self, instance) -> None:
        services.save_vehicle_model(actor=self.actor, vehicle_model=instance)


class ItemResource(CatalogResource):
    dealer = _dealer_field()
    brand = fields.Field(attribute="brand", column_name="brand", widget=CompanyCodeWidget(is_brand=True))
    category = fields.Field(attribute="category", column_name="category", widget=DealerCodeWidget(Category))
    base_unit = fields.Field(
        attribute="base_unit", column_name="base_unit", widget=DealerCodeWidget(UnitOfMeasure)
    )
    vehicle_model = fields.Field(
        attribute="vehicle_model", column_name="vehicle_model", widget=VehicleModelWidget()
    )
    attributes = fields.Field(attribute="attributes", column_name="attributes", widget=widgets.JSONWidget())

    class Meta:
        model = Item
        fields = (
            "dealer",
            "sku",
            "name",
            "kind",
            "brand",
            "category",
            "base_unit",
            "tracking",
            "has_expiry",
            "shelf_life_days",
            "tax_rate",
            "list_price",
            "weight_kg",
            "currency",
            "attributes",
            "vehicle_model",
            "is_active",
        )
        import_id_fields = ("dealer", "sku")
        clean_model_instances = True
        skip_unchanged = True

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if instance.attributes is None:
            instance.attributes = {}

    def save_with_service(self, instance) -> None:
        services.save_item(actor=self.actor, item=instance)


class ItemUnitResource(CatalogResource):
    dealer = _dealer_field()
    item = fields.Field(attribute="item", column_name="item", widget=DealerCodeWidget(Item, "sku"))
    unit = fields.Field(attribute="unit", column_name="unit", widget=DealerCodeWidget(UnitOfMeasure))

    class Meta:
        model = ItemUnit
        fields = ("dealer", "item", "unit", "factor", "is_purchase_default", "is_sales_default")
        import_id_fields = ("dealer", "item", "unit")
        clean_model_instances = True
        skip_unchanged = True

    def save_with_service(self, instance) -> None:
        services.save_item_unit(actor=self.actor, item_unit=instance)


class BarcodeResource(CatalogResource):
    dealer = _dealer_field()
    item = fields.Field(attribute="item", column_name="item", widget=DealerCodeWidget(Item, "sku"))
    unit = fields.Field(attribute="unit", column_name="unit", widget=DealerCodeWidget(UnitOfMeasure))

    class Meta:
        model = Barcode
        fields = ("dealer", "code", "kind", "item", "unit")
        import_id_fields = ("dealer", "code")
        clean_model_instances = True
        skip_unchanged = True

    def save_with_service(self, instance) -> None:
        services.save_barcode(actor=self.actor, barcode=instance)


class SupersessionResource(CatalogResource):
    dealer = _dealer_field()
    old_item = fields.Field(
        attribute="old_item", column_name="old_item", widget=DealerCodeWidget(Item, "sku")
    )
    new_item = fields.Field(
        attribute="new_item", column_name="new_item", widget=DealerCodeWidget(Item, "sku")
    )

    class Meta:
        model = Supersession
        fields = ("dealer", "old_item", "new_item", "effective_from", "factor", "note")
        import_id_fields = ("dealer", "old_item", "effective_from")
        clean_model_instances = True
        skip_unchanged = True

    def save_with_service(self, instance) -> None:
        services.save_supersession(actor=self.actor, supersession=instance)
