"""What the portal's and the assistant's pages share: sign-in, the catalog, the cart and its quote,
order pages. Views parse, call one service or selector, and render; a refusal of a service is shown
on the page (never a 500), a foreign or unknown id is a 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from qudao.core.errors import NotFound, QudaoError
from qudao.core.scoping import Actor
from qudao.parties.models import Customer
from qudao.portal import selectors, services
from qudao.portal.actors import assistant_actor, portal_actor
from qudao.portal.selectors_catalog import list_catalog, list_categories_for


@dataclass
class Mode:
    """Portal or assistant: the namespace of its URLs and what its pages show."""

    ns: str
    customer: Customer

    def url(self, name: str, *args) -> str:
        if self.ns == "assistant" and name in CUSTOMER_PAGES:
            return reverse(f"assistant:{name}", args=[self.customer.pk, *args])
        return reverse(f"{self.ns}:{name}", args=args)

    @property
    def urls(self) -> dict[str, str]:
        """The cart pages of this mode, for the templates (cart_add, cart_set, …)."""
        return {name.replace("-", "_"): self.url(name) for name in CUSTOMER_PAGES}


#: the assistant's cart pages carry the customer in the URL; the portal keeps it in the session
CUSTOMER_PAGES = {"catalog", "cart", "cart-add", "cart-set", "cart-coupons", "cart-place"}


def error_text(exc: QudaoError) -> str:
    details = exc.details if isinstance(exc.details, list) else []
    extra = [str(d.get("message")) for d in details if isinstance(d, dict) and d.get("message")]
    return " ".join([exc.render(), *extra])


def not_found(fn):
    """A NotFound of a selector or service is the page's 404."""

    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except NotFound as exc:
            raise Http404 from exc

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


class SignInView(auth_views.LoginView):
    """The phone sign-in of the portal and the sales assistant (not the console's)."""

    template_name = "portal/login.html"
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        wanted = self.get_redirect_url()
        if wanted:
            return wanted
        return home_for(self.request)


def home_for(request: HttpRequest) -> str:
    if portal_actor(request) is not None:
        return reverse("portal:catalog")
    if assistant_actor(request) is not None:
        return reverse("assistant:customers")
    return reverse("portal:no-access")


def sign_out(request: HttpRequest) -> HttpResponse:
    from django.contrib.auth import logout

    if request.method == "POST":
        logout(request)
    return redirect("portal:login")


def back_to(request: HttpRequest, fallback: str) -> str:
    wanted = request.POST.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure()):
        return wanted
    return fallback


# --- the shared pages -------------------------------------------------------------------------------


def catalog_page(request: HttpRequest, actor: Actor, mode: Mode, extra: dict | None = None) -> HttpResponse:
    cart = services.get_or_create_cart(actor=actor, customer_id=mode.customer.pk)
    q = request.GET.get("q", "")[:100]
    category = request.GET.get("category") or None
    category_id = int(category) if category and category.isdigit() else None
    in_cart = selectors.cart_quantities(cart)
    page = list_catalog(
        actor=actor,
        customer=mode.customer,
        q=q,
        category_id=category_id,
        page=request.GET.get("page") or 1,
        in_cart=in_cart,
    )
    return render(
        request,
        "portal/catalog.html",
        {
            "mode": mode,
            "catalog": page,
            "q": q,
            "category_id": category_id,
            "categories": list_categories_for(actor, mode.customer.dealer_id),
            "cart_count": len(in_cart),
            **(extra or {}),
        },
    )


def cart_page(request: HttpRequest, actor: Actor, mode: Mode, extra: dict | None = None) -> HttpResponse:
    cart = services.get_or_create_cart(actor=actor, customer_id=mode.customer.pk)
    view = selectors.get_cart_view(cart=cart)
    return render(
        request,
        "portal/cart.html",
        {"mode": mode, "view": view, "cart": cart, "cart_count": view.count, **(extra or {})},
    )


def cart_add(request: HttpRequest, actor: Actor, mode: Mode) -> HttpResponse:
    item_id = request.POST.get("item_id")
    try:
        line = services.add_to_cart(
            actor=actor,
            customer_id=mode.customer.pk,
            item_id=item_id,
            quantity=request.POST.get("quantity") or 1,
        )
        messages.success(request, _("Added to the cart: %(item)s.") % {"item": line.item.name})
    except QudaoError as exc:
        messages.error(request, error_text(exc))
    return redirect(back_to(request, mode.url("catalog")) + f"#item-{item_id}")


def cart_set(request: HttpRequest, actor: Actor, mode: Mode) -> HttpResponse:
    try:
        services.set_cart_quantity(
            actor=actor,
            customer_id=mode.customer.pk,
            item_id=request.POST.get("item_id"),
            quantity=request.POST.get("quantity"),
        )
    except QudaoError as exc:
        messages.error(request, error_text(exc))
    return redirect(mode.url("cart"))


def cart_coupons(request: HttpRequest, actor: Actor, mode: Mode) -> HttpResponse:
    services.set_cart_coupons(actor=actor, customer_id=mode.customer.pk, codes=request.POST.get("codes", ""))
    return redirect(mode.url("cart"))


def cart_place(request: HttpRequest, actor: Actor, mode: Mode) -> HttpResponse:
    try:
        order, _created = services.place_cart_order(
            actor=actor, customer_id=mode.customer.pk, token=request.POST.get("token", "")
        )
    except QudaoError as exc:
        messages.error(request, error_text(exc))
        return redirect(mode.url("cart"))
    if order.state == "on_hold":
        messages.warning(
            request,
            _("Order %(number)s is awaiting approval (%(reason)s): we will confirm it shortly.")
            % {"number": order.number, "reason": order.get_hold_reason_display()},
        )
    else:
        messages.success(request, _("Order %(number)s placed.") % {"number": order.number})
    return redirect(mode.url("order", order.pk))


def order_page(request: HttpRequest, actor: Actor, ns: str, order_id: int, extra=None) -> HttpResponse:
    order = selectors.get_customer_order(actor=actor, order_id=order_id)
    return render(
        request,
        "portal/order.html",
        {
            "ns": ns,
            "order": order,
            "steps": selectors.order_timeline(order),
            "lines": list(order.lines.all()),
            **(extra or {}),
        },
    )


def reorder(request: HttpRequest, actor: Actor, order_id: int, cart_url) -> HttpResponse:
    """Put the order's lines into its customer's cart; `cart_url(customer_id)` is where to go next."""
    cart, added, skipped = services.reorder(actor=actor, order_id=order_id)
    if added:
        messages.success(
            request, _("%(count)s items put into the cart at today's prices.") % {"count": added}
        )
    if skipped:
        messages.warning(request, _("No longer available: %(skus)s.") % {"skus": ", ".join(skipped)})
    return redirect(cart_url(cart.customer_id))


def require(actor: Actor | None) -> Actor:
    if actor is None:
        raise Http404
    return actor


__all__ = ["assistant_actor", "portal_actor"]
