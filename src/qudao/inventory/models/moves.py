"""The stock ledger: append-only moves. Nothing changes stock except a move."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qudao.core.money import UnitPriceField
from qudao.core.quantity import QuantityField
from qudao.core.scoping import ScopeSpec
from qudao.inventory.choices import MoveState, MoveType
from qudao.inventory.states import MOVE_MACHINE


class StockMove(models.Model):
    """One quantity of one item going from one location to another, in the item's base unit.

    A done move is never updated (the services have no update path; a mistake is corrected by a
    reversing move). No simple-history table: the ledger *is* the audit trail (who, when, why).
    """

    dealer = models.ForeignKey(
        "org.Company", on_delete=models.PROTECT, related_name="+", verbose_name=_("dealer")
    )
    site = models.ForeignKey(
        "org.Site",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("site"),
        help_text=_("The site whose stock the move changes (the internal side)."),
    )
    item = models.ForeignKey(
        "catalog.Item", on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    quantity = QuantityField(_("quantity (base unit)"))
    from_location = models.ForeignKey(
        "inventory.Location", on_delete=models.PROTECT, related_name="+", verbose_name=_("from location")
    )
    to_location = models.ForeignKey(
        "inventory.Location", on_delete=models.PROTECT, related_name="+", verbose_name=_("to location")
    )
    lot = models.ForeignKey(
        "inventory.Lot",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lot"),
    )
    serial = models.ForeignKey(
        "inventory.Serial",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("serial"),
    )
    move_type = models.CharField(_("type"), max_length=16, choices=MoveType.choices, db_index=True)
    state = models.CharField(_("state"), max_length=12, choices=MoveState.choices, default=MoveState.DRAFT)
    reference_type = models.CharField(_("reference type"), max_length=60, blank=True)
    reference_id = models.BigIntegerField(_("reference id"), null=True, blank=True)
    reference_line_id = models.BigIntegerField(_("reference line id"), null=True, blank=True)
    document_number = models.CharField(_("document number"), max_length=40, blank=True)
    reason = models.CharField(_("reason"), max_length=20, blank=True)
    planned_date = models.DateField(_("planned date"), null=True, blank=True)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    unit_cost = UnitPriceField(_("unit cost"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    state_machine = MOVE_MACHINE
    scope_spec = ScopeSpec(dealer="dealer", site="site")

    class Meta:
        verbose_name = _("stock move")
        verbose_name_plural = _("stock moves")
        ordering = ["-id"]
        permissions = [
            ("add_receipt", _("Can receive stock")),
            ("add_issue", _("Can issue stock")),
            ("add_adjustment", _("Can adjust stock")),
            ("add_scrap", _("Can scrap stock")),
            ("view_reconciliation", _("Can reconcile stock levels with the ledger")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="inventory_move_quantity_positive"),
            models.CheckConstraint(
                condition=~Q(from_location=models.F("to_location")), name="inventory_move_two_locations"
            ),
            models.CheckConstraint(
                condition=~Q(state=MoveState.DONE) | Q(done_at__isnull=False, effective_date__isnull=False),
                name="inventory_move_done_dated",
            ),
        ]
        indexes = [
            models.Index(fields=["item", "state", "effective_date"], name="inventory_move_item_idx"),
            models.Index(fields=["dealer", "site", "effective_date"], name="inventory_move_site_idx"),
            models.Index(fields=["reference_type", "reference_id"], name="inventory_move_ref_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_move_type_display()} {self.quantity} #{self.pk}"
