"""Shipments in the console: the list (by state, site), a shipment page with its lines, packages and
proof of delivery (with the photo), and workflow actions that call the services (ship, cancel, deliver,
pick list). Registered from sales/admin.py."""

from __future__ import annotations

from django.contrib import admin
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from unfold.admin import TabularInline
from unfold.decorators import action

from qudao.core.admin import QudaoModelAdmin
from qudao.core.admin import run_for_each as _run
from qudao.sales import services
from qudao.sales.models import (
    ReturnLine,
    ReturnRequest,
    Shipment,
    ShipmentLine,
    ShipmentPackage,
    ShipmentState,
)


@admin.action(description=_("Draft shipments (everything reserved, one per site)"), permissions=["change"])
def draft_shipments(modeladmin, request, queryset):
    """An action of the order list: one draft shipment per site where the order holds stock."""
    from qudao.sales.services._fulfilment import reserved_sites

    def draft(actor, pk):
        for site_id in reserved_sites(pk) or [None]:
            services.create_shipment(actor=actor, order_id=pk, data={"site_id": site_id} if site_id else {})

    _run(modeladmin, request, queryset, draft, _("Shipments drafted for %(count)d orders."))


class OrderShipmentInline(TabularInline):
    """The shipments of an order, on the order page."""

    model = Shipment
    fk_name = "order"
    extra = 0
    fields = ("number", "site", "state", "carrier_name", "tracking_number", "shipped_at", "delivered_at")
    readonly_fields = fields
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("shipments")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("site")

    def has_add_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("sales.view_shipment")


class ShipmentLineInline(TabularInline):
    model = ShipmentLine
    extra = 0
    fields = ("order_line", "item", "quantity", "lot", "serial_numbers", "delivered_quantity")
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("order_line", "item", "lot")

    def has_add_permission(self, request, obj=None):
        return False


class ShipmentPackageInline(TabularInline):
    model = ShipmentPackage
    extra = 0
    fields = ("number", "weight_kg", "dimensions", "tracking_number")

    def has_add_permission(self, request, obj=None):
        return obj is not None and obj.state == ShipmentState.DRAFT

    def has_change_permission(self, request, obj=None):
        return (
            obj is not None
            and obj.state == ShipmentState.DRAFT
            and request.user.has_perm("sales.change_shipment")
        )

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)


@admin.register(Shipment)
class ShipmentAdmin(QudaoModelAdmin):
    list_display = (
        "number",
        "order",
        "customer",
        "site",
        "state",
        "carrier_name",
        "tracking_number",
        "shipped_at",
        "delivered_at",
    )
    list_filter = ("state", "site", ("shipped_at", admin.DateFieldListFilter))
    search_fields = ("=number", "=tracking_number", "=order__number")
    list_select_related = ("order", "order__customer", "site")
    ordering = ("-id",)
    fieldsets = (
        (None, {"fields": ("number", "dealer", "order", "site", "state", "version")}),
        (_("Carrier"), {"fields": ("carrier", "carrier_name", "tracking_number", "notes")}),
        (_("Dates"), {"fields": ("created_at", "shipped_at", "delivered_at", "cancelled_at", "created_by")}),
        (_("Proof of delivery"), {"fields": ("proof_display",)}),
    )
    readonly_state_fields = (
        "number",
        "dealer",
        "order",
        "site",
        "state",
        "version",
        "created_at",
        "shipped_at",
        "delivered_at",
        "cancelled_at",
        "created_by",
        "proof_display",
    )
    inlines = [ShipmentLineInline, ShipmentPackageInline]
    actions = ["ship_selected", "cancel_selected"]
    actions_list = ["pick_list"]
    actions_detail = ["deliver"]

    @admin.display(description=_("customer"))
    def customer(self, obj):
        return obj.order.customer

    @admin.display(description=_("proof of delivery"))
    def proof_display(self, obj):
        proof = getattr(obj, "proof", None)
        if proof is None:
            return _("Not delivered yet.")
        rows = [
            (_("signed by"), proof.signer_name),
            (_("signed at"), timezone.localtime(proof.signed_at).strftime("%Y-%m-%d %H:%M")),
            (_("place"), f"{proof.latitude}, {proof.longitude}" if proof.latitude is not None else "—"),
            (_("accuracy (m)"), proof.accuracy_m if proof.accuracy_m is not None else "—"),
            (_("note"), proof.note or "—"),
            (_("captured by"), proof.captured_by or "—"),
        ]
        table = format_html_join("", "<tr><th class='pr-4 text-left'>{}</th><td>{}</td></tr>", rows)
        photo = (
            format_html(
                "<a href='{0}' target='_blank'><img src='{0}' alt='{1}' "
                "style='max-width:320px;max-height:320px;border-radius:.375rem;margin-top:.5rem'></a>",
                reverse("admin:sales_shipment_proof_photo", args=[obj.pk]),
                _("photo"),
            )
            if proof.photo
            else ""
        )
        return format_html("<table>{}</table>{}", table, photo)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("proof", "proof__captured_by")

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is not None and obj.state != ShipmentState.DRAFT:
            fields += ("carrier", "carrier_name", "tracking_number", "notes")  # it has left
        return fields

    def get_urls(self):
        from qudao.sales.views_fulfilment import deliver_view, pick_list_view, proof_photo_view

        custom = [
            path("pick-list/", self.admin_site.admin_view(pick_list_view), name="sales_shipment_pick_list"),
            path(
                "<int:shipment_id>/deliver/",
                self.admin_site.admin_view(deliver_view),
                name="sales_shipment_deliver",
            ),
            path(
                "<int:shipment_id>/proof-photo/",
                self.admin_site.admin_view(proof_photo_view),
                name="sales_shipment_proof_photo",
            ),
        ]
        return custom + super().get_urls()

    def has_add_permission(self, request):
        return False  # drafted from an order (action on the order list, or the API)

    def has_delete_permission(self, request, obj=None):
        return False  # cancelled, never deleted

    def has_import_permission(self, request):
        return False

    @admin.action(description=_("Ship selected shipments"), permissions=["change"])
    def ship_selected(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda actor, pk: services.ship_shipment(actor=actor, shipment_id=pk),
            _("%(count)d shipments shipped."),
        )

    @admin.action(description=_("Cancel selected draft shipments"), permissions=["change"])
    def cancel_selected(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda actor, pk: services.cancel_shipment(actor=actor, shipment_id=pk),
            _("%(count)d shipments cancelled."),
        )

    @action(description=_("Pick list"), url_path="pick-list-action")
    def pick_list(self, request):
        from django.shortcuts import redirect

        return redirect(reverse("admin:sales_shipment_pick_list"))

    @action(description=_("Confirm delivery"), url_path="deliver-action")
    def deliver(self, request, object_id):
        from django.shortcuts import redirect

        return redirect(reverse("admin:sales_shipment_deliver", args=[object_id]))


