"""Fulfilment: shipments of an order from one site (lines, packages, carrier, tracking) and the proof
of delivery captured at the door. Quantities are in the item's base unit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from qudao.core.models import DealerOwnedModel
from qudao.core.quantity import QuantityField
from qudao.core.scoping import ScopeSpec
from qudao.sales.states_fulfilment import SHIPMENT_MACHINE, ShipmentState

_COORD = {"max_digits": 9, "decimal_places": 6, "null": True, "blank": True}


class Shipment(DealerOwnedModel):
    """What leaves one site for one order: a draft is picked and packed, shipping issues the stock."""

    number = models.CharField(_("number"), max_length=40, editable=False)
    order = models.ForeignKey(
        "sales.SalesOrder", on_delete=models.PROTECT, related_name="shipments", verbose_name=_("order")
    )
    site = models.ForeignKey(
        "org.Site", on_delete=models.PROTECT, related_name="+", verbose_name=_("shipping site")
    )
    state = models.CharField(
        _("state"), max_length=12, choices=ShipmentState.choices, default=ShipmentState.DRAFT
    )
    carrier = models.ForeignKey(
        "org.Company",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("carrier"),
        limit_choices_to={"is_carrier": True},
    )
    carrier_name = models.CharField(_("carrier name"), max_length=100, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True, editable=False)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )

    state_machine = SHIPMENT_MACHINE
    scope_spec = ScopeSpec(dealer="dealer", site="site")

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["dealer", "number"], name="sales_shipment_number_unique"),
        ]
        indexes = [
            models.Index(fields=["dealer", "state", "-id"], name="sales_shipment_state_idx"),
            models.Index(fields=["site", "state"], name="sales_shipment_site_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class ShipmentLine(DealerOwnedModel):
    """Part (or all) of an order line shipped from the shipment's site; one row per lot once shipped."""

    shipment = models.ForeignKey(
        Shipment, on_delete=models.CASCADE, related_name="lines", verbose_name=_("shipment")
    )
    order_line = models.ForeignKey(
        "sales.SalesOrderLine",
        on_delete=models.PROTECT,
        related_name="shipment_lines",
        verbose_name=_("order line"),
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
    serial_numbers = models.JSONField(_("serial numbers"), default=list, blank=True)
    delivered_quantity = QuantityField(_("delivered"), default=0)

    scope_spec = ScopeSpec(dealer="dealer", site="shipment__site")

    class Meta:
        verbose_name = _("shipment line")
        verbose_name_plural = _("shipment lines")
        ordering = ["shipment_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0)
                & Q(delivered_quantity__gte=0)
                & Q(delivered_quantity__lte=F("quantity")),
                name="sales_shipment_line_quantities",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shipment_id}/{self.pk}"


class ShipmentPackage(DealerOwnedModel):
    shipment = models.ForeignKey(
        Shipment, on_delete=models.CASCADE, related_name="packages", verbose_name=_("shipment")
    )
    number = models.CharField(_("package number"), max_length=40)
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=10, decimal_places=3, null=True, blank=True)
    dimensions = models.CharField(_("dimensions"), max_length=60, blank=True, help_text=_("L × W × H in cm"))
    tracking_number = models.CharField(_("tracking number"), max_length=100, blank=True)

    scope_spec = ScopeSpec(dealer="dealer", site="shipment__site")

    class Meta:
        verbose_name = _("package")
        verbose_name_plural = _("packages")
        ordering = ["shipment_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shipment", "number"], name="sales_package_number_unique"),
        ]

    def __str__(self) -> str:
        return self.number


class DeliveryProof(DealerOwnedModel):
    """Who signed for a shipment, when and where, with a photo of the goods or the signature."""

    shipment = models.OneToOneField(
        Shipment, on_delete=models.CASCADE, related_name="proof", verbose_name=_("shipment")
    )
    signer_name = models.CharField(_("signed by"), max_length=100)
    signed_at = models.DateTimeField(_("signed at"))
    latitude = models.DecimalField(_("latitude"), **_COORD)
    longitude = models.DecimalField(_("longitude"), **_COORD)
    accuracy_m = models.DecimalField(_("accuracy (m)"), max_digits=9, decimal_places=1, null=True, blank=True)
    photo = models.FileField(_("photo"), upload_to="deliveries/%Y/%m/", blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("captured by"),
    )

    scope_spec = ScopeSpec(dealer="dealer", site="shipment__site")

    class Meta:
        verbose_name = _("proof of delivery")
        verbose_name_plural = _("proofs of delivery")

    def __str__(self) -> str:
        return f"{self.shipment_id}: {self.signer_name}"
