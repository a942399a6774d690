"""The retailer portal (the "ordering mini-program" as phone web pages): the store's catalog with its
prices, the cart, my orders with tracking, reorder."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from qudao.portal import selectors, views_common
from qudao.portal.actors import assistant_actor, get_customer, portal_actor
from qudao.portal.views_common import Mode, not_found

LOGIN = "portal:login"
SESSION_KEY = "portal_customer_id"


def _store(request: HttpRequest, actor):
    """The store the retailer orders for now: the one chosen in this session, else the first."""
    wanted = request.session.get(SESSION_KEY)
    if wanted not in actor.customer_ids:
        wanted = min(actor.customer_ids)
    return get_customer(actor, wanted)


def retailer_page(view):
    """Signed in, and a retailer with at least one store; staff go to the assistant."""

    @login_required(login_url=LOGIN)
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        actor = portal_actor(request)
        if actor is None:
            if assistant_actor(request) is not None:
                return redirect("assistant:customers")
            return redirect("portal:no-access")
        mode = Mode("portal", _store(request, actor))
        return not_found(view)(request, actor, mode, *args, **kwargs)

    return wrapper


@login_required(login_url=LOGIN)
def no_access(request: HttpRequest) -> HttpResponse:
    if portal_actor(request) is not None:
        return redirect("portal:catalog")
    return render(request, "portal/no_access.html", {})


@require_GET
@retailer_page
def catalog(request, actor, mode):
    return views_common.catalog_page(request, actor, mode, {"stores": _stores(actor)})


def _stores(actor):
    from qudao.portal.actors import customers_of

    return list(customers_of(actor).order_by("name")) if len(actor.customer_ids) > 1 else []


@require_POST
@retailer_page
def choose_store(request, actor, mode):
    store = get_customer(actor, request.POST.get("customer_id"))
    request.session[SESSION_KEY] = store.pk
    return redirect("portal:catalog")


@require_GET
@retailer_page
def cart(request, actor, mode):
    return views_common.cart_page(request, actor, mode)


@require_POST
@retailer_page
def cart_add(request, actor, mode):
    return views_common.cart_add(request, actor, mode)


@require_POST
@retailer_page
def cart_set(request, actor, mode):
    return views_common.cart_set(request, actor, mode)


@require_POST
@retailer_page
def cart_coupons(request, actor, mode):
    return views_common.cart_coupons(request, actor, mode)


@require_POST
@retailer_page
def cart_place(request, actor, mode):
    return views_common.cart_place(request, actor, mode)


@require_GET
@retailer_page
def orders(request, actor, mode):
    rows = list(selectors.list_customer_orders(actor=actor).select_related("customer")[:50])
    return render(request, "portal/orders.html", {"mode": mode, "orders": rows, "ns": "portal"})


@require_GET
@retailer_page
def order(request, actor, mode, order_id: int):
    return views_common.order_page(request, actor, "portal", order_id, {"mode": mode})


@require_POST
@retailer_page
def reorder(request, actor, mode, order_id: int):
    def cart_url(customer_id):
        request.session[SESSION_KEY] = customer_id
        return reverse("portal:cart")

    return views_common.reorder(request, actor, order_id, cart_url)
