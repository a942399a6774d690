"""Choices of the inventory, shared by the models, the policies and the services."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LocationKind(models.TextChoices):
    BIN = "bin", _("Bin")
    ZONE = "zone", _("Zone")
    SUPPLIER = "supplier", _("Supplier (virtual)")
    CUSTOMER = "customer", _("Customer (virtual)")
    IN_TRANSIT = "in_transit", _("In transit (virtual)")
    ADJUSTMENT = "adjustment", _("Inventory adjustment (virtual)")
    SCRAP = "scrap", _("Scrap (virtual)")
    QUARANTINE = "quarantine", _("Quarantine (virtual)")


#: kinds that are not a physical place inside a site; one of each per dealer, created lazily
VIRTUAL_KINDS = frozenset(
    {
        LocationKind.SUPPLIER,
        LocationKind.CUSTOMER,
        LocationKind.IN_TRANSIT,
        LocationKind.ADJUSTMENT,
        LocationKind.SCRAP,
        LocationKind.QUARANTINE,
    }
)
INTERNAL_KINDS = frozenset({LocationKind.BIN, LocationKind.ZONE})


class SerialStatus(models.TextChoices):
    IN_STOCK = "in_stock", _("In stock")
    RESERVED = "reserved", _("Reserved")
    ISSUED = "issued", _("Issued")
    SCRAPPED = "scrapped", _("Scrapped")


class MoveType(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    SALE_ISSUE = "sale_issue", _("Sale issue")
    REPAIR_ISSUE = "repair_issue", _("Repair-order issue")
    TRANSFER_OUT = "transfer_out", _("Transfer out")
    TRANSFER_IN = "transfer_in", _("Transfer in")
    ADJUSTMENT = "adjustment", _("Adjustment")
    SCRAP = "scrap", _("Scrap")
    RETURN = "return", _("Return")


#: move types an issue may carry (stock leaves to a customer or a repair order)
ISSUE_TYPES = frozenset({MoveType.SALE_ISSUE, MoveType.REPAIR_ISSUE})


class MoveState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ASSIGNED = "assigned", _("Assigned")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ReservationState(models.TextChoices):
    ACTIVE = "active", _("Active")
    RELEASED = "released", _("Released")
    CONSUMED = "consumed", _("Consumed")


class AdjustmentReason(models.TextChoices):
    COUNT = "count", _("Stock count difference")
    DAMAGE = "damage", _("Damaged")
    LOSS = "loss", _("Lost or stolen")
    FOUND = "found", _("Found")
    CORRECTION = "correction", _("Data entry correction")
    OPENING = "opening", _("Opening balance")
