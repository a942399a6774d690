"""Staff order entry form: the header and up to 20 lines (the service validates everything)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from qudao.catalog.models import Item
from qudao.core.scoping import Actor, scoped
from qudao.parties.models import Customer


class OrderEntryForm(forms.Form):
    customer = forms.ModelChoiceField(queryset=Customer.objects.none(), label=_("customer"))
    external_reference = forms.CharField(label=_("external reference"), max_length=100, required=False)
    requested_date = forms.DateField(label=_("requested delivery date"), required=False)
    notes = forms.CharField(label=_("notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    confirm = forms.BooleanField(label=_("confirm now"), required=False, initial=True)

    def __init__(self, *args, actor: Actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = scoped(Customer.objects.all(), actor, for_write=True).order_by(
            "code"
        )


class OrderLineForm(forms.Form):
    item = forms.ModelChoiceField(queryset=Item.objects.none(), label=_("item"), required=False)
    quantity = forms.DecimalField(
        label=_("quantity"), max_digits=20, decimal_places=3, min_value=0, required=False
    )

    def __init__(self, *args, actor: Actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = scoped(
            Item.objects.filter(is_active=True), actor, for_write=True
        ).order_by("sku")


OrderLineFormSet = forms.formset_factory(OrderLineForm, extra=5, max_num=20)
