"""Memberships: who works for which company, in which role, at which sites.

Rules (every entry point — API, console, import — goes through them):
* only an administrator of the company (dealer admin, brand manager) or a platform administrator
  grants or changes memberships of that company;
* the role must fit the company (dealer roles need a dealer, brand_manager a brand,
  supplier_user a supplier);
* the sites must belong to the company; no sites means every site;
* a company keeps at least one active administrator.
After every change the user's groups and console access follow (`sync_user_access`).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qudao.accounts import errors
from qudao.accounts.models import Membership, Role, User
from qudao.accounts.policies import company_kind_for_role, role_fits_company
from qudao.accounts.roles import ADMIN_ROLE_BY_KIND
from qudao.accounts.services.access import sync_user_access
from qudao.core.errors import ValidationFailed
from qudao.core.events import emit
from qudao.core.scoping import Actor, scoped
from qudao.org.models import Company, Site

COMPANY_KIND_LABELS = {
    "dealer": gettext_lazy("dealer"),
    "brand": gettext_lazy("brand"),
    "supplier": gettext_lazy("supplier"),
}


def _unknown(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(details=[{"field": field, "message": message}])


def resolve_company(*, actor: Actor, company_id: int, field: str = "company_id") -> Company:
    company = scoped(Company.objects.all(), actor).filter(pk=company_id).first()
    if company is None:
        raise _unknown(field, _("Unknown company."))
    return company


def resolve_sites(*, actor: Actor, site_ids: Sequence[int], field: str = "site_ids") -> list[Site]:
    wanted = sorted(set(site_ids))
    sites = list(scoped(Site.objects.all(), actor).filter(pk__in=wanted))
    missing = sorted(set(wanted) - {s.pk for s in sites})
    if missing:
        raise ValidationFailed(details=[{"field": field, "message": _("Unknown sites."), "ids": missing}])
    return sites


def resolve_user(*, actor: Actor, user_id: int, field: str = "user_id") -> User:
    user = scoped(User.objects.all(), actor).filter(pk=user_id).first()
    if user is None:
        raise _unknown(field, _("Unknown user."))
    return user


def check_membership(
    *, actor: Actor, company: Company, role: str, sites: Sequence[Site], field_prefix: str = ""
) -> None:
    """May `actor` let someone work for `company` in `role` at `sites`? Raises the stable error."""
    if role not in Role.values:
        raise _unknown(f"{field_prefix}role", _("Unknown role."))
    if not actor.is_platform_admin and company.pk not in actor.admin_company_ids:
        raise errors.CompanyNotAdministered(
            company=str(company), details=[{"field": f"{field_prefix}company_id", "id": company.pk}]
        )
    if not company.is_active:
        raise errors.CompanyInactive(
            company=str(company), details=[{"field": f"{field_prefix}company_id", "id": company.pk}]
        )
    if not role_fits_company(role, company.roles):
        kind = company_kind_for_role(role) or ""
        raise errors.RoleNotAllowedForCompany(
            role=str(Role(role).label),
            kind=str(COMPANY_KIND_LABELS.get(kind, kind)),
            company=str(company),
            details=[{"field": f"{field_prefix}role", "role": role, "needs": kind}],
        )
    foreign = sorted(s.pk for s in sites if s.dealer_id != company.pk)
    if foreign:
        raise errors.SiteNotInCompany(
            company=str(company), details=[{"field": f"{field_prefix}site_ids", "ids": foreign}]
        )


def check_keeps_admin(*, actor: Actor, membership: Membership, role: str, is_active: bool) -> None:
    """Refuse a change that leaves the membership's company without an active administrator."""
    if actor.is_platform_admin or not membership.pk:
        return
    admin_roles = {ADMIN_ROLE_BY_KIND[k] for k in membership.company.roles if k in ADMIN_ROLE_BY_KIND}
    was_admin = membership.is_active and membership.role in admin_roles
    stays_admin = is_active and role in admin_roles
    if not was_admin or stays_admin:
        return
    others = (
        Membership.objects.select_for_update(of=("self",))
        .filter(
            company_id=membership.company_id,
            role__in=sorted(admin_roles),
            is_active=True,
            user__is_active=True,
        )
        .exclude(pk=membership.pk)
    )
    if not list(others.values_list("pk", flat=True)):
        raise errors.LastCompanyAdmin(
            company=str(membership.company), details={"company_id": membership.company_id}
        )


