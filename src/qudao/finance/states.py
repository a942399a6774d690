"""Lifecycles of finance documents and the choices their fields take.

Invoice: draft → issued → partially paid → paid; a draft or an unpaid issued invoice can be cancelled
(an issued one through a credit note for what is still open). Payments reversed or credit notes may
move a paid invoice back. Payment: received → partially allocated → allocated, or reversed."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from qudao.core.states import StateMachine


class InvoiceState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")
    PARTIALLY_PAID = "partial", _("Partially paid")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


#: invoices that are receivables (issued and not cancelled)
OPEN_INVOICE_STATES = (InvoiceState.ISSUED, InvoiceState.PARTIALLY_PAID)
POSTED_INVOICE_STATES = (InvoiceState.ISSUED, InvoiceState.PARTIALLY_PAID, InvoiceState.PAID)

INVOICE_MACHINE = StateMachine(
    InvoiceState,
    {
        InvoiceState.DRAFT: {InvoiceState.ISSUED, InvoiceState.CANCELLED},
        InvoiceState.ISSUED: {InvoiceState.PARTIALLY_PAID, InvoiceState.PAID, InvoiceState.CANCELLED},
        InvoiceState.PARTIALLY_PAID: {InvoiceState.ISSUED, InvoiceState.PAID},
        InvoiceState.PAID: {InvoiceState.ISSUED, InvoiceState.PARTIALLY_PAID},
    },
)


class PaymentState(models.TextChoices):
    RECEIVED = "received", _("Received")
    PARTIALLY_ALLOCATED = "partial", _("Partially allocated")
    ALLOCATED = "allocated", _("Allocated")
    REVERSED = "reversed", _("Reversed")


PAYMENT_MACHINE = StateMachine(
    PaymentState,
    {
        PaymentState.RECEIVED: {
            PaymentState.PARTIALLY_ALLOCATED,
            PaymentState.ALLOCATED,
            PaymentState.REVERSED,
        },
        PaymentState.PARTIALLY_ALLOCATED: {PaymentState.ALLOCATED, PaymentState.REVERSED},
        PaymentState.ALLOCATED: {PaymentState.REVERSED},
    },
)


class PaymentMethod(models.TextChoices):
    BANK_TRANSFER = "bank", _("Bank transfer")
    CASH = "cash", _("Cash")
    ONLINE = "online", _("Online payment")
    REBATE = "rebate", _("Rebate balance")


class CreditReason(models.TextChoices):
    RETURN = "return", _("Return")
    PRICE_ADJUSTMENT = "price", _("Price adjustment")
    REBATE = "rebate", _("Rebate")
    CANCELLATION = "cancel", _("Cancellation")
