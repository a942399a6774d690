"""Items (vehicles, parts, goods, services) and the units each is bought and sold in."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qudao.catalog.choices import ItemKind, Tracking
from qudao.catalog.models._common import other_dealer_error, validate_brand, validate_positive
from qudao.catalog.policies import attribute_errors, default_tax_rate, item_rule_errors
from qudao.core.models import DealerOwnedModel
from qudao.core.money import RATE_PLACES, CurrencyField, UnitPriceField
from qudao.core.scoping import ScopeSpec

MAX_TAX_RATE = Decimal("0.9999")


class Item(DealerOwnedModel):
    sku = models.CharField(_("SKU"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=8, choices=ItemKind.choices, db_index=True)
    brand = models.ForeignKey(
        "org.Company",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("brand"),
    )
    category = models.ForeignKey(
        "catalog.Category",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
        verbose_name=_("category"),
    )
    base_unit = models.ForeignKey(
        "catalog.UnitOfMeasure",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("base unit"),
        help_text=_("The unit stock is counted in. It cannot change once the item exists."),
    )
    tracking = models.CharField(_("tracking"), max_length=8, choices=Tracking.choices, default=Tracking.NONE)
    has_expiry = models.BooleanField(
        _("expires"), default=False, help_text=_("Lots carry an expiry date computed from the shelf life.")
    )
    shelf_life_days = models.PositiveIntegerField(_("shelf life (days)"), null=True, blank=True)
    tax_rate = models.DecimalField(
        _("VAT rate"),
        max_digits=5,
        decimal_places=RATE_PLACES,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_TAX_RATE)],
        # xgettext:no-python-format
        help_text=_("e.g. 0.1300. Empty: 13% for goods, parts and vehicles, 6% for services."),
    )
    list_price = UnitPriceField(
        _("list price"), null=True, blank=True, validators=[MinValueValidator(Decimal(0))]
    )
    currency = CurrencyField(_("currency"))
    weight_kg = models.DecimalField(
        _("weight (kg)"),
        max_digits=10,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Gross weight of one base unit; used for shipping costs when orders are allocated."),
    )
    attributes = models.JSONField(
        _("attributes"),
        default=dict,
        blank=True,
        help_text=_('Name → text, number or true/false, e.g. {"volume_ml": 500}.'),
    )
    vehicle_model = models.ForeignKey(
        "catalog.VehicleModel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
        verbose_name=_("vehicle model"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()
    scope_spec = ScopeSpec(dealer="dealer")

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["dealer_id", "sku"]
        constraints = [
            models.UniqueConstraint(fields=["dealer", "sku"], name="catalog_item_sku_unique"),
            models.CheckConstraint(
                condition=Q(tax_rate__gte=0, tax_rate__lt=1), name="catalog_item_tax_rate_range"
            ),
            models.CheckConstraint(
                condition=Q(list_price__isnull=True) | Q(list_price__gte=0),
                name="catalog_item_list_price_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(weight_kg__isnull=True) | Q(weight_kg__gte=0),
                name="catalog_item_weight_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(kind=ItemKind.VEHICLE)
                | Q(tracking=Tracking.SERIAL, vehicle_model__isnull=False),
                name="catalog_item_vehicle_by_vin",
            ),
            models.CheckConstraint(
                condition=Q(kind=ItemKind.VEHICLE) | Q(vehicle_model__isnull=True),
                name="catalog_item_model_only_for_vehicles",
            ),
            models.CheckConstraint(
                condition=~Q(kind=ItemKind.SERVICE) | Q(tracking=Tracking.NONE, has_expiry=False),
                name="catalog_item_service_untracked",
            ),
            models.CheckConstraint(
                condition=Q(has_expiry=False, shelf_life_days__isnull=True)
                | Q(has_expiry=True, tracking=Tracking.LOT, shelf_life_days__gt=0),
                name="catalog_item_expiry_by_lot",
            ),
        ]
        indexes = [models.Index(fields=["dealer", "is_active", "kind"], name="catalog_item_active_kind_idx")]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, ValidationError | list] = {}
        for field in ("category", "base_unit", "vehicle_model"):
            if getattr(self, f"{field}_id"):
                error = other_dealer_error(self, getattr(self, field))
                if error is not None:
                    errors[field] = error
        brand = self.brand if self.brand_id else None
        if (error := validate_brand(brand)) is not None:
            errors["brand"] = error
        if self.vehicle_model_id and "vehicle_model" not in errors:
            model_brand_id = self.vehicle_model.brand_id
            if self.brand_id is None:
                self.brand_id = model_brand_id
            elif self.brand_id != model_brand_id:
                errors["brand"] = ValidationError(
                    _("The brand differs from the vehicle model's brand."), code="brand_mismatch"
                )
        if self.tax_rate is None and self.kind:
            self.tax_rate = default_tax_rate(self.kind)
        if self.kind:
            rules = item_rule_errors(
                kind=self.kind,
                tracking=self.tracking,
                has_expiry=self.has_expiry,
                shelf_life_days=self.shelf_life_days,
                has_vehicle_model=self.vehicle_model_id is not None,
            )
            for field, message in rules.items():
                errors.setdefault(field, ValidationError(message, code="item_rule"))
            if (
                self.pk
                and self.kind != ItemKind.PART
                and (self.superseded_by.exists() or self.supersedes.exists())
            ):
                errors.setdefault(
                    "kind",
                    ValidationError(
                        _("This part is in a supersession chain: it must stay a part."), code="item_rule"
                    ),
                )
        problems = attribute_errors(self.attributes)
        if problems:
            errors["attributes"] = [
                ValidationError(f"{key}: {message}" if key else message, code="invalid_attribute")
                for key, message in problems
            ]
        if errors:
            raise ValidationError(errors)


class ItemUnit(DealerOwnedModel):
    """One unit an item is handled in, with how many base units it holds (1 case = 24 each)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="units", verbose_name=_("item"))
    unit = models.ForeignKey(
        "catalog.UnitOfMeasure", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    factor = models.DecimalField(
        _("factor"),
        max_digits=20,
        decimal_places=6,
        validators=[validate_positive],
        help_text=_("How many base units one of this unit holds."),
    )
    is_purchase_default = models.BooleanField(_("default for purchasing"), default=False)
    is_sales_default = models.BooleanField(_("default for sales"), default=False)

    history = HistoricalRecords()
    scope_spec = ScopeSpec(dealer="dealer")

    class Meta:
        verbose_name = _("item unit")
        verbose_name_plural = _("item units")
        ordering = ["item_id", "factor", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "unit"], name="catalog_item_unit_unique"),
            models.CheckConstraint(condition=Q(factor__gt=0), name="catalog_item_unit_factor_positive"),
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(is_purchase_default=True),
                name="catalog_item_unit_one_purchase_default",
            ),
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(is_sales_default=True),
                name="catalog_item_unit_one_sales_default",
            ),
        ]

    def __str__(self) -> str:
        factor = "?" if self.factor is None else format(self.factor.normalize(), "f")
        return f"{self.unit} = {factor}"

    @property
    def is_base(self) -> bool:
        return self.item_id is not None and self.unit_id == self.item.base_unit_id

    def validate_constraints(self, exclude=None):
        # a new default takes over from the previous one (the service clears it), so marking it is
        # not a violation of the one-default constraints; the database still guarantees them
        super().validate_constraints(exclude={*(exclude or ()), "is_purchase_default", "is_sales_default"})

    def clean(self) -> None:
        super().clean()
        if self.item_id:
            self.dealer_id = self.item.dealer_id
        errors: dict[str, ValidationError] = {}
        if self.unit_id and (error := other_dealer_error(self, self.unit)) is not None:
            errors["unit"] = error
        if self.item_id and self.is_base and self.factor is not None and self.factor != 1:
            errors["factor"] = ValidationError(
                _("The base unit holds exactly one base unit."), code="base_factor"
            )
        if errors:
            raise ValidationError(errors)
