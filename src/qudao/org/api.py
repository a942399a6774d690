"""Organisation API (/api/v1/org): companies, sites, channels, regions, territories, dealerships.

Endpoints parse, call one selector or service, and render. Rows outside the caller's data scope
answer 404; writes look rows up in the write scope.
"""

from datetime import date

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from qudao.core.api import ErrorOut, Paginated, api_actor, order_queryset
from qudao.org import selectors
from qudao.org.models import ChannelKind, DealershipStatus, RegionLevel, SiteKind
from qudao.org.schemas import (
    ChannelIn,
    ChannelOut,
    ChannelPatch,
    CompanyIn,
    CompanyOut,
    CompanyPatch,
    ContainsIn,
    ContainsOut,
    DealershipIn,
    DealershipOut,
    DealershipPatch,
    RegionCode,
    RegionOut,
    RoleName,
    SiteIn,
    SiteOut,
    SitePatch,
    TerritoryIn,
    TerritoryOut,
    TerritoryPatch,
)
from qudao.org.services import channels, companies, dealerships, sites, territories

router = Router()
APP = "org"
READ_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {**READ_ERRORS, 409: ErrorOut}
Search = Query(None, max_length=100)
Ordering = Query(None, max_length=200, description="comma-separated fields, '-' for descending")


# --- companies -----------------------------------------------------------------------------------


@router.get("/companies", response=list[CompanyOut], summary="Companies you can see")
@paginate(Paginated)
def list_companies(
    request: HttpRequest,
    role: RoleName | None = None,
    search: str | None = Search,
    is_active: bool | None = None,
    ordering: str | None = Ordering,
):
    actor = api_actor(request, app=APP, perm="org.view_company")
    qs = selectors.list_companies(actor=actor, role=role, search=search, is_active=is_active)
    return order_queryset(qs, ordering, {"code", "name", "created_at", "updated_at"}, "code")


@router.get("/companies/{company_id}", response={200: CompanyOut, **READ_ERRORS})
def get_company(request: HttpRequest, company_id: int):
    actor = api_actor(request, app=APP, perm="org.view_company")
    return selectors.get_company(actor=actor, company_id=company_id)


@router.post("/companies", response={201: CompanyOut, **WRITE_ERRORS})
def create_company(request: HttpRequest, payload: CompanyIn):
    actor = api_actor(request, app=APP, write=True, perm="org.add_company")
    return Status(201, companies.create_company(actor=actor, data=payload.model_dump()))


@router.patch("/companies/{company_id}", response={200: CompanyOut, **WRITE_ERRORS})
def update_company(request: HttpRequest, company_id: int, payload: CompanyPatch):
    actor = api_actor(request, app=APP, write=True, perm="org.change_company")
    company = selectors.get_company(actor=actor, company_id=company_id, for_write=True)
    return companies.update_company(actor=actor, company=company, data=payload.model_dump(exclude_unset=True))


@router.delete("/companies/{company_id}", response={204: None, **WRITE_ERRORS})
def delete_company(request: HttpRequest, company_id: int):
    actor = api_actor(request, app=APP, write=True, perm="org.delete_company")
    company = selectors.get_company(actor=actor, company_id=company_id, for_write=True)
    companies.delete_company(actor=actor, company=company)
    return Status(204, None)


# --- sites ---------------------------------------------------------------------------------------


@router.get("/sites", response=list[SiteOut], summary="Warehouses, stores and workshops you can see")
@paginate(Paginated)
def list_sites(
    request: HttpRequest,
    kind: SiteKind | None = None,
    region: RegionCode | None = None,
    search: str | None = Search,
    dealer_id: int | None = None,
    is_active: bool | None = None,
    ordering: str | None = Ordering,
):
    actor = api_actor(request, app=APP, perm="org.view_site")
    qs = selectors.list_sites(
        actor=actor, kind=kind, region_code=region, search=search, dealer_id=dealer_id, is_active=is_active
    )
    return order_queryset(qs, ordering, {"code", "name", "kind", "created_at"}, "code")


@router.get("/sites/{site_id}", response={200: SiteOut, **READ_ERRORS})
def get_site(request: HttpRequest, site_id: int):
    actor = api_actor(request, app=APP, perm="org.view_site")
    return selectors.get_site(actor=actor, site_id=site_id)


@router.post("/sites", response={201: SiteOut, **WRITE_ERRORS})
def create_site(request: HttpRequest, payload: SiteIn):
    actor = api_actor(request, app=APP, write=True, perm="org.add_site")
    site = sites.create_site(actor=actor, data=payload.model_dump())
    return Status(201, selectors.get_site(actor=actor, site_id=site.pk))