def _event_payload(membership: Membership) -> dict:
    return {
        "membership_id": membership.pk,
        "user_id": membership.user_id,
        "company_id": membership.company_id,
        "role": membership.role,
        "site_ids": sorted(s.pk for s in membership.sites.all()),
        "is_active": membership.is_active,
    }


def grant_membership(
    *,
    actor: Actor,
    user: User,
    company: Company,
    role: str,
    sites: Sequence[Site] = (),
    field_prefix: str = "",
) -> Membership:
    """Let `user` work for `company` in `role` (reactivating a former membership of that role)."""
    check_membership(actor=actor, company=company, role=role, sites=sites, field_prefix=field_prefix)
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update().filter(user=user, company=company, role=role).first()
        )
        if membership is not None and membership.is_active:
            raise errors.MembershipExists(details={"membership_id": membership.pk})
        if membership is None:
            membership = Membership.objects.create(user=user, company=company, role=role)
        else:
            membership.is_active = True
            membership.save(update_fields=["is_active", "updated_at"])
        membership.sites.set(sites)
        sync_user_access(user)
        emit(
            "accounts.membership.granted",
            _event_payload(membership),
            dealer_id=company.pk,
            actor_id=actor.user_id,
        )
    return membership


@transaction.atomic
def add_membership(
    *, actor: Actor, user_id: int, company_id: int, role: str, site_ids: Sequence[int] = ()
) -> Membership:
    """The API's entry: resolve the ids (unknown or invisible → 422 naming the field), then grant."""
    user = resolve_user(actor=actor, user_id=user_id)
    company = resolve_company(actor=actor, company_id=company_id)
    sites = resolve_sites(actor=actor, site_ids=site_ids)
    return grant_membership(actor=actor, user=user, company=company, role=role, sites=sites)


@transaction.atomic
def update_membership(
    *,
    actor: Actor,
    membership: Membership,
    role: str | None = None,
    site_ids: Sequence[int] | None = None,
    is_active: bool | None = None,
) -> Membership:
    """Change the role, the sites or the active flag (None: unchanged; [] sites: every site)."""
    membership = Membership.objects.select_for_update().select_related("company").get(pk=membership.pk)
    new_role = membership.role if role is None else str(role)
    new_active = membership.is_active if is_active is None else is_active
    sites = (
        list(membership.sites.all()) if site_ids is None else resolve_sites(actor=actor, site_ids=site_ids)
    )
    check_membership(actor=actor, company=membership.company, role=new_role, sites=sites)
    check_keeps_admin(actor=actor, membership=membership, role=new_role, is_active=new_active)
    if (
        new_role != membership.role
        and Membership.objects.filter(
            user_id=membership.user_id, company_id=membership.company_id, role=new_role
        )
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise errors.MembershipExists(details=[{"field": "role", "role": new_role}])
    membership.role = new_role
    membership.is_active = new_active
    membership.save()
    if site_ids is not None:
        membership.sites.set(sites)
    sync_user_access(membership.user)
    emit(
        "accounts.membership.changed",
        _event_payload(membership),
        dealer_id=membership.company_id,
        actor_id=actor.user_id,
    )
    return membership


def deactivate_membership(*, actor: Actor, membership: Membership) -> Membership:
    """The user no longer works for the company in that role (kept for the audit trail)."""
    return update_membership(actor=actor, membership=membership, is_active=False)
