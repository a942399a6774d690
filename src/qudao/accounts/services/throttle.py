"""Login throttling stored in the database so that every web process agrees.

After LOGIN_THROTTLE["MAX_FAILURES"] failed sign-ins for a username (case-insensitive) within
LOGIN_THROTTLE["WINDOW_SECONDS"], the username is locked: even the right password is refused
until enough of those failures have left the window. Attempts made while locked are not
recorded (the lock does not extend itself, and an attacker cannot fill the table). A successful
sign-in clears the username's failures. Old rows are purged by `tasks.purge_login_failures_task`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from qudao.accounts.models import LoginFailure
from qudao.accounts.policies import locked_until as compute_locked_until

#: failed sign-ins are kept this long for the record (at least the throttle window)
DEFAULT_RETENTION = timedelta(days=7)


def _config() -> tuple[int, timedelta]:
    config = settings.LOGIN_THROTTLE
    return int(config["MAX_FAILURES"]), timedelta(seconds=int(config["WINDOW_SECONDS"]))


def _client_ip(request) -> str:
    if request is None:
        return ""
    return request.META.get("REMOTE_ADDR", "")[:45]


def locked_until(*, username: str) -> datetime | None:
    """When `username` may sign in again, or None when it is not locked."""
    max_failures, window = _config()
    if max_failures <= 0:
        return None
    now = timezone.now()
    recent = list(
        LoginFailure.objects.filter(username__iexact=username[:150], at__gt=now - window)
        .order_by("-at")
        .values_list("at", flat=True)[:max_failures]
    )
    return compute_locked_until(recent, max_failures=max_failures, window=window, now=now)


def is_locked(*, username: str, request=None) -> bool:
    return locked_until(username=username) is not None


@transaction.atomic
def record_failure(*, username: str, request=None) -> bool:
    """Record a failed sign-in unless the username is already locked. Returns True when recorded."""
    if is_locked(username=username):
        return False
    LoginFailure.objects.create(username=username[:150], ip=_client_ip(request))
    return True


def clear_failures(*, username: str) -> int:
    deleted, _ = LoginFailure.objects.filter(username__iexact=username[:150]).delete()
    return deleted


def retention() -> timedelta:
    _, window = _config()
    days = settings.LOGIN_THROTTLE.get("RETENTION_DAYS")
    keep = timedelta(days=int(days)) if days is not None else DEFAULT_RETENTION
    return max(keep, window)


def purge_login_failures(*, now: datetime | None = None) -> int:
    """Delete failed sign-ins older than the retention (never younger than the throttle window)."""
    cutoff = (now or timezone.now()) - retention()
    deleted, _ = LoginFailure.objects.filter(at__lt=cutoff).delete()
    return deleted
