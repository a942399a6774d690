"""Allocation: choose the fulfilling site(s) of order lines (policies/allocation.py), reserve through
the inventory, back-order the rest; allocate back-orders when stock arrives; waves of pending orders.

Availability is read with one query over every (item × site) of the dealer, locking those stock
levels in primary-key order — the inventory's locking protocol (inventory `lock_stock`) — so the plan
is computed on the quantities the reservation then takes from the same locked rows (`reserve_stock(…,
locked=…)`): two orders never plan on the same free unit."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from qudao.catalog.choices import ItemKind
from qudao.catalog.models import Item
from qudao.core.bulk import RowLoader, fetch, update_rows
from qudao.core.scoping import Actor
from qudao.inventory.services.reservations import LockedStock, lock_stock, reserve_stock
from qudao.org.models import Region, Site, SiteKind
from qudao.sales.models import SalesOrder, SalesOrderLine, SalesSettings
from qudao.sales.policies.allocation import Costs, NeedLine, Plan, SiteOption, choose_sites
from qudao.sales.services._common import REFERENCE, record

ZERO = Decimal(0)
#: how many allocation runs an order keeps in its plan history
KEEP_RUNS = 5


def system_actor(actor: Actor) -> Actor:
    """The order service has authorised the order; the reservation it makes runs with full scope
    (a user limited to one site may still order goods shipped from another)."""
    return Actor(user_id=actor.user_id, username=actor.username or "system", is_platform_admin=True)


_SITES = RowLoader(Site, "s")
_REGIONS = RowLoader(Region, "r")


def candidate_sites(dealer_id: int) -> list[Site]:
    """The dealer's active sites that ship (not workshops), with their regions, in id order."""
    quote = connection.ops.quote_name
    rows = fetch(
        f"SELECT {_SITES.columns}, {_REGIONS.columns} FROM {quote(Site._meta.db_table)} s "  # noqa: S608 (model metadata)
        f"LEFT JOIN {quote(Region._meta.db_table)} r ON r.{quote('id')} = s.{quote('region_id')} "
        f"WHERE s.{quote('dealer_id')} = %s AND s.{quote('is_active')} = %s AND s.{quote('kind')} <> %s "
        f"ORDER BY s.{quote('id')}",
        [dealer_id, True, SiteKind.WORKSHOP],
    )
    region_field = Site._meta.get_field("region")
    sites = []
    for row in rows:
        site, end = _SITES.load(row)
        region, _end = _REGIONS.load(row, end)
        region_field.set_cached_value(site, region)
        sites.append(site)
    return sites


def _site_option(site: Site, settings: SalesSettings) -> SiteOption:
    lat, lng = site.latitude, site.longitude
    if (lat is None or lng is None) and site.region is not None:
        lat, lng = site.region.latitude, site.region.longitude
    return SiteOption(site.pk, lat, lng, settings.site_priority(site.pk))


def line_key(line: SalesOrderLine) -> str:
    """A line's key in a plan: its id, or (not written yet) its number."""
    return str(line.pk) if line.pk is not None else f"new:{line.line_no}"


@dataclass
class Allocation:
    """A plan computed on locked stock (the levels stay locked until the transaction ends), not yet
    reserved: `plan_allocation` → (write the lines, `rekey`) → `reserve_allocation` → `apply_allocation`."""

    plan: Plan
    stocked: list[SalesOrderLine]
    #: line key → base quantity to allocate
    needs: dict[str, Decimal]
    sites: list[Site]
    destination: tuple[Decimal, Decimal] | None
    stock: LockedStock
    settings: SalesSettings
    reason: str

    def rekey(self) -> None:
        """After the new lines are written: the plan names them by id (as the timeline and the
        reservations do)."""
        keys = {f"new:{ln.line_no}": str(ln.pk) for ln in self.stocked}
        plan = self.plan
        self.plan = Plan(
            assignments=[(keys.get(k, k), site, q) for k, site, q in plan.assignments],
            backorders={keys.get(k, k): q for k, q in plan.backorders.items()},
            candidates=plan.candidates,
            strategy=plan.strategy,
            sites=plan.sites,
        )
        self.needs = {keys.get(k, k): q for k, q in self.needs.items()}


def plan_allocation(
    order: SalesOrder,
    *,
    needs: dict[str, Decimal],
    lines: Sequence[SalesOrderLine],
    settings: SalesSettings,
    reason: str = "confirm",
) -> Allocation:
    """Lock the free stock of the lines' items at the dealer's sites and choose the sites."""
    stocked = [ln for ln in lines if needs.get(line_key(ln), ZERO) > 0 and ln.item.kind != ItemKind.SERVICE]
    sites = candidate_sites(order.dealer_id)
    items = {ln.item_id: ln.item for ln in stocked}
    with_units = all(Item.base_unit.is_cached(item) for item in items.values())
    stock = (
        lock_stock(dealer_id=order.dealer_id, items=items.values(), sites=sites, with_items=with_units)
        if stocked
        else LockedStock([])
    )
    free = stock.free()
    destination = (
        (order.ship_latitude, order.ship_longitude)
        if order.ship_latitude is not None and order.ship_longitude is not None
        else None
    )
    plan = choose_sites(
        [
            NeedLine(line_key(ln), ln.item_id, needs[line_key(ln)], ln.item.weight_kg or ZERO)
            for ln in stocked
        ],
        [
            _site_option(s, settings)
            for s in sites
            if any(free.get((ln.item_id, s.pk), ZERO) > 0 for ln in stocked)
        ],
        free,
        destination=destination,
        costs=Costs(per_km=settings.cost_per_km, per_kg_km=settings.cost_per_kg_km),
        allow_split=order.allow_split,
    )
    return Allocation(plan, stocked, dict(needs), sites, destination, stock, settings, reason)


