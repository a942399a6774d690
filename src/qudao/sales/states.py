"""Lifecycle of a sales order and the choices its fields take.

draft → confirmed → processing → done; a draft (or a held order) can be cancelled, and so can a
confirmed order that has not shipped. Confirmation may stop on hold (credit, price floor); an
approval continues it. Delivery, invoice and payment states are derived (set by fulfilment and
finance later)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from qudao.core.states import StateMachine


class OrderState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ON_HOLD = "on_hold", _("On hold")
    CONFIRMED = "confirmed", _("Confirmed")
    PROCESSING = "processing", _("Processing")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class HoldReason(models.TextChoices):
    NONE = "", _("None")
    CREDIT = "credit", _("Credit limit exceeded")
    PRICE_FLOOR = "price_floor", _("Price below floor")


class OrderSource(models.TextChoices):
    API = "api", _("API")
    CONSOLE = "console", _("Console")
    IMPORT = "import", _("Import")
    ECOMMERCE = "ecommerce", _("E-commerce")
    PORTAL = "portal", _("Retailer portal")
    ASSISTANT = "assistant", _("Sales assistant")


class DeliveryState(models.TextChoices):
    NONE = "none", _("Not delivered")
    PARTIAL = "partial", _("Partially delivered")
    FULL = "full", _("Delivered")


class InvoiceState(models.TextChoices):
    NONE = "none", _("Not invoiced")
    PARTIAL = "partial", _("Partially invoiced")
    FULL = "full", _("Invoiced")


class PaymentState(models.TextChoices):
    NONE = "none", _("Not paid")
    PARTIAL = "partial", _("Partially paid")
    FULL = "full", _("Paid")


class InvoiceBasis(models.TextChoices):
    SHIPPED = "shipped", _("Shipped quantities")
    ORDERED = "ordered", _("Ordered quantities")


#: states whose reservations and back-orders are live
OPEN_STATES = (OrderState.CONFIRMED, OrderState.PROCESSING)

ORDER_MACHINE = StateMachine(
    OrderState,
    {
        OrderState.DRAFT: {OrderState.CONFIRMED, OrderState.ON_HOLD, OrderState.CANCELLED},
        # an approval continues the confirmation; a second check may hold it again (other reason)
        OrderState.ON_HOLD: {OrderState.CONFIRMED, OrderState.ON_HOLD, OrderState.CANCELLED},
        OrderState.CONFIRMED: {OrderState.PROCESSING, OrderState.DONE, OrderState.CANCELLED},
        OrderState.PROCESSING: {OrderState.DONE, OrderState.CANCELLED},
    },
)
