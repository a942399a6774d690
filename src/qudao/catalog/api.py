"""Catalog API, mounted at /api/v1/catalog. Endpoints parse, call one service or selector, and render."""

from datetime import date

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from qudao.catalog import selectors, services
from qudao.catalog.choices import ItemKind, Powertrain, Tracking, UnitKind
from qudao.catalog.conversions import unit_factor
from qudao.catalog.schemas import (
    BarcodeIn,
    BarcodeLookupOut,
    BarcodeOut,
    CategoryIn,
    CategoryNode,
    CategoryOut,
    CategoryPatch,
    CurrentPartOut,
    Id,
    ItemDetailOut,
    ItemIn,
    ItemOut,
    ItemPatch,
    ItemUnitIn,
    ItemUnitOut,
    ItemUnitPatch,
    SupersessionIn,
    SupersessionOut,
    UnitOfMeasureIn,
    UnitOfMeasureOut,
    VehicleModelIn,
    VehicleModelOut,
    VehicleModelPatch,
)
from qudao.core.api import ErrorOut, Paginated, api_actor, order_queryset
from qudao.core.errors import NotFound, ValidationFailed

router = Router()
APP = "catalog"
SEARCH = Query(None, max_length=128)
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _filter_id(getter, field: str):
    """An id given as a list filter that is unknown (or not visible) is a 422 naming the parameter."""
    try:
        return getter()
    except NotFound as exc:
        raise ValidationFailed(
            details=[
                {
                    "field": field,
                    "message": _("No such record, or it is not visible to you."),
                    "code": "unknown",
                }
            ]
        ) from exc


# --- categories ----------------------------------------------------------------------------------


@router.get("/categories", response=list[CategoryOut], summary="List categories")
@paginate(Paginated)
def list_categories(
    request: HttpRequest,
    parent_id: Id | None = None,
    roots_only: bool = False,
    q: str | None = SEARCH,
    ordering: str | None = None,
):
    actor = api_actor(request, app=APP, perm="catalog.view_category")
    qs = selectors.list_categories(actor=actor, parent_id=parent_id, roots_only=roots_only, q=q)
    return order_queryset(qs, ordering, {"code", "name", "sort_order", "path", "created_at"}, "path")


@router.get(
    "/categories/tree",
    response={200: list[CategoryNode], **ERRORS},
    summary="Categories as a tree (optionally below one category)",
)
def category_tree(request: HttpRequest, root_id: Id | None = None):
    actor = api_actor(request, app=APP, perm="catalog.view_category")
    return selectors.get_category_tree(actor=actor, root_id=root_id)


@router.get("/categories/{int:category_id}", response={200: CategoryOut, **ERRORS}, summary="One category")
def get_category(request: HttpRequest, category_id: int):
    actor = api_actor(request, app=APP, perm="catalog.view_category")
    return selectors.get_category(actor=actor, category_id=category_id)


@router.post("/categories", response={201: CategoryOut, **ERRORS}, summary="Create a category")
def create_category(request: HttpRequest, payload: CategoryIn):
    actor = api_actor(request, app=APP, write=True, perm="catalog.add_category")
    return Status(201, services.create_category(actor=actor, data=payload.model_dump()))


@router.patch(
    "/categories/{int:category_id}",
    response={200: CategoryOut, **ERRORS},
    summary="Change or move a category (with its subtree)",
)
def update_category(request: HttpRequest, category_id: int, payload: CategoryPatch):
    actor = api_actor(request, app=APP, write=True, perm="catalog.change_category")
    category = selectors.get_category(actor=actor, category_id=category_id, for_write=True)
    return services.update_category(
        actor=actor, category=category, data=payload.model_dump(exclude_unset=True)
    )


# --- units of measure ----------------------------------------------------------------------------


@router.get("/units", response=list[UnitOfMeasureOut], summary="List units of measure")
@paginate(Paginated)
def list_units(
    request: HttpRequest, kind: UnitKind | None = None, q: str | None = SEARCH, ordering: str | None = None
):
    actor = api_actor(request, app=APP, perm="catalog.view_unitofmeasure")
    qs = selectors.list_units_of_measure(actor=actor, kind=kind, q=q)
    return order_queryset(qs, ordering, {"code", "name", "kind"}, "code")


@router.post("/units", response={201: UnitOfMeasureOut, **ERRORS}, summary="Create a unit of measure")
def create_unit(request: HttpRequest, payload: UnitOfMeasureIn):
    actor = api_actor(request, app=APP, write=True, perm="catalog.add_unitofmeasure")
    return Status(201, services.create_unit_of_measure(actor=actor, data=payload.model_dump()))


# --- items ---------------------------------------------------------------------------------------


