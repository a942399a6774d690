"""Pricing in the console: price lists with their tiers inline, promotions, coupons, floors, rebate
programs (with a read-only accrual view per customer), the rebate ledgers read-only, and the price
simulator page (admin_simulator.py). Everything scoped to the user's dealers by QudaoModelAdmin."""

from __future__ import annotations

from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext_lazy as _
from unfold.admin import TabularInline

from qudao.core.admin import QudaoModelAdmin, QudaoReadOnlyAdmin, ScopedAdminMixin
from qudao.pricing.admin_simulator import accruals_view, simulator_view
from qudao.pricing.models import (
    BundleComponent,
    Coupon,
    PriceFloor,
    PriceList,
    PriceListItem,
    Promotion,
    RebateLedgerEntry,
    RebateProgram,
    RebateSettlement,
    RebateTier,
)


class DealerInline(ScopedAdminMixin, TabularInline):
    """An inline whose rows take the dealer of their parent."""

    extra = 0
    dealer_field = None

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        parent = obj

        class Formset(formset):
            def save_new(self, form, commit=True):
                form.instance.dealer_id = parent.dealer_id if parent else self.instance.dealer_id
                return super().save_new(form, commit)

        return Formset


class PriceListItemInline(DealerInline):
    model = PriceListItem
    fields = ("item", "min_quantity", "unit_price")
    autocomplete_fields = ("item",)
    exclude = ("dealer",)


@admin.register(PriceList)
class PriceListAdmin(QudaoModelAdmin):
    list_display = (
        "code",
        "name",
        "scope",
        "channel",
        "customer_group",
        "region",
        "customer",
        "priority",
        "valid_from",
        "valid_to",
        "is_active",
    )
    list_filter = ("scope", "is_active")
    search_fields = ("code", "name")
    list_select_related = ("channel", "customer_group", "region", "customer")
    autocomplete_fields = ("region", "customer")
    inlines = [PriceListItemInline]
    readonly_state_fields = ("version",)

    def get_urls(self):
        return [
            path("simulator/", self.admin_site.admin_view(simulator_view), name="pricing_simulator"),
            path("accruals/", self.admin_site.admin_view(accruals_view), name="pricing_accruals"),
            *super().get_urls(),
        ]

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


class BundleComponentInline(DealerInline):
    model = BundleComponent
    fields = ("item", "quantity")
    autocomplete_fields = ("item",)


@admin.register(Promotion)
class PromotionAdmin(QudaoModelAdmin):
    list_display = (
        "code",
        "name",
        "kind",
        "priority",
        "stackable",
        "requires_coupon",
        "valid_from",
        "valid_to",
        "is_active",
    )
    list_filter = ("kind", "stackable", "requires_coupon", "is_active")
    search_fields = ("code", "name")
    autocomplete_fields = ("items", "categories", "gift_item")
    inlines = [BundleComponentInline]
    readonly_state_fields = ("version",)

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(Coupon)
class CouponAdmin(QudaoModelAdmin):
    list_display = (
        "code",
        "promotion",
        "customer",
        "valid_from",
        "valid_to",
        "is_active",
        "redeemed_at",
        "reference_type",
        "reference_id",
    )
    list_filter = ("is_active", ("redeemed_at", admin.EmptyFieldListFilter))
    search_fields = ("code", "promotion__code")
    list_select_related = ("promotion", "customer")
    autocomplete_fields = ("customer",)
    readonly_state_fields = ("redeemed_at", "redeemed_by", "reference_type", "reference_id")


@admin.register(PriceFloor)
class PriceFloorAdmin(QudaoModelAdmin):
    list_display = ("item", "region", "floor_price", "valid_from", "valid_to", "is_active")
    list_filter = ("is_active",)
    search_fields = ("item__sku", "item__name")
    list_select_related = ("item", "region")
    autocomplete_fields = ("item", "region")


class RebateTierInline(DealerInline):
    model = RebateTier
    fields = ("threshold", "rate")


@admin.register(RebateProgram)
class RebateProgramAdmin(QudaoModelAdmin):
    list_display = ("code", "name", "period", "customer_scope", "valid_from", "valid_to", "is_active")
    list_filter = ("period", "customer_scope", "is_active")
    search_fields = ("code", "name")
    autocomplete_fields = ("customers",)
    inlines = [RebateTierInline]
    readonly_state_fields = ("version",)


@admin.register(RebateSettlement)
class RebateSettlementAdmin(QudaoReadOnlyAdmin):
    list_display = ("program", "customer", "period_start", "period_end", "volume", "rate", "amount")
    list_filter = ("period_start",)
    search_fields = ("customer__name", "program__code")
    list_select_related = ("program", "customer")


@admin.register(RebateLedgerEntry)
class RebateLedgerEntryAdmin(QudaoReadOnlyAdmin):
    list_display = ("created_at", "customer", "amount", "balance_after", "reference_type", "reference_id")
    search_fields = ("customer__name",)
    list_select_related = ("customer",)

    # the accrual page of a customer is reached from the rebate programs (admin_simulator.accruals_view)
    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "title": _("Rebate ledger")}
        return super().changelist_view(request, extra_context)
