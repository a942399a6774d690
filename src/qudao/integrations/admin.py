"""Console for marketplace mappings: the mapping is checked when saved (every problem on the form),
a new one starts from the shipped generic-marketplace mapping, and "Try a payload" reads a platform
order through the mapping and shows the order it would make, without writing it."""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qudao.core.admin import QudaoModelAdmin
from qudao.core.scoping import get_actor, get_scoped
from qudao.integrations import services
from qudao.integrations.generic import GENERIC_CODE, GENERIC_MAPPING
from qudao.integrations.mapping import MappingInvalid, check_mapping
from qudao.integrations.models import MarketplaceMapping

SAMPLE = {
    "order_id": "GM-1001",
    "shop_id": "SHOP-01",
    "status": "paid",
    "paid_at": "2026-12-03T10:00:00+08:00",
    "buyer": {"id": "B-77", "nick": "小王", "message": "请尽快发货"},
    "receiver": {
        "name": "王小明",
        "phone": "13800000000",
        "province": "浙江省",
        "city": "杭州市",
        "district": "西湖区",
        "address": "文三路 90 号",
    },
    "items": [{"sku": "SKU-00001", "quantity": 2, "price": "9.90"}],
}


class MappingForm(forms.ModelForm):
    class Meta:
        model = MarketplaceMapping
        fields = ("dealer", "code", "name", "platform", "channel", "mapping", "is_active")

    def clean_mapping(self):
        value = self.cleaned_data.get("mapping")
        try:
            check_mapping(value)
        except MappingInvalid as exc:
            raise forms.ValidationError([f"{p['field']}: {p['message']}" for p in exc.problems]) from None
        return value


class TryForm(forms.Form):
    payload = forms.CharField(
        label=gettext_lazy("Platform order (JSON)"),
        widget=forms.Textarea(attrs={"rows": 18, "class": "font-mono", "spellcheck": "false"}),
        max_length=200_000,
    )

    def clean_payload(self):
        try:
            value = json.loads(self.cleaned_data["payload"])
        except ValueError as exc:
            raise forms.ValidationError(_("Not valid JSON: %(error)s") % {"error": exc}) from None
        if not isinstance(value, dict):
            raise forms.ValidationError(_("One order: a JSON object."))
        return value


@admin.register(MarketplaceMapping)
class MarketplaceMappingAdmin(QudaoModelAdmin):
    form = MappingForm
    list_display = ("code", "name", "platform", "channel", "is_active", "dealer")
    list_filter = ("platform", "is_active")
    search_fields = ("code", "name")
    readonly_fields = ("version",)
    change_form_after_template = "integrations/mapping_help.html"

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("code", GENERIC_CODE)
        initial.setdefault("name", _("Generic marketplace"))
        initial.setdefault("mapping", GENERIC_MAPPING)
        return initial

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)

    def has_import_permission(self, request):
        return False

    def get_urls(self):
        custom = [
            path(
                "<int:mapping_id>/try/",
                self.admin_site.admin_view(self.try_view),
                name="integrations_marketplacemapping_try",
            )
        ]
        return custom + super().get_urls()

    def try_view(self, request, mapping_id: int):
        if not request.user.has_perm("integrations.view_marketplacemapping"):
            raise PermissionDenied
        actor = get_actor(request)
        mapping = get_scoped(MarketplaceMapping.objects.all(), actor, pk=mapping_id)
        form = TryForm(
            request.POST or None, initial={"payload": json.dumps(SAMPLE, ensure_ascii=False, indent=2)}
        )
        result = None
        if request.method == "POST" and form.is_valid():
            result = services.read_marketplace_order(
                actor=actor, mapping=mapping, payload=form.cleaned_data["payload"], write=False
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Try a payload: %(mapping)s") % {"mapping": mapping},
            "mapping": mapping,
            "form": form,
            "result": result,
            "result_json": json.dumps(result, ensure_ascii=False, indent=2) if result else "",
            "opts": self.model._meta,
        }
        return render(request, "integrations/try_payload.html", context)
