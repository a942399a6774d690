"""Build the request actor from a user's active memberships (and an API key's scopes)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from qudao.accounts.models import Membership, Role
from qudao.accounts.roles import DEALER_ROLES, permissions_for
from qudao.core.scoping import Actor
from qudao.org.models import Dealership, DealershipStatus


def build_actor(user: Any, *, api_key: Any = None) -> Actor:
    memberships = list(
        Membership.objects.filter(user=user, is_active=True, company__is_active=True)
        .select_related("company")
        .prefetch_related("sites")
    )
    company_ids: set[int] = set()
    own_dealers: dict[int, frozenset[int] | None] = {}
    brand_ids: set[int] = set()
    supplier_ids: set[int] = set()
    admin_company_ids: set[int] = set()
    roles: set[str] = set()
    for m in memberships:
        company_ids.add(m.company_id)
        roles.add(m.role)
        if m.role == Role.DEALER_ADMIN:
            admin_company_ids.add(m.company_id)
        if m.role in DEALER_ROLES and m.company.is_dealer:
            sites = frozenset(s.pk for s in m.sites.all()) or None
            if m.company_id in own_dealers:
                previous = own_dealers[m.company_id]
                sites = None if previous is None or sites is None else previous | sites
            own_dealers[m.company_id] = sites
        if m.role == Role.BRAND_MANAGER and m.company.is_brand:
            brand_ids.add(m.company_id)
            admin_company_ids.add(m.company_id)
        if m.role == Role.SUPPLIER_USER and m.company.is_supplier:
            supplier_ids.add(m.company_id)
    brand_dealer_ids: set[int] = set()
    if brand_ids:
        today = timezone.localdate()
        brand_dealer_ids = set(
            Dealership.objects.filter(
                brand__in=brand_ids, status=DealershipStatus.ACTIVE, valid_from__lte=today
            )
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
            .values_list("dealer_id", flat=True)
        )
    return Actor(
        user_id=user.pk,
        username=user.get_username(),
        is_platform_admin=bool(user.is_superuser),
        company_ids=frozenset(company_ids),
        own_dealers=own_dealers,
        brand_dealer_ids=frozenset(brand_dealer_ids),
        brand_ids=frozenset(brand_ids),
        supplier_ids=frozenset(supplier_ids),
        admin_company_ids=frozenset(admin_company_ids),
        roles=frozenset(roles),
        permissions=permissions_for(roles),
        api_scopes=None if api_key is None else frozenset(api_key.scopes or []),
        api_key_id=None if api_key is None else api_key.pk,
    )
