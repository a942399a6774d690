"""Promotions (line, bundle, order, gift) and the single-use coupons that grant them."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qudao.core.models import DealerOwnedModel
from qudao.core.money import MoneyField
from qudao.core.scoping import ScopeSpec
from qudao.pricing.choices import PromotionKind
from qudao.pricing.models.price_lists import PRIORITY_HELP

POSITIVE = [MinValueValidator(Decimal("0.001"))]


class Promotion(DealerOwnedModel):
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=PromotionKind.choices)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    priority = models.IntegerField(_("priority"), default=10, help_text=PRIORITY_HELP)
    stackable = models.BooleanField(
        _("stackable"),
        default=True,
        help_text=_(
            "Not stackable: when it applies, only the best non-stackable promotion of its level is applied."
        ),
    )
    requires_coupon = models.BooleanField(
        _("only with a coupon"),
        default=False,
        help_text=_("Applied only when a coupon granting it is given."),
    )
    # conditions / targets
    items = models.ManyToManyField("catalog.Item", blank=True, related_name="+", verbose_name=_("items"))
    categories = models.ManyToManyField(
        "catalog.Category",
        blank=True,
        related_name="+",
        verbose_name=_("categories"),
        help_text=_("With their subcategories. No items and no categories: every item."),
    )
    channel = models.ForeignKey(
        "org.Channel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("channel"),
    )
    customer_group = models.ForeignKey(
        "parties.CustomerGroup",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("customer group"),
    )
    min_quantity = models.DecimalField(
        _("minimum quantity"), max_digits=20, decimal_places=3, null=True, blank=True, validators=POSITIVE
    )
    min_amount = MoneyField(_("minimum amount"), null=True, blank=True, validators=[MinValueValidator(0)])
    limit_per_order = models.PositiveIntegerField(
        _("limit per order"),
        null=True,
        blank=True,
        help_text=_("Units discounted, bundle sets, gift multiples or spend-save repeats per order."),
    )
    # effect
    percent = models.DecimalField(
        _("percent off"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
    )
    amount = MoneyField(
        _("amount off"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Per unit (amount off), per order (order amount) or saved per threshold (spend-save)."),
    )
    threshold = MoneyField(
        _("spend threshold"), null=True, blank=True, validators=[MinValueValidator(Decimal("0.01"))]
    )
    repeat = models.BooleanField(_("repeat per threshold"), default=False, help_text=_("Every ¥X save ¥Y."))
    bundle_price = MoneyField(
        _("bundle price"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Tax-inclusive price of one complete set."),
    )
    buy_quantity = models.DecimalField(
        _("buy quantity"), max_digits=20, decimal_places=3, null=True, blank=True, validators=POSITIVE
    )
    gift_item = models.ForeignKey(
        "catalog.Item",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("gift item"),
        help_text=_("Empty: the item bought."),
    )
    gift_quantity = models.DecimalField(
        _("gift quantity"), max_digits=20, decimal_places=3, null=True, blank=True, validators=POSITIVE
    )
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    history = HistoricalRecords()
    scope_spec = ScopeSpec(dealer="dealer")

    class Meta:
        verbose_name = _("promotion")
        verbose_name_plural = _("promotions")
        ordering = ["dealer_id", "priority", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dealer", "code"], name="pricing_promotion_code_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="pricing_promotion_validity",
            ),
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__gt=0, percent__lte=100),
                name="pricing_promotion_percent_range",
            ),
        ]
        indexes = [models.Index(fields=["dealer", "is_active", "kind"], name="pricing_promo_active_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class BundleComponent(DealerOwnedModel):
    """One item of a bundle promotion and how many of it a set holds."""

    promotion = models.ForeignKey(
        Promotion, on_delete=models.CASCADE, related_name="bundle_components", verbose_name=_("promotion")
    )
    item = models.ForeignKey(
        "catalog.Item", on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    quantity = models.DecimalField(
        _("quantity per set"), max_digits=20, decimal_places=3, validators=POSITIVE
    )

    scope_spec = ScopeSpec(dealer="dealer")

    class Meta:
        verbose_name = _("bundle component")
        verbose_name_plural = _("bundle components")
        constraints = [
            models.UniqueConstraint(fields=["promotion", "item"], name="pricing_bundle_item_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="pricing_bundle_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} × {self.quantity}"


class Coupon(DealerOwnedModel):
    """A single-use code granting a promotion; redeemed once, by one order (conditional update)."""

    code = models.CharField(_("code"), max_length=40)
    promotion = models.ForeignKey(
        Promotion, on_delete=models.PROTECT, related_name="coupons", verbose_name=_("promotion")
    )
    customer = models.ForeignKey(
        "parties.Customer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("customer"),
        help_text=_("Empty: any customer."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    redeemed_at = models.DateTimeField(_("redeemed at"), null=True, blank=True, editable=False)
    redeemed_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("redeemed by"),
    )
    reference_type = models.CharField(_("redeemed for"), max_length=60, blank=True, editable=False)
    reference_id = models.BigIntegerField(_("reference id"), null=True, blank=True, editable=False)

    scope_spec = ScopeSpec(dealer="dealer")

    class Meta:
        verbose_name = _("coupon")
        verbose_name_plural = _("coupons")
        ordering = ["dealer_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["dealer", "code"], name="pricing_coupon_code_unique"),
            models.CheckConstraint(
                condition=Q(redeemed_at__isnull=True) | ~Q(reference_type=""),
                name="pricing_coupon_redeemed_ref",
            ),
        ]
        indexes = [models.Index(fields=["promotion", "redeemed_at"], name="pricing_coupon_promo_idx")]

    def __str__(self) -> str:
        return self.code
