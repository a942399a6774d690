"""Reads of the organisation app. Every selector starts from `scoped(queryset, actor)`."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from qudao.core.scoping import Actor, get_scoped, scoped
from qudao.org import policies
from qudao.org.models import Channel, Company, Dealership, DealershipStatus, Region, Site, Territory

#: widening boxes (degrees) around a point when looking for the nearest district seat
_NEAREST_BOXES = (0.75, 2.0, 5.0)


# --- companies -----------------------------------------------------------------------------------


def list_companies(
    *, actor: Actor, role: str | None = None, search: str | None = None, is_active: bool | None = None
) -> QuerySet[Company]:
    qs = scoped(Company.objects.select_related("region"), actor)
    if role:
        qs = qs.filter(**{f"is_{role}": True})
    if search:
        qs = qs.filter(
            Q(code__icontains=search)
            | Q(name__icontains=search)
            | Q(short_name__icontains=search)
            | Q(credit_code__iexact=search)
        )
    if is_active is not None:
        qs = qs.filter(is_active=is_active)
    return qs


def get_company(*, actor: Actor, company_id: int, for_write: bool = False) -> Company:
    return get_scoped(Company.objects.select_related("region"), actor, for_write=for_write, pk=company_id)


# --- sites ---------------------------------------------------------------------------------------


def _within_region(qs: QuerySet, region: Region, field: str = "region") -> QuerySet:
    """Rows whose region is `region` or lies inside it (codes share the region's prefix)."""
    return qs.filter(**{f"{field}__code__startswith": policies.region_prefix(region.code, region.level)})


def list_sites(
    *,
    actor: Actor,
    kind: str | None = None,
    region_code: str | None = None,
    search: str | None = None,
    dealer_id: int | None = None,
    is_active: bool | None = None,
) -> QuerySet[Site]:
    qs = scoped(Site.objects.select_related("region").prefetch_related("brands"), actor)
    if kind:
        qs = qs.filter(kind=kind)
    if region_code:
        region = Region.objects.filter(code=region_code).first()
        qs = _within_region(qs, region) if region else qs.none()
    if search:
        qs = qs.filter(Q(code__icontains=search) | Q(name__icontains=search) | Q(address__icontains=search))
    if dealer_id is not None:
        qs = qs.filter(dealer_id=dealer_id)
    if is_active is not None:
        qs = qs.filter(is_active=is_active)
    return qs


def get_site(*, actor: Actor, site_id: int, for_write: bool = False) -> Site:
    qs = Site.objects.select_related("region").prefetch_related("brands")
    return get_scoped(qs, actor, for_write=for_write, pk=site_id)


# --- channels ------------------------------------------------------------------------------------


def list_channels(
    *,
    actor: Actor,
    kind: str | None = None,
    search: str | None = None,
    dealer_id: int | None = None,
    is_active: bool | None = None,
) -> QuerySet[Channel]:
    qs = scoped(Channel.objects.all(), actor)
    if kind:
        qs = qs.filter(kind=kind)
    if search:
        qs = qs.filter(Q(code__icontains=search) | Q(name__icontains=search))
    if dealer_id is not None:
        qs = qs.filter(dealer_id=dealer_id)
    if is_active is not None:
        qs = qs.filter(is_active=is_active)
    return qs


def get_channel(*, actor: Actor, channel_id: int, for_write: bool = False) -> Channel:
    return get_scoped(Channel.objects.all(), actor, for_write=for_write, pk=channel_id)


# --- regions -------------------------------------------------------------------------------------


def list_regions(
    *, actor: Actor, level: str | None = None, parent_code: str | None = None, search: str | None = None
) -> QuerySet[Region]:
    qs = scoped(Region.objects.select_related("parent"), actor)
    if level:
        qs = qs.filter(level=level)
    if parent_code:
        qs = qs.filter(parent__code=parent_code)
    if search:
        qs = qs.filter(Q(code__startswith=search) | Q(name__icontains=search))
    return qs


def get_region(*, actor: Actor, code: str) -> Region:
    return get_scoped(Region.objects.select_related("parent"), actor, code=code)


def list_region_children(*, actor: Actor, code: str) -> QuerySet[Region]:
    parent = get_region(actor=actor, code=code)
    return scoped(Region.objects.filter(parent=parent).select_related("parent"), actor).order_by("code")


def get_nearest_district(*, actor: Actor, longitude: Any, latitude: Any) -> Region | None:
    """The district (or city without districts) whose seat is nearest the point; None far from any.

    Regions carry seats, not boundaries, so near a border this is an approximation.
    """
    lon, lat = policies.check_coordinates(longitude, latitude)
    base = (
        scoped(Region.objects.select_related("parent__parent"), actor)
        .exclude(level="province")
        .filter(latitude__isnull=False, longitude__isnull=False)
        .filter(Q(level="district") | Q(children__isnull=True))
    )
    for box in _NEAREST_BOXES:
        candidates = list(
            base.filter(
                latitude__range=(lat - box, lat + box), longitude__range=(lon - box * 1.5, lon + box * 1.5)
            ).distinct()
        )
        if candidates:
            return min(
                candidates,
                key=lambda r: (
                    policies.distance_km(lat1=lat, lon1=lon, lat2=r.latitude, lon2=r.longitude),
                    r.code,
                ),
            )
    return None


# --- territories ---------------------------------------------------------------------------------


def list_territories(
    *, actor: Actor, owner_id: int | None = None, search: str | None = None
) -> QuerySet[Territory]:
    qs = scoped(Territory.objects.prefetch_related("regions"), actor)
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    if search:
        qs = qs.filter(Q(code__icontains=search) | Q(name__icontains=search))
    return qs


def get_territory(*, actor: Actor, territory_id: int, for_write: bool = False) -> Territory:
    return get_scoped(
        Territory.objects.prefetch_related("regions"), actor, for_write=for_write, pk=territory_id
    )


# --- dealerships ---------------------------------------------------------------------------------


def list_dealerships(
    *,
    actor: Actor,
    brand_id: int | None = None,
    dealer_id: int | None = None,
    status: str | None = None,
    active_on: date | None = None,
) -> QuerySet[Dealership]:
    qs = scoped(Dealership.objects.select_related("brand", "dealer", "territory"), actor)
    if brand_id is not None:
        qs = qs.filter(brand_id=brand_id)
    if dealer_id is not None:
        qs = qs.filter(dealer_id=dealer_id)
    if status:
        qs = qs.filter(status=status)
    if active_on is not None:
        qs = qs.filter(status=DealershipStatus.ACTIVE, valid_from__lte=active_on).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=active_on)
        )
    return qs


def get_dealership(*, actor: Actor, dealership_id: int, for_write: bool = False) -> Dealership:
    qs = Dealership.objects.select_related("brand", "dealer", "territory")
    return get_scoped(qs, actor, for_write=for_write, pk=dealership_id)