@router.patch("/sites/{site_id}", response={200: SiteOut, **WRITE_ERRORS})
def update_site(request: HttpRequest, site_id: int, payload: SitePatch):
    actor = api_actor(request, app=APP, write=True, perm="org.change_site")
    site = selectors.get_site(actor=actor, site_id=site_id, for_write=True)
    sites.update_site(actor=actor, site=site, data=payload.model_dump(exclude_unset=True))
    return selectors.get_site(actor=actor, site_id=site_id)


@router.delete("/sites/{site_id}", response={204: None, **WRITE_ERRORS})
def delete_site(request: HttpRequest, site_id: int):
    actor = api_actor(request, app=APP, write=True, perm="org.delete_site")
    sites.delete_site(actor=actor, site=selectors.get_site(actor=actor, site_id=site_id, for_write=True))
    return Status(204, None)


# --- channels ------------------------------------------------------------------------------------


@router.get("/channels", response=list[ChannelOut], summary="Sales channels you can see")
@paginate(Paginated)
def list_channels(
    request: HttpRequest,
    kind: ChannelKind | None = None,
    search: str | None = Search,
    dealer_id: int | None = None,
    is_active: bool | None = None,
    ordering: str | None = Ordering,
):
    actor = api_actor(request, app=APP, perm="org.view_channel")
    qs = selectors.list_channels(
        actor=actor, kind=kind, search=search, dealer_id=dealer_id, is_active=is_active
    )
    return order_queryset(qs, ordering, {"code", "name", "kind", "created_at"}, "code")


@router.get("/channels/{channel_id}", response={200: ChannelOut, **READ_ERRORS})
def get_channel(request: HttpRequest, channel_id: int):
    actor = api_actor(request, app=APP, perm="org.view_channel")
    return selectors.get_channel(actor=actor, channel_id=channel_id)


@router.post("/channels", response={201: ChannelOut, **WRITE_ERRORS})
def create_channel(request: HttpRequest, payload: ChannelIn):
    actor = api_actor(request, app=APP, write=True, perm="org.add_channel")
    return Status(201, channels.create_channel(actor=actor, data=payload.model_dump()))


@router.patch("/channels/{channel_id}", response={200: ChannelOut, **WRITE_ERRORS})
def update_channel(request: HttpRequest, channel_id: int, payload: ChannelPatch):
    actor = api_actor(request, app=APP, write=True, perm="org.change_channel")
    channel = selectors.get_channel(actor=actor, channel_id=channel_id, for_write=True)
    return channels.update_channel(actor=actor, channel=channel, data=payload.model_dump(exclude_unset=True))


@router.delete("/channels/{channel_id}", response={204: None, **WRITE_ERRORS})
def delete_channel(request: HttpRequest, channel_id: int):
    actor = api_actor(request, app=APP, write=True, perm="org.delete_channel")
    channel = selectors.get_channel(actor=actor, channel_id=channel_id, for_write=True)
    channels.delete_channel(actor=actor, channel=channel)
    return Status(204, None)


# --- regions -------------------------------------------------------------------------------------


@router.get("/regions", response=list[RegionOut], summary="China's administrative regions (NBS 2023)")
@paginate(Paginated)
def list_regions(
    request: HttpRequest,
    level: RegionLevel | None = None,
    parent: RegionCode | None = None,
    search: str | None = Query(None, max_length=80, description="name or code prefix"),
    ordering: str | None = Ordering,
):
    actor = api_actor(request, app=APP, perm="org.view_region")
    qs = selectors.list_regions(actor=actor, level=level, parent_code=parent, search=search)
    return order_queryset(qs, ordering, {"code", "name"}, "code")


@router.get("/regions/{code}", response={200: RegionOut, **READ_ERRORS})
def get_region(request: HttpRequest, code: RegionCode):
    actor = api_actor(request, app=APP, perm="org.view_region")
    return selectors.get_region(actor=actor, code=code)


@router.get("/regions/{code}/children", response={200: list[RegionOut], **READ_ERRORS})
def list_region_children(request: HttpRequest, code: RegionCode):
    actor = api_actor(request, app=APP, perm="org.view_region")
    return list(selectors.list_region_children(actor=actor, code=code))


# --- territories ---------------------------------------------------------------------------------


