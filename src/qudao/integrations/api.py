"""Integrations API, mounted at /api/v1/integrations: marketplace mappings and the e-commerce order
import through them. Endpoints parse, call one service or selector, render."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from qudao.core.api import ErrorOut, StrictSchema, api_actor
from qudao.core.errors import ValidationFailed
from qudao.core.scoping import get_scoped, scoped
from qudao.integrations import services
from qudao.integrations.models import MarketplaceMapping, Platform
from qudao.sales.schemas import Id

router = Router(tags=["integrations"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
MAX_BODY = 5 * 1024 * 1024
Code = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9_-]*$")


class MappingIn(StrictSchema):
    dealer_id: Id | None = None
    code: str = Code
    name: str = Field(min_length=1, max_length=120)
    platform: Platform = Platform.GENERIC
    channel_id: Id | None = None
    mapping: dict[str, Any]
    is_active: bool = True


class MappingPatch(StrictSchema):
    version: int | None = Field(None, ge=1)
    name: str | None = Field(None, min_length=1, max_length=120)
    platform: Platform | None = None
    channel_id: Id | None = None
    mapping: dict[str, Any] | None = None
    is_active: bool | None = None


class MappingOut(Schema):
    id: int
    dealer_id: int
    code: str
    name: str
    platform: str
    channel_id: int | None
    mapping: dict[str, Any]
    is_active: bool
    version: int


class OrderResultOut(Schema):
    external_reference: str
    order_id: int | None
    #: created | existing | skipped | error
    status: str
    platform_status: str = ""
    errors: list[dict[str, Any]]


class ImportOut(Schema):
    results: list[OrderResultOut]
    created: int
    existing: int
    skipped: int
    failed: int


class TryOut(Schema):
    result: dict[str, Any]


def _payload(request: HttpRequest) -> Any:
    if len(request.body) > MAX_BODY:
        raise ValidationFailed(details=[{"field": "body", "message": f"<= {MAX_BODY} bytes"}])
    try:
        payload = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationFailed(details=[{"field": "body", "message": "not JSON"}]) from exc
    if not isinstance(payload, dict | list) or (isinstance(payload, list) and not payload):
        raise ValidationFailed(details=[{"field": "body", "message": "an order object or a list of them"}])
    return payload


@router.post(
    "/marketplace/{code}/orders",
    response={200: ImportOut, **ERRORS},
    summary="Import platform orders (one JSON order object or a list) through a marketplace mapping",
    openapi_extra={
        "requestBody": {"content": {"application/json": {"schema": {"type": ["object", "array"]}}}}
    },
)
def import_orders(request: HttpRequest, code: str, dealer_id: Id | None = None):
    """Each platform order answers {external_reference, order_id, status, errors}: `created` (a draft
    order, source e-commerce), `existing` (this platform order id was imported before: the same order,
    never a second one), `skipped` (a status the mapping skips, e.g. cancelled) or `error`. An API
    key needs the `sales:write` scope."""
    actor = api_actor(request, app="sales", write=True, perm="sales.add_salesorder")
    services.get_mapping(actor=actor, code=code, dealer_id=dealer_id)  # 404 before reading the body
    results = services.import_marketplace_orders(
        actor=actor, code=code, payload=_payload(request), dealer_id=dealer_id
    )
    count = {
        s: sum(1 for r in results if r["status"] == s) for s in ("created", "existing", "skipped", "error")
    }
    return {
        "results": results,
        "created": count["created"],
        "existing": count["existing"],
        "skipped": count["skipped"],
        "failed": count["error"],
    }


@router.get(
    "/marketplace/mappings", response={200: list[MappingOut], **ERRORS}, summary="Marketplace mappings"
)
def list_mappings(request: HttpRequest):
    actor = api_actor(request, app="integrations", perm="integrations.view_marketplacemapping")
    return list(scoped(MarketplaceMapping.objects.all(), actor).order_by("dealer_id", "code")[:200])


@router.post(
    "/marketplace/mappings", response={201: MappingOut, **ERRORS}, summary="Create a mapping (checked: 422)"
)
def create_mapping(request: HttpRequest, payload: MappingIn):
    actor = api_actor(request, app="integrations", write=True, perm="integrations.add_marketplacemapping")
    return Status(201, services.save_mapping(actor=actor, data=payload.model_dump()))


@router.patch(
    "/marketplace/mappings/{int:mapping_id}", response={200: MappingOut, **ERRORS}, summary="Edit a mapping"
)
def update_mapping(request: HttpRequest, mapping_id: int, payload: MappingPatch):
    actor = api_actor(request, app="integrations", write=True, perm="integrations.change_marketplacemapping")
    data = payload.model_dump(exclude_unset=True)
    return services.save_mapping(actor=actor, data=data, mapping_id=mapping_id)


@router.post(
    "/marketplace/mappings/{int:mapping_id}/try",
    response={200: TryOut, **ERRORS},
    summary="Read one platform order through a mapping and show the order it makes (nothing written)",
    openapi_extra={"requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}}},
)
def try_mapping(request: HttpRequest, mapping_id: int):
    actor = api_actor(request, app="integrations", perm="integrations.view_marketplacemapping")
    mapping = get_scoped(MarketplaceMapping.objects.all(), actor, for_write=True, pk=mapping_id)
    payload = _payload(request)
    return {
        "result": services.read_marketplace_order(actor=actor, mapping=mapping, payload=payload, write=False)
    }