@router.get("/items", response=list[ItemOut], summary="List items")
@paginate(Paginated)
def list_items(
    request: HttpRequest,
    kind: ItemKind | None = None,
    brand_id: Id | None = None,
    category_id: Id | None = None,
    tracking: Tracking | None = None,
    q: str | None = SEARCH,
    is_active: bool | None = None,
    ordering: str | None = None,
):
    """`category_id` includes its subcategories; `q` matches the SKU, the name or a barcode."""
    actor = api_actor(request, app=APP, perm="catalog.view_item")
    category = None
    if category_id is not None:
        category = _filter_id(
            lambda: selectors.get_category(actor=actor, category_id=category_id), "category_id"
        )
    qs = selectors.list_items(
        actor=actor,
        kind=kind,
        brand_id=brand_id,
        category=category,
        tracking=tracking,
        q=q,
        is_active=is_active,
    )
    return order_queryset(
        qs, ordering, {"sku", "name", "kind", "list_price", "created_at", "updated_at"}, "sku"
    )


@router.get(
    "/items/{int:item_id}",
    response={200: ItemDetailOut, **ERRORS},
    summary="One item with its units and barcodes",
)
def get_item(request: HttpRequest, item_id: int):
    actor = api_actor(request, app=APP, perm="catalog.view_item")
    return selectors.get_item_detail(actor=actor, item_id=item_id)


@router.post("/items", response={201: ItemDetailOut, **ERRORS}, summary="Create an item")
def create_item(request: HttpRequest, payload: ItemIn):
    actor = api_actor(request, app=APP, write=True, perm="catalog.add_item")
    item = services.create_item(actor=actor, data=payload.model_dump())
    return Status(201, selectors.get_item_detail(actor=actor, item_id=item.pk))


@router.patch("/items/{int:item_id}", response={200: ItemOut, **ERRORS}, summary="Change an item")
def update_item(request: HttpRequest, item_id: int, payload: ItemPatch):
    actor = api_actor(request, app=APP, write=True, perm="catalog.change_item")
    item = selectors.get_item(actor=actor, item_id=item_id, for_write=True)
    return services.update_item(actor=actor, item=item, data=payload.model_dump(exclude_unset=True))


@router.post(
    "/items/{int:item_id}/deactivate",
    response={200: ItemOut, **ERRORS},
    summary="Deactivate an item (items are never deleted once used)",
)
def deactivate_item(request: HttpRequest, item_id: int):
    actor = api_actor(request, app=APP, write=True, perm="catalog.change_item")
    item = selectors.get_item(actor=actor, item_id=item_id, for_write=True)
    return services.deactivate_item(actor=actor, item=item)


@router.post(
    "/items/{int:item_id}/units",
    response={201: ItemUnitOut, **ERRORS},
    summary="Add a unit (pack, case…) to an item",
)
def add_item_unit(request: HttpRequest, item_id: int, payload: ItemUnitIn):
    actor = api_actor(request, app=APP, write=True, perm="catalog.add_itemunit")
    item = selectors.get_item(actor=actor, item_id=item_id, for_write=True)
    return Status(201, services.add_item_unit(actor=actor, item=item, data=payload.model_dump()))


@router.patch(
    "/items/{int:item_id}/units/{int:item_unit_id}",
    response={200: ItemUnitOut, **ERRORS},
    summary="Change an item unit's factor or default flags",
)
def update_item_unit(request: HttpRequest, item_id: int, item_unit_id: int, payload: ItemUnitPatch):
    actor = api_actor(request, app=APP, write=True, perm="catalog.change_itemunit")
    item = selectors.get_item(actor=actor, item_id=item_id, for_write=True)
    item_unit = selectors.get_item_unit(actor=actor, item=item, item_unit_id=item_unit_id, for_write=True)
    return services.update_item_unit(
        actor=actor, item_unit=item_unit, data=payload.model_dump(exclude_unset=True)
    )


@router.post(
    "/items/{int:item_id}/barcodes", response={201: BarcodeOut, **ERRORS}, summary="Add a barcode to an item"
)
def add_barcode(request: HttpRequest, item_id: int, payload: BarcodeIn):
    actor = api_actor(request, app=APP, write=True, perm="catalog.add_barcode")
    item = selectors.get_item(actor=actor, item_id=item_id, for_write=True)
    return Status(201, services.add_barcode(actor=actor, item=item, data=payload.model_dump()))


@router.delete(
    "/items/{int:item_id}/barcodes/{int:barcode_id}",
    response={204: None, **ERRORS},
    summary="Remove a barcode",
)
def delete_barcode(request: HttpRequest, item_id: int, barcode_id: int):
    actor = api_actor(request, app=APP, write=True, perm="catalog.delete_barcode")
    item = selectors.get_item(actor=actor, item_id=item_id, for_write=True)
    barcode = selectors.get_barcode(actor=actor, item=item, barcode_id=barcode_id, for_write=True)
    services.delete_barcode(actor=actor, barcode=barcode)
    return Status(204, None)


