"""Sites (warehouses, stores, workshops): create, update, deactivate, delete when unused."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from qudao.core.errors import PermissionDeniedError
from qudao.core.events import emit
from qudao.core.money import quantize
from qudao.core.scoping import Actor, scoped
from qudao.org import policies
from qudao.org.errors import InUse, SiteRestricted
from qudao.org.models import Company, Region, Site
from qudao.org.services.common import (
    FieldErrors,
    changed,
    delete_unless_used,
    duplicate,
    region_coordinates,
    region_for_code,
    save_unique,
    validate_instance,
)

PLAIN_FIELDS = ("code", "name", "kind", "address", "is_active")
RENAME = {"region": "region_code", "dealer": "dealer_id"}
COORDINATE_PLACES = 6


def _payload(site: Site, **extra: Any) -> dict[str, Any]:
    return {"site_id": site.pk, "dealer_id": site.dealer_id, "code": site.code, "kind": site.kind, **extra}


def _dealer_for_new_site(actor: Actor, dealer_id: Any, errors: FieldErrors) -> Company | None:
    if dealer_id is None:
        dealer_id = actor.default_dealer_id()
        if dealer_id is None:
            errors.add("dealer_id", _("Choose the dealer this site belongs to."))
            return None
    elif not actor.is_platform_admin and dealer_id not in actor.own_dealer_ids:
        errors.add("dealer_id", _("There is no such dealer among yours."))
        return None
    if not actor.is_platform_admin and actor.own_dealers.get(dealer_id) is not None:
        raise SiteRestricted()
    dealer = Company.objects.filter(pk=dealer_id).first()
    if dealer is None or not dealer.is_dealer:
        errors.add("dealer_id", _("The site's company must be a dealer."))
        return None
    if not dealer.is_active:
        errors.add("dealer_id", _("This dealer is deactivated."))
    return dealer


def _coordinates(
    data: Mapping[str, Any], site: Site | None, errors: FieldErrors
) -> tuple[Decimal, Decimal] | None:
    """(latitude, longitude) rounded to 6 places (~0.1 m); both or neither (a patch may give one)."""
    lat = data.get("latitude", site.latitude if site else None)
    lon = data.get("longitude", site.longitude if site else None)
    if lat is None and lon is None:
        return None
    if lat is None or lon is None:
        errors.add("latitude" if lat is None else "longitude", _("Give both the latitude and the longitude."))
        return None
    for field, check, value in (
        ("latitude", policies.check_latitude, lat),
        ("longitude", policies.check_longitude, lon),
    ):
        try:
            check(value)
        except policies.PolicyError as exc:
            errors.add(field, exc.message)
    if errors.has("latitude") or errors.has("longitude"):
        return None
    return quantize(Decimal(str(lat)), COORDINATE_PLACES), quantize(Decimal(str(lon)), COORDINATE_PLACES)


def clean_site_data(*, actor: Actor, data: Mapping[str, Any], site: Site | None = None) -> dict[str, Any]:
    """Check a create (site=None) or a partial update; return model values (brands under "brands")."""
    errors = FieldErrors()
    values: dict[str, Any] = {k: data[k] for k in PLAIN_FIELDS if k in data}
    dealer_id = site.dealer_id if site else None
    if site is None:
        dealer = _dealer_for_new_site(actor, data.get("dealer_id"), errors)
        dealer_id = dealer.pk if dealer else None
        values["dealer_id"] = dealer_id
    elif "dealer_id" in data and data["dealer_id"] != site.dealer_id:
        errors.add("dealer_id", _("A site cannot move to another dealer."))

    region: Region | None = site.region if site else None
    if "region_code" in data:
        region = region_for_code(data["region_code"], errors=errors)
        values["region_id"] = region.pk if region else None
    given = "latitude" in data or "longitude" in data
    coords = _coordinates(data, site, errors) if given else None
    if coords is not None:
        values["latitude"], values["longitude"] = coords
    elif given and site is not None and not errors:
        values["latitude"] = values["longitude"] = None  # both cleared
    elif not errors.has("latitude") and not errors.has("longitude"):
        default = _default_coordinates(site, region, data)
        if default is not None:
            values["latitude"], values["longitude"] = default

    if "brand_ids" in data:
        brand_ids = sorted(set(data["brand_ids"] or []))
        brands = list(scoped(Company.objects.filter(pk__in=brand_ids, is_brand=True), actor))
        missing = sorted(set(brand_ids) - {b.pk for b in brands})
        if missing:
            errors.add(
                "brand_ids",
                _("These ids are not brands you can see: %(ids)s.") % {"ids": ", ".join(map(str, missing))},
            )
        values["brands"] = brands

    probe = Site(**{f.attname: getattr(site, f.attname) for f in Site._meta.concrete_fields} if site else {})
    for key, value in values.items():
        if key != "brands":
            setattr(probe, key, value)
    validate_instance(probe, errors=errors, rename=RENAME, exclude=["id", "dealer"])
    errors.raise_if_any()
    code = values.get("code")
    if (
        code is not None
        and Site.objects.filter(dealer_id=dealer_id, code=code).exclude(pk=site.pk if site else None).exists()
    ):
        raise duplicate("code")
    return values


def _default_coordinates(
    site: Site | None, region: Region | None, data: Mapping[str, Any]
) -> tuple[Decimal, Decimal] | None:
    """Coordinates from the region when none are given: on create, or when the region changes and the
    site's coordinates were themselves the old region's (never overwrite coordinates a person placed)."""
    if site is None:
        return region_coordinates(region)
    if "region_code" not in data or region == site.region:
        return None
    current = (site.latitude, site.longitude)
    if current == (None, None) or current == region_coordinates(site.region):
        return region_coordinates(region) or (None, None)
    return None


@transaction.atomic
def create_site(*, actor: Actor, data: Mapping[str, Any]) -> Site:
    values = clean_site_data(actor=actor, data=data)
    brands = values.pop("brands", [])
    site = Site(**values)
    save_unique(site, field="code")
    if brands:
        site.brands.set(brands)
    emit(
        "org.site.created",
        _payload(site, region_code=site.region.code if site.region else None),
        dealer_id=site.dealer_id,
        actor_id=actor.user_id,
    )
    return site


@transaction.atomic
def update_site(*, actor: Actor, site: Site, data: Mapping[str, Any]) -> Site:
    site = (
        Site.objects.select_for_update(of=("self",)).select_related("region__parent__parent").get(pk=site.pk)
    )
    values = clean_site_data(actor=actor, data=data, site=site)
    brands = values.pop("brands", None)
    was_active = site.is_active
    names = changed(site, values)
    if names:
        save_unique(site, field="code")
    if brands is not None and {b.pk for b in brands} != set(site.brands.values_list("pk", flat=True)):
        site.brands.set(brands)
        names.append("brand_ids")
    if names:
        emit(
            "org.site.updated",
            _payload(site, changed=names),
            dealer_id=site.dealer_id,
            actor_id=actor.user_id,
        )
    if was_active and not site.is_active:
        emit("org.site.deactivated", _payload(site), dealer_id=site.dealer_id, actor_id=actor.user_id)
    return site


def deactivate_site(*, actor: Actor, site: Site) -> Site:
    return update_site(actor=actor, site=site, data={"is_active": False})


@transaction.atomic
def delete_site(*, actor: Actor, site: Site) -> None:
    """Delete a site entered by mistake; a site that stock, users or documents refer to answers 409."""
    if not actor.is_platform_admin and site.dealer_id not in actor.own_dealer_ids:
        raise PermissionDeniedError()
    if site.memberships.exists():
        # Deleting it would silently widen a membership limited to this site to every site.
        raise InUse(record=str(site), used_by=str(_("memberships")), details={"used_by": ["memberships"]})
    payload = _payload(site)
    delete_unless_used(site)
    emit("org.site.deleted", payload, dealer_id=payload["dealer_id"], actor_id=actor.user_id)
