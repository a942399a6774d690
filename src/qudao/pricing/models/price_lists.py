"""Price lists (by default, channel, customer group, region or customer) and their quantity tiers."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qudao.core.models import DealerOwnedModel
from qudao.core.money import CurrencyField, UnitPriceField
from qudao.core.scoping import ScopeSpec
from qudao.pricing.choices import PriceListScope

PRIORITY_HELP = _("Lower numbers come first: priority 1 wins over priority 10.")


class PriceList(DealerOwnedModel):
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=120)
    currency = CurrencyField(_("currency"))
    scope = models.CharField(_("applies to"), max_length=16, choices=PriceListScope.choices)
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
    region = models.ForeignKey(
        "org.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("Applies to the region and every city and county in it."),
    )
    customer = models.ForeignKey(
        "parties.Customer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("customer"),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    priority = models.IntegerField(_("priority"), default=10, help_text=PRIORITY_HELP)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    history = HistoricalRecords()
    scope_spec = ScopeSpec(dealer="dealer")

    class Meta:
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")
        ordering = ["dealer_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["dealer", "code"], name="pricing_pricelist_code_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="pricing_pricelist_validity",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        scope="default",
                        channel__isnull=True,
                        customer_group__isnull=True,
                        region__isnull=True,
                        customer__isnull=True,
                    )
                    | Q(
                        scope="channel",
                        channel__isnull=False,
                        customer_group__isnull=True,
                        region__isnull=True,
                        customer__isnull=True,
                    )
                    | Q(
                        scope="customer_group",
                        channel__isnull=True,
                        customer_group__isnull=False,
                        region__isnull=True,
                        customer__isnull=True,
                    )
                    | Q(
                        scope="region",
                        channel__isnull=True,
                        customer_group__isnull=True,
                        region__isnull=False,
                        customer__isnull=True,
                    )
                    | Q(
                        scope="customer",
                        channel__isnull=True,
                        customer_group__isnull=True,
                        region__isnull=True,
                        customer__isnull=False,
                    )
                ),
                name="pricing_pricelist_scope_target",
            ),
        ]
        indexes = [models.Index(fields=["dealer", "is_active", "scope"], name="pricing_pricelist_scope_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PriceListItem(DealerOwnedModel):
    """One price of an item in a list; several rows with increasing min_quantity make tiers (阶梯价)."""

    price_list = models.ForeignKey(
        PriceList, on_delete=models.CASCADE, related_name="items", verbose_name=_("price list")
    )
    item = models.ForeignKey(
        "catalog.Item", on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    min_quantity = models.DecimalField(
        _("from quantity"),
        max_digits=20,
        decimal_places=3,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("In the item's base unit: this price applies from this quantity up."),
    )
    unit_price = UnitPriceField(
        _("unit price (tax incl.)"),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Per base unit, tax included."),
    )

    scope_spec = ScopeSpec(dealer="dealer")

    class Meta:
        verbose_name = _("price list item")
        verbose_name_plural = _("price list items")
        ordering = ["price_list_id", "item_id", "min_quantity"]
        constraints = [
            models.UniqueConstraint(
                fields=["price_list", "item", "min_quantity"], name="pricing_pricelistitem_tier_unique"
            ),
            models.CheckConstraint(condition=Q(min_quantity__gte=0), name="pricing_pricelistitem_minqty"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="pricing_pricelistitem_price"),
        ]
        indexes = [models.Index(fields=["item", "price_list"], name="pricing_pli_item_idx")]

    def __str__(self) -> str:
        return f"{self.price_list_id}/{self.item_id} ≥{self.min_quantity}: {self.unit_price}"


class PriceFloor(DealerOwnedModel):
    """The lowest unit price an item may be sold at (in a region and its descendants, or everywhere)."""

    item = models.ForeignKey(
        "catalog.Item", on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    region = models.ForeignKey(
        "org.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("Empty: everywhere."),
    )
    floor_price = UnitPriceField(
        _("floor unit price (tax incl.)"), validators=[MinValueValidator(Decimal(0))]
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()
    scope_spec = ScopeSpec(dealer="dealer")

    class Meta:
        verbose_name = _("price floor")
        verbose_name_plural = _("price floors")
        ordering = ["dealer_id", "item_id", "region_id"]
        constraints = [
            models.CheckConstraint(condition=Q(floor_price__gte=0), name="pricing_pricefloor_price"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="pricing_pricefloor_validity",
            ),
        ]
        indexes = [models.Index(fields=["item", "is_active"], name="pricing_floor_item_idx")]

    def __str__(self) -> str:
        return f"{self.item_id} ≥ {self.floor_price}"