def reserve_allocation(order: SalesOrder, allocation: Allocation, *, actor: Actor) -> None:
    """Reserve what the plan assigns (through the inventory, from the levels locked for the plan)."""
    plan = allocation.plan
    if not plan.assignments:
        return
    item_of = {line_key(ln): ln.item_id for ln in allocation.stocked}
    reserve_stock(
        actor=system_actor(actor),
        data={
            "reference_type": REFERENCE,
            "reference_id": order.pk,
            "lines": [
                {
                    "item_id": item_of[key],
                    "site_id": site,
                    "quantity": quantity,
                    "reference_line_id": int(key),
                }
                for key, site, quantity in plan.assignments
            ],
        },
        locked=allocation.stock,
    )


def allocate_lines(
    order: SalesOrder,
    *,
    actor: Actor,
    needs: dict[int, Decimal],
    lines: Sequence[SalesOrderLine],
    settings: SalesSettings | None = None,
    reason: str = "confirm",
) -> Plan:
    """Allocate `needs` (line id → base quantity) of the order's stocked lines: plan, reserve,
    update the lines (reserved, back-ordered, site) and the order (plan, main site, back-order flag)."""
    settings = settings or SalesSettings.for_dealer(order.dealer_id)
    allocation = plan_allocation(
        order, needs={str(pk): q for pk, q in needs.items()}, lines=lines, settings=settings, reason=reason
    )
    reserve_allocation(order, allocation, actor=actor)
    apply_allocation(order, allocation, write_lines=True)
    return allocation.plan


def apply_allocation(order: SalesOrder, allocation: Allocation, *, write_lines: bool) -> None:
    """The plan on the lines (reserved, back-ordered, site; written with `write_lines`, else only in
    memory for lines not written yet) and on the order (plan history, main site, back-order flag)."""
    plan, stocked, needs = allocation.plan, allocation.stocked, allocation.needs
    settings, destination = allocation.settings, allocation.destination
    codes = {s.pk: s.code for s in allocation.sites}
    rows: dict[int, tuple] = {}
    per_site: dict[int, Decimal] = defaultdict(Decimal)
    line_info = []
    for ln in stocked:
        key = line_key(ln)
        got = plan.quantity_for(key)
        missing = needs[key] - got
        main = plan.main_site_for(key) or ln.site_id
        ln.reserved_quantity += got
        ln.backordered_quantity = max(ln.backordered_quantity - needs[key], ZERO) + missing
        ln.site_id = main
        rows[ln.pk] = (ln.reserved_quantity, ln.backordered_quantity, main)
        for k, site, quantity in plan.assignments:
            if k == key:
                per_site[site] += quantity
        line_info.append(
            {
                "line_no": ln.line_no,
                "item_id": ln.item_id,
                "need": str(needs[key]),
                "assigned": [
                    {"site_id": s, "site": codes.get(s, str(s)), "quantity": str(q)}
                    for k, s, q in plan.assignments
                    if k == key
                ],
                "backordered": str(missing),
            }
        )
    if write_lines:
        _write_lines(rows)
    run = {
        "at": timezone.now().isoformat(),
        "reason": allocation.reason,
        "strategy": plan.strategy,
        "why": _why(plan),
        "destination": [str(destination[0]), str(destination[1])] if destination else None,
        "costs": {"per_km": str(settings.cost_per_km), "per_kg_km": str(settings.cost_per_kg_km)},
        "candidates": [{**c.as_dict(), "site": codes.get(c.site_id, "")} for c in plan.candidates],
        "lines": line_info,
    }
    previous = (order.allocation_plan or {}).get("runs", [])
    order.allocation_plan = {"runs": [*previous, run][-KEEP_RUNS:]}
    if per_site and order.site_id is None:
        order.site_id = max(per_site.items(), key=lambda kv: (kv[1], -kv[0]))[0]
    # the lines not allocated here have no back-order (services; or lines already fully served)
    order.has_backorder = any(ln.backordered_quantity > 0 for ln in stocked)


def _write_lines(rows: dict[int, tuple]) -> None:
    now = timezone.now()
    if all(r[2] is not None for r in rows.values()):
        fields = ["reserved_quantity", "backordered_quantity", "site"]
        update_rows(SalesOrderLine, rows, fields, updated_at=now)
    else:
        # a NULL in VALUES would be typed as text on PostgreSQL: the site only where there is one
        update_rows(
            SalesOrderLine,
            {pk: r[:2] for pk, r in rows.items()},
            ["reserved_quantity", "backordered_quantity"],
            updated_at=now,
        )
        update_rows(SalesOrderLine, {pk: (r[2],) for pk, r in rows.items() if r[2] is not None}, ["site"])


def _why(plan: Plan) -> str:
    if plan.strategy == "one_site":
        return _("One site can ship everything: the cheapest of those was chosen.")
    if plan.strategy == "split":
        return _("No single site has everything: split over the fewest sites, cheapest first.")
    if plan.strategy == "partial_one_site":
        return _("Split shipments are not allowed: the site with the most stock ships what it has.")
    return _("No site has stock for these lines: everything is back-ordered.")


def summary(plan: Plan) -> dict[str, Any]:
    return {
        "strategy": plan.strategy,
        "sites": plan.sites,
        "backordered": {k: str(v) for k, v in plan.backorders.items()},
    }


def record_allocation(order: SalesOrder, plan: Plan, *, actor: Actor, kind: str = "allocated") -> None:
    record(order, actor=actor, kind=kind, message=_why(plan), data=summary(plan))
