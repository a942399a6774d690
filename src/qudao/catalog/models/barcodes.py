"""Barcodes: which item and which packaging a scanned code stands for (a case EAN is not a unit EAN)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qudao.catalog.choices import BarcodeKind
from qudao.catalog.models._common import other_dealer_error
from qudao.catalog.policies import BARCODE_MAX_LENGTH, barcode_error, normalize_barcode
from qudao.core.models import DealerOwnedModel
from qudao.core.scoping import ScopeSpec


class Barcode(DealerOwnedModel):
    item = models.ForeignKey(
        "catalog.Item", on_delete=models.CASCADE, related_name="barcodes", verbose_name=_("item")
    )
    unit = models.ForeignKey(
        "catalog.UnitOfMeasure",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit"),
        help_text=_("The packaging this code identifies."),
    )
    code = models.CharField(_("code"), max_length=BARCODE_MAX_LENGTH)
    kind = models.CharField(_("kind"), max_length=8, choices=BarcodeKind.choices)
    normalized = models.CharField(
        _("lookup key"),
        max_length=BARCODE_MAX_LENGTH,
        editable=False,
        help_text=_("GTINs as 14 digits, so that a UPC-A and its EAN-13 form find the same item."),
    )

    history = HistoricalRecords()
    scope_spec = ScopeSpec(dealer="dealer")

    class Meta:
        verbose_name = _("barcode")
        verbose_name_plural = _("barcodes")
        ordering = ["dealer_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["dealer", "code"], name="catalog_barcode_code_unique"),
            models.UniqueConstraint(
                fields=["dealer", "normalized"], name="catalog_barcode_normalized_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs):
        # the lookup key is derived from the code: never out of step with it
        self.normalized = normalize_barcode(self.code, self.kind)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "normalized"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, ValidationError] = {}
        if self.item_id and self.dealer_id is None:
            self.dealer_id = self.item.dealer_id
        if self.code and self.kind:
            message = barcode_error(self.code, self.kind)
            if message:
                errors["code"] = ValidationError(message, code="invalid_barcode")
            self.normalized = normalize_barcode(self.code, self.kind)
            if (
                not errors
                and self.dealer_id
                and Barcode.objects.filter(dealer_id=self.dealer_id, normalized=self.normalized)
                .exclude(pk=self.pk)
                .exists()
            ):
                errors["code"] = ValidationError(
                    _("This code (or the same GTIN written another way) is already used."), code="duplicate"
                )
        if self.item_id and (error := other_dealer_error(self, self.item)) is not None:
            errors["item"] = error
        elif self.unit_id and "code" not in errors:
            # the console's inline passes the units being added in the same submission
            allowed = getattr(self, "allowed_unit_ids", None)
            if allowed is None and self.item_id:
                allowed = {self.item.base_unit_id, *self.item.units.values_list("unit_id", flat=True)}
            if allowed is not None and self.unit_id not in allowed:
                errors["unit"] = ValidationError(
                    _("Add this unit to the item (with its factor) before giving it a barcode."),
                    code="unit_not_convertible",
                )
        if errors:
            raise ValidationError(errors)
