"""Cumulative rebates (满10万返2%): programs with tiers, the volume each customer buys, settlements
per closed period and the rebate balance they credit."""

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
from qudao.pricing.choices import RebateBasis, RebateCustomerScope, RebatePeriod


class RebateProgram(DealerOwnedModel):
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=120)
    period = models.CharField(_("period"), max_length=8, choices=RebatePeriod.choices)
    basis = models.CharField(
        _("basis"), max_length=16, choices=RebateBasis.choices, default=RebateBasis.TAX_INCLUSIVE
    )
    customer_scope = models.CharField(
        _("customers"), max_length=10, choices=RebateCustomerScope.choices, default=RebateCustomerScope.ALL
    )
    customer_group = models.ForeignKey(
        "parties.CustomerGroup",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("customer group"),
    )
    channel = models.ForeignKey(
        "org.Channel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("channel"),
    )
    customers = models.ManyToManyField(
        "parties.Customer", blank=True, related_name="+", verbose_name=_("listed customers")
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    history = HistoricalRecords()
    scope_spec = ScopeSpec(dealer="dealer")

    class Meta:
        verbose_name = _("rebate program")
        verbose_name_plural = _("rebate programs")
        ordering = ["dealer_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["dealer", "code"], name="pricing_rebateprogram_code_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="pricing_rebateprogram_validity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class RebateTier(DealerOwnedModel):
    """From `threshold` of period volume, `rate` applies to the whole volume of the period."""

    program = models.ForeignKey(RebateProgram, on_delete=models.CASCADE, related_name="tiers")
    threshold = MoneyField(_("threshold"), validators=[MinValueValidator(Decimal("0.01"))])
    rate = models.DecimalField(
        _("rate"),
        max_digits=6,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(Decimal(1))],
        help_text=_("e.g. 0.0200 for 2%"),
    )

    scope_spec = ScopeSpec(dealer="dealer")

    class Meta:
        verbose_name = _("rebate tier")
        verbose_name_plural = _("rebate tiers")
        ordering = ["program_id", "threshold"]
        constraints = [
            models.UniqueConstraint(fields=["program", "threshold"], name="pricing_rebatetier_unique"),
            models.CheckConstraint(condition=Q(rate__gt=0, rate__lte=1), name="pricing_rebatetier_rate"),
            models.CheckConstraint(condition=Q(threshold__gt=0), name="pricing_rebatetier_threshold"),
        ]

    def __str__(self) -> str:
        return f"≥{self.threshold}: {self.rate}"


class RebateVolume(DealerOwnedModel):
    """What a customer bought (negative for a return), once per source document line."""

    customer = models.ForeignKey("parties.Customer", on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("date"))
    amount = MoneyField(_("amount (tax incl.)"))
    source_type = models.CharField(_("source"), max_length=60)
    source_id = models.BigIntegerField(_("source id"))
    source_line_id = models.BigIntegerField(_("source line id"), null=True, blank=True)

    scope_spec = ScopeSpec(dealer="dealer")

    class Meta:
        verbose_name = _("rebate volume")
        verbose_name_plural = _("rebate volumes")
        constraints = [
            models.UniqueConstraint(
                fields=["dealer", "source_type", "source_id", "source_line_id"],
                name="pricing_rebatevolume_source_line_unique",
                condition=Q(source_line_id__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["dealer", "source_type", "source_id"],
                name="pricing_rebatevolume_source_unique",
                condition=Q(source_line_id__isnull=True),
            ),
        ]
        indexes = [models.Index(fields=["dealer", "customer", "on"], name="pricing_rebatevol_cust_idx")]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.on}: {self.amount}"


class RebateSettlementRun(DealerOwnedModel):
    """A program's period, settled once."""

    program = models.ForeignKey(RebateProgram, on_delete=models.PROTECT, related_name="runs")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    total = MoneyField(_("total rebate"), default=0)
    settled_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_spec = ScopeSpec(dealer="dealer")

    class Meta:
        verbose_name = _("rebate settlement run")
        verbose_name_plural = _("rebate settlement runs")
        constraints = [
            models.UniqueConstraint(fields=["program", "period_start"], name="pricing_rebaterun_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.program_id} {self.period_start}"


class RebateSettlement(DealerOwnedModel):
    run = models.ForeignKey(RebateSettlementRun, on_delete=models.PROTECT, related_name="settlements")
    program = models.ForeignKey(RebateProgram, on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey("parties.Customer", on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    volume = MoneyField(_("volume"))
    rate = models.DecimalField(_("rate"), max_digits=6, decimal_places=4)
    amount = MoneyField(_("rebate"))

    scope_spec = ScopeSpec(dealer="dealer")

    class Meta:
        verbose_name = _("rebate settlement")
        verbose_name_plural = _("rebate settlements")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "customer", "period_start"], name="pricing_rebatesettlement_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.period_start}: {self.amount}"


class RebateBalance(DealerOwnedModel):
    """The rebate a customer can still use; never below zero (conditional update + constraint)."""

    customer = models.ForeignKey("parties.Customer", on_delete=models.PROTECT, related_name="+")
    balance = MoneyField(_("balance"), default=0)

    scope_spec = ScopeSpec(dealer="dealer")

    class Meta:
        verbose_name = _("rebate balance")
        verbose_name_plural = _("rebate balances")
        constraints = [
            models.UniqueConstraint(fields=["dealer", "customer"], name="pricing_rebatebalance_unique"),
            models.CheckConstraint(condition=Q(balance__gte=0), name="pricing_rebatebalance_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.balance}"


class RebateLedgerEntry(DealerOwnedModel):
    """+credit (a settlement) or −use (e.g. paying an invoice) of a customer's rebate balance."""

    customer = models.ForeignKey("parties.Customer", on_delete=models.PROTECT, related_name="+")
    amount = MoneyField(_("amount"))
    reference_type = models.CharField(_("reference"), max_length=60)
    reference_id = models.BigIntegerField(_("reference id"))
    settlement = models.ForeignKey(
        RebateSettlement, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    balance_after = MoneyField(_("balance after"))

    scope_spec = ScopeSpec(dealer="dealer")

    class Meta:
        verbose_name = _("rebate ledger entry")
        verbose_name_plural = _("rebate ledger entries")
        ordering = ["-id"]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="pricing_rebateledger_not_zero")]
        indexes = [models.Index(fields=["dealer", "customer"], name="pricing_rebateledger_cust_idx")]

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.amount}"
