"""Fulfilment pages in the console: the printable pick list of a site (its draft shipments, by
location then item) and the delivery form (signer, time, place, photo) — both call one selector or
service, like the API."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qudao.core.errors import QudaoError
from qudao.core.scoping import Actor, get_actor, scoped
from qudao.org.models import Site
from qudao.sales import selectors_fulfilment as selectors
from qudao.sales import services
from qudao.sales.models import ShipmentState


def _actor(request: HttpRequest, perm: str) -> Actor:
    actor = get_actor(request)
    if not actor.has_perm(perm):
        raise PermissionDenied
    return actor


def _context(request: HttpRequest, title: str, **extra) -> dict:
    context = {"title": title, "opts": None, **extra}
    context.update(admin.site.each_context(request))
    return context


def pick_list_view(request: HttpRequest) -> HttpResponse:
    """/admin/sales/shipment/pick-list/?site=<id>: choose a site, see what to pick for its drafts."""
    actor = _actor(request, "sales.view_shipment")
    sites = list(scoped(Site.objects.filter(is_active=True), actor).order_by("name"))
    site = None
    raw = request.GET.get("site") or ""
    if raw.isdigit():
        site = next((s for s in sites if s.pk == int(raw)), None)
    elif len(sites) == 1:
        site = sites[0]
    rows = selectors.pick_list(actor=actor, site_id=site.pk) if site else []
    shipments = sorted({(r.shipment_number, r.order_number) for r in rows})
    context = _context(
        request,
        _("Pick list"),
        sites=sites,
        site=site,
        rows=rows,
        shipments=shipments,
        short=sum(1 for r in rows if r.short),
    )
    return render(request, "sales/pick_list.html", context)


class DeliveryForm(forms.Form):
    signer_name = forms.CharField(label=gettext_lazy("Signed by"), max_length=100)
    signed_at = forms.DateTimeField(
        label=gettext_lazy("Signed at"),
        required=False,
        help_text=gettext_lazy("Leave empty for now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    latitude = forms.DecimalField(
        label=gettext_lazy("Latitude"), required=False, max_digits=9, decimal_places=6
    )
    longitude = forms.DecimalField(
        label=gettext_lazy("Longitude"), required=False, max_digits=10, decimal_places=6
    )
    photo = forms.FileField(label=gettext_lazy("Photo (JPEG, PNG or WebP, at most 10 MB)"), required=False)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=500)


def deliver_view(request: HttpRequest, shipment_id: int) -> HttpResponse:
    """/admin/sales/shipment/<id>/deliver/: record the proof of delivery; quantities per line (a
    partly refused line gets less)."""
    actor = _actor(request, "sales.add_deliveryproof")
    try:
        shipment = selectors.get_shipment(actor=actor, shipment_id=shipment_id)
    except QudaoError as exc:
        raise Http404 from exc
    if shipment.state != ShipmentState.SHIPPED:
        messages.warning(request, _("Only a shipped shipment can be delivered."))
        return redirect(reverse("admin:sales_shipment_change", args=[shipment.pk]))
    lines = list(shipment.lines.all())
    form = DeliveryForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    quantities = {ln.pk: request.POST.get(f"line-{ln.pk}", str(ln.quantity)) for ln in lines}
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        data["lines"] = [
            {"shipment_line_id": ln.pk, "quantity": quantities[ln.pk]}
            for ln in lines
            if quantities[ln.pk] != str(ln.quantity)
        ]
        try:
            services.confirm_delivery(actor=actor, shipment_id=shipment.pk, data=data)
        except QudaoError as exc:
            details = exc.details if isinstance(exc.details, list) else []
            errors = [exc.render()] + [
                f"{d.get('field', '')}: {d.get('message', '')}" for d in details if isinstance(d, dict)
            ]
        else:
            messages.success(request, _("Shipment %(number)s delivered.") % {"number": shipment.number})
            return redirect(reverse("admin:sales_shipment_change", args=[shipment.pk]))
    rows = [(ln, quantities[ln.pk]) for ln in lines]
    context = _context(
        request,
        _("Confirm delivery of %(number)s") % {"number": shipment.number},
        shipment=shipment,
        form=form,
        rows=rows,
        errors=errors,
    )
    return render(request, "sales/shipment_deliver.html", context)


def proof_photo_view(request: HttpRequest, shipment_id: int) -> FileResponse:
    """The photo of a proof of delivery, to whoever may see the shipment (404 otherwise); works with
    DEBUG off too (media files are not served publicly)."""
    actor = _actor(request, "sales.view_shipment")
    try:
        handle, content_type = selectors.open_proof_photo(actor=actor, shipment_id=shipment_id)
    except QudaoError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
