"""Choices of the pricing models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PriceListScope(models.TextChoices):
    DEFAULT = "default", _("Default (every customer)")
    CHANNEL = "channel", _("Channel")
    CUSTOMER_GROUP = "customer_group", _("Customer group")
    REGION = "region", _("Region")
    CUSTOMER = "customer", _("Customer")


class PromotionKind(models.TextChoices):
    PERCENT_OFF = "percent_off", _("Percent off items")
    AMOUNT_OFF = "amount_off", _("Amount off per unit")
    ORDER_PERCENT = "order_percent", _("Percent off the order")
    ORDER_AMOUNT = "order_amount", _("Amount off the order")
    SPEND_SAVE = "spend_save", _("Spend X, save Y")
    BUNDLE = "bundle", _("Bundle price")
    BUY_GET = "buy_get", _("Buy X, get Y free")


LINE_KINDS = (PromotionKind.PERCENT_OFF, PromotionKind.AMOUNT_OFF)
ORDER_KINDS = (PromotionKind.ORDER_PERCENT, PromotionKind.ORDER_AMOUNT, PromotionKind.SPEND_SAVE)


class RebatePeriod(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class RebateBasis(models.TextChoices):
    TAX_INCLUSIVE = "tax_inclusive", _("Tax-inclusive sales amount")


class RebateCustomerScope(models.TextChoices):
    ALL = "all", _("All customers")
    GROUP = "group", _("A customer group")
    CHANNEL = "channel", _("A channel")
    CUSTOMERS = "customers", _("Listed customers")
