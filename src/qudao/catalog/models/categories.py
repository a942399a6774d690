"""Item categories: a tree per dealer with a materialised path for one-query subtrees."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qudao.catalog.models._common import other_dealer_error
from qudao.catalog.policies import MAX_CATEGORY_DEPTH, is_within, path_depth
from qudao.core.models import DealerOwnedModel
from qudao.core.scoping import ScopeSpec


class Category(DealerOwnedModel):
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=120)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent category"),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    path = models.CharField(
        _("path"),
        max_length=255,
        editable=False,
        default="",
        help_text=_("Ids from the root down, e.g. /12/37/: kept by the catalog services."),
    )

    # the path is derived from the parent: the parent's history already tells the story
    history = HistoricalRecords(excluded_fields=["path"])
    scope_spec = ScopeSpec(dealer="dealer")

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["dealer_id", "path"]
        constraints = [
            models.UniqueConstraint(fields=["dealer", "code"], name="catalog_category_code_unique"),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="catalog_category_not_own_parent"),
        ]
        indexes = [
            # LIKE 'prefix%' on PostgreSQL needs the pattern operator class (ignored on SQLite)
            models.Index(
                fields=["path"], name="catalog_category_path_idx", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def depth(self) -> int:
        return path_depth(self.path)

    def subtree_height(self) -> int:
        """Levels from this category down to its deepest descendant (1 for a leaf)."""
        if not self.pk or not self.path:
            return 1
        paths = Category.objects.filter(dealer_id=self.dealer_id, path__startswith=self.path).values_list(
            "path", flat=True
        )
        return max((path_depth(p) for p in paths), default=self.depth) - self.depth + 1

    def clean(self) -> None:
        super().clean()
        parent = self.parent if self.parent_id else None
        if parent is None:
            return
        error = other_dealer_error(self, parent)
        if error is None and self.pk and (parent.pk == self.pk or is_within(parent.path, self.path)):
            error = ValidationError(
                _("A category cannot be moved under itself or one of its subcategories."),
                code="category_cycle",
            )
        if error is None and path_depth(parent.path) + self.subtree_height() > MAX_CATEGORY_DEPTH:
            error = ValidationError(
                _("Categories are at most %(max)d levels deep."),
                code="category_too_deep",
                params={"max": MAX_CATEGORY_DEPTH},
            )
        if error is not None:
            raise ValidationError({"parent": error})
