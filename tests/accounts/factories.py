"""Factories for the accounts tests (on top of tests/factories.py)."""

from __future__ import annotations

from typing import Any

from qudao.accounts.actors import build_actor
from qudao.accounts.models import Membership, User
from qudao.core.scoping import Actor
from qudao.org.models import Company
from tests.factories import make_company


def make_supplier(**fields: Any) -> Company:
    return make_company(roles=("supplier",), **fields)


def add_membership(
    user: User, company: Company, role: str, *, sites=(), is_active: bool = True
) -> Membership:
    membership = Membership.objects.create(user=user, company=company, role=role, is_active=is_active)
    if sites:
        membership.sites.set(sites)
    return membership


def actor_of(user: User, *, api_key=None) -> Actor:
    return build_actor(User.objects.get(pk=user.pk), api_key=api_key)


def make_superuser(username: str = "platform") -> User:
    return User.objects.create_superuser(
        username=username, password="Qudao-test-2026!", email="p@example.com"
    )
