"""Allocation: choose the fulfilling site(s) of order lines (policies/allocation.py), reserve through
the inventory, back-order the rest; allocate back-orders when stock arrives; waves of pending orders.

Availability is read with one query over every (item × site) of the dealer, locking those stock
levels in primary-key order — the inventory's locking protocol — so the plan is computed on the
quantities the reservation then takes: two orders never plan on the same free unit."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from qudao.catalog.choices import ItemKind
from qudao.core.bulk import update_rows
from qudao.core.scoping import Actor
from qudao.inventory.models import StockLevel
from qudao.inventory.services import reserve_stock
from qudao.org.models import Site, SiteKind
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


def candidate_sites(dealer_id: int) -> list[Site]:
    return list(
        Site.objects.filter(dealer_id=dealer_id, is_active=True)
        .exclude(kind=SiteKind.WORKSHOP)
        .select_related("region")
        .order_by("pk")
    )


def lock_availability(
    dealer_id: int, item_ids: Sequence[int], site_ids: Sequence[int]
) -> dict[tuple[int, int], Decimal]:
    """Free stock per (item, site), one query; the levels stay locked until the transaction ends."""
    rows = (
        StockLevel.objects.select_for_update(of=("self",))
        .filter(
            dealer_id=dealer_id, is_virtual=False, item_id__in=sorted(set(item_ids)), site_id__in=site_ids
        )
        .order_by("pk")
        .values_list("item_id", "site_id", "on_hand", "reserved")
    )
    free: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for item_id, site_id, on_hand, reserved in rows:
        free[(item_id, site_id)] += on_hand - reserved
    return free


def _site_option(site: Site, settings: SalesSettings) -> SiteOption:
    lat, lng = site.latitude, site.longitude
    if (lat is None or lng is None) and site.region is not None:
        lat, lng = site.region.latitude, site.region.longitude
    return SiteOption(site.pk, lat, lng, settings.site_priority(site.pk))


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
    stocked = [ln for ln in lines if needs.get(ln.pk, ZERO) > 0 and ln.item.kind != ItemKind.SERVICE]
    sites = candidate_sites(order.dealer_id)
    free = (
        lock_availability(order.dealer_id, [ln.item_id for ln in stocked], [s.pk for s in sites])
        if stocked
        else {}
    )
    destination = (
        (order.ship_latitude, order.ship_longitude)
        if order.ship_latitude is not None and order.ship_longitude is not None
        else None
    )
    plan = choose_sites(
        [NeedLine(str(ln.pk), ln.item_id, needs[ln.pk], ln.item.weight_kg or ZERO) for ln in stocked],
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
    if plan.assignments:
        reserve_stock(
            actor=system_actor(actor),
            data={
                "reference_type": REFERENCE,
                "reference_id": order.pk,
                "lines": [
                    {
                        "item_id": next(ln.item_id for ln in stocked if str(ln.pk) == key),
                        "site_id": site,
                        "quantity": quantity,
                        "reference_line_id": int(key),
                    }
                    for key, site, quantity in plan.assignments
                ],
            },
        )
    _apply(order, plan, stocked, needs, sites, reason=reason, destination=destination, settings=settings)
    return plan


def _apply(order, plan: Plan, stocked, needs, sites, *, reason, destination, settings) -> None:
    codes = {s.pk: s.code for s in sites}
    rows: dict[int, tuple] = {}
    per_site: dict[int, Decimal] = defaultdict(Decimal)
    line_info = []
    for ln in stocked:
        got = plan.quantity_for(str(ln.pk))
        missing = needs[ln.pk] - got
        main = plan.main_site_for(str(ln.pk)) or ln.site_id
        ln.reserved_quantity += got
        ln.backordered_quantity = max(ln.backordered_quantity - needs[ln.pk], ZERO) + missing
        ln.site_id = main
        rows[ln.pk] = (ln.reserved_quantity, ln.backordered_quantity, main)
        for key, site, quantity in plan.assignments:
            if key == str(ln.pk):
                per_site[site] += quantity
        line_info.append(
            {
                "line_no": ln.line_no,
                "item_id": ln.item_id,
                "need": str(needs[ln.pk]),
                "assigned": [
                    {"site_id": s, "site": codes.get(s, str(s)), "quantity": str(q)}
                    for k, s, q in plan.assignments
                    if k == str(ln.pk)
                ],
                "backordered": str(missing),
            }
        )
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
    run = {
        "at": timezone.now().isoformat(),
        "reason": reason,
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
