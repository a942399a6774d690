"""Login throttling stored in the database so that every web process agrees."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from qudao.accounts.models import LoginFailure


def _client_ip(request) -> str:
    if request is None:
        return ""
    return request.META.get("REMOTE_ADDR", "")[:45]


def is_locked(*, username: str, request=None) -> bool:
    config = settings.LOGIN_THROTTLE
    since = timezone.now() - timedelta(seconds=config["WINDOW_SECONDS"])
    failures = LoginFailure.objects.filter(username__iexact=username[:150], at__gte=since).count()
    return failures >= config["MAX_FAILURES"]


def record_failure(*, username: str, request=None) -> None:
    LoginFailure.objects.create(username=username[:150], ip=_client_ip(request))


def clear_failures(*, username: str) -> None:
    LoginFailure.objects.filter(username__iexact=username[:150]).delete()
