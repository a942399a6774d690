"""Locations: bins and zones of a site, each site's default stock location, the dealer's virtual ones."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from qudao.core.errors import DuplicateRecord, ValidationFailed
from qudao.core.scoping import Actor
from qudao.inventory.choices import INTERNAL_KINDS, VIRTUAL_KINDS, LocationKind
from qudao.inventory.models import Location
from qudao.inventory.services._common import Problems, get_writable, resolve_site
from qudao.org.models import Site

DEFAULT_LOCATION_CODE = "STOCK"

_VIRTUAL_NAMES = {
    LocationKind.SUPPLIER: "Suppliers",
    LocationKind.CUSTOMER: "Customers",
    LocationKind.IN_TRANSIT: "In transit",
    LocationKind.ADJUSTMENT: "Inventory adjustment",
    LocationKind.SCRAP: "Scrap",
    LocationKind.QUARANTINE: "Quarantine",
}


def get_virtual_location(dealer_id: int, kind: str) -> Location:
    """The dealer's one virtual location of `kind`, created the first time it is needed."""
    if kind not in VIRTUAL_KINDS:
        raise ValueError(f"{kind!r} is not a virtual location kind")
    found = Location.objects.filter(dealer_id=dealer_id, kind=kind, is_virtual=True).first()
    if found is not None:
        return found
    Location.objects.bulk_create(
        [
            Location(
                dealer_id=dealer_id,
                kind=kind,
                is_virtual=True,
                code=kind.upper(),
                name=_VIRTUAL_NAMES[LocationKind(kind)],
            )
        ],
        ignore_conflicts=True,
    )
    return Location.objects.get(dealer_id=dealer_id, kind=kind, is_virtual=True)


def get_default_location(site: Site) -> Location:
    """The site's default stock location (zone STOCK), used when a request names no location."""
    found = Location.objects.filter(site=site, code=DEFAULT_LOCATION_CODE, is_virtual=False).first()
    if found is not None:
        return found
    Location.objects.bulk_create(
        [
            Location(
                dealer_id=site.dealer_id,
                site=site,
                kind=LocationKind.ZONE,
                code=DEFAULT_LOCATION_CODE,
                name=str(_("Stock")),
            )
        ],
        ignore_conflicts=True,
    )
    return Location.objects.get(site=site, code=DEFAULT_LOCATION_CODE, is_virtual=False)


@transaction.atomic
def create_location(*, actor: Actor, data: Mapping[str, Any]) -> Location:
    """A bin or zone of a site (virtual locations are created by the system only)."""
    problems = Problems()
    site = resolve_site(actor, data.get("site_id"), "site_id", problems, dealer_id=None)
    kind = data.get("kind") or LocationKind.BIN
    if kind not in INTERNAL_KINDS:
        problems.add(ValidationFailed, "kind", _("Only bins and zones can be created."))
    parent = None
    if data.get("parent_id") is not None and site is not None:
        parent = get_writable(actor, Location, data["parent_id"], "parent_id", problems, site=site)
    problems.raise_if_any()
    location = Location(
        dealer_id=site.dealer_id,
        site=site,
        code=data["code"],
        name=data.get("name") or data["code"],
        kind=kind,
        parent=parent,
    )
    location.full_clean(exclude=["dealer", "site", "parent"], validate_constraints=False)
    try:
        with transaction.atomic():
            location.save()
    except IntegrityError as exc:
        raise DuplicateRecord(
            details=[{"field": "code", "message": _("This code is already used at the site.")}]
        ) from exc
    return location


def ensure_planned_levels(pairs: list[tuple[int, int]]) -> None:
    """(item id, site id) pairs that have stock settings get an (empty) level at the site's default
    location, so an item planned for a site but never received shows on the board as out of stock.
    An empty level agrees with an empty ledger: reconciliation is unaffected."""
    from qudao.inventory.models import StockLevel

    sites = {site.pk: site for site in Site.objects.filter(pk__in={site for _item, site in pairs})}
    rows = []
    for item_id, site_id in sorted(set(pairs)):
        location = get_default_location(sites[site_id])
        rows.append(
            StockLevel(
                dealer_id=location.dealer_id,
                item_id=item_id,
                location_id=location.pk,
                site_id=site_id,
                lot_id=None,
                is_virtual=False,
            )
        )
    StockLevel.objects.bulk_create(rows, ignore_conflicts=True)
