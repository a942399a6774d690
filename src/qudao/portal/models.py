"""The retailer portal and the sales assistant: who may order for which store (PortalAccess) and the
carts they fill (one per user, customer and source, kept in the database so a phone's lost session
loses nothing)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qudao.core.models import DealerOwnedModel
from qudao.core.quantity import QuantityField
from qudao.core.scoping import Actor, ScopeSpec


class CartSource(models.TextChoices):
    """The order sources a cart can become (the same values as sales.OrderSource)."""

    PORTAL = "portal", _("Retailer portal")
    ASSISTANT = "assistant", _("Sales assistant")


class PortalAccess(DealerOwnedModel):
    """A retailer user may order for this customer (store) of the dealer. Managed by dealer staff."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="portal_accesses",
        verbose_name=_("retailer user"),
    )
    customer = models.ForeignKey(
        "parties.Customer", on_delete=models.CASCADE, related_name="+", verbose_name=_("customer")
    )
    is_active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()
    scope_spec = ScopeSpec(dealer="dealer")

    class Meta:
        verbose_name = _("portal access")
        verbose_name_plural = _("portal accesses")
        ordering = ["dealer_id", "user_id", "customer_id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "customer"], name="portal_access_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.customer}"


def _own_rows(path: str):
    """Carts are private: a user sees only their own (a platform administrator sees all)."""

    def scope(queryset, actor: Actor, for_write: bool):
        if actor.is_platform_admin:
            return queryset
        if not actor.is_authenticated:
            return queryset.none()
        return queryset.filter(**{path: actor.user_id})

    return scope


class Cart(DealerOwnedModel):
    """What a user is about to order for a customer. `token` is the idempotency key of the next
    order: a double tap on "place order" sends the same token and gets the same order."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    customer = models.ForeignKey(
        "parties.Customer", on_delete=models.CASCADE, related_name="+", verbose_name=_("customer")
    )
    source = models.CharField(_("source"), max_length=12, choices=CartSource.choices)
    token = models.UUIDField(_("order token"), default=uuid.uuid4, editable=False)
    coupon_codes = models.JSONField(_("coupon codes"), default=list, blank=True)
    notes = models.CharField(_("notes"), max_length=500, blank=True)

    scope_spec = ScopeSpec(custom=_own_rows("user"))

    class Meta:
        verbose_name = _("cart")
        verbose_name_plural = _("carts")
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "customer", "source"], name="portal_cart_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} / {self.customer}"


class CartLine(DealerOwnedModel):
    """One item of a cart, in the item's base unit."""

    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines", verbose_name=_("cart"))
    item = models.ForeignKey(
        "catalog.Item", on_delete=models.CASCADE, related_name="+", verbose_name=_("item")
    )
    quantity = QuantityField(_("quantity"))

    scope_spec = ScopeSpec(custom=_own_rows("cart__user"))

    class Meta:
        verbose_name = _("cart line")
        verbose_name_plural = _("cart lines")
        ordering = ["cart_id", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "item"], name="portal_cart_line_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="portal_cart_line_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} × {self.quantity}"
