"""Pure access rules: API key scopes, which role fits which company, when a sign-in is locked.

No database here: these functions are tested on their own and used by services and forms.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from qudao.accounts.roles import ROLE_COMPANY_KIND

#: The apps an API key can be scoped to ("<app>:read" / "<app>:write"; "*" is everything).
#: Each API router is checked with `api_actor(request, app=<label>)`: when an app gets an API,
#: its label goes here — this tuple is the one list of known scopes.
API_SCOPE_APPS: tuple[str, ...] = (
    "system",
    "org",
    "accounts",
    "catalog",
    "parties",
    "inventory",
    "alerts",
    "pricing",
    "sales",
    "finance",
)
ALL_SCOPES = "*"
READ, WRITE = "read", "write"


def known_api_scopes() -> tuple[str, ...]:
    """Every scope a key may carry, in a stable order (used for validation and choices)."""
    return (ALL_SCOPES, *(f"{app}:{access}" for app in API_SCOPE_APPS for access in (READ, WRITE)))


def unknown_api_scopes(scopes: Iterable[str]) -> list[str]:
    known = set(known_api_scopes())
    return sorted({s for s in scopes if s not in known})


def scope_allows(granted: Iterable[str], wanted: str) -> bool:
    """Does a set of scopes cover `wanted`? "*" covers everything and "<app>:write" covers reading."""
    granted = set(granted)
    if ALL_SCOPES in granted or wanted in granted:
        return True
    if wanted == ALL_SCOPES:
        return False
    app, _, access = wanted.partition(":")
    return access == READ and f"{app}:{WRITE}" in granted


def scopes_beyond(requested: Iterable[str], granted: Iterable[str] | None) -> list[str]:
    """The requested scopes that `granted` does not cover (None = a session: no limit)."""
    if granted is None:
        return []
    granted = set(granted)
    return sorted({s for s in requested if not scope_allows(granted, s)})


def normalise_scopes(scopes: Iterable[str]) -> list[str]:
    """Sorted, without duplicates; "*" alone when present (it covers every other scope)."""
    unique = set(scopes)
    return [ALL_SCOPES] if ALL_SCOPES in unique else sorted(unique)


def company_kind_for_role(role: str) -> str | None:
    return ROLE_COMPANY_KIND.get(role)


def role_fits_company(role: str, company_kinds: Iterable[str]) -> bool:
    """A dealer role needs a dealer, brand_manager a brand, supplier_user a supplier."""
    kind = ROLE_COMPANY_KIND.get(role)
    return kind is not None and kind in set(company_kinds)


def locked_until(
    failures_newest_first: Sequence[datetime], *, max_failures: int, window: timedelta, now: datetime
) -> datetime | None:
    """When a username becomes usable again, or None if it is not locked.

    A username is locked while `max_failures` or more failures lie within the last `window`.
    Given the recent failures newest first, the lock lifts when the `max_failures`-th newest
    one leaves the window.
    """
    if max_failures <= 0:
        return None
    recent = sorted((at for at in failures_newest_first if at > now - window), reverse=True)
    if len(recent) < max_failures:
        return None
    return recent[max_failures - 1] + window
