"""What surrounds an order: the timeline, idempotency keys of the API, and the dealer's settings."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qudao.core.models import DealerOwnedModel
from qudao.core.money import MoneyField
from qudao.core.scoping import ScopeSpec
from qudao.sales.models.orders import SalesOrder
from qudao.sales.states import InvoiceBasis


class OrderEvent(DealerOwnedModel):
    """One entry of an order's timeline: what happened, when, who did it."""

    order = models.ForeignKey(
        SalesOrder, on_delete=models.CASCADE, related_name="events", verbose_name=_("order")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    kind = models.CharField(_("kind"), max_length=40)
    message = models.CharField(_("message"), max_length=500, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    scope_spec = ScopeSpec(dealer="dealer", site="order__site")

    class Meta:
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        ordering = ["order_id", "at", "id"]
        indexes = [models.Index(fields=["order", "at"], name="sales_event_order_idx")]

    def __str__(self) -> str:
        return f"{self.order_id} {self.kind}"


class OrderIdempotencyKey(DealerOwnedModel):
    """An `Idempotency-Key` of POST /orders: the same key and body always answer the same order."""

    key = models.CharField(_("key"), max_length=200)
    request_hash = models.CharField(_("request hash"), max_length=64)
    order = models.ForeignKey(
        SalesOrder, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("order")
    )

    class Meta:
        verbose_name = _("order idempotency key")
        verbose_name_plural = _("order idempotency keys")
        constraints = [models.UniqueConstraint(fields=["dealer", "key"], name="sales_idempotency_key_unique")]

    def __str__(self) -> str:
        return self.key


def _default_customer_priorities() -> dict[str, int]:
    return {"ka_chain": 30, "wholesaler": 20, "retail_store": 10}


class SalesSettings(DealerOwnedModel):
    """How a dealer sells: allocation costs and priorities, invoicing basis, credit tolerance.
    A dealer without a row uses the defaults (`SalesSettings.for_dealer`)."""

    cost_per_km = MoneyField(_("shipping cost per km"), default=Decimal("2.00"))
    cost_per_kg_km = models.DecimalField(
        _("shipping cost per kg·km"), max_digits=12, decimal_places=6, default=Decimal("0.002")
    )
    allow_split_default = models.BooleanField(_("allow split shipments by default"), default=True)
    customer_priorities = models.JSONField(
        _("customer priority per business type"),
        default=_default_customer_priorities,
        blank=True,
        help_text=_('Higher is served first, e.g. {"ka_chain": 30, "wholesaler": 20}.'),
    )
    site_priorities = models.JSONField(
        _("site priorities"),
        default=dict,
        blank=True,
        help_text=_('Site id → extra cost added to its score (negative prefers it), e.g. {"12": -50}.'),
    )
    invoice_basis = models.CharField(
        _("invoice from"), max_length=8, choices=InvoiceBasis.choices, default=InvoiceBasis.SHIPPED
    )
    credit_tolerance = MoneyField(
        _("credit tolerance"),
        default=0,
        help_text=_("Orders exceeding the credit limit by at most this much are approved automatically."),
    )
    check_zero_credit_limit = models.BooleanField(
        _("hold customers without a credit limit"),
        default=False,
        help_text=_("Off: a credit limit of 0 means “no limit set”; on: it means “no credit”."),
    )

    class Meta:
        verbose_name = _("sales settings")
        verbose_name_plural = _("sales settings")
        constraints = [
            models.UniqueConstraint(fields=["dealer"], name="sales_settings_one_per_dealer"),
            models.CheckConstraint(
                condition=Q(cost_per_km__gte=0) & Q(cost_per_kg_km__gte=0) & Q(credit_tolerance__gte=0),
                name="sales_settings_costs_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Sales settings"))

    @classmethod
    def for_dealer(cls, dealer_id: int) -> SalesSettings:
        """The dealer's settings, or unsaved defaults."""
        return cls.objects.filter(dealer_id=dealer_id).first() or cls(dealer_id=dealer_id)

    def customer_priority(self, business_type: str) -> int:
        try:
            return int((self.customer_priorities or {}).get(business_type or "", 0))
        except (TypeError, ValueError):
            return 0

    def site_priority(self, site_id: int) -> Decimal:
        try:
            return Decimal(str((self.site_priorities or {}).get(str(site_id), 0)))
        except ArithmeticError:
            return Decimal(0)
