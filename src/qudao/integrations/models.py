"""Connectors to outside platforms: marketplace field mappings (platform order JSON → Qudao order)."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qudao.core.models import DealerOwnedModel
from qudao.core.scoping import ScopeSpec


class Platform(models.TextChoices):
    GENERIC = "generic", _("Generic marketplace")
    TMALL = "tmall", _("Tmall / Taobao")
    JD = "jd", _("JD.com")
    DOUYIN = "douyin", _("Douyin shop")
    PINDUODUO = "pinduoduo", _("Pinduoduo")
    WECHAT = "wechat", _("WeChat mini-shop")
    OTHER = "other", _("Other")


class MarketplaceMapping(DealerOwnedModel):
    """Where each Qudao order field is in one platform's order JSON (integrations/mapping.py)."""

    code = models.CharField(
        _("code"),
        max_length=40,
        validators=[RegexValidator(r"^[a-z0-9][a-z0-9_-]*$", _("Lower-case letters, digits, - and _."))],
        help_text=_("Used in the API path: /api/v1/integrations/marketplace/<code>/orders."),
    )
    name = models.CharField(_("name"), max_length=120)
    platform = models.CharField(
        _("platform"), max_length=16, choices=Platform.choices, default=Platform.GENERIC
    )
    channel = models.ForeignKey(
        "org.Channel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("channel"),
        help_text=_("The sales channel of the orders (empty: the customer's channel)."),
    )
    mapping = models.JSONField(_("field mapping"), default=dict)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    history = HistoricalRecords()
    scope_spec = ScopeSpec(dealer="dealer")

    class Meta:
        verbose_name = _("marketplace mapping")
        verbose_name_plural = _("marketplace mappings")
        ordering = ["dealer_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["dealer", "code"], name="integrations_mapping_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
