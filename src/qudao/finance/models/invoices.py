"""Invoices (from sales order lines, amounts frozen) and credit notes that reverse them in part or whole."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import F, Q, Value
from django.utils.translation import gettext_lazy as _

from qudao.core.models import DealerOwnedModel
from qudao.core.money import CurrencyField, MoneyField, UnitPriceField
from qudao.core.quantity import QuantityField
from qudao.core.scoping import ScopeSpec
from qudao.finance.models._fields import fk, user_fk
from qudao.finance.states import INVOICE_MACHINE, CreditReason, InvoiceState

RATE = {"max_digits": 5, "decimal_places": 4, "default": 0}


#: half a cent: SQLite keeps decimals as binary floating point, so an exact equality of a sum can
#: fail on the last bit (108.25 + 15.20 ≠ 123.45); PostgreSQL's numeric is exact either way
_HALF_CENT = Value(Decimal("0.005"))


def _about(left, right) -> Q:
    """left = right, to the cent, as a CHECK that holds on both databases."""
    return Q(**{f"{left.name}__gte": right - _HALF_CENT, f"{left.name}__lte": right + _HALF_CENT})


class Invoice(DealerOwnedModel):
    """A customer invoice. Totals are the sums of its rounded lines; open = total − paid − credited."""

    number = models.CharField(_("number"), max_length=40, editable=False)
    customer = models.ForeignKey(
        "parties.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    currency = CurrencyField(_("currency"))
    state = models.CharField(
        _("state"), max_length=10, choices=InvoiceState.choices, default=InvoiceState.DRAFT
    )
    invoice_date = models.DateField(_("invoice date"))
    due_date = models.DateField(_("due date"))
    basis = models.CharField(_("invoiced from"), max_length=8, blank=True)
    orders = models.ManyToManyField(
        "sales.SalesOrder", related_name="+", blank=True, verbose_name=_("source orders")
    )
    net_total = MoneyField(_("total (tax excl.)"), default=0)
    tax_total = MoneyField(_("tax"), default=0)
    total = MoneyField(_("total (tax incl.)"), default=0)
    amount_paid = MoneyField(_("paid"), default=0)
    amount_credited = MoneyField(_("credited"), default=0)
    open_amount = MoneyField(_("open"), default=0)
    # snapshots for the analyses
    channel = fk("org.Channel", _("channel"))
    region = fk("org.Region", _("region"))
    sales_rep = user_fk(_("sales representative"))
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)
    created_by = user_fk(_("created by"))

    state_machine = INVOICE_MACHINE
    scope_spec = ScopeSpec(dealer="dealer")

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-id"]
        permissions = [
            ("issue_invoice", _("Can issue invoices")),
            ("cancel_invoice", _("Can cancel invoices")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["dealer", "number"], name="finance_invoice_number_unique"),
            models.CheckConstraint(
                condition=Q(total__gte=0)
                & Q(amount_paid__gte=0)
                & Q(amount_credited__gte=0)
                & Q(open_amount__gte=0),
                name="finance_invoice_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=_about(F("open_amount"), F("total") - F("amount_paid") - F("amount_credited")),
                name="finance_invoice_open_is_rest",
            ),
            models.CheckConstraint(
                condition=_about(F("total"), F("net_total") + F("tax_total")),
                name="finance_invoice_total_is_net_tax",
            ),
            models.CheckConstraint(condition=Q(due_date__gte=F("invoice_date")), name="finance_invoice_due"),
        ]
        indexes = [
            models.Index(fields=["dealer", "-id"], name="finance_invoice_dealer_idx"),
            models.Index(fields=["dealer", "state", "-id"], name="finance_invoice_state_idx"),
            models.Index(fields=["dealer", "customer", "invoice_date"], name="finance_invoice_cust_idx"),
            models.Index(fields=["dealer", "invoice_date"], name="finance_invoice_date_idx"),
            models.Index(
                fields=["dealer", "customer", "due_date"],
                condition=Q(state__in=["issued", "partial"]),
                name="finance_invoice_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class InvoiceLine(DealerOwnedModel):
    """One invoiced quantity of an order line (or a free line). Amounts tax-inclusive, rounded to cents."""

    invoice = models.ForeignKey(
        Invoice, on_delete=models.CASCADE, related_name="lines", verbose_name=_("invoice")
    )
    line_no = models.PositiveIntegerField(_("line"))
    sales_order = fk("sales.SalesOrder", _("sales order"))
    sales_order_line = fk("sales.SalesOrderLine", _("sales order line"))
    item = fk("catalog.Item", _("item"))
    description = models.CharField(_("description"), max_length=300, blank=True)
    quantity = QuantityField(_("quantity (base unit)"))
    unit_price = UnitPriceField(_("unit price (tax incl.)"), default=0)
    amount = MoneyField(_("amount (tax incl.)"))
    tax_rate = models.DecimalField(_("tax rate"), **RATE)
    tax_amount = MoneyField(_("tax"), default=0)
    net_amount = MoneyField(_("amount (tax excl.)"), default=0)
    credited_amount = MoneyField(_("credited"), default=0)
    credited_tax = MoneyField(_("credited tax"), default=0)
    # snapshots for the analyses
    channel = fk("org.Channel", _("channel"))
    region = fk("org.Region", _("region"))
    sales_rep = user_fk(_("sales representative"))
    category = fk("catalog.Category", _("category"))

    scope_spec = ScopeSpec(dealer="dealer")

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice_id", "line_no"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "line_no"], name="finance_invoiceline_no_unique"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="finance_invoiceline_qty"),
            models.CheckConstraint(
                condition=Q(amount__gte=0) & _about(F("amount"), F("net_amount") + F("tax_amount")),
                name="finance_invoiceline_amounts",
            ),
            models.CheckConstraint(
                condition=Q(credited_amount__gte=0)
                & Q(credited_amount__lte=F("amount"))
                & Q(credited_tax__gte=0)
                & Q(credited_tax__lte=F("tax_amount")),
                name="finance_invoiceline_credited_within",
            ),
        ]
        indexes = [models.Index(fields=["sales_order_line"], name="finance_invoiceline_sol_idx")]

    def __str__(self) -> str:
        return f"{self.invoice_id}/{self.line_no}"


class CreditNote(DealerOwnedModel):
    """Reverses part or all of an invoice (return, price adjustment, rebate, cancellation)."""

    number = models.CharField(_("number"), max_length=40, editable=False)
    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="credit_notes", verbose_name=_("invoice")
    )
    customer = models.ForeignKey(
        "parties.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    currency = CurrencyField(_("currency"))
    credit_date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=8, choices=CreditReason.choices)
    net_total = MoneyField(_("total (tax excl.)"), default=0)
    tax_total = MoneyField(_("tax"), default=0)
    total = MoneyField(_("total (tax incl.)"), default=0)
    note = models.CharField(_("note"), max_length=500, blank=True)
    channel = fk("org.Channel", _("channel"))
    region = fk("org.Region", _("region"))
    created_by = user_fk(_("created by"))

    scope_spec = ScopeSpec(dealer="dealer")

    class Meta:
        verbose_name = _("credit note")
        verbose_name_plural = _("credit notes")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["dealer", "number"], name="finance_creditnote_number_unique"),
            models.CheckConstraint(
                condition=Q(total__gt=0) & _about(F("total"), F("net_total") + F("tax_total")),
                name="finance_creditnote_total",
            ),
        ]
        indexes = [
            models.Index(fields=["dealer", "-id"], name="finance_creditnote_dealer_idx"),
            models.Index(fields=["dealer", "customer", "credit_date"], name="finance_creditnote_cust_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class CreditNoteLine(DealerOwnedModel):
    credit_note = models.ForeignKey(
        CreditNote, on_delete=models.CASCADE, related_name="lines", verbose_name=_("credit note")
    )
    invoice_line = models.ForeignKey(
        InvoiceLine, on_delete=models.PROTECT, related_name="+", verbose_name=_("invoice line")
    )
    item = fk("catalog.Item", _("item"))
    quantity = QuantityField(_("quantity (base unit)"), default=0)
    amount = MoneyField(_("amount (tax incl.)"))
    tax_rate = models.DecimalField(_("tax rate"), **RATE)
    tax_amount = MoneyField(_("tax"), default=0)
    net_amount = MoneyField(_("amount (tax excl.)"), default=0)

    scope_spec = ScopeSpec(dealer="dealer")

    class Meta:
        verbose_name = _("credit note line")
        verbose_name_plural = _("credit note lines")
        ordering = ["credit_note_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0) & _about(F("amount"), F("net_amount") + F("tax_amount")),
                name="finance_creditnoteline_amounts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.credit_note_id}/{self.pk}"
