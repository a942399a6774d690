"""Staff order entry in the console: parse the form, call one service, show every error inline."""

from __future__ import annotations

import re

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from qudao.core.errors import QudaoError
from qudao.core.scoping import get_actor
from qudao.sales import services
from qudao.sales.forms import OrderEntryForm, OrderLineFormSet
from qudao.sales.states import OrderSource

_LINE_FIELD = re.compile(r"^lines\.(\d+)")


def _place_errors(exc: QudaoError, used: list) -> list[str]:
    """Put each detail of a service error on the row it names (`lines.N…` is the N-th filled row);
    return the message and the details that name no row, for the top of the page."""
    general = [exc.render()]
    details = exc.details if isinstance(exc.details, list) else []
    for detail in details:
        if not isinstance(detail, dict):
            continue
        match = _LINE_FIELD.match(str(detail.get("field", "")))
        message = str(detail.get("message") or exc.render())
        if match and int(match.group(1)) < len(used):
            used[int(match.group(1))].add_error(None, message)
        else:
            general.append(f"{detail.get('field', '')}: {message}" if detail.get("field") else message)
    return general


def enter_order(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("sales.add_salesorder"):
        raise PermissionDenied
    actor = get_actor(request)
    form = OrderEntryForm(request.POST or None, actor=actor)
    lines = OrderLineFormSet(request.POST or None, form_kwargs={"actor": actor}, prefix="lines")
    errors: list[str] = []
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        used = [row for row in lines if row.as_line() is not None]
        data = {
            "customer_id": form.cleaned_data["customer"].pk,
            "source": OrderSource.CONSOLE,
            "external_reference": form.cleaned_data["external_reference"],
            "requested_date": form.cleaned_data["requested_date"],
            "notes": form.cleaned_data["notes"],
            "lines": [row.as_line() for row in used],
        }
        try:
            order, _created = services.submit_order(
                actor=actor, data=data, confirm=form.cleaned_data["confirm"]
            )
        except QudaoError as exc:
            errors = _place_errors(exc, used)
        else:
            messages.success(
                request,
                _("Order %(number)s saved (%(state)s).")
                % {
                    "number": order.number,
                    "state": order.get_state_display(),
                },
            )
            return redirect(reverse("admin:sales_salesorder_change", args=[order.pk]))
    context = {
        "title": _("Enter an order"),
        "form": form,
        "lines": lines,
        "errors": errors,
        "opts": None,
    }
    context.update(admin.site.each_context(request))
    return render(request, "sales/enter_order.html", context)
