"""Payments received from customers and their allocation to invoices."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from qudao.core.models import DealerOwnedModel
from qudao.core.money import CurrencyField, MoneyField
from qudao.core.scoping import ScopeSpec
from qudao.finance.models._fields import user_fk
from qudao.finance.models.invoices import Invoice
from qudao.finance.states import PAYMENT_MACHINE, PaymentMethod, PaymentState


class Payment(DealerOwnedModel):
    """Money received from a customer. Σ allocations ≤ amount; the rest stays unallocated (a credit)."""

    number = models.CharField(_("number"), max_length=40, editable=False)
    customer = models.ForeignKey(
        "parties.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    currency = CurrencyField(_("currency"))
    payment_date = models.DateField(_("payment date"))
    method = models.CharField(_("method"), max_length=8, choices=PaymentMethod.choices)
    amount = MoneyField(_("amount"))
    allocated_amount = MoneyField(_("allocated"), default=0)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=PaymentState.choices, default=PaymentState.RECEIVED
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    rebate_entry_id = models.BigIntegerField(_("rebate ledger entry"), null=True, blank=True, editable=False)
    reversed_on = models.DateField(_("reversed on"), null=True, blank=True, editable=False)
    reversal_reason = models.CharField(_("reversal reason"), max_length=300, blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_by = user_fk(_("created by"))

    state_machine = PAYMENT_MACHINE
    scope_spec = ScopeSpec(dealer="dealer")

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-id"]
        permissions = [("reverse_payment", _("Can reverse payments"))]
        constraints = [
            models.UniqueConstraint(fields=["dealer", "number"], name="finance_payment_number_unique"),
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(allocated_amount__gte=0) & Q(allocated_amount__lte=F("amount")),
                name="finance_payment_allocated_within",
            ),
        ]
        indexes = [
            models.Index(fields=["dealer", "-id"], name="finance_payment_dealer_idx"),
            models.Index(fields=["dealer", "customer", "payment_date"], name="finance_payment_cust_idx"),
            models.Index(fields=["dealer", "state", "-id"], name="finance_payment_state_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def unallocated_amount(self):
        return self.amount - self.allocated_amount


class PaymentAllocation(DealerOwnedModel):
    """Part of a payment applied to an invoice. Kept when the payment is reversed (marked reversed)."""

    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("payment")
    )
    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("invoice")
    )
    amount = MoneyField(_("amount"))
    is_reversed = models.BooleanField(_("reversed"), default=False)
    created_by = user_fk(_("created by"))

    scope_spec = ScopeSpec(dealer="dealer")

    class Meta:
        verbose_name = _("payment allocation")
        verbose_name_plural = _("payment allocations")
        ordering = ["payment_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="finance_allocation_positive"),
        ]
        indexes = [models.Index(fields=["invoice", "is_reversed"], name="finance_allocation_inv_idx")]

    def __str__(self) -> str:
        return f"{self.payment_id} → {self.invoice_id}: {self.amount}"
