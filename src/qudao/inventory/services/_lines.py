"""Lines of reserve and issue requests: parsing, the levels and serials they may take, FEFO choice."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from qudao.catalog.choices import Tracking
from qudao.catalog.models import Item
from qudao.core.errors import ValidationFailed
from qudao.core.quantity import quantize_quantity
from qudao.core.scoping import Actor, scoped
from qudao.inventory.choices import SerialStatus
from qudao.inventory.errors import InsufficientStock, SerialNotAvailable
from qudao.inventory.models import Location, Lot, Serial, StockLevel
from qudao.inventory.policies import Candidate, allocate, fefo
from qudao.inventory.services._common import (
    Problems,
    base_quantity,
    get_writable,
    resolve_internal_location,
    resolve_item,
    resolve_site,
)
from qudao.inventory.services.ledger import LevelKey, level_key
from qudao.org.models import Site


@dataclass
class Line:
    n: int
    item: Item
    site: Site
    quantity: Decimal
    location: Location | None = None
    lot: Lot | None = None
    serial_numbers: list[str] = field(default_factory=list)
    line_id: int | None = None

    @property
    def is_serial(self) -> bool:
        return self.item.tracking == Tracking.SERIAL

    def level_q(self) -> Q:
        q = Q(item_id=self.item.pk, site_id=self.site.pk)
        if self.location is not None:
            q &= Q(location_id=self.location.pk)
        if self.lot is not None:
            q &= Q(lot_id=self.lot.pk)
        return q

    def matches(self, item_id: int, site_id: int, location_id: int, lot_id: int | None) -> bool:
        return (
            item_id == self.item.pk
            and site_id == self.site.pk
            and (self.location is None or location_id == self.location.pk)
            and (self.lot is None or lot_id == self.lot.pk)
        )


def _ids(values: Sequence[Any]) -> list[int]:
    out = set()
    for value in values:
        if isinstance(value, bool):
            continue
        try:
            out.add(int(value))
        except (TypeError, ValueError):
            continue
    return sorted(out)


def writable_by_pk(actor: Actor, queryset, values: Sequence[Any]) -> dict[int, Any]:
    """One query for every id a request names (instead of one per line)."""
    ids = _ids(values)
    if not ids:
        return {}
    return {row.pk: row for row in scoped(queryset, actor, for_write=True).filter(pk__in=ids)}


def parse_lines(
    actor: Actor,
    raw_lines: Sequence[Mapping[str, Any]],
    problems: Problems,
    *,
    known: tuple[Mapping[int, Item], Mapping[int, Site]] | None = None,
) -> list[Line]:
    """`known`: (items with their base unit, sites) the caller has already read and authorised."""
    if not raw_lines:
        problems.add(ValidationFailed, "lines", _("Give at least one line."))
    if known is not None:
        items, sites = known
    else:
        items = writable_by_pk(
            actor, Item.objects.select_related("base_unit"), [raw.get("item_id") for raw in raw_lines]
        )
        sites = writable_by_pk(actor, Site.objects.all(), [raw.get("site_id") for raw in raw_lines])
    lines = []
    for n, raw in enumerate(raw_lines):
        name = f"lines.{n}"
        item = resolve_item(actor, raw.get("item_id"), f"{name}.item_id", problems, known=items)
        site = resolve_site(
            actor,
            raw.get("site_id"),
            f"{name}.site_id",
            problems,
            dealer_id=item.dealer_id if item else None,
            known=sites,
        )
        if item is None or site is None:
            continue
        quantity = base_quantity(item, raw.get("quantity"), raw.get("unit_id"), name, problems)
        location = None
        if raw.get("location_id") is not None:
            location = resolve_internal_location(
                actor,
                raw["location_id"],
                f"{name}.location_id",
                problems,
                dealer_id=item.dealer_id,
                site=site,
            )
        lot = None
        if raw.get("lot_id") is not None:
            lot = get_writable(actor, Lot, raw["lot_id"], f"{name}.lot_id", problems, item=item)
        serials = list(raw.get("serials") or [])
        if serials and item.tracking != Tracking.SERIAL:
            problems.add(ValidationFailed, f"{name}.serials", _("This item is not tracked by serial number."))
        if quantity is None:
            continue
        if item.tracking == Tracking.SERIAL:
            if quantity != quantity.to_integral_value():
                problems.add(
                    ValidationFailed, f"{name}.quantity", _("Serial items are counted in whole units.")
                )
            if serials and (len(serials) != quantity or len(set(serials)) != len(serials)):
                problems.add(
                    ValidationFailed,
                    f"{name}.serials",
                    _("Give %(count)s different serial numbers, one per unit.") % {"count": quantity},
                )
        lines.append(Line(n, item, site, quantity, location, lot, serials, raw.get("reference_line_id")))
    return lines


def lines_q(lines: Sequence[Line]) -> Q:
    """The levels the lines may take from: one `item IN (…)` per site for the plain lines (the usual
    order), one clause per line naming a location or a lot."""
    by_site: dict[int, set[int]] = {}
    parts = []
    for line in lines:
        if line.location is None and line.lot is None:
            by_site.setdefault(line.site.pk, set()).add(line.item.pk)
        else:
            parts.append(line.level_q())
    parts += [Q(site_id=site, item_id__in=sorted(items)) for site, items in sorted(by_site.items())]
    return reduce(or_, parts)


#: the locked levels of a request by (item id, site id): a line only looks at its own item and site
LevelIndex = Mapping[tuple[int, int], list[StockLevel]]


def index_levels(levels: Sequence[StockLevel]) -> LevelIndex:
    index: dict[tuple[int, int], list[StockLevel]] = {}
    for level in levels:
        index.setdefault((level.item_id, level.site_id), []).append(level)
    return index


def candidates(line: Line, levels: LevelIndex, free: Mapping[LevelKey, Decimal]) -> list[Candidate]:
    """The locked levels this line may take from, earliest expiry first."""
    return fefo(
        Candidate(
            key=level_key(level),
            available=free[level_key(level)],
            expiry_date=level.lot.expiry_date if level.lot_id else None,
            order=(level.lot_id or 0, level.location_id),
        )
        for level in levels.get((line.item.pk, line.site.pk), ())
        if line.matches(level.item_id, level.site_id, level.location_id, level.lot_id)
    )


def shortage(line: Line, requested: Decimal, missing: Decimal) -> dict[str, Any]:
    return {
        "line": line.n,
        "item_id": line.item.pk,
        "sku": line.item.sku,
        "site_id": line.site.pk,
        "requested": str(quantize_quantity(requested)),
        "available": str(quantize_quantity(requested - missing)),
    }


def raise_shortages(short: list[dict[str, Any]]) -> None:
    if short:
        raise InsufficientStock(details=short)


def lock_serials(lines: Sequence[Line], *, statuses: Sequence[str]) -> list[Serial]:
    """Lock the serials at the lines' sites (after the levels), FEFO then pk order for the choice."""
    serial_lines = [line for line in lines if line.is_serial]
    if not serial_lines:
        return []
    q = reduce(
        or_,
        (
            Q(item_id=line.item.pk, site_id=line.site.pk)
            & (Q(serial_number__in=line.serial_numbers) if line.serial_numbers else Q())
            for line in serial_lines
        ),
    )
    return list(
        Serial.objects.select_for_update(of=("self",))
        .select_related("lot")
        .filter(q, status__in=list(statuses))
        .order_by("pk")
    )