@router.get(
    "/items/{int:item_id}/current-part",
    response={200: CurrentPartOut, **ERRORS},
    summary="The part to use on a date, following supersessions",
)
def current_part(request: HttpRequest, item_id: int, on: date | None = None):
    actor = api_actor(request, app=APP, perm="catalog.view_item")
    item = selectors.get_item(actor=actor, item_id=item_id)
    on = on or timezone.localdate()
    current, resolution = selectors.resolve_current_part(item, on=on)
    return {
        "item_id": item.pk,
        "on": on,
        "current": current,
        "factor": resolution.factor,
        "chain": list(resolution.chain),
    }


@router.get(
    "/barcodes/{path:code}",
    response={200: BarcodeLookupOut, **ERRORS},
    summary="Which item and packaging a scanned code stands for",
)
def lookup_barcode(request: HttpRequest, code: str):
    actor = api_actor(request, app=APP, perm="catalog.view_barcode")
    item, unit = selectors.lookup_barcode(actor, code)
    return {
        "code": code,
        "item": item,
        "unit_id": unit.pk,
        "unit_code": unit.code,
        "factor": unit_factor(item, unit).factor,
    }


# --- vehicle models ------------------------------------------------------------------------------


@router.get("/vehicle-models", response=list[VehicleModelOut], summary="List vehicle models")
@paginate(Paginated)
def list_vehicle_models(
    request: HttpRequest,
    brand_id: Id | None = None,
    powertrain: Powertrain | None = None,
    model_year: int | None = None,
    q: str | None = SEARCH,
    is_active: bool | None = None,
    ordering: str | None = None,
):
    actor = api_actor(request, app=APP, perm="catalog.view_vehiclemodel")
    qs = selectors.list_vehicle_models(
        actor=actor, brand_id=brand_id, powertrain=powertrain, model_year=model_year, q=q, is_active=is_active
    )
    return order_queryset(qs, ordering, {"series", "model_year", "trim", "msrp", "created_at"}, "series")


@router.get(
    "/vehicle-models/{int:vehicle_model_id}",
    response={200: VehicleModelOut, **ERRORS},
    summary="One vehicle model",
)
def get_vehicle_model(request: HttpRequest, vehicle_model_id: int):
    actor = api_actor(request, app=APP, perm="catalog.view_vehiclemodel")
    return selectors.get_vehicle_model(actor=actor, vehicle_model_id=vehicle_model_id)


@router.post("/vehicle-models", response={201: VehicleModelOut, **ERRORS}, summary="Create a vehicle model")
def create_vehicle_model(request: HttpRequest, payload: VehicleModelIn):
    actor = api_actor(request, app=APP, write=True, perm="catalog.add_vehiclemodel")
    return Status(201, services.create_vehicle_model(actor=actor, data=payload.model_dump()))


@router.patch(
    "/vehicle-models/{int:vehicle_model_id}",
    response={200: VehicleModelOut, **ERRORS},
    summary="Change a vehicle model",
)
def update_vehicle_model(request: HttpRequest, vehicle_model_id: int, payload: VehicleModelPatch):
    actor = api_actor(request, app=APP, write=True, perm="catalog.change_vehiclemodel")
    vehicle_model = selectors.get_vehicle_model(
        actor=actor, vehicle_model_id=vehicle_model_id, for_write=True
    )
    return services.update_vehicle_model(
        actor=actor, vehicle_model=vehicle_model, data=payload.model_dump(exclude_unset=True)
    )


# --- supersessions -------------------------------------------------------------------------------


@router.get("/supersessions", response=list[SupersessionOut], summary="List part supersessions")
@paginate(Paginated)
def list_supersessions(request: HttpRequest, item_id: Id | None = None, ordering: str | None = None):
    """`item_id`: supersessions where the part is the old or the new one."""
    actor = api_actor(request, app=APP, perm="catalog.view_supersession")
    qs = selectors.list_supersessions(actor=actor, item_id=item_id)
    return order_queryset(qs, ordering, {"effective_from", "created_at"}, "effective_from")


@router.post(
    "/supersessions",
    response={201: SupersessionOut, **ERRORS},
    summary="Supersede a part by another from a date",
)
def create_supersession(request: HttpRequest, payload: SupersessionIn):
    actor = api_actor(request, app=APP, write=True, perm="catalog.add_supersession")
    return Status(201, services.create_supersession(actor=actor, data=payload.model_dump()))
