"""Factories shared by every app's tests: companies, sites, users with a role, API clients."""

from __future__ import annotations

import itertools
import json
from datetime import date
from typing import Any

from django.test import Client

from qudao.accounts.models import Membership, Role, User
from qudao.accounts.services.api_keys import create_api_key
from qudao.org.models import Channel, ChannelKind, Company, Dealership, Site, SiteKind

_seq = itertools.count(1)


def make_company(*, roles: tuple[str, ...] = ("dealer",), **fields: Any) -> Company:
    n = next(_seq)
    values = {"code": f"C{n:05d}", "name": f"Company {n}"}
    values.update({f"is_{role}": True for role in roles})
    values.update(fields)
    return Company.objects.create(**values)


def make_dealer(**fields: Any) -> Company:
    return make_company(roles=("dealer",), **fields)


def make_brand(**fields: Any) -> Company:
    return make_company(roles=("brand",), is_public=True, **fields)


def make_site(dealer: Company, *, kind: str = SiteKind.CENTRAL_WAREHOUSE, **fields: Any) -> Site:
    n = next(_seq)
    values = {"code": f"S{n:04d}", "name": f"Site {n}", "kind": kind}
    values.update(fields)
    return Site.objects.create(dealer=dealer, **values)


def make_channel(dealer: Company, *, kind: str = ChannelKind.WHOLESALE, **fields: Any) -> Channel:
    n = next(_seq)
    return Channel.objects.create(
        dealer=dealer,
        code=fields.pop("code", f"CH{n}"),
        name=fields.pop("name", f"Channel {n}"),
        kind=kind,
        **fields,
    )


def make_dealership(brand: Company, dealer: Company, **fields: Any) -> Dealership:
    fields.setdefault("valid_from", date(2020, 1, 1))
    return Dealership.objects.create(brand=brand, dealer=dealer, **fields)


def make_user(
    company: Company | None = None, role: str = Role.DEALER_ADMIN, *, sites=(), **fields: Any
) -> User:
    n = next(_seq)
    user = User.objects.create_user(
        username=fields.pop("username", f"user{n}"),
        password=fields.pop("password", "Qudao-test-2026!"),
        **fields,
    )
    if company is not None:
        membership = Membership.objects.create(user=user, company=company, role=role)
        if sites:
            membership.sites.set(sites)
    return user


class ApiClient:
    """A JSON client authenticated with a real API key."""

    def __init__(self, user: User, scopes: tuple[str, ...] = ("*",)):
        self.user = user
        self.key, self.token = create_api_key(user=user, name="test", scopes=list(scopes))
        self.client = Client()

    def _headers(self, extra: dict | None = None) -> dict:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {self.token}"}
        headers.update(extra or {})
        return headers

    def get(self, path: str, params: dict | None = None, **extra):
        return self.client.get(path, params or {}, **self._headers(extra))

    def post(self, path: str, body: Any = None, **extra):
        return self.client.post(
            path,
            json.dumps(body if body is not None else {}),
            content_type="application/json",
            **self._headers(extra),
        )

    def put(self, path: str, body: Any = None, **extra):
        return self.client.put(
            path,
            json.dumps(body if body is not None else {}),
            content_type="application/json",
            **self._headers(extra),
        )

    def patch(self, path: str, body: Any = None, **extra):
        return self.client.patch(
            path,
            json.dumps(body if body is not None else {}),
            content_type="application/json",
            **self._headers(extra),
        )

    def delete(self, path: str, **extra):
        return self.client.delete(path, **self._headers(extra))
