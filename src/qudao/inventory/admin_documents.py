"""Transfers and stocktakes in the console. States, quantities and numbers are read-only: they change
through the actions, which call the services (so the console obeys the same rules as the API)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.admin import TabularInline

from qudao.core.admin import QudaoModelAdmin
from qudao.core.admin import run_for_each as _run
from qudao.core.scoping import get_actor
from qudao.inventory.models import StocktakeSession, Transfer, TransferDiscrepancy, TransferLine
from qudao.inventory.services import stocktakes, transfer_receipts, transfers
from qudao.inventory.states import TransferState


class TransferLineInline(TabularInline):
    model = TransferLine
    extra = 0
    fields = ("item", "quantity", "lot", "serials", "shipped_quantity", "received_quantity")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("inventory.view_transfer")  # lines are part of the transfer


@admin.register(Transfer)
class TransferAdmin(QudaoModelAdmin):
    list_display = ("number", "from_site", "to_site", "state", "shipped_at", "received_at", "created_at")
    list_filter = (
        "state",
        ("from_site", admin.RelatedOnlyFieldListFilter),
        ("to_site", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("number", "note", "lines__item__sku")
    list_select_related = ("from_site", "to_site")
    date_hierarchy = "created_at"
    fields = (
        "number",
        "dealer",
        "from_site",
        "to_site",
        "state",
        "version",
        "note",
        "shipped_at",
        "received_at",
        "edit_lines",
    )
    readonly_state_fields = fields
    inlines = [TransferLineInline]
    actions = ["ship_selected", "receive_all_selected", "close_selected", "cancel_selected"]

    def add_view(self, request, form_url="", extra_context=None):
        # a draft is written by the service from the line editor (the same rules as the API)
        return HttpResponseRedirect(reverse("inventory_transfer_new"))

    @admin.display(description=_("lines"))
    def edit_lines(self, obj: Transfer) -> str:
        if obj.pk is None or obj.state != TransferState.DRAFT:
            return "—"
        return format_html(
            '<a class="qb-link" href="{}">{}</a>',
            reverse("inventory_transfer_edit", args=[obj.pk]),
            _("Edit lines"),
        )

    def has_import_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("discrepancies"))
    def discrepancies(self, obj: Transfer) -> str:
        rows = (
            TransferDiscrepancy.objects.filter(line__transfer=obj).select_related("line__item").order_by("pk")
        )
        return (
            "; ".join(f"{d.line.item.sku}: {d.get_kind_display()} {d.quantity.normalize()}" for d in rows)
            or "—"
        )

    @admin.action(description=_("Ship selected transfers"), permissions=["change"])
    def ship_selected(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda actor, pk: transfers.ship_transfer(actor=actor, transfer_id=pk),
            _("%(count)s transfers shipped."),
        )

    @admin.action(description=_("Receive everything in transit"), permissions=["change"])
    def receive_all_selected(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda actor, pk: transfer_receipts.receive_transfer(actor=actor, transfer_id=pk),
            _("%(count)s transfers received."),
        )

    @admin.action(description=_("Close: record what is missing as short"), permissions=["change"])
    def close_selected(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda actor, pk: transfer_receipts.close_transfer(actor=actor, transfer_id=pk),
            _("%(count)s transfers closed."),
        )

    @admin.action(description=_("Cancel selected drafts"), permissions=["change"])
    def cancel_selected(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda actor, pk: transfers.cancel_transfer(actor=actor, transfer_id=pk),
            _("%(count)s transfers cancelled."),
        )


@admin.register(StocktakeSession)
class StocktakeSessionAdmin(QudaoModelAdmin):
    list_display = ("number", "site", "zone", "kind", "blind", "state", "started_at", "posted_at", "pages")
    list_filter = ("state", "kind", "blind", ("site", admin.RelatedOnlyFieldListFilter))
    search_fields = ("number", "note")
    list_select_related = ("site", "zone")
    autocomplete_fields = ("site", "zone")
    date_hierarchy = "created_at"
    actions = ["start_selected", "post_selected", "cancel_selected"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("site", "zone", "kind", "blind", "note")
        return (
            "number",
            "site",
            "zone",
            "kind",
            "blind",
            "state",
            "note",
            "started_at",
            "posted_at",
            "posted_by",
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return self.get_fields(request, obj)

    def has_import_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """A new session is opened by the service (number, dealer, validation of site and zone)."""
        data = {
            "site_id": form.cleaned_data["site"].pk,
            "zone_id": form.cleaned_data["zone"].pk if form.cleaned_data.get("zone") else None,
            "kind": form.cleaned_data["kind"],
            "blind": form.cleaned_data["blind"],
            "note": form.cleaned_data.get("note") or "",
        }
        created = stocktakes.create_stocktake(actor=get_actor(request), data=data)
        obj.pk, obj.number, obj.dealer_id = created.pk, created.number, created.dealer_id
        obj._state.adding = False

    @admin.display(description=_("pages"))
    def pages(self, obj: StocktakeSession):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("inventory:stocktake-scan", args=[obj.pk]),
            _("Scan"),
            reverse("inventory:stocktake-review", args=[obj.pk]),
            _("Review"),
        )

    @admin.action(description=_("Start counting (take the snapshot)"), permissions=["change"])
    def start_selected(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda actor, pk: stocktakes.start_stocktake(actor=actor, session_id=pk),
            _("%(count)s stocktakes started."),
        )

    @admin.action(description=_("Post variances as adjustments"), permissions=["change"])
    def post_selected(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda actor, pk: stocktakes.post_stocktake(actor=actor, session_id=pk),
            _("%(count)s stocktakes posted."),
        )

    @admin.action(description=_("Cancel selected stocktakes"), permissions=["change"])
    def cancel_selected(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda actor, pk: stocktakes.cancel_stocktake(actor=actor, session_id=pk),
            _("%(count)s stocktakes cancelled."),
        )
