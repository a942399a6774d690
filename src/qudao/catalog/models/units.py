"""Units of measure: each, pack, case, pallet, litre, kilogram… and how a quantity in each is rounded."""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qudao.catalog.choices import UnitKind
from qudao.core.models import DealerOwnedModel
from qudao.core.quantity import QUANTITY_PLACES
from qudao.core.scoping import ScopeSpec


class UnitOfMeasure(DealerOwnedModel):
    code = models.CharField(_("code"), max_length=16, help_text=_("e.g. EA, PK, CS, PL, L, KG"))
    name = models.CharField(_("name"), max_length=60)
    decimal_places = models.PositiveSmallIntegerField(
        _("decimal places"),
        default=0,
        validators=[MaxValueValidator(QUANTITY_PLACES)],
        help_text=_("How a quantity in this unit is rounded: 0 for each or case, up to 3 for kg or litre."),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=UnitKind.choices, default=UnitKind.COUNT)

    history = HistoricalRecords()
    scope_spec = ScopeSpec(dealer="dealer")

    class Meta:
        verbose_name = _("unit of measure")
        verbose_name_plural = _("units of measure")
        ordering = ["dealer_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["dealer", "code"], name="catalog_uom_code_unique"),
            models.CheckConstraint(
                condition=Q(decimal_places__lte=QUANTITY_PLACES), name="catalog_uom_decimal_places_range"
            ),
        ]

    def __str__(self) -> str:
        return self.code
