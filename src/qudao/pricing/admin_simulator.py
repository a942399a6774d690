"""Console pages of pricing: the price simulator (a customer, items and quantities → the priced lines
with their explanations, through the same quote service as POST /api/v1/pricing/quote) and the
read-only rebate accrual view of a customer. Plain forms; they parse, call one service, render."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from qudao.catalog.models import Item
from qudao.core.errors import QudaoError
from qudao.core.scoping import Actor, get_actor, scoped
from qudao.parties.models import Customer
from qudao.pricing.selectors_rebates import list_customer_accruals
from qudao.pricing.services import quote_basket

LINES = 8


class SimulatorForm(forms.Form):
    customer = forms.ModelChoiceField(queryset=Customer.objects.none(), label=_("Customer"))
    on = forms.DateField(required=False, label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    coupons = forms.CharField(required=False, max_length=400, label=_("Coupon codes (comma separated)"))

    def __init__(self, *args, actor: Actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = scoped(Customer.objects.all(), actor).order_by("name")


class LineForm(forms.Form):
    item = forms.ModelChoiceField(queryset=Item.objects.none(), required=False, label=_("Item"))
    quantity = forms.DecimalField(
        required=False, min_value=0, max_digits=20, decimal_places=3, label=_("Quantity (base unit)")
    )

    def __init__(self, *args, actor: Actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = scoped(Item.objects.filter(is_active=True), actor).order_by("sku")


LineFormSet = forms.formset_factory(LineForm, extra=LINES, max_num=50)


def _actor(request: HttpRequest, perm: str) -> Actor:
    actor = get_actor(request)
    if not actor.has_perm(perm):
        raise PermissionDenied
    return actor


def simulator_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request, "pricing.view_pricelist")
    data = request.POST if request.method == "POST" else None
    form = SimulatorForm(data, actor=actor)
    lines = LineFormSet(data, prefix="lines", form_kwargs={"actor": actor})
    basket, error, names = None, None, {}
    if data is not None and form.is_valid() and lines.is_valid():
        raw = [
            {"item_id": f.cleaned_data["item"].pk, "quantity": f.cleaned_data["quantity"]}
            for f in lines
            if f.cleaned_data.get("item") and f.cleaned_data.get("quantity")
        ]
        codes = [
            c for c in (form.cleaned_data.get("coupons") or "").replace("，", ",").split(",") if c.strip()
        ]
        try:
            basket = quote_basket(
                actor=actor,
                data={
                    "customer_id": form.cleaned_data["customer"].pk,
                    "on": form.cleaned_data.get("on"),
                    "coupon_codes": codes,
                    "lines": raw,
                },
            )
            ids = {line.item_id for line in basket.lines}
            names = {i.pk: f"{i.sku} {i.name}" for i in Item.objects.filter(pk__in=ids)}
        except QudaoError as exc:
            error = exc
    context = {
        **admin.site.each_context(request),
        "title": _("Price simulator"),
        "form": form,
        "lines": lines,
        "basket": basket,
        "rows": [(line, names.get(line.item_id, line.item_id)) for line in basket.lines] if basket else [],
        "error": error,
    }
    return render(request, "pricing/simulator.html", context)


class AccrualForm(forms.Form):
    customer = forms.ModelChoiceField(queryset=Customer.objects.none(), label=_("Customer"))
    on = forms.DateField(required=False, label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, actor: Actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = scoped(Customer.objects.all(), actor).order_by("name")


def accruals_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request, "pricing.view_rebateprogram")
    form = AccrualForm(request.GET or None, actor=actor)
    accruals = []
    if form.is_valid():
        accruals = list_customer_accruals(
            actor=actor, customer_id=form.cleaned_data["customer"].pk, on=form.cleaned_data.get("on")
        )
    context = {
        **admin.site.each_context(request),
        "title": _("Rebate accruals"),
        "form": form,
        "accruals": accruals,
    }
    return render(request, "pricing/accruals.html", context)
