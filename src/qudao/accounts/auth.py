"""API authentication: `Authorization: Bearer <api key>` or the console session (with CSRF)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from qudao.accounts.services.api_keys import authenticate_api_key


class ApiKeyAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str):
        key = authenticate_api_key(token)
        if key is None:
            return None
        request.user = key.user
        request.api_key = key
        request._qudao_actor = None
        return key.user


class SessionCsrfAuth(APIKeyCookie):
    """The console's session cookie; unsafe methods must carry the CSRF token."""

    param_name = "sessionid"

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def authenticate(self, request: HttpRequest, key: str | None):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None
