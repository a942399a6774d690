"""The sales assistant: phone pages for sales reps (and other dealer staff who take orders) — find a
customer, see its open orders and balance, check stock across warehouses, order for the customer,
and capture the proof of delivery (photo, signer, time, place)."""

from __future__ import annotations

from datetime import datetime
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qudao.catalog.selectors import list_items
from qudao.core.errors import QudaoError
from qudao.portal import selectors, views_common
from qudao.portal.actors import assistant_actor, get_customer
from qudao.portal.views_common import Mode, not_found
from qudao.sales.selectors_fulfilment import get_shipment
from qudao.sales.services import confirm_delivery

LOGIN = "portal:login"
DELIVERY_PERM = "sales.change_salesorder"


def staff_page(view):
    @login_required(login_url=LOGIN)
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        actor = assistant_actor(request)
        if actor is None:
            return redirect("portal:catalog")
        return not_found(view)(request, actor, *args, **kwargs)

    return wrapper


def customer_page(view):
    """A staff page about one customer the actor may order for (404 otherwise)."""

    @staff_page
    @wraps(view)
    def wrapper(request: HttpRequest, actor, customer_id: int, *args, **kwargs):
        mode = Mode("assistant", get_customer(actor, customer_id))
        return view(request, actor, mode, *args, **kwargs)

    return wrapper


@require_GET
@staff_page
def customers(request, actor):
    q = request.GET.get("q", "")[:100]
    rows = list(selectors.search_customers(actor=actor, q=q))
    return render(request, "portal/assistant_customers.html", {"q": q, "customers": rows})


@require_GET
@customer_page
def customer(request, actor, mode):
    summary = selectors.get_customer_summary(actor=actor, customer_id=mode.customer.pk)
    return render(request, "portal/assistant_customer.html", {"mode": mode, "summary": summary})


@require_GET
@customer_page
def catalog(request, actor, mode):
    return views_common.catalog_page(request, actor, mode)


@require_GET
@customer_page
def cart(request, actor, mode):
    return views_common.cart_page(request, actor, mode)


@require_POST
@customer_page
def cart_add(request, actor, mode):
    return views_common.cart_add(request, actor, mode)


@require_POST
@customer_page
def cart_set(request, actor, mode):
    return views_common.cart_set(request, actor, mode)


@require_POST
@customer_page
def cart_coupons(request, actor, mode):
    return views_common.cart_coupons(request, actor, mode)


@require_POST
@customer_page
def cart_place(request, actor, mode):
    return views_common.cart_place(request, actor, mode)


@require_GET
@staff_page
def order(request, actor, order_id: int):
    return views_common.order_page(request, actor, "assistant", order_id)


@require_POST
@staff_page
def reorder(request, actor, order_id: int):
    return views_common.reorder(request, actor, order_id, lambda cid: reverse("assistant:cart", args=[cid]))


@require_GET
@staff_page
def stock_search(request, actor):
    q = request.GET.get("q", "")[:100].strip()
    items = list(list_items(actor=actor, q=q, is_active=True).order_by("name", "pk")[:30]) if q else []
    return render(request, "portal/assistant_stock_search.html", {"q": q, "items": items})


@require_GET
@staff_page
def stock(request, actor, item_id: int):
    item, sites = selectors.get_item_stock(actor=actor, item_id=item_id)
    return render(request, "portal/assistant_stock.html", {"item": item, "sites": sites})


@require_GET
@staff_page
def deliveries(request, actor):
    mine = request.GET.get("mine") == "1"
    rows = list(selectors.list_deliveries(actor=actor, mine=mine)[:50])
    return render(request, "portal/assistant_deliveries.html", {"shipments": rows, "mine": mine})


def _signed_at(raw: str):
    """The time typed in the form (the browser's local time, as datetime-local sends it)."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        return raw  # the service says what is wrong with it
    return timezone.make_aware(value) if timezone.is_naive(value) else value


@require_http_methods(["GET", "POST"])
@staff_page
def capture(request, actor, shipment_id: int):
    """The proof of delivery of a shipped shipment: photo of the signed note, signer, time, place."""
    if not actor.has_perm(DELIVERY_PERM):
        raise Http404
    shipment = get_shipment(actor=actor, shipment_id=shipment_id)
    get_customer(actor, shipment.order.customer_id)  # only customers the actor serves
    errors: dict[str, str] = {}
    form = request.POST
    lines = list(shipment.lines.all())
    given = [(line, form.get(f"qty-{line.pk}", "").strip()) for line in lines]
    if request.method == "POST":
        data = {
            "signer_name": form.get("signer_name", ""),
            "signed_at": _signed_at(form.get("signed_at", "")),
            "latitude": form.get("latitude") or None,
            "longitude": form.get("longitude") or None,
            "accuracy_m": form.get("accuracy_m") or None,
            "note": form.get("note", ""),
            "photo": request.FILES.get("photo"),
            # what was handed over, per line (a carton refused at the door is delivered short)
            "lines": [{"shipment_line_id": line.pk, "quantity": raw} for line, raw in given if raw],
        }
        try:
            confirm_delivery(
                actor=actor, shipment_id=shipment.pk, data=data, version=form.get("version") or None
            )
        except QudaoError as exc:
            details = exc.details if isinstance(exc.details, list) else []
            errors = {str(d.get("field")): str(d.get("message")) for d in details if isinstance(d, dict)}
            messages.error(request, exc.render() if not errors else _("Check the fields marked below."))
        else:
            messages.success(request, _("Delivery of %(number)s recorded.") % {"number": shipment.number})
            return redirect("assistant:order", shipment.order_id)
    position = {line.pk: n for n, line in enumerate(line for line, raw in given if raw)}
    rows = [
        {
            "line": line,
            "value": raw or line.quantity.normalize(),
            "error": errors.get(f"lines.{position[line.pk]}.quantity", "") if line.pk in position else "",
        }
        for line, raw in given
    ]
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    return render(
        request,
        "portal/assistant_capture.html",
        {"shipment": shipment, "rows": rows, "errors": errors, "form": form, "now": now},
    )
