"""Fulfilment API: shipments of orders, ship, deliver (multipart, with the photo), cancel, and the pick
list of a site. Endpoints parse, call one service or selector, render."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import FileResponse, HttpRequest
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from qudao.core.api import ErrorOut, api_actor
from qudao.core.errors import ValidationFailed
from qudao.sales import selectors_fulfilment as selectors
from qudao.sales import services
from qudao.sales.schemas import Id
from qudao.sales.schemas_fulfilment import (
    CancelShipmentIn,
    DeliveryIn,
    PickListOut,
    ShipIn,
    ShipmentIn,
    ShipmentOut,
    ShipmentPage,
)
from qudao.sales.states_fulfilment import ShipmentState

router = Router(tags=["sales: fulfilment"])
APP = "sales"
#: ?shipment_ids=1&shipment_ids=2 (a module-level default: ninja reads it once)
SHIPMENT_IDS = Query(None, max_length=500)
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _one(actor, shipment_id: int):
    return selectors.get_shipment(actor=actor, shipment_id=shipment_id)


def _page(qs, before_id: int | None, page_size: int) -> dict:
    size = min(page_size, settings.QUDAO["API_MAX_PAGE_SIZE"])
    if before_id is not None:
        qs = qs.filter(pk__lt=before_id)
    items = list(qs[: size + 1])
    more = len(items) > size
    items = items[:size]
    return {"items": items, "next_before_id": items[-1].pk if more and items else None}


@router.get(
    "/shipments/{int:shipment_id}/proof/photo",
    response={200: None, **ERRORS},
    summary="The photo of the proof of delivery (JPEG, PNG or WebP)",
)
def get_proof_photo(request: HttpRequest, shipment_id: int):
    actor = api_actor(request, app=APP, perm="sales.view_shipment")
    handle, content_type = selectors.open_proof_photo(actor=actor, shipment_id=shipment_id)
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.post(
    "/orders/{int:order_id}/shipments",
    response={201: ShipmentOut, **ERRORS},
    summary="Draft a shipment of an order from one site (default: what is reserved there)",
)
def create_shipment(request: HttpRequest, order_id: int, payload: ShipmentIn):
    actor = api_actor(request, app=APP, write=True, perm="sales.add_shipment")
    shipment = services.create_shipment(
        actor=actor, order_id=order_id, data=payload.model_dump(exclude_unset=True, exclude_none=True)
    )
    return Status(201, _one(actor, shipment.pk))


@router.get(
    "/orders/{int:order_id}/shipments",
    response={200: ShipmentPage, **ERRORS},
    summary="The shipments of an order",
)
def list_order_shipments(request: HttpRequest, order_id: int):
    from qudao.sales.selectors import get_order

    actor = api_actor(request, app=APP, perm="sales.view_shipment")
    order = get_order(actor=actor, order_id=order_id)
    return {"items": list(selectors.list_shipments(actor=actor, order_id=order.pk)), "next_before_id": None}


@router.get("/shipments", response={200: ShipmentPage, **ERRORS}, summary="List shipments (newest first)")
def list_shipments(
    request: HttpRequest,
    state: ShipmentState | None = None,
    order_id: Id | None = None,
    customer_id: Id | None = None,
    site_id: Id | None = None,
    before_id: Id | None = None,
    page_size: int = Query(50, ge=1),
):
    actor = api_actor(request, app=APP, perm="sales.view_shipment")
    qs = selectors.list_shipments(
        actor=actor, state=state, order_id=order_id, customer_id=customer_id, site_id=site_id
    )
    return _page(qs, before_id, page_size)


@router.get("/shipments/{int:shipment_id}", response={200: ShipmentOut, **ERRORS}, summary="One shipment")
def get_shipment(request: HttpRequest, shipment_id: int):
    actor = api_actor(request, app=APP, perm="sales.view_shipment")
    return _one(actor, shipment_id)


@router.post(
    "/shipments/{int:shipment_id}/ship",
    response={200: ShipmentOut, **ERRORS},
    summary="Ship a draft: the stock leaves the site through the ledger",
)
def ship_shipment(request: HttpRequest, shipment_id: int, payload: ShipIn):
    actor = api_actor(request, app=APP, write=True, perm="sales.change_shipment")
    data = payload.model_dump(exclude_unset=True, exclude_none=True, exclude={"version"})
    services.ship_shipment(actor=actor, shipment_id=shipment_id, data=data, version=payload.version)
    return _one(actor, shipment_id)


@router.post(
    "/shipments/{int:shipment_id}/deliver",
    response={200: ShipmentOut, **ERRORS},
    summary="Confirm delivery with proof (multipart form: fields and an optional `photo` file)",
)
def confirm_delivery(
    request: HttpRequest,
    shipment_id: int,
    payload: Form[DeliveryIn],
    photo: File[UploadedFile] = None,
):
    actor = api_actor(request, app=APP, write=True, perm="sales.add_deliveryproof")
    data = payload.model_dump(exclude={"version", "lines"}, exclude_none=True)
    if payload.lines:
        try:
            lines = json.loads(payload.lines)
            if not isinstance(lines, list) or not all(isinstance(row, dict) for row in lines):
                raise ValueError
        except ValueError as exc:
            raise ValidationFailed(
                details=[
                    {"field": "lines", "message": 'A JSON list: [{"shipment_line_id": 1, "quantity": 2}]'}
                ]
            ) from exc
        data["lines"] = lines
    if photo is not None:
        data["photo"] = photo
    services.confirm_delivery(actor=actor, shipment_id=shipment_id, data=data, version=payload.version)
    return _one(actor, shipment_id)


@router.post(
    "/shipments/{int:shipment_id}/cancel", response={200: ShipmentOut, **ERRORS}, summary="Cancel a draft"
)
def cancel_shipment(request: HttpRequest, shipment_id: int, payload: CancelShipmentIn):
    actor = api_actor(request, app=APP, write=True, perm="sales.change_shipment")
    services.cancel_shipment(
        actor=actor, shipment_id=shipment_id, version=payload.version, reason=payload.reason
    )
    return _one(actor, shipment_id)


@router.get(
    "/sites/{int:site_id}/pick-list",
    response={200: PickListOut, **ERRORS},
    summary="What to pick at a site for its draft shipments (by location, then item)",
)
def pick_list(request: HttpRequest, site_id: int, shipment_ids: list[Id] | None = SHIPMENT_IDS):
    actor = api_actor(request, app=APP, perm="sales.view_shipment")
    rows = selectors.pick_list(actor=actor, site_id=site_id, shipment_ids=shipment_ids or None)
    return {"site_id": site_id, "rows": [row.as_dict() for row in rows]}


from qudao.sales import api_returns  # noqa: E402, F401 (adds the return endpoints to this router)
