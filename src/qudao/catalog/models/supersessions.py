"""Part supersessions: from a date, an old part number is replaced by a new one (possibly n for 1)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qudao.catalog.choices import ItemKind
from qudao.catalog.models._common import other_dealer_error, validate_positive
from qudao.catalog.policies import creates_cycle
from qudao.core.models import DealerOwnedModel
from qudao.core.scoping import ScopeSpec


class Supersession(DealerOwnedModel):
    old_item = models.ForeignKey(
        "catalog.Item", on_delete=models.PROTECT, related_name="superseded_by", verbose_name=_("old part")
    )
    new_item = models.ForeignKey(
        "catalog.Item", on_delete=models.PROTECT, related_name="supersedes", verbose_name=_("new part")
    )
    effective_from = models.DateField(_("effective from"))
    factor = models.DecimalField(
        _("factor"),
        max_digits=20,
        decimal_places=6,
        default=1,
        validators=[validate_positive],
        help_text=_("How many of the new part replace one old part."),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    history = HistoricalRecords()
    scope_spec = ScopeSpec(dealer="dealer")

    class Meta:
        verbose_name = _("part supersession")
        verbose_name_plural = _("part supersessions")
        ordering = ["dealer_id", "old_item_id", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["old_item", "effective_from"], name="catalog_supersession_unique"
            ),
            models.CheckConstraint(
                condition=~Q(old_item=F("new_item")), name="catalog_supersession_not_self"
            ),
            models.CheckConstraint(condition=Q(factor__gt=0), name="catalog_supersession_factor_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.old_item} → {self.new_item}"

    @classmethod
    def edges_reachable_from(
        cls, dealer_id: int, item_id: int, *, exclude_pk: int | None = None
    ) -> list[tuple[int, int]]:
        """(old, new) pairs reachable from `item_id`, one query per level of the chain."""
        edges: list[tuple[int, int]] = []
        frontier, seen = {item_id}, {item_id}
        while frontier:
            level = list(
                cls.objects.filter(dealer_id=dealer_id, old_item_id__in=sorted(frontier))
                .exclude(pk=exclude_pk)
                .values_list("old_item_id", "new_item_id")
            )
            edges.extend(level)
            frontier = {new for _old, new in level if new not in seen}
            seen |= frontier
        return edges

    def clean(self) -> None:
        super().clean()
        errors: dict[str, ValidationError] = {}
        for field in ("old_item", "new_item"):
            if not getattr(self, f"{field}_id"):
                continue
            item = getattr(self, field)
            if self.dealer_id is None:
                self.dealer_id = item.dealer_id
            error = other_dealer_error(self, item)
            if error is None and item.kind != ItemKind.PART:
                error = ValidationError(_("Only parts are superseded."), code="not_a_part")
            if error is not None:
                errors[field] = error
        if not errors and self.old_item_id and self.new_item_id:
            if self.old_item_id == self.new_item_id:
                errors["new_item"] = ValidationError(
                    _("A part cannot supersede itself."), code="supersession_cycle"
                )
            elif creates_cycle(
                Supersession.edges_reachable_from(self.dealer_id, self.new_item_id, exclude_pk=self.pk),
                self.old_item_id,
                self.new_item_id,
            ):
                errors["new_item"] = ValidationError(
                    _("This supersession would make a loop: the new part already leads back to the old one."),
                    code="supersession_cycle",
                )
        if errors:
            raise ValidationError(errors)
