"""Stock levels (one row per item, location, lot) and the reservations that hold part of them."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from qudao.core.models import DealerOwnedModel
from qudao.core.quantity import QuantityField
from qudao.core.scoping import ScopeSpec
from qudao.inventory.choices import ReservationState
from qudao.inventory.states import RESERVATION_MACHINE


class StockLevel(DealerOwnedModel):
    """On hand and reserved of one item at one location (and lot), kept in the moves' transaction.

    Nothing is ever reserved at a virtual location (whose on hand may be negative), so "reserved ≤
    on hand" reads "or virtual with nothing reserved".

    Uniqueness with a nullable lot: two partial unique constraints — (item, location, lot) where
    the lot is set, (item, location) where it is not. A sentinel lot would put a fake row in every
    lot list and a fake FK in the ledger; partial unique indexes are supported by PostgreSQL and
    SQLite alike, and `INSERT … ON CONFLICT DO NOTHING` honours both. `is_virtual` is copied from the
    location so that a CHECK constraint can allow virtual locations (supplier, customer) to go
    negative while a real shelf never can.

    No simple-history table: every change of a level is a move in the ledger.
    """

    item = models.ForeignKey(
        "catalog.Item", on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    location = models.ForeignKey(
        "inventory.Location", on_delete=models.PROTECT, related_name="levels", verbose_name=_("location")
    )
    lot = models.ForeignKey(
        "inventory.Lot",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lot"),
    )
    site = models.ForeignKey(
        "org.Site", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("site")
    )
    is_virtual = models.BooleanField(_("virtual"), default=False)
    on_hand = QuantityField(_("on hand"), default=0)
    reserved = QuantityField(_("reserved"), default=0)

    scope_spec = ScopeSpec(dealer="dealer", site="site")

    class Meta:
        verbose_name = _("stock level")
        verbose_name_plural = _("stock levels")
        ordering = ["item_id", "location_id", "lot_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "location", "lot"],
                condition=Q(lot__isnull=False),
                name="inventory_level_lot_unique",
            ),
            models.UniqueConstraint(
                fields=["item", "location"],
                condition=Q(lot__isnull=True),
                name="inventory_level_nolot_unique",
            ),
            models.CheckConstraint(
                condition=Q(reserved__gte=0), name="inventory_level_reserved_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(reserved__lte=F("on_hand")) | Q(is_virtual=True, reserved=0),
                name="inventory_level_reserved_within_on_hand",
            ),
            models.CheckConstraint(
                condition=Q(is_virtual=True) | Q(on_hand__gte=0), name="inventory_level_on_hand_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["dealer", "site", "item"], name="inventory_level_site_item_idx")]

    def __str__(self) -> str:
        return f"{self.item_id}@{self.location_id}: {self.on_hand}"


class Reservation(DealerOwnedModel):
    """A quantity set aside at one location (and lot/serial) for one document line."""

    item = models.ForeignKey(
        "catalog.Item", on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    site = models.ForeignKey("org.Site", on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    location = models.ForeignKey(
        "inventory.Location", on_delete=models.PROTECT, related_name="+", verbose_name=_("location")
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
    quantity = QuantityField(_("quantity (base unit)"))
    reference_type = models.CharField(_("reference type"), max_length=60)
    reference_id = models.BigIntegerField(_("reference id"))
    reference_line_id = models.BigIntegerField(_("reference line id"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=ReservationState.choices, default=ReservationState.ACTIVE
    )

    state_machine = RESERVATION_MACHINE
    scope_spec = ScopeSpec(dealer="dealer", site="site")

    class Meta:
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="inventory_reservation_quantity_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["reference_type", "reference_id", "state"], name="inventory_resv_ref_idx"),
            models.Index(fields=["item", "location", "state"], name="inventory_resv_level_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference_type}#{self.reference_id}: {self.quantity}"
