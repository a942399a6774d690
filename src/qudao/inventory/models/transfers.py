"""Transfers between two sites of a dealer: shipped into the in-transit location, received (in parts)."""

from __future__ import annotations

from types import SimpleNamespace

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qudao.core.models import DealerOwnedModel, TimeStampedModel
from qudao.core.quantity import QuantityField
from qudao.core.scoping import Actor, ScopeSpec, scope_q
from qudao.inventory.states import TRANSFER_MACHINE, TransferState


def _either_site(prefix: str):
    """A transfer is visible (and writable) at both of its sites: shipping and receiving."""
    by_from = SimpleNamespace(scope_spec=ScopeSpec(dealer=f"{prefix}dealer", site=f"{prefix}from_site"))
    by_to = SimpleNamespace(scope_spec=ScopeSpec(dealer=f"{prefix}dealer", site=f"{prefix}to_site"))

    def custom(queryset: models.QuerySet, actor: Actor, for_write: bool) -> models.QuerySet:
        first = scope_q(by_from, actor, for_write=for_write)
        if first is None:
            return queryset
        return queryset.filter(first | scope_q(by_to, actor, for_write=for_write)).distinct()

    return custom


class Transfer(DealerOwnedModel):
    """Stock going from one site of the dealer to another. While shipped it sits in the dealer's
    virtual in-transit location; the ledger (moves referencing the transfer) is the truth of what
    was shipped, received and lost."""

    number = models.CharField(_("number"), max_length=40, editable=False)
    from_site = models.ForeignKey(
        "org.Site", on_delete=models.PROTECT, related_name="+", verbose_name=_("from site")
    )
    to_site = models.ForeignKey(
        "org.Site", on_delete=models.PROTECT, related_name="+", verbose_name=_("to site")
    )
    state = models.CharField(
        _("state"), max_length=20, choices=TransferState.choices, default=TransferState.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    note = models.CharField(_("note"), max_length=500, blank=True)
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True, editable=False)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)

    history = HistoricalRecords()
    state_machine = TRANSFER_MACHINE
    scope_spec = ScopeSpec(custom=_either_site(""))

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["dealer", "number"], name="inventory_transfer_number_unique"),
            models.CheckConstraint(
                condition=~Q(from_site=models.F("to_site")), name="inventory_transfer_two_sites"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class TransferLine(TimeStampedModel):
    """One item of a transfer, in the item's base unit. The lot (optional) restricts what is shipped;
    serials name the units to ship (empty: chosen at shipping, FEFO)."""

    transfer = models.ForeignKey(
        Transfer, on_delete=models.CASCADE, related_name="lines", verbose_name=_("transfer")
    )
    item = models.ForeignKey(
        "catalog.Item", on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    quantity = QuantityField(_("quantity (base unit)"))
    lot = models.ForeignKey(
        "inventory.Lot",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lot"),
    )
    serials = models.JSONField(_("serial numbers"), default=list, blank=True)
    shipped_quantity = QuantityField(_("shipped"), default=0)
    received_quantity = QuantityField(_("received"), default=0)

    history = HistoricalRecords()
    scope_spec = ScopeSpec(custom=_either_site("transfer__"))

    class Meta:
        verbose_name = _("transfer line")
        verbose_name_plural = _("transfer lines")
        ordering = ["transfer_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="inventory_transferline_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(received_quantity__lte=models.F("shipped_quantity")),
                name="inventory_transferline_received_within_shipped",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.transfer_id}/{self.item_id}: {self.quantity}"


class DiscrepancyKind(models.TextChoices):
    SHORT = "short", _("Short (lost in transit)")
    OVER = "over", _("Over (more arrived)")
    DAMAGED = "damaged", _("Damaged in transit")


class TransferDiscrepancy(TimeStampedModel):
    """A difference found when a transfer is closed; its quantity was moved by an adjustment."""

    line = models.ForeignKey(
        TransferLine, on_delete=models.CASCADE, related_name="discrepancies", verbose_name=_("line")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=DiscrepancyKind.choices)
    quantity = QuantityField(_("quantity (base unit)"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    history = HistoricalRecords()
    scope_spec = ScopeSpec(custom=_either_site("line__transfer__"))

    class Meta:
        verbose_name = _("transfer discrepancy")
        verbose_name_plural = _("transfer discrepancies")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="inventory_discrepancy_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity}"
