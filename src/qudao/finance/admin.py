"""Receivables in the console: invoices (lines and payments inline, workflow actions), credit notes
(read only), payments (recorded through the service, allocations inline), and the statement, ageing,
record-payment and invoice-orders pages (admin_pages.py). Everything scoped by QudaoModelAdmin."""

from __future__ import annotations

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from unfold.admin import TabularInline

from qudao.core.admin import QudaoModelAdmin, QudaoReadOnlyAdmin
from qudao.core.admin import run_for_each as _run
from qudao.finance import admin_pages, services
from qudao.finance.models import CreditNote, CreditNoteLine, Invoice, InvoiceLine, Payment, PaymentAllocation


class ReadOnlyInline(TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False


class InvoiceLineInline(ReadOnlyInline):
    model = InvoiceLine
    fields = (
        "line_no",
        "sales_order",
        "item",
        "description",
        "quantity",
        "unit_price",
        "amount",
        "tax_rate",
        "tax_amount",
        "net_amount",
        "credited_amount",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("sales_order", "item")


class InvoiceAllocationInline(ReadOnlyInline):
    model = PaymentAllocation
    fk_name = "invoice"
    fields = ("payment", "amount", "is_reversed", "created_at")
    verbose_name_plural = _("payments")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("payment")


@admin.register(Invoice)
class InvoiceAdmin(QudaoModelAdmin):
    list_display = (
        "number",
        "customer",
        "invoice_date",
        "due_date",
        "state",
        "total",
        "amount_paid",
        "open_amount",
        "currency",
    )
    list_filter = ("state", "invoice_date", "due_date")
    search_fields = ("number", "customer__name", "customer__code")
    list_select_related = ("customer",)
    date_hierarchy = "invoice_date"
    fields = (
        "number",
        "customer",
        "state",
        "invoice_date",
        "due_date",
        "basis",
        "orders",
        "currency",
        "net_total",
        "tax_total",
        "total",
        "amount_paid",
        "amount_credited",
        "open_amount",
        "channel",
        "region",
        "sales_rep",
        "issued_at",
        "cancelled_at",
        "version",
        "notes",
    )
    readonly_fields = fields[:-1]
    inlines = [InvoiceLineInline, InvoiceAllocationInline]
    actions = ["issue_selected", "cancel_selected"]

    def get_urls(self):
        return [
            path(
                "from-orders/",
                self.admin_site.admin_view(admin_pages.invoice_orders_view),
                name="finance_invoice_orders",
            ),
            path(
                "statement/", self.admin_site.admin_view(admin_pages.statement_view), name="finance_statement"
            ),
            path("ageing/", self.admin_site.admin_view(admin_pages.ageing_view), name="finance_ageing"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return redirect(reverse("admin:finance_invoice_orders"))

    def has_import_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # cancelled (a credit note reverses it), never deleted

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Issue selected invoices"), permissions=["change"])
    def issue_selected(self, request, queryset):
        if not request.user.has_perm("finance.issue_invoice"):
            self.message_user(request, _("You may not issue invoices."), messages.ERROR)
            return
        _run(
            self,
            request,
            queryset,
            lambda actor, pk: services.issue_invoice(actor=actor, invoice_id=pk),
            _("%(count)d invoices issued."),
        )

    @admin.action(
        description=_("Cancel selected invoices (credit note for what is open)"), permissions=["change"]
    )
    def cancel_selected(self, request, queryset):
        if not request.user.has_perm("finance.cancel_invoice"):
            self.message_user(request, _("You may not cancel invoices."), messages.ERROR)
            return
        _run(
            self,
            request,
            queryset,
            lambda actor, pk: services.cancel_invoice(actor=actor, invoice_id=pk),
            _("%(count)d invoices cancelled."),
        )


class CreditNoteLineInline(ReadOnlyInline):
    model = CreditNoteLine
    fields = ("invoice_line", "item", "quantity", "amount", "tax_rate", "tax_amount", "net_amount")


@admin.register(CreditNote)
class CreditNoteAdmin(QudaoReadOnlyAdmin):
    list_display = ("number", "invoice", "customer", "credit_date", "reason", "total", "currency")
    list_filter = ("reason", "credit_date")
    search_fields = ("number", "invoice__number", "customer__name")
    list_select_related = ("invoice", "customer")
    readonly_fields = (
        "number",
        "invoice",
        "customer",
        "credit_date",
        "reason",
        "net_total",
        "tax_total",
        "total",
        "currency",
        "note",
        "created_by",
    )
    fields = readonly_fields
    inlines = [CreditNoteLineInline]


class PaymentAllocationInline(ReadOnlyInline):
    model = PaymentAllocation
    fk_name = "payment"
    fields = ("invoice", "amount", "is_reversed", "created_at")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("invoice")


@admin.register(Payment)
class PaymentAdmin(QudaoModelAdmin):
    list_display = (
        "number",
        "customer",
        "payment_date",
        "method",
        "amount",
        "allocated_amount",
        "state",
        "reference",
    )
    list_filter = ("state", "method", "payment_date")
    search_fields = ("number", "reference", "customer__name", "customer__code")
    list_select_related = ("customer",)
    fields = (
        "number",
        "customer",
        "payment_date",
        "method",
        "currency",
        "amount",
        "allocated_amount",
        "state",
        "reference",
        "reversed_on",
        "reversal_reason",
        "created_by",
        "note",
    )
    readonly_fields = fields[:-1]
    inlines = [PaymentAllocationInline]
    actions = ["allocate_selected", "reverse_selected"]

    def get_urls(self):
        return [
            path(
                "record/",
                self.admin_site.admin_view(admin_pages.record_payment_view),
                name="finance_payment_record",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return redirect(reverse("admin:finance_payment_record"))

    def has_import_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # reversed, never deleted

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Allocate to the oldest open invoices"), permissions=["change"])
    def allocate_selected(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda actor, pk: services.allocate_payment(actor=actor, payment_id=pk),
            _("%(count)d payments allocated."),
        )

    @admin.action(description=_("Reverse selected payments"), permissions=["change"])
    def reverse_selected(self, request, queryset):
        if not request.user.has_perm("finance.reverse_payment"):
            self.message_user(request, _("You may not reverse payments."), messages.ERROR)
            return
        _run(
            self,
            request,
            queryset,
            lambda actor, pk: services.reverse_payment(actor=actor, payment_id=pk),
            _("%(count)d payments reversed."),
        )
