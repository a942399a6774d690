"""API keys: `qd_<prefix>_<secret>`; the secret is shown once, SHA-256 of the whole token is stored.

A key acts as its user (same data scope and role permissions), narrowed to its scopes
("*", "<app>:read", "<app>:write" — see policies.API_SCOPE_APPS).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from qudao.accounts import errors
from qudao.accounts.models import ApiKey
from qudao.accounts.policies import normalise_scopes, scopes_beyond, unknown_api_scopes
from qudao.core.errors import PermissionDeniedError, ValidationFailed
from qudao.core.scoping import Actor, get_scoped

TOKEN_PREFIX = "qd"
#: how often last_used_at is written (avoid a write per request)
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_api_key_request(
    *, scopes: Sequence[str], expires_at: datetime | None, actor: Actor | None = None
) -> datetime | None:
    """Validate a key's scopes and expiry; returns the expiry as an aware datetime."""
    if not scopes:
        raise ValidationFailed(details=[{"field": "scopes", "message": "min 1"}])
    unknown = unknown_api_scopes(scopes)
    if unknown:
        raise errors.UnknownApiScope(
            scopes=", ".join(unknown), details=[{"field": "scopes", "unknown": unknown}]
        )
    if actor is not None:
        beyond = scopes_beyond(scopes, actor.api_scopes)
        if beyond:
            raise errors.ApiScopeNotGranted(scopes=", ".join(beyond), details={"scopes": beyond})
    if expires_at is not None:
        if timezone.is_naive(expires_at):
            expires_at = timezone.make_aware(expires_at)
        if expires_at <= timezone.now():
            raise errors.ApiKeyExpiryInPast(
                details=[{"field": "expires_at", "message": expires_at.isoformat()}]
            )
    return expires_at


@transaction.atomic
def create_api_key(
    *, user, name: str, scopes: Sequence[str], expires_at: datetime | None = None, actor: Actor | None = None
) -> tuple[ApiKey, str]:
    """Create a key and return it with the plain token (the only time it is ever visible).

    With an `actor` (API, console) the key is for the actor itself unless a platform administrator
    asks, and a key cannot mint a key with scopes beyond its own.
    """
    if actor is not None and not actor.is_platform_admin and actor.user_id != user.pk:
        raise PermissionDeniedError(details={"user_id": user.pk})
    expires_at = check_api_key_request(scopes=scopes, expires_at=expires_at, actor=actor)
    prefix = secrets.token_hex(4)
    token = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        hashed_key=hash_token(token),
        scopes=normalise_scopes(scopes),
        expires_at=expires_at,
    )
    return key, token


def authenticate_api_key(token: str) -> ApiKey | None:
    if not token or not token.startswith(f"{TOKEN_PREFIX}_") or len(token) > 200:
        return None
    key = ApiKey.objects.select_related("user").filter(hashed_key=hash_token(token)).first()
    if key is None or not key.is_usable or not key.user.is_active:
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key


@transaction.atomic
def revoke_api_key(*, key: ApiKey, actor: Actor | None = None) -> ApiKey:
    """Revoke now; revoking twice keeps the first time. An actor revokes only keys in its scope."""
    keys = ApiKey.objects.select_for_update()
    key = get_scoped(keys, actor, for_write=True, pk=key.pk) if actor is not None else keys.get(pk=key.pk)
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at", "updated_at"])
    return key
