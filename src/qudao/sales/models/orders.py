"""Sales orders from every channel: header with ship-to snapshot and frozen totals, lines with price
explanations and fulfilment quantities (all in the item's base unit)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.utils.translation import gettext_lazy as _

from qudao.core.models import DealerOwnedModel
from qudao.core.money import CurrencyField, MoneyField, UnitPriceField
from qudao.core.quantity import QuantityField
from qudao.core.scoping import ScopeSpec
from qudao.sales.states import (
    ORDER_MACHINE,
    DeliveryState,
    HoldReason,
    InvoiceState,
    OrderSource,
    OrderState,
    PaymentState,
)

_COORD = {"max_digits": 9, "decimal_places": 6, "null": True, "blank": True}


def _fk(model: str, label, **kwargs):
    kwargs.setdefault("null", True)
    kwargs.setdefault("blank", True)
    return models.ForeignKey(model, on_delete=models.PROTECT, related_name="+", verbose_name=label, **kwargs)


class SalesOrder(DealerOwnedModel):
    """One customer order, whatever channel it came from. Totals are frozen at confirmation."""

    number = models.CharField(_("number"), max_length=40, editable=False)
    channel = _fk("org.Channel", _("channel"))
    customer = models.ForeignKey(
        "parties.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    # ship-to: the address row and what it said when the order was taken
    ship_to = _fk("parties.Address", _("ship-to address"))
    ship_region = _fk("org.Region", _("ship-to region"))
    ship_latitude = models.DecimalField(_("ship-to latitude"), **_COORD)
    ship_longitude = models.DecimalField(_("ship-to longitude"), **_COORD)
    ship_line = models.CharField(_("ship-to street address"), max_length=300, blank=True)
    receiver_name = models.CharField(_("receiver name"), max_length=100, blank=True)
    receiver_phone = models.CharField(_("receiver phone"), max_length=40, blank=True)

    source = models.CharField(
        _("source"), max_length=12, choices=OrderSource.choices, default=OrderSource.API
    )
    external_reference = models.CharField(_("external reference"), max_length=100, blank=True)
    currency = CurrencyField(_("currency"))
    state = models.CharField(_("state"), max_length=12, choices=OrderState.choices, default=OrderState.DRAFT)
    hold_reason = models.CharField(
        _("hold reason"), max_length=12, choices=HoldReason.choices, blank=True, default=HoldReason.NONE
    )
    #: approvals already given for this order (a second check does not hold it again for them)
    approved_holds = models.JSONField(_("approved holds"), default=list, blank=True, editable=False)
    delivery_state = models.CharField(
        _("delivery state"), max_length=8, choices=DeliveryState.choices, default=DeliveryState.NONE
    )
    invoice_state = models.CharField(
        _("invoice state"), max_length=8, choices=InvoiceState.choices, default=InvoiceState.NONE
    )
    payment_state = models.CharField(
        _("payment state"), max_length=8, choices=PaymentState.choices, default=PaymentState.NONE
    )
    has_backorder = models.BooleanField(_("back-ordered"), default=False)
    priority = models.SmallIntegerField(
        _("priority"), default=0, help_text=_("Higher is served first when stock is short.")
    )
    allow_split = models.BooleanField(_("allow split shipments"), default=True)
    requested_date = models.DateField(_("requested delivery date"), null=True, blank=True)
    sales_rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sales representative"),
    )
    #: the main fulfilling site (most lines); the lines say where each comes from
    site = _fk("org.Site", _("fulfilling site"))
    base_total = MoneyField(_("list total"), default=0)
    discount_total = MoneyField(_("discounts"), default=0)
    total = MoneyField(_("total (tax incl.)"), default=0)
    tax_total = MoneyField(_("tax"), default=0)
    net_total = MoneyField(_("total (tax excl.)"), default=0)
    coupon_codes = models.JSONField(_("coupon codes"), default=list, blank=True)
    #: the codes the pricing engine applied (redeemed at confirmation) and why others were not
    applied_coupons = models.JSONField(_("applied coupons"), default=list, blank=True, editable=False)
    coupon_rejections = models.JSONField(_("coupons not applied"), default=dict, blank=True, editable=False)
    notes = models.TextField(_("notes"), blank=True)
    #: the last allocation: candidates and their scores, the chosen site per line, and why
    allocation_plan = models.JSONField(_("allocation plan"), default=dict, blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, editable=False)
    held_at = models.DateTimeField(_("held at"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )

    state_machine = ORDER_MACHINE
    scope_spec = ScopeSpec(dealer="dealer", site="site")

    class Meta:
        verbose_name = _("sales order")
        verbose_name_plural = _("sales orders")
        ordering = ["-id"]
        permissions = [
            ("approve_credit_hold", _("Can approve orders held for credit")),
            ("approve_price_exception", _("Can approve orders priced below the floor")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["dealer", "number"], name="sales_order_number_unique"),
            models.UniqueConstraint(
                fields=["dealer", "source", "external_reference"],
                condition=~Q(external_reference=""),
                name="sales_order_external_reference_unique",
            ),
            models.CheckConstraint(
                condition=Q(total__gte=0) & Q(base_total__gte=0) & Q(tax_total__gte=0),
                name="sales_order_totals_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(
                    state=OrderState.ON_HOLD, hold_reason__in=[HoldReason.CREDIT, HoldReason.PRICE_FLOOR]
                )
                | (~Q(state=OrderState.ON_HOLD) & Q(hold_reason="")),
                name="sales_order_hold_reason_when_held",
            ),
        ]
        indexes = [
            models.Index(fields=["dealer", "-id"], name="sales_order_dealer_idx"),
            models.Index(fields=["dealer", "state", "-id"], name="sales_order_state_idx"),
            models.Index(fields=["dealer", "channel", "-id"], name="sales_order_channel_idx"),
            models.Index(fields=["dealer", "customer", "-id"], name="sales_order_customer_idx"),
            models.Index(fields=["dealer", "site", "-id"], name="sales_order_site_idx"),
            models.Index(fields=["dealer", "source", "-id"], name="sales_order_source_idx"),
            models.Index(fields=["dealer", "created_at"], name="sales_order_created_idx"),
            models.Index(
                fields=["dealer", "external_reference"],
                condition=~Q(external_reference=""),
                name="sales_order_external_ref_idx",
            ),
            models.Index(
                fields=["dealer", "priority", "confirmed_at"],
                condition=Q(has_backorder=True),
                name="sales_order_backorder_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class SalesOrderLine(DealerOwnedModel):
    """One item of an order. Quantities are in the item's base unit; `quantity_entered`/`unit` is what
    the customer asked for. Prices are tax-inclusive; `price_explanation` says where they came from."""

    order = models.ForeignKey(
        SalesOrder, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order")
    )
    line_no = models.PositiveIntegerField(_("line"))
    item = models.ForeignKey(
        "catalog.Item", on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    quantity_entered = QuantityField(_("quantity (as ordered)"))
    unit = models.ForeignKey(
        "catalog.UnitOfMeasure", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    quantity = QuantityField(_("quantity (base unit)"))
    list_price = UnitPriceField(_("list price"), null=True, blank=True)
    unit_price = UnitPriceField(_("unit price"), default=0)
    base_amount = MoneyField(_("list amount"), default=0)
    amount = MoneyField(_("amount (tax incl.)"), default=0)
    tax_rate = models.DecimalField(_("tax rate"), max_digits=5, decimal_places=4, default=0)
    tax_amount = MoneyField(_("tax"), default=0)
    net_amount = MoneyField(_("amount (tax excl.)"), default=0)
    price_explanation = models.JSONField(_("price explanation"), default=dict, blank=True)
    below_floor = models.BooleanField(_("below price floor"), default=False)
    is_gift = models.BooleanField(_("gift"), default=False)
    site = _fk("org.Site", _("fulfilling site"))
    reserved_quantity = QuantityField(_("reserved"), default=0)
    backordered_quantity = QuantityField(_("back-ordered"), default=0)
    shipped_quantity = QuantityField(_("shipped"), default=0)
    delivered_quantity = QuantityField(_("delivered"), default=0)
    returned_quantity = QuantityField(_("returned"), default=0)
    invoiced_quantity = QuantityField(_("invoiced"), default=0)
    # snapshots for the analyses (what the order was grouped by when it was taken)
    channel = _fk("org.Channel", _("channel"))
    region = _fk("org.Region", _("region"))
    sales_rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sales representative"),
    )
    category = _fk("catalog.Category", _("category"))

    scope_spec = ScopeSpec(dealer="dealer", site="order__site")

    class Meta:
        verbose_name = _("sales order line")
        verbose_name_plural = _("sales order lines")
        ordering = ["order_id", "line_no"]
        constraints = [
            models.UniqueConstraint(fields=["order", "line_no"], name="sales_line_number_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="sales_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(reserved_quantity__gte=0)
                & Q(backordered_quantity__gte=0)
                & Q(shipped_quantity__gte=0)
                & Q(delivered_quantity__gte=0)
                & Q(returned_quantity__gte=0)
                & Q(invoiced_quantity__gte=0),
                name="sales_line_quantities_not_negative",
            ),
            models.CheckConstraint(
                # (+ half of the last place: SQLite subtracts decimals in binary floating point)
                condition=Q(
                    reserved_quantity__lte=F("quantity") - F("shipped_quantity") + Value(Decimal("0.0005"))
                )
                & Q(backordered_quantity__lte=F("quantity") - F("shipped_quantity"))
                & Q(shipped_quantity__lte=F("quantity"))
                & Q(delivered_quantity__lte=F("shipped_quantity"))
                & Q(returned_quantity__lte=F("delivered_quantity")),
                name="sales_line_quantities_within_ordered",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(unit_price__gte=0), name="sales_line_amount_not_negative"
            ),
        ]
        indexes = [
            models.Index(
                fields=["dealer", "item"],
                condition=Q(backordered_quantity__gt=0),
                name="sales_line_backorder_idx",
            ),
            models.Index(fields=["item", "site"], name="sales_line_item_site_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.line_no}"
