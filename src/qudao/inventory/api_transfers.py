"""Transfers API, mounted at /api/v1/inventory/transfers. Endpoints parse, call one service or
selector, and render."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import AfterValidator

from qudao.core.api import ErrorOut, Paginated, StrictSchema, api_actor, order_queryset
from qudao.core.quantity import quantize_quantity
from qudao.inventory import selectors_documents as selectors
from qudao.inventory.models import DiscrepancyKind
from qudao.inventory.schemas import Id, Number, Quantity
from qudao.inventory.services import transfer_receipts, transfers
from qudao.inventory.states import TransferState

#: a quantity rendered with the ledger's three places ("4.000")
Qty = Annotated[Decimal, AfterValidator(quantize_quantity)]

router = Router(tags=["inventory: transfers"])
APP = "inventory"
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class TransferLineIn(StrictSchema):
    item_id: Id
    quantity: Quantity
    unit_id: Id | None = None
    lot_id: Id | None = None
    serials: list[Number] = Field(default_factory=list, max_length=1000)


class TransferIn(StrictSchema):
    from_site_id: Id
    to_site_id: Id
    note: str = Field("", max_length=500)
    lines: list[TransferLineIn] = Field(min_length=1, max_length=500)


class TransferPatch(StrictSchema):
    version: int = Field(ge=1)
    to_site_id: Id | None = None
    note: str | None = Field(None, max_length=500)
    lines: list[TransferLineIn] | None = Field(None, min_length=1, max_length=500)


class ReceiveLineIn(StrictSchema):
    line_id: Id
    quantity: Quantity
    unit_id: Id | None = None
    serials: list[Number] = Field(default_factory=list, max_length=1000)


class ReceiveIn(StrictSchema):
    location_id: Id | None = None
    lines: list[ReceiveLineIn] | None = Field(None, min_length=1, max_length=500)


class DiscrepancyIn(StrictSchema):
    line_id: Id
    kind: DiscrepancyKind
    quantity: Quantity
    unit_id: Id | None = None
    note: str = Field("", max_length=500)


class CloseIn(StrictSchema):
    discrepancies: list[DiscrepancyIn] = Field(default_factory=list, max_length=500)


class DiscrepancyOut(Schema):
    id: int
    kind: str
    quantity: Qty
    note: str
    recorded_by_id: int | None


class TransferLineOut(Schema):
    id: int
    item_id: int
    sku: str = Field(alias="item.sku")
    quantity: Qty
    lot_id: int | None
    serials: list[str]
    shipped_quantity: Qty
    received_quantity: Qty
    discrepancies: list[DiscrepancyOut]

    @staticmethod
    def resolve_discrepancies(obj):
        return list(obj.discrepancies.all())


class TransferOut(Schema):
    id: int
    dealer_id: int
    number: str
    from_site_id: int
    to_site_id: int
    state: str
    version: int
    note: str
    shipped_at: datetime | None
    received_at: datetime | None
    cancelled_at: datetime | None
    created_at: datetime
    lines: list[TransferLineOut]

    @staticmethod
    def resolve_lines(obj):
        return list(obj.lines.select_related("item").prefetch_related("discrepancies").order_by("pk"))


class InTransitOut(Schema):
    site_id: int
    item_id: int = Field(alias="item_id_")
    in_transit: Qty


def _one(actor, transfer_id):
    return selectors.get_transfer(actor=actor, transfer_id=transfer_id)


@router.get("", response=list[TransferOut], summary="List transfers")
@paginate(Paginated)
def list_transfers(
    request: HttpRequest,
    state: TransferState | None = None,
    from_site_id: Id | None = None,
    to_site_id: Id | None = None,
    ordering: str | None = Query(None, max_length=100),
):
    actor = api_actor(request, app=APP, perm="inventory.view_transfer")
    qs = selectors.list_transfers(actor=actor, state=state, from_site_id=from_site_id, to_site_id=to_site_id)
    return order_queryset(qs, ordering, {"created_at", "number", "shipped_at", "received_at", "state"}, "-id")


@router.get("/in-transit", response=list[InTransitOut], summary="Quantity in transit per destination site")
@paginate(Paginated)
def list_in_transit(request: HttpRequest, site_id: Id | None = None, item_id: Id | None = None):
    actor = api_actor(request, app=APP, perm="inventory.view_transfer")
    return selectors.list_in_transit(actor=actor, site_id=site_id, item_id=item_id)


@router.post("", response={201: TransferOut, **ERRORS}, summary="Create a draft transfer")
def create_transfer(request: HttpRequest, payload: TransferIn):
    actor = api_actor(request, app=APP, write=True, perm="inventory.add_transfer")
    transfer = transfers.create_transfer(actor=actor, data=payload.model_dump())
    return Status(201, _one(actor, transfer.pk))


@router.get("/{int:transfer_id}", response={200: TransferOut, **ERRORS}, summary="One transfer")
def get_transfer(request: HttpRequest, transfer_id: int):
    actor = api_actor(request, app=APP, perm="inventory.view_transfer")
    return _one(actor, transfer_id)


@router.patch("/{int:transfer_id}", response={200: TransferOut, **ERRORS}, summary="Edit a draft transfer")
def update_transfer(request: HttpRequest, transfer_id: int, payload: TransferPatch):
    actor = api_actor(request, app=APP, write=True, perm="inventory.change_transfer")
    transfers.update_transfer(
        actor=actor, transfer_id=transfer_id, data=payload.model_dump(exclude_unset=True)
    )
    return _one(actor, transfer_id)


@router.post("/{int:transfer_id}/ship", response={200: TransferOut, **ERRORS}, summary="Ship (into transit)")
def ship_transfer(request: HttpRequest, transfer_id: int):
    actor = api_actor(request, app=APP, write=True, perm="inventory.change_transfer")
    transfers.ship_transfer(actor=actor, transfer_id=transfer_id)
    return _one(actor, transfer_id)


@router.post(
    "/{int:transfer_id}/receive", response={200: TransferOut, **ERRORS}, summary="Receive (partial allowed)"
)
def receive_transfer(request: HttpRequest, transfer_id: int, payload: ReceiveIn):
    actor = api_actor(request, app=APP, write=True, perm="inventory.change_transfer")
    transfer_receipts.receive_transfer(
        actor=actor, transfer_id=transfer_id, data=payload.model_dump(exclude_none=True)
    )
    return _one(actor, transfer_id)


@router.post(
    "/{int:transfer_id}/close", response={200: TransferOut, **ERRORS}, summary="Close with discrepancies"
)
def close_transfer(request: HttpRequest, transfer_id: int, payload: CloseIn):
    actor = api_actor(request, app=APP, write=True, perm="inventory.change_transfer")
    transfer_receipts.close_transfer(actor=actor, transfer_id=transfer_id, data=payload.model_dump())
    return _one(actor, transfer_id)


@router.post("/{int:transfer_id}/cancel", response={200: TransferOut, **ERRORS}, summary="Cancel a draft")
def cancel_transfer(request: HttpRequest, transfer_id: int):
    actor = api_actor(request, app=APP, write=True, perm="inventory.change_transfer")
    transfers.cancel_transfer(actor=actor, transfer_id=transfer_id)
    return _one(actor, transfer_id)
