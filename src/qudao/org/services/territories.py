"""Territories: a brand's or dealer's sales area as regions and/or a polygon; containment checks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from qudao.core.events import emit
from qudao.core.scoping import Actor
from qudao.org import policies
from qudao.org.models import Company, Region, Territory
from qudao.org.selectors import get_nearest_district
from qudao.org.services.common import (
    FieldErrors,
    changed,
    delete_unless_used,
    duplicate,
    region_coordinates,
    save_unique,
    validate_instance,
)

PLAIN_FIELDS = ("code", "name")


def _payload(territory: Territory, **extra: Any) -> dict[str, Any]:
    return {"territory_id": territory.pk, "owner_id": territory.owner_id, "code": territory.code, **extra}


def _owner_id(actor: Actor, data: Mapping[str, Any], errors: FieldErrors) -> int | None:
    writable = actor.own_dealer_ids | actor.brand_ids
    owner_id = data.get("owner_id")
    if owner_id is None:
        if len(writable) == 1:
            return next(iter(writable))
        errors.add("owner_id", _("Choose the brand or dealer that owns this territory."))
        return None
    if not actor.is_platform_admin and owner_id not in writable:
        errors.add("owner_id", _("You can only define territories of your own brand or dealer."))
        return None
    if not Company.objects.filter(Q(is_brand=True) | Q(is_dealer=True), pk=owner_id).exists():
        errors.add("owner_id", _("A territory belongs to a brand or a dealer."))
        return None
    return owner_id


def clean_territory_data(
    *, actor: Actor, data: Mapping[str, Any], territory: Territory | None = None
) -> dict[str, Any]:
    """Check a create (territory=None) or a partial update; regions go under "regions"."""
    errors = FieldErrors()
    values: dict[str, Any] = {k: data[k] for k in PLAIN_FIELDS if k in data}
    owner_id = territory.owner_id if territory else _owner_id(actor, data, errors)
    if territory is None:
        values["owner_id"] = owner_id
    elif "owner_id" in data and data["owner_id"] != territory.owner_id:
        errors.add("owner_id", _("A territory cannot change owner."))
    if "polygon" in data:
        if data["polygon"] is None:
            values["polygon"] = None
        else:
            try:
                values["polygon"] = policies.validate_polygon(data["polygon"])
            except policies.PolicyError as exc:
                errors.add("polygon", exc.message)
    if "region_codes" in data:
        codes = sorted(set(data["region_codes"] or []))
        regions = list(Region.objects.filter(code__in=codes))
        missing = sorted(set(codes) - {r.code for r in regions})
        if missing:
            errors.add("region_codes", _("Unknown region codes: %(codes)s.") % {"codes": ", ".join(missing)})
        values["regions"] = regions
    probe = Territory(
        **{f.attname: getattr(territory, f.attname) for f in Territory._meta.concrete_fields}
        if territory
        else {}
    )
    for key, value in values.items():
        if key != "regions":
            setattr(probe, key, value)
    validate_instance(probe, errors=errors, rename={"owner": "owner_id"}, exclude=["id", "owner", "polygon"])
    errors.raise_if_any()
    code = values.get("code")
    if (
        code is not None
        and Territory.objects.filter(owner_id=owner_id, code=code)
        .exclude(pk=territory.pk if territory else None)
        .exists()
    ):
        raise duplicate("code")
    return values


@transaction.atomic
def create_territory(*, actor: Actor, data: Mapping[str, Any]) -> Territory:
    values = clean_territory_data(actor=actor, data=data)
    regions = values.pop("regions", [])
    territory = Territory(**values)
    save_unique(territory, field="code")
    if regions:
        territory.regions.set(regions)
    emit(
        "org.territory.created", _payload(territory), dealer_id=_dealer_of(territory), actor_id=actor.user_id
    )
    return territory


@transaction.atomic
def update_territory(*, actor: Actor, territory: Territory, data: Mapping[str, Any]) -> Territory:
    territory = Territory.objects.select_for_update().get(pk=territory.pk)
    values = clean_territory_data(actor=actor, data=data, territory=territory)
    regions = values.pop("regions", None)
    names = changed(territory, values)
    if names:
        save_unique(territory, field="code")
    if regions is not None and {r.pk for r in regions} != set(territory.regions.values_list("pk", flat=True)):
        territory.regions.set(regions)
        names.append("region_codes")
    if names:
        emit(
            "org.territory.updated",
            _payload(territory, changed=names),
            dealer_id=_dealer_of(territory),
            actor_id=actor.user_id,
        )
    return territory


@transaction.atomic
def delete_territory(*, actor: Actor, territory: Territory) -> None:
    payload = _payload(territory)
    dealer_id = _dealer_of(territory)
    delete_unless_used(territory)
    emit("org.territory.deleted", payload, dealer_id=dealer_id, actor_id=actor.user_id)


def _dealer_of(territory: Territory) -> int | None:
    """Events of a dealer's own territory belong to that dealer; a brand's are platform-wide."""
    return (
        territory.owner_id if Company.objects.filter(pk=territory.owner_id, is_dealer=True).exists() else None
    )


# --- containment ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Containment:
    inside: bool
    #: "polygon" (point-in-polygon) or "regions" (the region or one of its parents is listed)
    method: str
    #: the region that was tested (given, or the district whose seat is nearest the point)
    region_code: str | None = None


def _ancestor_codes(region: Region) -> set[str]:
    codes, node = set(), region
    while node is not None:
        codes.add(node.code)
        node = node.parent
    return codes


def check_territory_contains(
    *,
    actor: Actor,
    territory: Territory,
    longitude: Any = None,
    latitude: Any = None,
    region_code: str | None = None,
) -> Containment:
    """Is a point (or a region) inside the territory?

    With a polygon: the point (or the region's seat) is tested against it, border included. Without:
    the region (for a point: the district whose seat is nearest, an approximation since regions carry
    seats, not boundaries) is inside when it, its city or its province is listed.
    """
    errors = FieldErrors()
    region: Region | None = None
    has_point = longitude is not None or latitude is not None
    if has_point == (region_code is not None):
        errors.add("body", _("Give either longitude and latitude, or region_code."))
        errors.raise_if_any()
    if region_code is not None:
        region = Region.objects.select_related("parent__parent").filter(code=region_code).first()
        if region is None:
            errors.add(
                "region_code", _("There is no region with the code “%(code)s”.") % {"code": region_code}
            )
    else:
        for field, check, value in (
            ("longitude", policies.check_longitude, longitude),
            ("latitude", policies.check_latitude, latitude),
        ):
            try:
                check(value)
            except policies.PolicyError as exc:
                errors.add(field, exc.message)
    errors.raise_if_any()

    if territory.polygon:
        if region is not None:
            seat = region_coordinates(region)
            if seat is None:
                return Containment(inside=False, method="polygon", region_code=region.code)
            lat, lon = seat
        else:
            lon, lat = longitude, latitude
        inside = policies.point_in_territory(territory.polygon, lon, lat)
        return Containment(inside=inside, method="polygon", region_code=region.code if region else None)

    if region is None:
        region = get_nearest_district(actor=actor, longitude=longitude, latitude=latitude)
        if region is None:
            return Containment(inside=False, method="regions")
    listed = territory.regions.filter(code__in=sorted(_ancestor_codes(region))).exists()
    return Containment(inside=listed, method="regions", region_code=region.code)
