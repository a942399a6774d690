"""Price lists (with their tiers) and price floors: /api/v1/pricing/price-lists, /price-list-items,
/floors. Endpoints parse, call one service or selector, and render."""

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from qudao.core.api import ErrorOut, Paginated, api_actor, order_queryset
from qudao.pricing import selectors
from qudao.pricing.choices import PriceListScope
from qudao.pricing.schemas import (
    FloorIn,
    FloorOut,
    FloorPatch,
    Id,
    PriceListIn,
    PriceListOut,
    PriceListPatch,
    TierIn,
    TierOut,
    TierPatch,
)
from qudao.pricing.services import price_lists as services

router = Router(tags=["pricing"])
APP = "pricing"
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.get("/price-lists", response=list[PriceListOut], summary="List price lists")
@paginate(Paginated)
def list_price_lists(
    request: HttpRequest,
    scope: PriceListScope | None = None,
    is_active: bool | None = None,
    q: str = Query("", max_length=100),
    ordering: str | None = Query(None, max_length=100),
):
    actor = api_actor(request, app=APP, perm="pricing.view_pricelist")
    qs = selectors.list_price_lists(actor=actor, scope=scope, is_active=is_active, search=q)
    return order_queryset(qs, ordering, {"code", "name", "priority", "scope", "valid_from"}, "code")


@router.post(
    "/price-lists", response={201: PriceListOut, **ERRORS}, summary="Create a price list (with tiers)"
)
def create_price_list(request: HttpRequest, payload: PriceListIn):
    actor = api_actor(request, app=APP, write=True, perm="pricing.add_pricelist")
    price_list = services.create_price_list(actor=actor, data=payload.model_dump())
    return Status(201, selectors.get_price_list(actor=actor, price_list_id=price_list.pk))


@router.get(
    "/price-lists/{int:price_list_id}", response={200: PriceListOut, **ERRORS}, summary="One price list"
)
def get_price_list(request: HttpRequest, price_list_id: int):
    actor = api_actor(request, app=APP, perm="pricing.view_pricelist")
    return selectors.get_price_list(actor=actor, price_list_id=price_list_id)


@router.patch(
    "/price-lists/{int:price_list_id}", response={200: PriceListOut, **ERRORS}, summary="Change a price list"
)
def update_price_list(request: HttpRequest, price_list_id: int, payload: PriceListPatch):
    actor = api_actor(request, app=APP, write=True, perm="pricing.change_pricelist")
    services.update_price_list(
        actor=actor, price_list_id=price_list_id, data=payload.model_dump(exclude_unset=True)
    )
    return selectors.get_price_list(actor=actor, price_list_id=price_list_id)


@router.delete(
    "/price-lists/{int:price_list_id}", response={204: None, **ERRORS}, summary="Delete a price list"
)
def delete_price_list(request: HttpRequest, price_list_id: int):
    actor = api_actor(request, app=APP, write=True, perm="pricing.delete_pricelist")
    services.delete_price_list(actor=actor, price_list_id=price_list_id)
    return Status(204, None)


@router.get(
    "/price-lists/{int:price_list_id}/items", response=list[TierOut], summary="Items and tiers of a list"
)
@paginate(Paginated)
def list_price_list_items(request: HttpRequest, price_list_id: int):
    actor = api_actor(request, app=APP, perm="pricing.view_pricelistitem")
    return selectors.list_price_list_items(actor=actor, price_list_id=price_list_id)


@router.post(
    "/price-lists/{int:price_list_id}/items",
    response={201: TierOut, **ERRORS},
    summary="Add or set an item tier",
)
def set_price_list_item(request: HttpRequest, price_list_id: int, payload: TierIn):
    actor = api_actor(request, app=APP, write=True, perm="pricing.add_pricelistitem")
    return Status(
        201, services.set_price_list_item(actor=actor, price_list_id=price_list_id, data=payload.model_dump())
    )


@router.patch(
    "/price-list-items/{int:price_list_item_id}",
    response={200: TierOut, **ERRORS},
    summary="Change an item tier",
)
def update_price_list_item(request: HttpRequest, price_list_item_id: int, payload: TierPatch):
    actor = api_actor(request, app=APP, write=True, perm="pricing.change_pricelistitem")
    return services.update_price_list_item(
        actor=actor, price_list_item_id=price_list_item_id, data=payload.model_dump(exclude_none=True)
    )


@router.delete(
    "/price-list-items/{int:price_list_item_id}",
    response={204: None, **ERRORS},
    summary="Delete an item tier",
)
def delete_price_list_item(request: HttpRequest, price_list_item_id: int):
    actor = api_actor(request, app=APP, write=True, perm="pricing.delete_pricelistitem")
    services.delete_price_list_item(actor=actor, price_list_item_id=price_list_item_id)
    return Status(204, None)


@router.get("/floors", response=list[FloorOut], summary="List price floors")
@paginate(Paginated)
def list_floors(request: HttpRequest, item_id: Id | None = None):
    actor = api_actor(request, app=APP, perm="pricing.view_pricefloor")
    return selectors.list_price_floors(actor=actor, item_id=item_id).order_by("item_id", "pk")


@router.post("/floors", response={201: FloorOut, **ERRORS}, summary="Create a price floor")
def create_floor(request: HttpRequest, payload: FloorIn):
    actor = api_actor(request, app=APP, write=True, perm="pricing.add_pricefloor")
    return Status(201, services.create_price_floor(actor=actor, data=payload.model_dump()))


@router.get("/floors/{int:floor_id}", response={200: FloorOut, **ERRORS}, summary="One price floor")
def get_floor(request: HttpRequest, floor_id: int):
    actor = api_actor(request, app=APP, perm="pricing.view_pricefloor")
    return selectors.get_price_floor(actor=actor, floor_id=floor_id)


@router.patch("/floors/{int:floor_id}", response={200: FloorOut, **ERRORS}, summary="Change a price floor")
def update_floor(request: HttpRequest, floor_id: int, payload: FloorPatch):
    actor = api_actor(request, app=APP, write=True, perm="pricing.change_pricefloor")
    return services.update_price_floor(
        actor=actor, floor_id=floor_id, data=payload.model_dump(exclude_unset=True)
    )


@router.delete("/floors/{int:floor_id}", response={204: None, **ERRORS}, summary="Delete a price floor")
def delete_floor(request: HttpRequest, floor_id: int):
    actor = api_actor(request, app=APP, write=True, perm="pricing.delete_pricefloor")
    services.delete_price_floor(actor=actor, floor_id=floor_id)
    return Status(204, None)
