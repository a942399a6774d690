"""Sign-in with throttling: after N failures within a window, the username is locked for that window."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from qudao.accounts.services.throttle import is_locked


class ThrottledModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None and is_locked(username=username, request=request):
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
