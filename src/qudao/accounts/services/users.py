"""Users: create (with the memberships that make them visible to their administrators), update,
deactivate and reactivate.

A user may work for several companies. An administrator changes the account itself (name,
e-mail, password, active flag) only when every company the user actively works for is one they
administer; otherwise they manage the user's memberships in their own companies. Platform
administrators (superusers) manage everyone; nobody else manages a platform administrator.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction

from qudao.accounts import errors
from qudao.accounts.models import Membership, User
from qudao.accounts.services.access import sync_user_access
from qudao.accounts.services.memberships import (
    check_membership,
    grant_membership,
    resolve_company,
    resolve_sites,
)
from qudao.core.events import emit
from qudao.core.scoping import Actor
from qudao.org.models import Company, Site


@dataclass(frozen=True)
class MembershipSpec:
    """A membership asked for by id (API input)."""

    company_id: int
    role: str
    site_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class MembershipGrant:
    """A membership with its records resolved (console input, or a resolved `MembershipSpec`)."""

    company: Company
    role: str
    sites: tuple[Site, ...] = field(default_factory=tuple)


def validate_new_password(password: str, user: User, *, field_name: str = "password") -> None:
    """Django's password validators; their messages become the error's details."""
    try:
        password_validation.validate_password(password, user)
    except DjangoValidationError as exc:
        raise errors.InvalidPassword(
            details=[{"field": field_name, "message": str(m)} for m in exc.messages]
        ) from exc


def check_username_free(username: str, *, exclude_pk: int | None = None) -> None:
    """Usernames are unique regardless of case ("Li.Wei" and "li.wei" are one person)."""
    taken = User.objects.filter(username__iexact=username)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise errors.UsernameTaken(username=username, details=[{"field": "username", "message": username}])


def can_manage_account(*, actor: Actor, user: User) -> bool:
    """May `actor` change the account itself (not just its memberships in the actor's companies)?"""
    if actor.is_platform_admin:
        return True
    if user.is_superuser:
        return False
    if user.pk == actor.user_id:
        return True
    companies = set(Membership.objects.filter(user=user, is_active=True).values_list("company_id", flat=True))
    return bool(companies) and companies <= set(actor.admin_company_ids)


def check_can_manage_account(*, actor: Actor, user: User) -> None:
    if not can_manage_account(actor=actor, user=user):
        raise errors.UserManagedElsewhere(details={"user_id": user.pk})


def _save_new(user: User) -> None:
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # a concurrent request took the username
        raise errors.UsernameTaken(
            username=user.username, details=[{"field": "username", "message": user.username}]
        ) from exc


@transaction.atomic
def register_user(*, actor: Actor, user: User, grants: Sequence[MembershipGrant]) -> User:
    """Save a new user (password already set) with its memberships, all or nothing."""
    if not grants and not actor.is_platform_admin:
        raise errors.MembershipRequired(details=[{"field": "memberships", "message": "min 1"}])
    for index, grant in enumerate(grants):
        check_membership(
            actor=actor,
            company=grant.company,
            role=grant.role,
            sites=grant.sites,
            field_prefix=f"memberships.{index}.",
        )
    check_username_free(user.username)
    user.full_clean(exclude=["password"], validate_unique=False)
    _save_new(user)
    for index, grant in enumerate(grants):
        grant_membership(
            actor=actor,
            user=user,
            company=grant.company,
            role=grant.role,
            sites=grant.sites,
            field_prefix=f"memberships.{index}.",
        )
    sync_user_access(user)
    emit(
        "accounts.user.created",
        {
            "user_id": user.pk,
            "username": user.username,
            "company_ids": sorted({g.company.pk for g in grants}),
        },
        actor_id=actor.user_id,
    )
    return user


@transaction.atomic
def create_user(
    *,
    actor: Actor,
    username: str,
    password: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
    language: str | None = None,
    memberships: Sequence[MembershipSpec] = (),
) -> User:
    """Create a user who works for the given companies (at least one unless a platform admin asks)."""
    user = User(username=username, email=email, first_name=first_name, last_name=last_name, phone=phone)
    if language:
        user.language = language
    validate_new_password(password, user)
    user.set_password(password)
    grants = []
    for index, spec in enumerate(memberships):
        prefix = f"memberships.{index}."
        grants.append(
            MembershipGrant(
                company=resolve_company(actor=actor, company_id=spec.company_id, field=f"{prefix}company_id"),
                role=str(spec.role),
                sites=tuple(resolve_sites(actor=actor, site_ids=spec.site_ids, field=f"{prefix}site_ids")),
            )
        )
    return register_user(actor=actor, user=user, grants=grants)


@transaction.atomic
def update_user(
    *,
    actor: Actor,
    user: User,
    first_name: str | None = None,
    last_name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    language: str | None = None,
    password: str | None = None,
) -> User:
    """Change the account's details (None: unchanged) or set a new password."""
    check_can_manage_account(actor=actor, user=user)
    user = User.objects.select_for_update().get(pk=user.pk)
    changed = []
    for name, value in (
        ("first_name", first_name),
        ("last_name", last_name),
        ("email", email),
        ("phone", phone),
        ("language", language),
    ):
        if value is not None and getattr(user, name) != value:
            setattr(user, name, value)
            changed.append(name)
    user.full_clean(exclude=["password"], validate_unique=False)
    if password is not None:
        validate_new_password(password, user)
        user.set_password(password)
        changed.append("password")
    if changed:
        user.save()
        emit("accounts.user.updated", {"user_id": user.pk, "fields": sorted(changed)}, actor_id=actor.user_id)
    return user


@transaction.atomic
def deactivate_user(*, actor: Actor, user: User) -> User:
    """The user can no longer sign in or use API keys; memberships stay for the record."""
    if user.pk == actor.user_id:
        raise errors.CannotDeactivateSelf()
    check_can_manage_account(actor=actor, user=user)
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
        emit("accounts.user.deactivated", {"user_id": user.pk}, actor_id=actor.user_id)
    return user


@transaction.atomic
def activate_user(*, actor: Actor, user: User) -> User:
    check_can_manage_account(actor=actor, user=user)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
        emit("accounts.user.activated", {"user_id": user.pk}, actor_id=actor.user_id)
    return user
