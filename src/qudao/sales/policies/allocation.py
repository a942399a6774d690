"""Which site ships which line: pure functions over plain values.

Score of a site = shipping cost + site priority, where shipping cost = distance (km, haversine from
the site to the ship-to) × (cost per km + cost per kg·km × weight shipped from that site). Lower is
better. One site that can ship everything is preferred (the cheapest of those); otherwise, when the
order allows it, the order is split greedily over the fewest sites (each round takes the site that
covers the most of what is left, then the cheapest); what no site has is back-ordered.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from qudao.core.money import quantize_amount

EARTH_RADIUS_KM = 6371.0088
#: distance assumed for a site or a ship-to without coordinates (it loses against any known one)
UNKNOWN_DISTANCE_KM = Decimal("5000")
ZERO = Decimal(0)


@dataclass(frozen=True)
class NeedLine:
    key: str
    item_id: int
    quantity: Decimal
    #: kg per base unit (0 when unknown)
    weight_kg: Decimal = ZERO


@dataclass(frozen=True)
class SiteOption:
    site_id: int
    latitude: Decimal | None
    longitude: Decimal | None
    #: added to the score (negative prefers the site)
    priority_cost: Decimal = ZERO


@dataclass(frozen=True)
class Costs:
    per_km: Decimal
    per_kg_km: Decimal


@dataclass
class Candidate:
    site_id: int
    distance_km: Decimal
    #: score if this site shipped the whole order
    score: Decimal
    ships_all: bool
    #: units of the order this site could ship
    coverable: Decimal

    def as_dict(self) -> dict:
        return {
            "site_id": self.site_id,
            "distance_km": str(self.distance_km),
            "score": str(self.score),
            "ships_all": self.ships_all,
            "coverable": str(self.coverable),
        }


@dataclass
class Plan:
    #: (line key, site id, quantity)
    assignments: list[tuple[str, int, Decimal]] = field(default_factory=list)
    #: line key → quantity nobody can ship now
    backorders: dict[str, Decimal] = field(default_factory=dict)
    candidates: list[Candidate] = field(default_factory=list)
    #: "one_site" | "split" | "partial_one_site" | "none"
    strategy: str = "none"
    sites: list[int] = field(default_factory=list)

    def quantity_for(self, key: str) -> Decimal:
        return sum((q for k, _s, q in self.assignments if k == key), ZERO)

    def main_site_for(self, key: str) -> int | None:
        shares = [(q, -s) for k, s, q in self.assignments if k == key]
        return -max(shares)[1] if shares else None


def haversine_km(a_lat: Decimal, a_lng: Decimal, b_lat: Decimal, b_lng: Decimal) -> Decimal:
    """Great-circle distance in km (3 places)."""
    lat1, lng1, lat2, lng2 = map(math.radians, (float(a_lat), float(a_lng), float(b_lat), float(b_lng)))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return Decimal(str(round(2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h)), 3)))


def distance_km(site: SiteOption, destination: tuple[Decimal, Decimal] | None) -> Decimal:
    if destination is None or site.latitude is None or site.longitude is None:
        return UNKNOWN_DISTANCE_KM
    return haversine_km(site.latitude, site.longitude, destination[0], destination[1])


def shipping_score(distance: Decimal, weight_kg: Decimal, site: SiteOption, costs: Costs) -> Decimal:
    return quantize_amount(distance * (costs.per_km + costs.per_kg_km * weight_kg) + site.priority_cost)


def choose_sites(
    lines: Sequence[NeedLine],
    sites: Sequence[SiteOption],
    available: Mapping[tuple[int, int], Decimal],
    *,
    destination: tuple[Decimal, Decimal] | None,
    costs: Costs,
    allow_split: bool,
) -> Plan:
    """The plan for `lines` given free stock `available[(item_id, site_id)]`."""
    plan = Plan()
    if not lines:
        return plan
    distances = {s.site_id: distance_km(s, destination) for s in sites}
    by_id = {s.site_id: s for s in sites}
    total_weight = sum((line.weight_kg * line.quantity for line in lines), ZERO)
    need = _needs(lines)
    for site in sites:
        coverable = sum((min(q, available.get((item, site.site_id), ZERO)) for item, q in need.items()), ZERO)
        ships_all = all(available.get((item, site.site_id), ZERO) >= q for item, q in need.items())
        score = shipping_score(distances[site.site_id], total_weight, site, costs)
        plan.candidates.append(Candidate(site.site_id, distances[site.site_id], score, ships_all, coverable))
    plan.candidates.sort(key=lambda c: (not c.ships_all, c.score, c.site_id))

    full = [c for c in plan.candidates if c.ships_all]
    if full:
        plan.strategy = "one_site"
        _take(plan, lines, full[0].site_id, {}, dict(available))
        return plan
    remaining = {line.key: line.quantity for line in lines}
    free = dict(available)
    if allow_split:
        plan.strategy = "split"
        while any(q > 0 for q in remaining.values()):
            best = _best_next(lines, remaining, free, by_id, distances, costs, exclude=set(plan.sites))
            if best is None:
                break
            _take(plan, lines, best, remaining, free)
    else:
        plan.strategy = "partial_one_site"
        best = _best_next(lines, remaining, free, by_id, distances, costs, exclude=set())
        if best is not None:
            _take(plan, lines, best, remaining, free)
    if not plan.assignments:
        plan.strategy = "none"
    for line in lines:
        missing = line.quantity - plan.quantity_for(line.key)
        if missing > 0:
            plan.backorders[line.key] = missing
    return plan


def _needs(lines: Iterable[NeedLine]) -> dict[int, Decimal]:
    need: dict[int, Decimal] = {}
    for line in lines:
        need[line.item_id] = need.get(line.item_id, ZERO) + line.quantity
    return need


def _best_next(lines, remaining, free, by_id, distances, costs, *, exclude: set[int]) -> int | None:
    """The site covering the most remaining lines fully, then the most units, then the cheapest."""
    best_key, best_site = None, None
    for site_id, site in by_id.items():
        if site_id in exclude:
            continue
        pool = dict(free)
        full_lines, units, weight = 0, ZERO, ZERO
        for line in lines:
            want = remaining.get(line.key, ZERO)
            if want <= 0:
                continue
            got = min(want, pool.get((line.item_id, site_id), ZERO))
            if got <= 0:
                continue
            pool[(line.item_id, site_id)] = pool.get((line.item_id, site_id), ZERO) - got
            full_lines += got == want
            units += got
            weight += got * line.weight_kg
        if units <= 0:
            continue
        key = (-full_lines, -units, shipping_score(distances[site_id], weight, site, costs), site_id)
        if best_key is None or key < best_key:
            best_key, best_site = key, site_id
    return best_site


def _take(plan: Plan, lines, site_id: int, remaining: dict, free: dict) -> None:
    """Assign to `site_id` what it can ship of what is left (everything when `remaining` is empty)."""
    for line in lines:
        want = remaining.get(line.key, line.quantity) if remaining else line.quantity
        if want <= 0:
            continue
        got = min(want, free.get((line.item_id, site_id), ZERO))
        if got <= 0:
            continue
        free[(line.item_id, site_id)] = free.get((line.item_id, site_id), ZERO) - got
        plan.assignments.append((line.key, site_id, got))
        if remaining:
            remaining[line.key] = want - got
    plan.sites.append(site_id)


def order_priority_key(*, priority: int, confirmed_at, order_id: int) -> tuple:
    """Who is served first when stock is short: higher priority (KA first), then older, then lower id."""
    return (-priority, confirmed_at, order_id)
