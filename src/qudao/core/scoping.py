"""Data scopes: who may see and change which rows.

Every selector and API list starts from `scoped(queryset, actor)`. A model says how it is owned
with a `scope_spec = ScopeSpec(...)` class attribute (paths are Django lookups):

* `dealer` — the owning dealer company (every business row has one);
* `site` — the row's site, when it has one: a membership limited to sites sees only those;
* `supplier` — the supplier company a row concerns: supplier users see those rows;
* `public` — a boolean field: rows marked shared are readable by every signed-in user
  (e.g. a brand's public directory entry), never writable through it;
* `custom` — a function (queryset, actor, for_write) → queryset for models that need more.

A dealer user sees its dealers' rows; a brand user reads the rows of dealers authorised for its
brand (and writes none of them); a platform administrator (superuser) sees everything.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.conf import settings
from django.db.models import Model, Q, QuerySet
from django.utils.module_loading import import_string

from qudao.core.errors import NotFound, PermissionDeniedError


@dataclass(frozen=True)
class ScopeSpec:
    dealer: str | None = "dealer"
    site: str | None = None
    supplier: str | None = None
    public: str | None = None
    custom: Callable[[QuerySet, Actor, bool], QuerySet] | None = None


@dataclass(frozen=True)
class Actor:
    """Who is asking. Built once per request by the builder named in settings.QUDAO["ACTOR_BUILDER"]."""

    user_id: int | None = None
    username: str = ""
    is_platform_admin: bool = False
    #: companies the user is a member of (any role)
    company_ids: frozenset[int] = frozenset()
    #: dealers the user works for: readable and writable. Value: sites the membership is limited to
    #: (None = every site of that dealer).
    own_dealers: Mapping[int, frozenset[int] | None] = field(default_factory=dict)
    #: dealers readable through a brand membership (authorised dealerships of the user's brands)
    brand_dealer_ids: frozenset[int] = frozenset()
    brand_ids: frozenset[int] = frozenset()
    supplier_ids: frozenset[int] = frozenset()
    #: companies where the user is an administrator (manages users, memberships)
    admin_company_ids: frozenset[int] = frozenset()
    roles: frozenset[str] = frozenset()
    permissions: frozenset[str] = frozenset()
    #: None for a session; the API key's scopes otherwise ("catalog:read", "catalog:write", "*")
    api_scopes: frozenset[str] | None = None
    api_key_id: int | None = None

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def own_dealer_ids(self) -> frozenset[int]:
        return frozenset(self.own_dealers)

    @property
    def dealer_ids(self) -> frozenset[int]:
        """Every dealer whose rows this actor can read."""
        return frozenset(self.own_dealers) | self.brand_dealer_ids

    def has_perm(self, perm: str) -> bool:
        return self.is_platform_admin or perm in self.permissions

    def allows_scope(self, app_label: str, write: bool) -> bool:
        """Does the API key (if any) allow reading/writing this app?"""
        if self.api_scopes is None or "*" in self.api_scopes:
            return True
        wanted = f"{app_label}:{'write' if write else 'read'}"
        return wanted in self.api_scopes or (not write and f"{app_label}:write" in self.api_scopes)

    def default_dealer_id(self) -> int | None:
        """The dealer a new row belongs to when the actor works for exactly one."""
        return next(iter(self.own_dealers)) if len(self.own_dealers) == 1 else None


ANONYMOUS = Actor()


def spec_for(model: type[Model]) -> ScopeSpec:
    spec = getattr(model, "scope_spec", None)
    if spec is None:
        raise TypeError(
            f"{model.__name__} has no scope_spec: every business model must declare how it is owned"
        )
    return spec


def scope_q(model: type[Model], actor: Actor, *, for_write: bool = False) -> Q | None:
    """The filter for `model` as seen by `actor`; None means no restriction (platform admin)."""
    if actor.is_platform_admin:
        return None
    spec = spec_for(model)
    parts: list[Q] = []
    if spec.dealer:
        unrestricted = [d for d, sites in actor.own_dealers.items() if sites is None]
        if not for_write:
            unrestricted += list(actor.brand_dealer_ids)
        if unrestricted:
            parts.append(Q(**{f"{spec.dealer}__in": sorted(set(unrestricted))}))
        for dealer_id, sites in actor.own_dealers.items():
            if sites is None:
                continue
            if spec.site:
                parts.append(
                    Q(**{spec.dealer: dealer_id})
                    & (Q(**{f"{spec.site}__in": sorted(sites)}) | Q(**{f"{spec.site}__isnull": True}))
                )
            else:
                parts.append(Q(**{spec.dealer: dealer_id}))
    if spec.supplier and actor.supplier_ids:
        parts.append(Q(**{f"{spec.supplier}__in": sorted(actor.supplier_ids)}))
    if spec.public and not for_write and actor.is_authenticated:
        parts.append(Q(**{spec.public: True}))
    if not parts:
        return Q(pk__in=[])
    return reduce(or_, parts)


def scope_sql(
    model: type[Model], actor: Actor, *, alias: str, for_write: bool = False
) -> tuple[str, list[Any]] | None:
    """`scope_q` as an SQL condition over the table aliased `alias`, for the hand-written queries
    of hot paths (the same rule, clause for clause). None when the spec needs a join (a path
    through a relation) or a custom function: use `scoped()` then."""
    if actor.is_platform_admin:
        return "1 = 1", []
    spec = spec_for(model)
    if spec.custom is not None:
        return None
    from django.db import connection

    meta = model._meta

    def column(path: str | None) -> str | None:
        if path is None or "__" in path:
            return None
        field = meta.pk if path == "pk" else meta.get_field(path)
        return f"{alias}.{connection.ops.quote_name(field.column)}"

    paths = [p for p in (spec.dealer, spec.site, spec.supplier, spec.public) if p]
    if any(column(p) is None for p in paths):
        return None
    parts: list[str] = []
    params: list[Any] = []

    def among(col: str, values: Any) -> None:
        values = sorted(set(values))
        parts.append(f"{col} IN ({', '.join(['%s'] * len(values))})")
        params.extend(values)

    if spec.dealer:
        dealer = column(spec.dealer)
        unrestricted = [d for d, sites in actor.own_dealers.items() if sites is None]
        if not for_write:
            unrestricted += list(actor.brand_dealer_ids)
        if unrestricted:
            among(dealer, unrestricted)
        for dealer_id, sites in actor.own_dealers.items():
            if sites is None:
                continue
            if spec.site:
                site = column(spec.site)
                marks = ", ".join(["%s"] * len(sites))
                within = f"{site} IN ({marks}) OR " if sites else ""
                parts.append(f"({dealer} = %s AND ({within}{site} IS NULL))")
                params += [dealer_id, *sorted(sites)]
            else:
                parts.append(f"{dealer} = %s")
                params.append(dealer_id)
    if spec.supplier and actor.supplier_ids:
        among(column(spec.supplier), actor.supplier_ids)
    if spec.public and not for_write and actor.is_authenticated:
        parts.append(f"{column(spec.public)} = %s")
        params.append(True)
    if not parts:
        return "1 = 0", []
    return "(" + " OR ".join(parts) + ")", params


def scoped(queryset: QuerySet, actor: Actor, *, for_write: bool = False) -> QuerySet:
    """Restrict `queryset` to the rows `actor` may see (or change, with for_write=True)."""
    model = queryset.model
    spec = spec_for(model)
    if spec.custom is not None:
        return spec.custom(queryset, actor, for_write)
    q = scope_q(model, actor, for_write=for_write)
    return queryset if q is None else queryset.filter(q)


def get_scoped(queryset: QuerySet, actor: Actor, *, for_write: bool = False, **lookup: Any) -> Model:
    """One row the actor may see, or NotFound (404) — the same answer for 'absent' and 'not yours'."""
    try:
        return scoped(queryset, actor, for_write=for_write).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def require_perm(actor: Actor, perm: str) -> None:
    if not actor.has_perm(perm):
        raise PermissionDeniedError(details={"permission": perm})


def require_dealer(actor: Actor, dealer_id: int | None) -> int:
    """The dealer a new row goes to: the given one if the actor works for it, else the only one."""
    if dealer_id is None:
        dealer_id = actor.default_dealer_id()
        if dealer_id is None and not actor.is_platform_admin:
            raise PermissionDeniedError(
                details={"dealer": "choose the dealer: you work for several (or none)"}
            )
        if dealer_id is None:
            raise NotFound(details={"dealer": "required"})
        return dealer_id
    if actor.is_platform_admin or dealer_id in actor.own_dealers:
        return dealer_id
    raise NotFound(details={"dealer": dealer_id})


def build_actor(user: Any, *, api_key: Any = None) -> Actor:
    builder = import_string(settings.QUDAO["ACTOR_BUILDER"])
    return builder(user, api_key=api_key)


def get_actor(request: Any) -> Actor:
    """The request's actor, built once and cached on the request."""
    actor = getattr(request, "_qudao_actor", None)
    if actor is not None:
        return actor
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        actor = ANONYMOUS
    else:
        actor = build_actor(user, api_key=getattr(request, "api_key", None))
    request._qudao_actor = actor
    return actor