@router.get("/territories", response=list[TerritoryOut], summary="Sales territories you can see")
@paginate(Paginated)
def list_territories(
    request: HttpRequest,
    owner_id: int | None = None,
    search: str | None = Search,
    ordering: str | None = Ordering,
):
    actor = api_actor(request, app=APP, perm="org.view_territory")
    qs = selectors.list_territories(actor=actor, owner_id=owner_id, search=search)
    return order_queryset(qs, ordering, {"code", "name", "created_at"}, "code")


@router.get("/territories/{territory_id}", response={200: TerritoryOut, **READ_ERRORS})
def get_territory(request: HttpRequest, territory_id: int):
    actor = api_actor(request, app=APP, perm="org.view_territory")
    return selectors.get_territory(actor=actor, territory_id=territory_id)


@router.post("/territories", response={201: TerritoryOut, **WRITE_ERRORS})
def create_territory(request: HttpRequest, payload: TerritoryIn):
    actor = api_actor(request, app=APP, write=True, perm="org.add_territory")
    territory = territories.create_territory(actor=actor, data=payload.model_dump())
    return Status(201, selectors.get_territory(actor=actor, territory_id=territory.pk))


@router.patch("/territories/{territory_id}", response={200: TerritoryOut, **WRITE_ERRORS})
def update_territory(request: HttpRequest, territory_id: int, payload: TerritoryPatch):
    actor = api_actor(request, app=APP, write=True, perm="org.change_territory")
    territory = selectors.get_territory(actor=actor, territory_id=territory_id, for_write=True)
    territories.update_territory(
        actor=actor, territory=territory, data=payload.model_dump(exclude_unset=True)
    )
    return selectors.get_territory(actor=actor, territory_id=territory_id)


@router.delete("/territories/{territory_id}", response={204: None, **WRITE_ERRORS})
def delete_territory(request: HttpRequest, territory_id: int):
    actor = api_actor(request, app=APP, write=True, perm="org.delete_territory")
    territory = selectors.get_territory(actor=actor, territory_id=territory_id, for_write=True)
    territories.delete_territory(actor=actor, territory=territory)
    return Status(204, None)


@router.post(
    "/territories/{territory_id}/contains",
    response={200: ContainsOut, **READ_ERRORS},
    summary="Is a point or a region inside the territory?",
)
def territory_contains(request: HttpRequest, territory_id: int, payload: ContainsIn):
    actor = api_actor(request, app=APP, perm="org.view_territory")
    territory = selectors.get_territory(actor=actor, territory_id=territory_id)
    return territories.check_territory_contains(
        actor=actor,
        territory=territory,
        longitude=payload.longitude,
        latitude=payload.latitude,
        region_code=payload.region_code,
    )


# --- dealerships ---------------------------------------------------------------------------------


@router.get("/dealerships", response=list[DealershipOut], summary="Dealerships granted by or to you")
@paginate(Paginated)
def list_dealerships(
    request: HttpRequest,
    brand_id: int | None = None,
    dealer_id: int | None = None,
    status: DealershipStatus | None = None,
    active_on: date | None = None,
    ordering: str | None = Ordering,
):
    actor = api_actor(request, app=APP, perm="org.view_dealership")
    qs = selectors.list_dealerships(
        actor=actor, brand_id=brand_id, dealer_id=dealer_id, status=status, active_on=active_on
    )
    return order_queryset(qs, ordering, {"valid_from", "valid_to", "dealer_code", "created_at"}, "valid_from")


@router.get("/dealerships/{dealership_id}", response={200: DealershipOut, **READ_ERRORS})
def get_dealership(request: HttpRequest, dealership_id: int):
    actor = api_actor(request, app=APP, perm="org.view_dealership")
    return selectors.get_dealership(actor=actor, dealership_id=dealership_id)


@router.post("/dealerships", response={201: DealershipOut, **WRITE_ERRORS})
def create_dealership(request: HttpRequest, payload: DealershipIn):
    actor = api_actor(request, app=APP, write=True, perm="org.add_dealership")
    return Status(201, dealerships.create_dealership(actor=actor, data=payload.model_dump()))


@router.patch("/dealerships/{dealership_id}", response={200: DealershipOut, **WRITE_ERRORS})
def update_dealership(request: HttpRequest, dealership_id: int, payload: DealershipPatch):
    actor = api_actor(request, app=APP, write=True, perm="org.change_dealership")
    dealership = selectors.get_dealership(actor=actor, dealership_id=dealership_id, for_write=True)
    return dealerships.update_dealership(
        actor=actor, dealership=dealership, data=payload.model_dump(exclude_unset=True)
    )