def choose_serials(
    line: Line, serials: Sequence[Serial], free: dict[LevelKey, Decimal], taken: set[int], count: int
) -> list[Serial]:
    """Pick `count` serials for the line: the named ones, else the earliest-expiring free ones."""
    pool = [
        s
        for s in serials
        if s.pk not in taken
        and s.status == SerialStatus.IN_STOCK
        and line.matches(s.item_id, s.site_id, s.location_id, s.lot_id)
        and (not line.serial_numbers or s.serial_number in line.serial_numbers)
        and free.get((s.item_id, s.location_id, s.lot_id), Decimal(0)) >= 1
    ]
    if line.serial_numbers:
        missing = sorted(set(line.serial_numbers) - {s.serial_number for s in pool})
        if missing:
            raise SerialNotAvailable(
                details=[
                    {"field": f"lines.{line.n}.serials", "code": SerialNotAvailable.code, "message": n}
                    for n in missing
                ]
            )
    pool.sort(key=lambda s: (s.lot.expiry_date if s.lot_id and s.lot.expiry_date else date.max, s.pk))
    chosen = []
    for serial in pool:
        if len(chosen) == count:
            break
        key = (serial.item_id, serial.location_id, serial.lot_id)
        if free[key] >= 1:
            free[key] -= 1
            taken.add(serial.pk)
            chosen.append(serial)
    return chosen


def take_free(line: Line, quantity: Decimal, levels: LevelIndex, free: dict[LevelKey, Decimal]):
    """Allocate `quantity` of a non-serial line from the free stock by FEFO; returns (taken, missing)."""
    taken, missing = allocate(quantity, candidates(line, levels, free))
    for key, q in taken:
        free[key] -= q
    return taken, missing
