"""Order center API, mounted at /api/v1/orders. Endpoints parse, call one service or selector, render."""

from __future__ import annotations

from datetime import date
from typing import Any, get_args, get_origin

from django.conf import settings
from django.http import HttpRequest
from ninja import Header, Query, Router, Schema, Status

from qudao.core.api import ErrorOut, api_actor
from qudao.sales import selectors, services
from qudao.sales.schemas import (
    ApproveIn,
    CancelIn,
    Id,
    OrderIn,
    OrderOut,
    OrderPage,
    OrderPatch,
    VersionIn,
    WaveIn,
    WaveOut,
)
from qudao.sales.states import OrderSource, OrderState

router = Router(tags=["sales: orders"])
APP = "sales"
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _one(actor, order_id: int):
    return selectors.get_order(actor=actor, order_id=order_id)


def _plan(schema: type[Schema]) -> list[tuple[str, Any, tuple[str, ...], Any]]:
    """Per field: (name, resolver, dotted path, nested schema of a list) — read once per schema."""
    plan = _PLANS.get(schema)
    if plan is None:
        plan = []
        for name, field in schema.model_fields.items():
            inner = get_args(field.annotation)
            nested = inner[0] if get_origin(field.annotation) is list and inner else None
            nested = nested if isinstance(nested, type) and issubclass(nested, Schema) else None
            path = tuple((field.alias or name).split("."))
            plan.append((name, getattr(schema, f"resolve_{name}", None), path, nested))
        _PLANS[schema] = plan
    return plan


_PLANS: dict[type[Schema], list] = {}


def built(schema: type[Schema], obj: Any) -> Schema:
    """`schema` filled from `obj` without validation (`model_construct`), field by field as its
    validation would read them (an alias is a dotted path; `resolve_<field>` wins; lists of schemas
    are built the same way). For objects the service has just written in memory — every value
    already of its field's type — so the answer costs a serialisation, not a validation. A test
    holds it equal to the validated answer (tests/sales/test_api_intake.py)."""
    values = {}
    for name, resolver, path, nested in _plan(schema):
        if resolver is not None:
            value = resolver(obj)
        else:
            value = obj
            for part in path:
                value = getattr(value, part)
        values[name] = value if nested is None else [built(nested, item) for item in value]
    return schema.model_construct(**values)


@router.post(
    "", response={200: OrderOut, 201: OrderOut, **ERRORS}, summary="Create an order (optionally confirm)"
)
def create_order(
    request: HttpRequest,
    payload: OrderIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    """Send an `Idempotency-Key` header to make retries safe: the same key and body answer the same
    order (201 the first time, 200 after), a different body with the same key answers 409."""
    actor = api_actor(request, app=APP, write=True, perm="sales.add_salesorder")
    data = payload.model_dump(exclude={"confirm"})
    order, created = services.submit_order(
        actor=actor, data=data, confirm=payload.confirm, idempotency_key=idempotency_key
    )
    written = selectors.order_as_written(order) if created else None
    if written is not None:
        return Status(201, built(OrderOut, written))
    return Status(201 if created else 200, _one(actor, order.pk))


@router.get("", response={200: OrderPage, **ERRORS}, summary="List orders (newest first, keyset pages)")
def list_orders(
    request: HttpRequest,
    state: OrderState | None = None,
    channel_id: Id | None = None,
    site_id: Id | None = None,
    customer_id: Id | None = None,
    source: OrderSource | None = None,
    created_from: date | None = None,
    created_to: date | None = None,
    has_backorder: bool | None = None,
    q: str | None = Query(None, max_length=100),
    before_id: Id | None = None,
    page_size: int = Query(50, ge=1),
):
    actor = api_actor(request, app=APP, perm="sales.view_salesorder")
    size = min(page_size, settings.QUDAO["API_MAX_PAGE_SIZE"])
    qs = selectors.list_orders(
        actor=actor,
        state=state,
        channel_id=channel_id,
        site_id=site_id,
        customer_id=customer_id,
        source=source,
        created_from=created_from,
        created_to=created_to,
        has_backorder=has_backorder,
        q=q,
        before_id=before_id,
    ).order_by("-pk")
    items = list(qs[: size + 1])
    more = len(items) > size
    items = items[:size]
    return {"items": items, "next_before_id": items[-1].pk if more and items else None}


@router.post("/waves", response={200: WaveOut, **ERRORS}, summary="Allocate pending orders by priority")
def run_wave(request: HttpRequest, payload: WaveIn):
    actor = api_actor(request, app=APP, write=True, perm="sales.change_salesorder")
    return services.run_wave(
        actor=actor, dealer_id=payload.dealer_id, order_ids=payload.order_ids, limit=payload.limit
    )


@router.get(
    "/{int:order_id}", response={200: OrderOut, **ERRORS}, summary="One order with lines and timeline"
)
def get_order(request: HttpRequest, order_id: int):
    actor = api_actor(request, app=APP, perm="sales.view_salesorder")
    return _one(actor, order_id)


@router.patch("/{int:order_id}", response={200: OrderOut, **ERRORS}, summary="Edit a draft order")
def update_order(request: HttpRequest, order_id: int, payload: OrderPatch):
    actor = api_actor(request, app=APP, write=True, perm="sales.change_salesorder")
    services.update_order(actor=actor, order_id=order_id, data=payload.model_dump(exclude_unset=True))
    return _one(actor, order_id)


@router.post(
    "/{int:order_id}/confirm", response={200: OrderOut, **ERRORS}, summary="Confirm (may go on hold)"
)
def confirm_order(request: HttpRequest, order_id: int, payload: VersionIn):
    actor = api_actor(request, app=APP, write=True, perm="sales.change_salesorder")
    services.confirm_order(actor=actor, order_id=order_id, version=payload.version)
    return _one(actor, order_id)


@router.post("/{int:order_id}/cancel", response={200: OrderOut, **ERRORS}, summary="Cancel (releases stock)")
def cancel_order(request: HttpRequest, order_id: int, payload: CancelIn):
    actor = api_actor(request, app=APP, write=True, perm="sales.change_salesorder")
    services.cancel_order(actor=actor, order_id=order_id, version=payload.version, reason=payload.reason)
    return _one(actor, order_id)


@router.post("/{int:order_id}/approve-hold", response={200: OrderOut, **ERRORS}, summary="Approve a hold")
def approve_hold(request: HttpRequest, order_id: int, payload: ApproveIn):
    actor = api_actor(request, app=APP, write=True)
    services.approve_hold(actor=actor, order_id=order_id, version=payload.version, note=payload.note)
    return _one(actor, order_id)


@router.post(
    "/{int:order_id}/allocate", response={200: OrderOut, **ERRORS}, summary="Allocate back-orders now"
)
def allocate_order(request: HttpRequest, order_id: int, payload: VersionIn):
    actor = api_actor(request, app=APP, write=True, perm="sales.change_salesorder")
    services.allocate_order(actor=actor, order_id=order_id, version=payload.version)
    return _one(actor, order_id)


@router.post(
    "/{int:order_id}/complete", response={200: OrderOut, **ERRORS}, summary="Complete a delivered order"
)
def complete_order(request: HttpRequest, order_id: int, payload: VersionIn):
    actor = api_actor(request, app=APP, write=True, perm="sales.change_salesorder")
    services.complete_order(actor=actor, order_id=order_id, version=payload.version)
    return _one(actor, order_id)
