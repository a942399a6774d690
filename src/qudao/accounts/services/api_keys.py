"""API keys: `qd_<prefix>_<secret>`; the secret is shown once, SHA-256 of the whole token is stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from qudao.accounts.models import ApiKey

TOKEN_PREFIX = "qd"
#: how often last_used_at is written (avoid a write per request)
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_api_key(*, user, name: str, scopes: list[str], expires_at: datetime | None = None
                   ) -> tuple[ApiKey, str]:
    """Create a key and return it with the plain token (the only time it is ever visible)."""
    prefix = secrets.token_hex(4)
    token = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(user=user, name=name, prefix=prefix, hashed_key=hash_token(token),
                                scopes=sorted(set(scopes)), expires_at=expires_at)
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
def revoke_api_key(*, key: ApiKey) -> ApiKey:
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at", "updated_at"])
    return key
