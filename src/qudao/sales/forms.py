"""Staff order entry form: the header and up to 50 lines (the service validates everything).

The customer is picked with the console's search-as-you-type select (the customer admin's search:
code, name, phone…, scoped like every change list), so a dealer with 100,000 retail terminals does not
get a 100,000-option drop-down. A line names its item by SKU or by barcode, typed or scanned: a case
barcode means cases (the line's unit is the case)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.utils.translation import gettext_lazy as _

from qudao.catalog.errors import BarcodeNotFound
from qudao.catalog.models import Item
from qudao.catalog.selectors import lookup_barcode
from qudao.core.scoping import Actor, scoped
from qudao.parties.models import Customer

MAX_LINES = 50


def _customer_widget() -> forms.Widget:
    """The admin's autocomplete select when the customer admin can search; a plain select otherwise."""
    from qudao.sales.models import SalesOrder

    if admin.site.is_registered(Customer):
        return AutocompleteSelect(SalesOrder._meta.get_field("customer"), admin.site)
    return forms.Select()


class OrderEntryForm(forms.Form):
    customer = forms.ModelChoiceField(queryset=Customer.objects.none(), label=_("customer"))
    external_reference = forms.CharField(label=_("external reference"), max_length=100, required=False)
    requested_date = forms.DateField(
        label=_("requested delivery date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    notes = forms.CharField(label=_("notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    confirm = forms.BooleanField(label=_("confirm now"), required=False, initial=True)

    def __init__(self, *args, actor: Actor, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["customer"]
        field.queryset = scoped(Customer.objects.all(), actor, for_write=True).order_by("code")
        field.widget = _customer_widget()
        field.widget.choices = field.choices


class OrderLineForm(forms.Form):
    code = forms.CharField(
        label=_("SKU or barcode"),
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    quantity = forms.DecimalField(
        label=_("quantity"), max_digits=20, decimal_places=3, min_value=0, required=False
    )

    def __init__(self, *args, actor: Actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.item: Item | None = None
        self.unit_id: int | None = None

    def clean_code(self) -> str:
        code = (self.cleaned_data.get("code") or "").strip()
        if not code:
            return code
        items = scoped(Item.objects.filter(is_active=True), self.actor, for_write=True)
        self.item = items.filter(sku=code).first()
        if self.item is None:
            try:
                match = lookup_barcode(self.actor, code)
            except BarcodeNotFound:
                match = None
            if match is not None and items.filter(pk=match.item.pk).exists():
                self.item, self.unit_id = match.item, match.unit.pk
        if self.item is None:
            raise forms.ValidationError(_("No item with this SKU or barcode."), code="unknown_item")
        return code

    def clean(self):
        data = super().clean()
        if data.get("code") and not data.get("quantity"):
            self.add_error("quantity", _("Give a quantity for this item."))
        elif data.get("quantity") and not data.get("code"):
            self.add_error("code", _("Give the SKU or barcode of this line."))
        return data

    @property
    def label(self) -> str:
        return f"{self.item.sku} {self.item.name}" if self.item is not None else ""

    def as_line(self) -> dict | None:
        """The service's line for a filled row (item, quantity in the scanned unit)."""
        if self.item is None or not self.cleaned_data.get("quantity"):
            return None
        line = {"item_id": self.item.pk, "quantity": self.cleaned_data["quantity"]}
        if self.unit_id is not None and self.unit_id != self.item.base_unit_id:
            line["unit_id"] = self.unit_id
        return line


OrderLineFormSet = forms.formset_factory(OrderLineForm, extra=8, max_num=MAX_LINES, absolute_max=MAX_LINES)
