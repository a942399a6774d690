"""System endpoints: who am I, the error-code catalogue, outbox events of my dealers."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from qudao.core import errors
from qudao.core.api import Paginated, api_actor
from qudao.core.models import OutboxEvent
from qudao.core.scoping import get_actor, scoped

router = Router()


@router.get("/me", summary="Who am I: user, companies, roles, API key scopes")
def me(request: HttpRequest) -> dict:
    actor = get_actor(request)
    if not actor.is_authenticated:
        raise errors.NotAuthenticated()
    return {
        "user_id": actor.user_id,
        "username": actor.username,
        "is_platform_admin": actor.is_platform_admin,
        "companies": sorted(actor.company_ids),
        "dealers": sorted(actor.own_dealer_ids),
        "brand_dealers": sorted(actor.brand_dealer_ids),
        "roles": sorted(actor.roles),
        "api_scopes": None if actor.api_scopes is None else sorted(actor.api_scopes),
    }


@router.get("/error-codes", summary="Every stable error code with its HTTP status and message")
def error_codes(request: HttpRequest) -> list[dict]:
    return [
        {"code": code, "status": status, "message": str(message)}
        for code, (status, message) in sorted(errors.REGISTRY.items())
    ]


class EventOut(Schema):
    id: int
    topic: str
    payload: dict
    dealer_id: int | None
    created_at: datetime


@router.get("/events", response=list[EventOut], summary="Outbox events of my dealers, newest first")
@paginate(Paginated)
def list_events(request: HttpRequest, topic: str | None = None):
    actor = api_actor(request, app="system")
    qs = scoped(OutboxEvent.objects.all(), actor).order_by("-id")
    if topic:
        qs = qs.filter(topic=topic)
    return qs
