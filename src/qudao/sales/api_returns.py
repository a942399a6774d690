"""Returns API (on the fulfilment router): request from an order, approve or reject, receive, cancel.
Endpoints parse, call one service or selector, render."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Status

from qudao.core.api import api_actor
from qudao.sales import selectors_returns as selectors
from qudao.sales import services
from qudao.sales.api_fulfilment import APP, ERRORS, _page, router
from qudao.sales.schemas import Id
from qudao.sales.schemas_fulfilment import (
    ReceiveIn,
    ReleaseIn,
    ReturnDecisionIn,
    ReturnIn,
    ReturnOut,
    ReturnPage,
)
from qudao.sales.states_fulfilment import ReturnState


def _one(actor, return_id: int):
    return selectors.get_return(actor=actor, return_id=return_id)


@router.post(
    "/orders/{int:order_id}/returns",
    response={201: ReturnOut, **ERRORS},
    summary="Request a return of delivered goods (at most delivered − returned per line)",
)
def request_return(request: HttpRequest, order_id: int, payload: ReturnIn):
    actor = api_actor(request, app=APP, write=True, perm="sales.add_returnrequest")
    created = services.request_return(
        actor=actor, order_id=order_id, data=payload.model_dump(exclude_none=True)
    )
    return Status(201, _one(actor, created.pk))


@router.get("/returns", response={200: ReturnPage, **ERRORS}, summary="List returns (newest first)")
def list_returns(
    request: HttpRequest,
    state: ReturnState | None = None,
    order_id: Id | None = None,
    customer_id: Id | None = None,
    before_id: Id | None = None,
    page_size: int = Query(50, ge=1),
):
    actor = api_actor(request, app=APP, perm="sales.view_returnrequest")
    qs = selectors.list_returns(actor=actor, state=state, order_id=order_id, customer_id=customer_id)
    return _page(qs, before_id, page_size)


@router.get("/returns/{int:return_id}", response={200: ReturnOut, **ERRORS}, summary="One return")
def get_return(request: HttpRequest, return_id: int):
    actor = api_actor(request, app=APP, perm="sales.view_returnrequest")
    return _one(actor, return_id)


@router.post(
    "/returns/{int:return_id}/approve", response={200: ReturnOut, **ERRORS}, summary="Approve (manager)"
)
def approve_return(request: HttpRequest, return_id: int, payload: ReturnDecisionIn):
    actor = api_actor(request, app=APP, write=True, perm="sales.change_returnrequest")
    services.approve_return(actor=actor, return_id=return_id, version=payload.version, note=payload.note)
    return _one(actor, return_id)


@router.post(
    "/returns/{int:return_id}/reject", response={200: ReturnOut, **ERRORS}, summary="Reject (manager)"
)
def reject_return(request: HttpRequest, return_id: int, payload: ReturnDecisionIn):
    actor = api_actor(request, app=APP, write=True, perm="sales.change_returnrequest")
    services.reject_return(actor=actor, return_id=return_id, version=payload.version, reason=payload.note)
    return _one(actor, return_id)


@router.post(
    "/returns/{int:return_id}/receive",
    response={200: ReturnOut, **ERRORS},
    summary="Receive the goods (restock, quarantine or scrap per line)",
)
def receive_return(request: HttpRequest, return_id: int, payload: ReceiveIn):
    actor = api_actor(request, app=APP, write=True, perm="sales.change_returnrequest")
    data = payload.model_dump(exclude_none=True, exclude={"version"})
    services.receive_return(actor=actor, return_id=return_id, data=data, version=payload.version)
    return _one(actor, return_id)


@router.post("/returns/{int:return_id}/cancel", response={200: ReturnOut, **ERRORS}, summary="Cancel")
def cancel_return(request: HttpRequest, return_id: int, payload: ReturnDecisionIn):
    actor = api_actor(request, app=APP, write=True, perm="sales.change_returnrequest")
    services.cancel_return(actor=actor, return_id=return_id, version=payload.version, reason=payload.note)
    return _one(actor, return_id)


@router.post(
    "/returns/{int:return_id}/release",
    response={200: ReturnOut, **ERRORS},
    summary="Release a quarantined line after inspection (to stock or to scrap)",
)
def release_quarantine(request: HttpRequest, return_id: int, payload: ReleaseIn):
    actor = api_actor(request, app=APP, write=True, perm="sales.change_returnrequest")
    services.release_quarantine(
        actor=actor, return_id=return_id, return_line_id=payload.return_line_id, to=payload.to
    )
    return _one(actor, return_id)
