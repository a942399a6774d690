"""The API toolkit every app's router uses: strict schemas, pagination, ordering, one error body."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import PaginationBase
from pydantic import ConfigDict

from qudao.core import errors
from qudao.core.scoping import Actor, get_actor

logger = logging.getLogger(__name__)


class StrictSchema(Schema):
    """Input schemas refuse unknown fields: a typo is an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ErrorOut(Schema):
    code: str
    message: str
    details: Any = None
    request_id: str | None = None


class Paginated(PaginationBase):
    """Page-number pagination with a hard maximum page size (settings.QUDAO["API_MAX_PAGE_SIZE"])."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1)

    class Output(Schema):
        items: list[Any]
        count: int
        page: int
        page_size: int

    items_attribute = "items"

    def paginate_queryset(self, queryset: QuerySet, pagination: Input, **params: Any) -> dict[str, Any]:
        maximum = settings.QUDAO["API_MAX_PAGE_SIZE"]
        size = pagination.page_size or settings.QUDAO["API_DEFAULT_PAGE_SIZE"]
        if size > maximum:
            raise errors.ValidationFailed(
                _("The page size may be at most %(max)s.") % {"max": maximum},
                details=[{"field": "page_size", "message": f"<= {maximum}"}],
            )
        offset = (pagination.page - 1) * size
        return {
            "items": list(queryset[offset : offset + size]),
            "count": queryset.count(),
            "page": pagination.page,
            "page_size": size,
        }


def order_queryset(queryset: QuerySet, ordering: str | None, allowed: set[str], default: str) -> QuerySet:
    """`?ordering=-name,code`: only whitelisted fields; always ends with a unique key for stable pages."""
    if not ordering:
        return queryset.order_by(default, "pk")
    keys: list[str] = []
    for raw in ordering.split(","):
        key = raw.strip()
        name = key.removeprefix("-")
        if name not in allowed:
            raise errors.ValidationFailed(
                _("You cannot order by “%(field)s”. Allowed: %(allowed)s.")
                % {"field": name, "allowed": ", ".join(sorted(allowed))},
                details=[{"field": "ordering", "message": name}],
            )
        keys.append(key)
    return queryset.order_by(*keys, "pk")


def api_actor(request: HttpRequest, *, app: str, write: bool = False, perm: str | None = None) -> Actor:
    """The actor of an API call, after checking the API key's scopes and the role permission."""
    actor = get_actor(request)
    if not actor.is_authenticated:
        raise errors.NotAuthenticated()
    if not actor.allows_scope(app, write):
        raise errors.PermissionDeniedError(
            _("This API key has no “%(scope)s” scope.") % {"scope": f"{app}:{'write' if write else 'read'}"},
            details={"scope": f"{app}:{'write' if write else 'read'}"},
        )
    if perm:
        from qudao.core.scoping import require_perm

        require_perm(actor, perm)
    return actor


def _body(request: HttpRequest, code: str, message: str, details: Any) -> dict[str, Any]:
    return {
        "code": code,
        "message": message,
        "details": details,
        "request_id": getattr(request, "request_id", None),
    }


def _ninja_validation_details(exc: NinjaValidationError) -> list[dict[str, str]]:
    details = []
    for error in exc.errors:
        loc = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path", "payload", "data")]
        details.append(
            {
                "field": ".".join(loc) or "body",
                "message": str(error.get("msg", "")),
                "type": str(error.get("type", "")),
            }
        )
    return details


def install_error_handlers(api: Any) -> None:
    """Every error leaves the API as {"code", "message", "details", "request_id"}."""

    @api.exception_handler(errors.QudaoError)
    def on_qudao_error(request, exc: errors.QudaoError):
        return api.create_response(
            request, _body(request, exc.code, exc.render(), exc.details), status=exc.status
        )

    @api.exception_handler(NinjaValidationError)
    def on_validation(request, exc: NinjaValidationError):
        return api.create_response(
            request,
            _body(
                request,
                errors.ValidationFailed.code,
                str(errors.ValidationFailed.message),
                _ninja_validation_details(exc),
            ),
            status=422,
        )

    @api.exception_handler(DjangoValidationError)
    def on_django_validation(request, exc: DjangoValidationError):
        details = (
            errors.field_errors(exc.message_dict)
            if hasattr(exc, "error_dict")
            else [{"field": "__all__", "message": str(m)} for m in exc.messages]
        )
        return api.create_response(
            request,
            _body(request, errors.ValidationFailed.code, str(errors.ValidationFailed.message), details),
            status=422,
        )

    @api.exception_handler(IntegrityError)
    def on_integrity(request, exc: IntegrityError):
        logger.info("integrity error turned into 409: %s", exc)
        return api.create_response(
            request,
            _body(request, errors.DuplicateRecord.code, str(errors.DuplicateRecord.message), {}),
            status=409,
        )

    @api.exception_handler(AuthenticationError)
    def on_auth(request, exc):
        return api.create_response(
            request,
            _body(request, errors.NotAuthenticated.code, str(errors.NotAuthenticated.message), {}),
            status=401,
        )

    @api.exception_handler(Http404)
    def on_404(request, exc):
        return api.create_response(
            request, _body(request, errors.NotFound.code, str(errors.NotFound.message), {}), status=404
        )

    @api.exception_handler(HttpError)
    def on_http_error(request, exc: HttpError):
        code = {
            400: "bad_request",
            401: "not_authenticated",
            403: "permission_denied",
            404: "not_found",
            405: "method_not_allowed",
            409: "conflict",
            413: "too_large",
            429: "rate_limited",
        }
        return api.create_response(
            request, _body(request, code.get(exc.status_code, "error"), str(exc), {}), status=exc.status_code
        )

    @api.exception_handler(Exception)
    def on_unexpected(request, exc: Exception):
        logger.exception("unexpected API error (request %s)", getattr(request, "request_id", "-"))
        return api.create_response(
            request,
            _body(request, errors.InternalError.code, str(errors.InternalError.message), {}),
            status=500,
        )
