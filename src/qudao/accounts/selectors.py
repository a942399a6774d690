"""Reads of the accounts app; each starts from `scoped(queryset, actor)`."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from qudao.accounts.models import ApiKey, Membership, User
from qudao.core.api import order_queryset
from qudao.core.scoping import Actor, get_scoped, scoped

USER_ORDERING = {"id", "username", "first_name", "last_name", "email", "date_joined", "last_login"}
MEMBERSHIP_ORDERING = {"id", "user_id", "company_id", "role", "created_at", "updated_at"}
API_KEY_ORDERING = {"id", "name", "created_at", "expires_at", "last_used_at"}


def _visible_memberships(actor: Actor) -> QuerySet:
    return scoped(Membership.objects.all(), actor).select_related("company").prefetch_related("sites")


def list_users(
    *,
    actor: Actor,
    q: str | None = None,
    company_id: int | None = None,
    role: str | None = None,
    is_active: bool | None = None,
    ordering: str | None = None,
) -> QuerySet:
    """Colleagues: users of the companies the actor works for (everyone for a platform admin)."""
    qs = scoped(User.objects.all(), actor)
    if q:
        qs = qs.filter(
            Q(username__icontains=q)
            | Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
            | Q(email__icontains=q)
            | Q(phone__icontains=q)
        )
    if company_id is not None or role is not None:
        memberships = Membership.objects.filter(is_active=True)
        if company_id is not None:
            memberships = memberships.filter(company_id=company_id)
        if role is not None:
            memberships = memberships.filter(role=role)
        qs = qs.filter(pk__in=memberships.values("user_id"))
    if is_active is not None:
        qs = qs.filter(is_active=is_active)
    qs = qs.prefetch_related(Prefetch("memberships", queryset=_visible_memberships(actor)))
    return order_queryset(qs, ordering, USER_ORDERING, "username")


def get_user(*, actor: Actor, user_id: int, for_write: bool = False) -> User:
    qs = User.objects.prefetch_related(Prefetch("memberships", queryset=_visible_memberships(actor)))
    return get_scoped(qs, actor, for_write=for_write, pk=user_id)


def list_memberships(
    *,
    actor: Actor,
    user_id: int | None = None,
    company_id: int | None = None,
    role: str | None = None,
    is_active: bool | None = None,
    ordering: str | None = None,
) -> QuerySet:
    qs = _visible_memberships(actor)
    if user_id is not None:
        qs = qs.filter(user_id=user_id)
    if company_id is not None:
        qs = qs.filter(company_id=company_id)
    if role is not None:
        qs = qs.filter(role=role)
    if is_active is not None:
        qs = qs.filter(is_active=is_active)
    return order_queryset(qs, ordering, MEMBERSHIP_ORDERING, "user_id")


def get_membership(*, actor: Actor, membership_id: int, for_write: bool = False) -> Membership:
    return get_scoped(_visible_memberships(actor), actor, for_write=for_write, pk=membership_id)


def list_api_keys(*, actor: Actor, is_usable: bool | None = None, ordering: str | None = None) -> QuerySet:
    """The actor's own keys (a platform administrator sees everyone's in the console)."""
    qs = scoped(ApiKey.objects.all(), actor).filter(user_id=actor.user_id)
    if is_usable is not None:
        usable = Q(revoked_at__isnull=True) & (Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
        qs = qs.filter(usable) if is_usable else qs.exclude(usable)
    return order_queryset(qs, ordering, API_KEY_ORDERING, "-created_at")


def get_api_key(*, actor: Actor, key_id: int, for_write: bool = False) -> ApiKey:
    return get_scoped(ApiKey.objects.filter(user_id=actor.user_id), actor, for_write=for_write, pk=key_id)
