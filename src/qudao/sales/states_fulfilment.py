"""Lifecycle of shipments and returns.

Shipment: draft → shipped → delivered; a draft can be cancelled (nothing left the warehouse).
Return: requested → approved (or rejected) → received → credited; requested/approved can be
cancelled; a received return whose credit is not needed (nothing was invoiced) is closed."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from qudao.core.states import StateMachine


class ShipmentState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


SHIPMENT_MACHINE = StateMachine(
    ShipmentState,
    {
        ShipmentState.DRAFT: {ShipmentState.SHIPPED, ShipmentState.CANCELLED},
        ShipmentState.SHIPPED: {ShipmentState.DELIVERED},
    },
)


class ReturnState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RECEIVED = "received", _("Received")
    CREDITED = "credited", _("Credited")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class ReturnDisposition(models.TextChoices):
    RESTOCK = "restock", _("Back into stock")
    QUARANTINE = "quarantine", _("Quarantine")
    SCRAP = "scrap", _("Scrap")


RETURN_MACHINE = StateMachine(
    ReturnState,
    {
        ReturnState.REQUESTED: {ReturnState.APPROVED, ReturnState.REJECTED, ReturnState.CANCELLED},
        ReturnState.APPROVED: {ReturnState.RECEIVED, ReturnState.CANCELLED},
        ReturnState.RECEIVED: {ReturnState.CREDITED, ReturnState.CLOSED},
    },
)
