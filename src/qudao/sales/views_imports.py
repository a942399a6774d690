"""Order import in the console (/admin/sales/import/): upload a CSV or Excel file, choose the mode,
check it first (a dry run: every row checked and priced, nothing written), read the report with the
problems per row and the downloadable error report, then import the checked file without a new
upload. The same service as POST /api/v1/orders/import."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qudao.core.errors import QudaoError
from qudao.core.scoping import Actor, get_actor
from qudao.sales.services.imports import MAX_CONFIRM, ImportMode, import_orders
from qudao.sales.services.imports_read import HEADER_ALIASES, MAX_BYTES, MAX_ROWS
from qudao.sales.services.imports_report import build_report, load_source

SHOWN = 200
PERM = "sales.add_salesorder"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (CSV or Excel .xlsx)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx,text/csv"}),
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("When some rows have errors"),
        choices=[
            (ImportMode.ALL_OR_NOTHING, gettext_lazy("Import nothing (all or nothing)")),
            (ImportMode.VALID_ONLY, gettext_lazy("Import the orders without errors, skip the others")),
        ],
        initial=ImportMode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("Confirm the orders after the import (credit check, stock reservation; slower)"),
        required=False,
    )
    checked = forms.CharField(required=False, widget=forms.HiddenInput, max_length=80)


def _actor(request: HttpRequest) -> Actor:
    actor = get_actor(request)
    if not actor.has_perm(PERM):
        raise PermissionDenied
    return actor


def import_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    report, errors = None, []
    if request.method == "POST" and form.is_valid():
        upload, token = form.cleaned_data["file"], form.cleaned_data["checked"]
        dry_run = request.POST.get("action") != "import"
        try:
            if upload is not None:
                if upload.size > MAX_BYTES:
                    raise forms.ValidationError(_("The file is too large."))
                name, content = upload.name, upload.read()
            elif token:
                name, content = load_source(actor=actor, token=token)
            else:
                raise forms.ValidationError(_("Choose a file."))
            report = import_orders(
                actor=actor,
                name=name,
                content=content,
                mode=form.cleaned_data["mode"],
                dry_run=dry_run,
                confirm=form.cleaned_data["confirm"] and not dry_run,
            )
        except forms.ValidationError as exc:
            errors.extend(exc.messages)
        except QudaoError as exc:
            errors.append(exc.render())
            errors.extend(f"{d.get('column', '')}: {d.get('message', '')}" for d in _details(exc))
        if report is not None and report.written:
            messages.success(
                request,
                _("%(orders)s orders with %(lines)s lines imported as drafts.")
                % {"orders": report.orders_created, "lines": report.lines_created},
            )
    context = {
        **admin.site.each_context(request),
        "title": _("Import orders"),
        "form": form,
        "report": report,
        "shown": report.errors[:SHOWN] if report else [],
        "more": max(0, report.problems - SHOWN) if report else 0,
        "errors": errors,
        "headers": _header_help(),
        "max_rows": MAX_ROWS,
        "max_confirm": MAX_CONFIRM,
    }
    return render(request, "sales/import_orders.html", context)


def _details(exc: QudaoError) -> list[dict]:
    return [d for d in exc.details if isinstance(d, dict)] if isinstance(exc.details, list) else []


def _header_help() -> list[tuple[str, str]]:
    chinese: dict[str, list[str]] = {}
    for alias, column in HEADER_ALIASES.items():
        if not alias.isascii():
            chinese.setdefault(column, []).append(alias)
    return [(column, " / ".join(names)) for column, names in chinese.items()]


def download_view(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    actor = _actor(request)
    try:
        name, body, content_type = build_report(actor=actor, token=token, fmt=fmt)
    except QudaoError as exc:
        from django.http import Http404

        raise Http404 from exc
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


urlpatterns = [
    path("", admin.site.admin_view(import_view), name="sales_order_import"),
    path(
        "reports/<str:token>/<str:fmt>/",
        admin.site.admin_view(download_view),
        name="sales_order_import_report",
    ),
]
