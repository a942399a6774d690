"""Stable error codes → HTTP status → translated message.

Every failure a user can cause is a `QudaoError` (or a subclass declared in an app's errors.py)
with a stable `code`. The API renders them as one body everywhere:
`{"code", "message", "details", "request_id"}`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _

#: code → (status, default message); filled as subclasses are declared. Used for docs and tests.
REGISTRY: dict[str, tuple[int, Any]] = {}


class QudaoError(Exception):
    code: ClassVar[str] = "error"
    status: ClassVar[int] = 400
    message: ClassVar[Any] = _("The request could not be processed.")

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        existing = REGISTRY.get(cls.code)
        if existing and existing != (cls.status, cls.message):
            raise RuntimeError(f"error code {cls.code!r} declared twice with different meanings")
        REGISTRY[cls.code] = (cls.status, cls.message)

    def __init__(self, message: Any = None, *, details: Any = None, **params: Any):
        self.params = params
        self.details = details if details is not None else {}
        template = message if message is not None else self.message
        self._template = template
        super().__init__(str(self.render()))

    def render(self) -> str:
        text = str(self._template)
        if self.params:
            try:
                return text % self.params
            except (KeyError, TypeError, ValueError):
                return text
        return text

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.render(), "details": self.details}


REGISTRY[QudaoError.code] = (QudaoError.status, QudaoError.message)


class ValidationFailed(QudaoError):
    code = "validation_error"
    status = 422
    message = _("Some fields are not valid.")


class NotFound(QudaoError):
    code = "not_found"
    status = 404
    message = _("The requested record does not exist or is not visible to you.")


class PermissionDeniedError(QudaoError):
    code = "permission_denied"
    status = 403
    message = _("You do not have permission to do this.")


class NotAuthenticated(QudaoError):
    code = "not_authenticated"
    status = 401
    message = _("Sign in or send a valid API key.")


class Conflict(QudaoError):
    code = "conflict"
    status = 409
    message = _("The request conflicts with the current state of the record.")


class StaleVersion(QudaoError):
    code = "stale_version"
    status = 409
    message = _("Someone else changed this record after you opened it. Reload and try again.")


class InvalidTransition(QudaoError):
    code = "invalid_transition"
    status = 409
    message = _("A %(model)s cannot go from “%(from_state)s” to “%(to_state)s”.")


class DuplicateRecord(QudaoError):
    code = "duplicate"
    status = 409
    message = _("A record with these values already exists.")


class RateLimited(QudaoError):
    code = "rate_limited"
    status = 429
    message = _("Too many attempts. Try again later.")


class InternalError(QudaoError):
    code = "internal_error"
    status = 500
    message = _("An unexpected error occurred. It has been logged with the request id.")


def field_errors(errors: dict[str, list[str]] | Any) -> list[dict[str, str]]:
    """Normalise Django ValidationError.message_dict into the API's `details` list."""
    out: list[dict[str, str]] = []
    for field, messages in dict(errors).items():
        for message in messages:
            out.append({"field": field, "message": str(message)})
    return out
