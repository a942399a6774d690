"""Vehicle models: brand, series, model year, trim and powertrain of the vehicles a dealer sells."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qudao.catalog.choices import Powertrain
from qudao.catalog.models._common import validate_brand
from qudao.core.models import DealerOwnedModel
from qudao.core.money import CurrencyField, MoneyField
from qudao.core.scoping import ScopeSpec

MIN_MODEL_YEAR = 1950
MAX_MODEL_YEAR = 2100


class VehicleModel(DealerOwnedModel):
    # a brand company (checked by clean(); the console lists brands only)
    brand = models.ForeignKey(
        "org.Company", on_delete=models.PROTECT, related_name="+", verbose_name=_("brand")
    )
    series = models.CharField(_("series"), max_length=80, help_text=_("e.g. Model Y, 汉, Camry"))
    model_year = models.PositiveSmallIntegerField(
        _("model year"), validators=[MinValueValidator(MIN_MODEL_YEAR), MaxValueValidator(MAX_MODEL_YEAR)]
    )
    trim = models.CharField(_("trim"), max_length=80, blank=True)
    powertrain = models.CharField(_("powertrain"), max_length=8, choices=Powertrain.choices)
    msrp = MoneyField(_("MSRP"), null=True, blank=True, validators=[MinValueValidator(Decimal(0))])
    currency = CurrencyField(_("currency"))
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()
    scope_spec = ScopeSpec(dealer="dealer")

    class Meta:
        verbose_name = _("vehicle model")
        verbose_name_plural = _("vehicle models")
        ordering = ["dealer_id", "brand_id", "series", "-model_year", "trim"]
        constraints = [
            models.UniqueConstraint(
                fields=["dealer", "brand", "series", "model_year", "trim"],
                name="catalog_vehicle_model_unique",
            ),
            models.CheckConstraint(
                condition=Q(model_year__gte=MIN_MODEL_YEAR, model_year__lte=MAX_MODEL_YEAR),
                name="catalog_vehicle_model_year_range",
            ),
            models.CheckConstraint(
                condition=Q(msrp__isnull=True) | Q(msrp__gte=0),
                name="catalog_vehicle_model_msrp_not_negative",
            ),
        ]

    def __str__(self) -> str:
        brand = self.brand if self.brand_id else ""
        return " ".join(str(part) for part in (brand, self.series, self.model_year, self.trim) if part)

    def clean(self) -> None:
        super().clean()
        if self.brand_id and (error := validate_brand(self.brand)) is not None:
            raise ValidationError({"brand": error})