class ReturnLineInline(TabularInline):
    model = ReturnLine
    extra = 0
    fields = (
        "order_line",
        "item",
        "quantity",
        "lot",
        "disposition",
        "reason",
        "unit_price",
        "amount",
        "credit_quantity",
    )
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("order_line", "item", "lot")

    def has_add_permission(self, request, obj=None):
        return False


class OrderReturnInline(TabularInline):
    """The returns of an order, on the order page."""

    model = ReturnRequest
    fk_name = "order"
    extra = 0
    fields = ("number", "state", "amount", "site", "received_at", "credit_notes")
    readonly_fields = fields
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("returns")

    def has_add_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("sales.view_returnrequest")


@admin.register(ReturnRequest)
class ReturnRequestAdmin(QudaoModelAdmin):
    list_display = ("number", "order", "customer", "site", "state", "amount", "received_at", "created_at")
    list_filter = ("state", "site")
    search_fields = ("=number", "=order__number")
    list_select_related = ("order", "customer", "site")
    ordering = ("-id",)
    fields = (
        "number",
        "dealer",
        "order",
        "customer",
        "site",
        "state",
        "reason",
        "amount",
        "decision_note",
        "credit_notes",
        "requested_by",
        "decided_by",
        "decided_at",
        "received_by",
        "received_at",
        "closed_at",
        "version",
    )
    readonly_state_fields = fields
    inlines = [ReturnLineInline]
    actions = ["approve_selected", "reject_selected", "receive_selected", "cancel_selected"]

    def has_add_permission(self, request):
        return False  # requested from a delivered order (API, portal)

    def has_delete_permission(self, request, obj=None):
        return False

    def has_import_permission(self, request):
        return False

    @admin.action(description=_("Approve selected returns"), permissions=["change"])
    def approve_selected(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda actor, pk: services.approve_return(actor=actor, return_id=pk),
            _("%(count)d returns approved."),
        )

    @admin.action(description=_("Reject selected returns"), permissions=["change"])
    def reject_selected(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda actor, pk: services.reject_return(actor=actor, return_id=pk),
            _("%(count)d returns rejected."),
        )

    @admin.action(description=_("Receive the goods of selected returns"), permissions=["change"])
    def receive_selected(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda actor, pk: services.receive_return(actor=actor, return_id=pk),
            _("%(count)d returns received."),
        )

    @admin.action(description=_("Cancel selected returns"), permissions=["change"])
    def cancel_selected(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda actor, pk: services.cancel_return(actor=actor, return_id=pk),
            _("%(count)d returns cancelled."),
        )
