"""Who is ordering in the portal or the sales assistant, and for which customers.

* A retailer (Role.RETAILER_USER) orders for the customers (stores) of its active PortalAccess
  rows. Its `PortalActor` reads the dealer's catalog, prices and availability and writes orders
  (that is what `own_dealers` gives the order services), while every read of a customer's rows —
  orders, shipments, balance, carts — goes through the selectors of this app, which filter on
  `customer_ids`. Nothing here hands a PortalActor to a generic list selector.
* Dealer staff with the order permission (sales reps, managers, admins) use their own request actor:
  their customers are those of their data scope.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from qudao.accounts.models import Membership, Role
from qudao.core.errors import NotFound
from qudao.core.scoping import ANONYMOUS, Actor, get_actor, scoped
from qudao.parties.models import Customer

#: what a retailer may do through the portal (the services check these)
PORTAL_PERMISSIONS = frozenset({"catalog.view_item", "sales.add_salesorder", "sales.view_salesorder"})
#: what the sales assistant needs
ASSISTANT_PERMISSION = "sales.add_salesorder"


@dataclass(frozen=True)
class PortalActor(Actor):
    #: the customers (stores) this retailer may order for
    customer_ids: frozenset[int] = frozenset()


def build_portal_actor(user) -> PortalActor | None:
    """The retailer's actor, or None when the user orders for no customer."""
    from qudao.portal.models import PortalAccess

    if user is None or not user.is_authenticated or not user.is_active:
        return None
    dealers = set(
        Membership.objects.filter(
            user=user,
            role=Role.RETAILER_USER,
            is_active=True,
            company__is_active=True,
            company__is_dealer=True,
        ).values_list("company_id", flat=True)
    )
    if not dealers:
        return None
    rows = list(
        PortalAccess.objects.filter(
            user=user, is_active=True, dealer_id__in=dealers, customer__dealer_id__in=dealers
        ).values_list("customer_id", "dealer_id")
    )
    if not rows:
        return None
    return PortalActor(
        user_id=user.pk,
        username=user.get_username(),
        company_ids=frozenset(dealers),
        own_dealers={dealer_id: None for _c, dealer_id in rows},
        roles=frozenset({Role.RETAILER_USER}),
        permissions=PORTAL_PERMISSIONS,
        customer_ids=frozenset(c for c, _d in rows),
    )


def portal_actor(request: HttpRequest) -> PortalActor | None:
    cached = getattr(request, "_portal_actor", ANONYMOUS)
    if cached is ANONYMOUS:
        cached = build_portal_actor(getattr(request, "user", None))
        request._portal_actor = cached
    return cached


def assistant_actor(request: HttpRequest) -> Actor | None:
    """The staff actor of the request if it may take orders (a retailer never is one)."""
    actor = get_actor(request)
    if not actor.is_authenticated or not actor.has_perm(ASSISTANT_PERMISSION):
        return None
    return actor


def customers_of(actor: Actor):
    """The customers the actor may order for: a retailer's stores, a staff member's write scope."""
    qs = Customer.objects.all()
    if isinstance(actor, PortalActor):
        return qs.filter(pk__in=sorted(actor.customer_ids))
    return scoped(qs, actor, for_write=True)


def get_customer(actor: Actor, customer_id) -> Customer:
    """One customer the actor may order for, else NotFound (404) — absent and foreign look alike."""
    try:
        return customers_of(actor).select_related("region", "channel").get(pk=int(customer_id))
    except (Customer.DoesNotExist, TypeError, ValueError) as exc:
        raise NotFound() from exc
