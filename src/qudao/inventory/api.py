"""Inventory API, mounted at /api/v1/inventory. Endpoints parse, call one service or selector, and render."""

from datetime import date

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from qudao.core.api import ErrorOut, Paginated, api_actor, order_queryset
from qudao.core.errors import NotFound, PermissionDeniedError
from qudao.inventory import selectors, services
from qudao.inventory.choices import MoveType, ReservationState
from qudao.inventory.schemas import (
    AdjustmentIn,
    Id,
    IssueIn,
    LevelOut,
    LocationIn,
    LocationOut,
    MoveOut,
    PoolOut,
    ReceiptIn,
    ReconcileIn,
    ReconcileOut,
    ReleaseIn,
    ReservationIn,
    ReservationOut,
    ScrapIn,
)

router = Router()
APP = "inventory"
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.get("/levels", response=list[LevelOut], summary="Stock levels by item, location and lot")
@paginate(Paginated)
def list_levels(
    request: HttpRequest,
    item_id: Id | None = None,
    site_id: Id | None = None,
    lot_id: Id | None = None,
    location_id: Id | None = None,
    only_available: bool = False,
    ordering: str | None = Query(None, max_length=100),
):
    actor = api_actor(request, app=APP, perm="inventory.view_stocklevel")
    qs = selectors.list_levels(
        actor=actor,
        item_id=item_id,
        site_id=site_id,
        lot_id=lot_id,
        location_id=location_id,
        only_available=only_available,
    )
    return order_queryset(qs, ordering, {"item_id", "site_id", "on_hand", "reserved", "available"}, "item_id")


@router.get("/pool", response=list[PoolOut], summary="Group-wide pool per dealer and item")
@paginate(Paginated)
def list_pool(request: HttpRequest, item_id: Id | None = None, dealer_id: Id | None = None):
    actor = api_actor(request, app=APP, perm="inventory.view_stocklevel")
    return selectors.list_pool(actor=actor, item_id=item_id, dealer_id=dealer_id)


@router.get("/moves", response=list[MoveOut], summary="The stock ledger")
@paginate(Paginated)
def list_moves(
    request: HttpRequest,
    item_id: Id | None = None,
    site_id: Id | None = None,
    move_type: MoveType | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    ordering: str | None = Query(None, max_length=100),
):
    actor = api_actor(request, app=APP, perm="inventory.view_stockmove")
    qs = selectors.list_moves(
        actor=actor,
        item_id=item_id,
        site_id=site_id,
        move_type=move_type,
        date_from=date_from,
        date_to=date_to,
    )
    return order_queryset(qs, ordering, {"effective_date", "done_at", "item_id", "quantity"}, "-done_at")


@router.get(
    "/items/{int:item_id}/history", response={200: list[MoveOut], **ERRORS}, summary="The ledger of one item"
)
@paginate(Paginated)
def item_history(request: HttpRequest, item_id: int):
    actor = api_actor(request, app=APP, perm="inventory.view_stockmove")
    return selectors.get_item_history(actor=actor, item_id=item_id)


@router.post("/receipts", response={201: list[MoveOut], **ERRORS}, summary="Receive stock into a site")
def receive(request: HttpRequest, payload: ReceiptIn):
    actor = api_actor(request, app=APP, write=True, perm="inventory.add_receipt")
    return Status(201, services.receive_stock(actor=actor, data=payload.model_dump()))


@router.post(
    "/issues", response={201: list[MoveOut], **ERRORS}, summary="Issue stock to a customer or repair"
)
def issue(request: HttpRequest, payload: IssueIn):
    actor = api_actor(request, app=APP, write=True, perm="inventory.add_issue")
    return Status(201, services.issue_stock(actor=actor, data=payload.model_dump()))


@router.post("/adjustments", response={201: list[MoveOut], **ERRORS}, summary="Adjust stock with a reason")
def adjust(request: HttpRequest, payload: AdjustmentIn):
    actor = api_actor(request, app=APP, write=True, perm="inventory.add_adjustment")
    return Status(201, services.adjust_stock(actor=actor, data=payload.model_dump()))


@router.post("/scraps", response={201: list[MoveOut], **ERRORS}, summary="Scrap stock")
def scrap(request: HttpRequest, payload: ScrapIn):
    actor = api_actor(request, app=APP, write=True, perm="inventory.add_scrap")
    return Status(201, services.scrap_stock(actor=actor, data=payload.model_dump()))


@router.get("/reservations", response=list[ReservationOut], summary="Reservations")
@paginate(Paginated)
def list_reservations(
    request: HttpRequest,
    item_id: Id | None = None,
    reference_type: str | None = Query(None, max_length=60),
    reference_id: Id | None = None,
    state: ReservationState | None = None,
):
    actor = api_actor(request, app=APP, perm="inventory.view_reservation")
    return selectors.list_reservations(
        actor=actor, item_id=item_id, reference_type=reference_type, reference_id=reference_id, state=state
    ).order_by("pk")


@router.post(
    "/reservations",
    response={201: list[ReservationOut], **ERRORS},
    summary="Reserve a set of lines (all or none)",
)
def reserve(request: HttpRequest, payload: ReservationIn):
    actor = api_actor(request, app=APP, write=True, perm="inventory.add_reservation")
    return Status(201, services.reserve_stock(actor=actor, data=payload.model_dump()))


@router.post(
    "/reservations/release", response={200: list[ReservationOut], **ERRORS}, summary="Release reservations"
)
def release(request: HttpRequest, payload: ReleaseIn):
    actor = api_actor(request, app=APP, write=True, perm="inventory.change_reservation")
    return services.release_reservations(actor=actor, data=payload.model_dump())


@router.get("/locations", response=list[LocationOut], summary="Locations")
@paginate(Paginated)
def list_locations(request: HttpRequest, site_id: Id | None = None, include_virtual: bool = False):
    actor = api_actor(request, app=APP, perm="inventory.view_location")
    return selectors.list_locations(actor=actor, site_id=site_id, include_virtual=include_virtual).order_by(
        "pk"
    )


@router.post("/locations", response={201: LocationOut, **ERRORS}, summary="Create a bin or zone")
def create_location(request: HttpRequest, payload: LocationIn):
    actor = api_actor(request, app=APP, write=True, perm="inventory.add_location")
    return Status(201, services.create_location(actor=actor, data=payload.model_dump()))


@router.post("/reconcile", response={200: ReconcileOut, **ERRORS}, summary="Reconcile levels with the ledger")
def reconcile(request: HttpRequest, payload: ReconcileIn):
    actor = api_actor(request, app=APP, write=True, perm="inventory.view_reconciliation")
    if payload.dealer_id is not None:
        if not (actor.is_platform_admin or payload.dealer_id in actor.admin_company_ids):
            raise NotFound(details={"dealer_id": payload.dealer_id})
        dealers = [payload.dealer_id]
    elif actor.is_platform_admin:
        dealers = [None]
    else:
        dealers = sorted(actor.admin_company_ids & actor.own_dealer_ids)
        if not dealers:
            raise PermissionDeniedError()
    return {"mismatches": [m for d in dealers for m in services.reconcile_levels(d)]}


from qudao.inventory.api_stocktakes import router as stocktakes_router  # noqa: E402
from qudao.inventory.api_transfers import router as transfers_router  # noqa: E402

router.add_router("/transfers", transfers_router)
router.add_router("/stocktakes", stocktakes_router)


def _mount_health() -> None:
    """Inventory health endpoints (ageing, problem counts, policy) live in api_health.py."""
    from qudao.inventory.api_health import router as health_router

    router.add_router("", health_router)


_mount_health()
