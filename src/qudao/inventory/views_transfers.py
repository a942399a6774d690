"""Creating and editing draft transfers in the console (the same services as the API).

/admin/inventory/transfer-editor/new/ and /admin/inventory/transfer-editor/<id>/: the source and
target sites, a note, and one row per line — a SKU or a barcode (a case barcode means cases) and a
quantity, optionally a lot number. Rows that do not resolve are reported on their row; the service's
own errors (shortages are only checked at shipping) are shown with the line they name. Nothing is
written unless every row is valid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qudao.catalog.errors import BarcodeNotFound
from qudao.catalog.models import Item
from qudao.catalog.selectors import lookup_barcode
from qudao.core.errors import QudaoError
from qudao.core.scoping import Actor, get_actor, scoped
from qudao.inventory.models import Lot, Transfer
from qudao.inventory.services import transfers
from qudao.inventory.states import TransferState
from qudao.org.models import Site

ROWS, MAX_ROWS = 12, 200
_LINE_FIELD = re.compile(r"^lines\.(\d+)")


class TransferHeaderForm(forms.Form):
    from_site = forms.ModelChoiceField(queryset=Site.objects.none(), label=gettext_lazy("From site"))
    to_site = forms.ModelChoiceField(queryset=Site.objects.none(), label=gettext_lazy("To site"))
    note = forms.CharField(required=False, max_length=500, label=gettext_lazy("Note"))

    def __init__(self, *args, actor: Actor, **kwargs):
        super().__init__(*args, **kwargs)
        sites = scoped(Site.objects.filter(is_active=True), actor, for_write=True).order_by("name")
        self.fields["from_site"].queryset = sites
        self.fields["to_site"].queryset = sites


@dataclass
class Row:
    n: int
    code: str = ""
    quantity: str = ""
    lot: str = ""
    errors: list[str] = field(default_factory=list)
    label: str = ""

    @property
    def blank(self) -> bool:
        return not (self.code or self.quantity or self.lot)


def _actor(request: HttpRequest, perm: str) -> Actor:
    actor = get_actor(request)
    if not actor.has_perm(perm):
        raise PermissionDenied
    return actor


def _rows_from_post(request: HttpRequest) -> list[Row]:
    count = min(int(request.POST.get("rows") or ROWS), MAX_ROWS)
    return [
        Row(
            n,
            request.POST.get(f"code-{n}", "").strip(),
            request.POST.get(f"quantity-{n}", "").strip(),
            request.POST.get(f"lot-{n}", "").strip(),
        )
        for n in range(count)
    ]


def _resolve(actor: Actor, row: Row, dealer_id: int | None) -> dict | None:
    """The service line of a row (item, quantity in the scanned unit, lot), or None with its errors."""
    items = scoped(Item.objects.select_related("base_unit"), actor, for_write=True)
    if dealer_id is not None:
        items = items.filter(dealer_id=dealer_id)
    item, unit_id = items.filter(sku=row.code).first(), None
    if item is None:
        try:
            match = lookup_barcode(actor, row.code)
        except BarcodeNotFound:
            match = None
        if match is not None and (dealer_id is None or match.item.dealer_id == dealer_id):
            item, unit_id = match.item, match.unit.pk
    if item is None:
        row.errors.append(_("No item with this SKU or barcode."))
        return None
    row.label = f"{item.sku} {item.name}"
    line = {"item_id": item.pk, "quantity": row.quantity, "unit_id": unit_id}
    if row.lot:
        lot = Lot.objects.filter(item=item, lot_number=row.lot).first()
        if lot is None:
            row.errors.append(_("This item has no lot %(lot)s.") % {"lot": row.lot})
            return None
        line["lot_id"] = lot.pk
    return line


def _apply_errors(exc: QudaoError, rows: list[Row], used: list[Row]) -> list[str]:
    """Put each detail of a service error on the row it names; return the rest as page errors."""
    general = []
    details = exc.details if isinstance(exc.details, list) else []
    for detail in details:
        match = _LINE_FIELD.match(str(detail.get("field", "")))
        message = str(detail.get("message") or exc.render())
        if match and int(match.group(1)) < len(used):
            used[int(match.group(1))].errors.append(message)
        else:
            general.append(message)
    return general or ([] if details else [exc.render()])


def editor_view(request: HttpRequest, transfer_id: int | None = None) -> HttpResponse:
    perm = "inventory.change_transfer" if transfer_id else "inventory.add_transfer"
    actor = _actor(request, perm)
    transfer = None
    if transfer_id is not None:
        transfer = scoped(Transfer.objects.all(), actor, for_write=True).filter(pk=transfer_id).first()
        if transfer is None or transfer.state != TransferState.DRAFT:
            messages.error(request, _("Only a draft transfer of yours can be edited."))
            return HttpResponseRedirect(reverse("admin:inventory_transfer_changelist"))
    errors: list[str] = []
    if request.method == "POST":
        form = TransferHeaderForm(request.POST, actor=actor)
        rows = _rows_from_post(request)
        if request.POST.get("more"):
            rows += [Row(n) for n in range(len(rows), min(len(rows) + ROWS, MAX_ROWS))]
        elif form.is_valid():
            saved = _save(actor, transfer, form, rows, errors)
            if saved is not None:
                messages.success(
                    request, _("Transfer %(number)s saved as a draft.") % {"number": saved.number}
                )
                return HttpResponseRedirect(reverse("admin:inventory_transfer_change", args=[saved.pk]))
    else:
        initial = {}
        rows = [Row(n) for n in range(ROWS)]
        if transfer is not None:
            initial = {
                "from_site": transfer.from_site_id,
                "to_site": transfer.to_site_id,
                "note": transfer.note,
            }
            lines = list(transfer.lines.select_related("item", "lot").order_by("pk"))
            rows = [
                Row(
                    n,
                    line.item.sku,
                    format(line.quantity.normalize(), "f"),
                    line.lot.lot_number if line.lot else "",
                )
                for n, line in enumerate(lines)
            ]
            rows += [Row(n) for n in range(len(rows), len(rows) + 4)]
        form = TransferHeaderForm(initial=initial, actor=actor)
    if transfer is not None:
        form.fields["from_site"].disabled = True
    context = {
        **admin.site.each_context(request),
        "title": _("Edit transfer %(number)s") % {"number": transfer.number}
        if transfer
        else _("New transfer"),
        "form": form,
        "rows": rows,
        "errors": errors,
        "transfer": transfer,
    }
    return render(request, "inventory/transfer_editor.html", context)


def _save(
    actor: Actor, transfer: Transfer | None, form: TransferHeaderForm, rows: list[Row], errors: list[str]
):
    from_site = transfer.from_site if transfer else form.cleaned_data["from_site"]
    used = [row for row in rows if not row.blank]
    if not used:
        errors.append(_("Add at least one line."))
        return None
    lines = [_resolve(actor, row, from_site.dealer_id) for row in used]
    if any(line is None for line in lines):
        return None
    data = {
        "to_site_id": form.cleaned_data["to_site"].pk,
        "note": form.cleaned_data.get("note") or "",
        "lines": lines,
    }
    try:
        if transfer is None:
            return transfers.create_transfer(actor=actor, data={**data, "from_site_id": from_site.pk})
        return transfers.update_transfer(
            actor=actor, transfer_id=transfer.pk, data={**data, "version": transfer.version}
        )
    except QudaoError as exc:
        errors.extend(_apply_errors(exc, rows, used))
        return None


urlpatterns = [
    path("new/", admin.site.admin_view(editor_view), name="inventory_transfer_new"),
    path("<int:transfer_id>/", admin.site.admin_view(editor_view), name="inventory_transfer_edit"),
]
