"""Portal access: dealer staff let a retailer user order for one of their customers (stores)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from qudao.accounts.models import Membership, Role, User
from qudao.core.errors import NotFound
from qudao.core.events import emit
from qudao.core.scoping import Actor, get_scoped, require_perm
from qudao.parties.models import Customer
from qudao.portal.errors import NotARetailer
from qudao.portal.models import PortalAccess


@transaction.atomic
def grant_portal_access(*, actor: Actor, data: dict[str, Any]) -> PortalAccess:
    """data = {user_id, customer_id, note?}: the user (a retailer user of the customer's dealer) may
    order for the customer. Granting it again re-activates it."""
    require_perm(actor, "portal.add_portalaccess")
    customer = get_scoped(Customer.objects.all(), actor, for_write=True, pk=data.get("customer_id"))
    try:
        user = User.objects.get(pk=int(data.get("user_id")), is_active=True)
    except (User.DoesNotExist, TypeError, ValueError) as exc:
        raise NotFound(details=[{"field": "user_id", "code": NotFound.code}]) from exc
    if not Membership.objects.filter(
        user=user, company_id=customer.dealer_id, role=Role.RETAILER_USER, is_active=True
    ).exists():
        raise NotARetailer(details=[{"field": "user_id", "code": NotARetailer.code}])
    access, _created = PortalAccess.objects.update_or_create(
        user=user,
        customer=customer,
        defaults={
            "dealer_id": customer.dealer_id,
            "is_active": True,
            "note": str(data.get("note") or "")[:200],
        },
    )
    emit(
        "portal.access.granted",
        {"access_id": access.pk, "user_id": user.pk, "customer_id": customer.pk},
        dealer_id=customer.dealer_id,
        actor_id=actor.user_id,
    )
    return access


@transaction.atomic
def revoke_portal_access(*, actor: Actor, access_id: Any) -> PortalAccess:
    require_perm(actor, "portal.change_portalaccess")
    access = get_scoped(PortalAccess.objects.select_for_update(), actor, for_write=True, pk=access_id)
    if access.is_active:
        access.is_active = False
        access.save(update_fields=["is_active", "updated_at"])
        emit(
            "portal.access.revoked",
            {"access_id": access.pk, "user_id": access.user_id, "customer_id": access.customer_id},
            dealer_id=access.dealer_id,
            actor_id=actor.user_id,
        )
    return access
