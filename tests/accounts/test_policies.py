"""Pure rules: no database."""

from datetime import UTC, datetime, timedelta

import pytest

from qudao.accounts import policies
from qudao.accounts.models import Role


def test_known_scopes_cover_every_app_read_and_write():
    scopes = policies.known_api_scopes()
    assert scopes[0] == "*"
    assert "catalog:read" in scopes and "catalog:write" in scopes
    assert "accounts:write" in scopes and "system:read" in scopes
    assert len(scopes) == 1 + 2 * len(policies.API_SCOPE_APPS)


def test_unknown_scopes_are_listed_sorted():
    assert policies.unknown_api_scopes(["catalog:read", "catalog:delete", "bogus", "*"]) == [
        "bogus",
        "catalog:delete",
    ]
    assert policies.unknown_api_scopes(["org:write"]) == []


@pytest.mark.parametrize(
    ("granted", "wanted", "allowed"),
    [
        ({"*"}, "catalog:write", True),
        ({"catalog:write"}, "catalog:read", True),
        ({"catalog:read"}, "catalog:write", False),
        ({"catalog:read"}, "parties:read", False),
        ({"catalog:write"}, "*", False),
        ({"*"}, "*", True),
    ],
)
def test_scope_allows(granted, wanted, allowed):
    assert policies.scope_allows(granted, wanted) is allowed


def test_scopes_beyond_a_key_and_a_session():
    assert policies.scopes_beyond(["catalog:read", "org:write"], {"catalog:write"}) == ["org:write"]
    assert policies.scopes_beyond(["*"], {"catalog:write"}) == ["*"]
    assert policies.scopes_beyond(["*"], None) == []


def test_normalise_scopes():
    assert policies.normalise_scopes(["org:read", "catalog:read", "org:read"]) == ["catalog:read", "org:read"]
    assert policies.normalise_scopes(["org:read", "*"]) == ["*"]


@pytest.mark.parametrize(
    ("role", "kinds", "fits"),
    [
        (Role.SALES_REP, ["dealer"], True),
        (Role.DEALER_ADMIN, ["brand"], False),
        (Role.BRAND_MANAGER, ["brand", "dealer"], True),
        (Role.BRAND_MANAGER, ["dealer"], False),
        (Role.SUPPLIER_USER, ["supplier"], True),
        (Role.SUPPLIER_USER, ["dealer", "carrier"], False),
        (Role.RETAILER_USER, ["dealer"], True),
        ("astronaut", ["dealer"], False),
    ],
)
def test_role_fits_company(role, kinds, fits):
    assert policies.role_fits_company(role, kinds) is fits


NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
WINDOW = timedelta(minutes=15)


def test_not_locked_below_the_threshold():
    failures = [NOW - timedelta(minutes=m) for m in (1, 2, 3, 4)]
    assert policies.locked_until(failures, max_failures=5, window=WINDOW, now=NOW) is None


def test_locked_until_the_fifth_newest_failure_leaves_the_window():
    failures = [NOW - timedelta(minutes=m) for m in (1, 2, 3, 4, 10, 14)]
    # the 5th newest failure is 10 minutes old: the lock lifts 5 minutes from now
    assert policies.locked_until(failures, max_failures=5, window=WINDOW, now=NOW) == NOW + timedelta(
        minutes=5
    )


def test_failures_outside_the_window_do_not_count():
    failures = [NOW - timedelta(minutes=m) for m in (1, 2, 3, 4, 16, 20)]
    assert policies.locked_until(failures, max_failures=5, window=WINDOW, now=NOW) is None


def test_throttle_disabled_with_zero_failures():
    assert policies.locked_until([NOW], max_failures=0, window=WINDOW, now=NOW) is None
