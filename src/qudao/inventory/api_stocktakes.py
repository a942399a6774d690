"""Stocktakes API, mounted at /api/v1/inventory/stocktakes. Endpoints parse, call one service or
selector, and render."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from qudao.core.api import ErrorOut, Paginated, StrictSchema, api_actor, order_queryset
from qudao.inventory import selectors_documents as selectors
from qudao.inventory.api_transfers import Qty
from qudao.inventory.models import StocktakeKind
from qudao.inventory.schemas import Id, Number, Quantity
from qudao.inventory.services import stocktakes
from qudao.inventory.states import StocktakeState

router = Router(tags=["inventory: stocktakes"])
APP = "inventory"
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class StocktakeIn(StrictSchema):
    site_id: Id
    zone_id: Id | None = None
    kind: StocktakeKind = StocktakeKind.FULL
    blind: bool = False
    note: str = Field("", max_length=500)


class ScanIn(StrictSchema):
    code: str = Field(min_length=1, max_length=64)
    quantity: Quantity | None = None
    location_id: Id | None = None
    lot_id: Id | None = None
    lot_number: Number | None = None
    serial: Number | None = None


class StocktakeOut(Schema):
    id: int
    dealer_id: int
    number: str
    site_id: int
    zone_id: int | None
    kind: str
    blind: bool
    state: str
    note: str
    started_at: datetime | None
    posted_at: datetime | None
    created_at: datetime


class CountOut(Schema):
    id: int
    item_id: int
    sku: str = Field(alias="item.sku")
    location_id: int
    lot_id: int | None
    serial_number: str
    quantity: Qty
    scanned_code: str
    counted_by_id: int | None
    created_at: datetime


class VarianceOut(Schema):
    item_id: int
    sku: str
    location_id: int
    lot_id: int | None
    snapshot: Qty
    moved: Qty
    expected: Qty
    counted: Qty
    variance: Qty


class PostedOut(Schema):
    stocktake: StocktakeOut
    move_ids: list[int]


@router.get("", response=list[StocktakeOut], summary="List stocktakes")
@paginate(Paginated)
def list_stocktakes(
    request: HttpRequest,
    state: StocktakeState | None = None,
    site_id: Id | None = None,
    ordering: str | None = Query(None, max_length=100),
):
    actor = api_actor(request, app=APP, perm="inventory.view_stocktakesession")
    qs = selectors.list_stocktakes(actor=actor, state=state, site_id=site_id)
    return order_queryset(qs, ordering, {"created_at", "number", "started_at", "state"}, "-id")


@router.post("", response={201: StocktakeOut, **ERRORS}, summary="Open a stocktake")
def create_stocktake(request: HttpRequest, payload: StocktakeIn):
    actor = api_actor(request, app=APP, write=True, perm="inventory.add_stocktakesession")
    return Status(201, stocktakes.create_stocktake(actor=actor, data=payload.model_dump()))


@router.get("/{int:session_id}", response={200: StocktakeOut, **ERRORS}, summary="One stocktake")
def get_stocktake(request: HttpRequest, session_id: int):
    actor = api_actor(request, app=APP, perm="inventory.view_stocktakesession")
    return selectors.get_stocktake(actor=actor, session_id=session_id)


@router.post(
    "/{int:session_id}/snapshot", response={200: StocktakeOut, **ERRORS}, summary="Start: take the snapshot"
)
def start_stocktake(request: HttpRequest, session_id: int):
    actor = api_actor(request, app=APP, write=True, perm="inventory.change_stocktakesession")
    return stocktakes.start_stocktake(actor=actor, session_id=session_id)


@router.post("/{int:session_id}/scans", response={201: CountOut, **ERRORS}, summary="Record a scan")
def record_scan(request: HttpRequest, session_id: int, payload: ScanIn):
    actor = api_actor(request, app=APP, write=True, perm="inventory.change_stocktakesession")
    count = stocktakes.record_scan(actor=actor, session_id=session_id, data=payload.model_dump())
    return Status(201, count)


@router.get("/{int:session_id}/counts", response={200: list[CountOut], **ERRORS}, summary="Counted lines")
@paginate(Paginated)
def list_counts(request: HttpRequest, session_id: int):
    actor = api_actor(request, app=APP, perm="inventory.view_stocktakesession")
    return selectors.list_counts(actor=actor, session_id=session_id).order_by("pk")


@router.get(
    "/{int:session_id}/variances", response={200: list[VarianceOut], **ERRORS}, summary="Variances to review"
)
def list_variances(request: HttpRequest, session_id: int):
    actor = api_actor(request, app=APP, perm="inventory.view_stocktakesession")
    session = selectors.get_stocktake(actor=actor, session_id=session_id)
    return [
        {
            "item_id": v.item.pk,
            "sku": v.item.sku,
            "location_id": v.location.pk,
            "lot_id": v.lot.pk if v.lot else None,
            "snapshot": v.snapshot,
            "moved": v.moved,
            "expected": v.expected,
            "counted": v.counted,
            "variance": v.variance,
        }
        for v in stocktakes.compute_variances(session)
    ]


@router.post("/{int:session_id}/review", response={200: StocktakeOut, **ERRORS}, summary="Stop counting")
def review_stocktake(request: HttpRequest, session_id: int):
    actor = api_actor(request, app=APP, write=True, perm="inventory.change_stocktakesession")
    return stocktakes.review_stocktake(actor=actor, session_id=session_id)


@router.post("/{int:session_id}/post", response={200: PostedOut, **ERRORS}, summary="Post the variances")
def post_stocktake(request: HttpRequest, session_id: int):
    actor = api_actor(request, app=APP, write=True, perm="inventory.add_adjustment")
    moves = stocktakes.post_stocktake(actor=actor, session_id=session_id)
    return {
        "stocktake": selectors.get_stocktake(actor=actor, session_id=session_id),
        "move_ids": [m.pk for m in moves],
    }


@router.post("/{int:session_id}/cancel", response={200: StocktakeOut, **ERRORS}, summary="Cancel")
def cancel_stocktake(request: HttpRequest, session_id: int):
    actor = api_actor(request, app=APP, write=True, perm="inventory.change_stocktakesession")
    return stocktakes.cancel_stocktake(actor=actor, session_id=session_id)
