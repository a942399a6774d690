"""Returns: a customer sends delivered goods back. A request lists order lines and quantities (at most
delivered − returned); a manager approves it; the receipt puts each line back into stock, into
quarantine or to scrap; finance credits what had been invoiced."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from qudao.core.models import DealerOwnedModel
from qudao.core.money import MoneyField, UnitPriceField
from qudao.core.quantity import QuantityField
from qudao.core.scoping import ScopeSpec
from qudao.sales.states_fulfilment import RETURN_MACHINE, ReturnDisposition, ReturnState


def _user(label):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=label,
    )


class ReturnRequest(DealerOwnedModel):
    number = models.CharField(_("number"), max_length=40, editable=False)
    order = models.ForeignKey(
        "sales.SalesOrder", on_delete=models.PROTECT, related_name="returns", verbose_name=_("order")
    )
    customer = models.ForeignKey(
        "parties.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    site = models.ForeignKey(
        "org.Site", on_delete=models.PROTECT, related_name="+", verbose_name=_("receiving site")
    )
    state = models.CharField(
        _("state"), max_length=12, choices=ReturnState.choices, default=ReturnState.REQUESTED
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)
    amount = MoneyField(_("amount (tax incl.)"), default=0)
    #: what finance credited for it (credit note numbers), filled by finance
    credit_notes = models.JSONField(_("credit notes"), default=list, blank=True, editable=False)
    requested_by = _user(_("requested by"))
    decided_by = _user(_("approved or rejected by"))
    received_by = _user(_("received by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("credited or closed at"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    state_machine = RETURN_MACHINE
    scope_spec = ScopeSpec(dealer="dealer", site="site")

    class Meta:
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        ordering = ["-id"]
        permissions = [("approve_returnrequest", _("Can approve or reject returns"))]
        constraints = [
            models.UniqueConstraint(fields=["dealer", "number"], name="sales_return_number_unique"),
        ]
        indexes = [models.Index(fields=["dealer", "state", "-id"], name="sales_return_state_idx")]

    def __str__(self) -> str:
        return self.number


class ReturnLine(DealerOwnedModel):
    request = models.ForeignKey(
        ReturnRequest, on_delete=models.CASCADE, related_name="lines", verbose_name=_("return")
    )
    order_line = models.ForeignKey(
        "sales.SalesOrderLine",
        on_delete=models.PROTECT,
        related_name="return_lines",
        verbose_name=_("order line"),
    )
    item = models.ForeignKey(
        "catalog.Item", on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    quantity = QuantityField(_("quantity (base unit)"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    disposition = models.CharField(
        _("disposition"), max_length=12, choices=ReturnDisposition.choices, default=ReturnDisposition.RESTOCK
    )
    lot = models.ForeignKey(
        "inventory.Lot",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lot"),
    )
    unit_price = UnitPriceField(_("unit price"), default=0)
    amount = MoneyField(_("amount (tax incl.)"), default=0)
    #: set at receipt: the part of the quantity that had been invoiced (finance credits it); the rest
    #: was never invoiced and is taken off what the order line may still be invoiced for
    credit_quantity = QuantityField(_("to credit"), default=0)

    scope_spec = ScopeSpec(dealer="dealer", site="request__site")

    class Meta:
        verbose_name = _("return line")
        verbose_name_plural = _("return lines")
        ordering = ["request_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0)
                & Q(credit_quantity__gte=0)
                & Q(credit_quantity__lte=F("quantity")),
                name="sales_return_line_quantities",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}/{self.pk}"
