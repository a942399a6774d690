"""The ledger engine: post moves and keep the levels in the same transaction, without deadlocks.

Locking protocol (every service follows it, so two transactions never wait on each other in a
cycle): first the internal levels (shelves) in primary-key order, then the virtual levels
(supplier, customer, adjustment, scrap…) in primary-key order, then serials, then the cost rows in
(item, site) order. A missing level is inserted with `INSERT … ON CONFLICT DO NOTHING` (sorted)
before its group is locked. Quantities are read only under those locks: never read-check-write.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from qudao.core.bulk import RowLoader, fetch, in_sql, update_rows
from qudao.core.events import emit
from qudao.core.scoping import Actor
from qudao.core.states import transition
from qudao.inventory.choices import MoveState
from qudao.inventory.models import ItemSiteCost, Location, Lot, StockLevel, StockMove
from qudao.inventory.policies import moving_average

#: (item id, location id, lot id or None)
LevelKey = tuple[int, int, int | None]

STOCK_CHANGED = "inventory.stock.changed"


def level_key(level: StockLevel) -> LevelKey:
    return (level.item_id, level.location_id, level.lot_id)


def _sort_key(key: LevelKey) -> tuple[int, int, int]:
    return (key[0], key[1], key[2] or 0)


def keys_q(keys: Iterable[LevelKey]) -> Q:
    """The levels of `keys`, as few clauses as the locations: `item IN (…)` for the lot-less levels
    of a location and `lot IN (…)` for its lots (a lot belongs to one item). A big document becomes a
    handful of clauses instead of one per line (Django compiles a 400-term OR slowly)."""
    plain: dict[int, set[int]] = defaultdict(set)
    lots: dict[int, set[int]] = defaultdict(set)
    for item, location, lot in keys:
        if lot is None:
            plain[location].add(item)
        else:
            lots[location].add(lot)
    parts = [
        Q(location_id=loc, lot__isnull=True, item_id__in=sorted(ids)) for loc, ids in sorted(plain.items())
    ]
    parts += [Q(location_id=loc, lot_id__in=sorted(ids)) for loc, ids in sorted(lots.items())]
    return reduce(or_, parts)


def _ensure(keys: list[LevelKey], locations: Mapping[int, Location]) -> None:
    existing = set(StockLevel.objects.filter(keys_q(keys)).values_list("item_id", "location_id", "lot_id"))
    missing = sorted((k for k in keys if k not in existing), key=_sort_key)
    if missing:
        StockLevel.objects.bulk_create(
            [
                StockLevel(
                    dealer_id=locations[location].dealer_id,
                    item_id=item,
                    location_id=location,
                    lot_id=lot,
                    site_id=locations[location].site_id,
                    is_virtual=locations[location].is_virtual,
                )
                for item, location, lot in missing
            ],
            ignore_conflicts=True,
        )


def lock_levels(keys: Iterable[LevelKey], locations: Mapping[int, Location]) -> dict[LevelKey, StockLevel]:
    """Create the missing levels and lock them all: internal ones first, each group in pk order."""
    keys = set(keys)
    out: dict[LevelKey, StockLevel] = {}
    internal = sorted((k for k in keys if not locations[k[1]].is_virtual), key=_sort_key)
    virtual = sorted((k for k in keys if locations[k[1]].is_virtual), key=_sort_key)
    for group in (internal, virtual):
        if not group:
            continue
        _ensure(group, locations)
        rows = StockLevel.objects.select_for_update(of=("self",)).filter(keys_q(group)).order_by("pk")
        out.update({level_key(row): row for row in rows})
    return out


_LEVELS = RowLoader(StockLevel, "l")
_LOTS = RowLoader(Lot, "t")


def lock_item_levels(*, dealer_id: int, item_ids: Sequence[int], site_ids: Sequence[int]) -> list[StockLevel]:
    """`lock_candidate_levels` for every internal level of some items at some sites, in one
    hand-written statement (the order center's hot path): pk order, lots joined, FOR UPDATE of the
    levels only."""
    if not item_ids or not site_ids:
        return []
    quote = connection.ops.quote_name
    items_sql, items_params = in_sql(f"l.{quote('item_id')}", sorted(set(item_ids)))
    sites_sql, sites_params = in_sql(f"l.{quote('site_id')}", sorted(set(site_ids)))
    lock = " FOR UPDATE OF l" if connection.features.has_select_for_update_of else ""
    rows = fetch(
        f"SELECT {_LEVELS.columns}, {_LOTS.columns} FROM {quote(StockLevel._meta.db_table)} l "  # noqa: S608 (model metadata)
        f"LEFT JOIN {quote(Lot._meta.db_table)} t ON t.{quote('id')} = l.{quote('lot_id')} "
        f"WHERE l.{quote('dealer_id')} = %s AND l.{quote('is_virtual')} = %s AND {items_sql} AND {sites_sql} "
        f"ORDER BY l.{quote('id')}{lock}",
        [dealer_id, False, *items_params, *sites_params],
    )
    lot_field = StockLevel._meta.get_field("lot")
    levels = []
    for row in rows:
        level, end = _LEVELS.load(row)
        lot, _end = _LOTS.load(row, end)
        lot_field.set_cached_value(level, lot)
        levels.append(level)
    return levels


def lock_candidate_levels(q: Q) -> list[StockLevel]:
    """Lock the internal levels matching `q` (in pk order) and return them with their lots."""
    return list(
        StockLevel.objects.select_for_update(of=("self",))
        .select_related("lot")
        .filter(q, is_virtual=False)
        .order_by("pk")
    )


def change_reserved(levels: Mapping[LevelKey, StockLevel], changes: Mapping[LevelKey, Decimal]) -> None:
    """Apply reserved deltas to locked levels in one UPDATE (the CHECK constraints are the last defence)."""
    deltas = {levels[key].pk: (delta,) for key, delta in changes.items() if delta}
    update_rows(StockLevel, deltas, ["reserved"], add=True)
    for key, delta in changes.items():
        if delta:
            levels[key].reserved += delta


def post_moves(
    *,
    moves: Sequence[StockMove],
    actor: Actor,
    locations: Mapping[int, Location],
    reserved_changes: Mapping[LevelKey, Decimal] | None = None,
) -> list[StockMove]:
    """Mark `moves` done, write them, and apply them (and reserved changes) to the locked levels."""
    on_hand: dict[LevelKey, Decimal] = defaultdict(Decimal)
    for move in moves:
        on_hand[(move.item_id, move.from_location_id, move.lot_id)] -= move.quantity
        on_hand[(move.item_id, move.to_location_id, move.lot_id)] += move.quantity
    reserved = dict(reserved_changes or {})
    levels = lock_levels(set(on_hand) | set(reserved), locations)
    deltas = {}
    for key, level in levels.items():
        delta_on_hand, delta_reserved = on_hand.get(key, Decimal(0)), reserved.get(key, Decimal(0))
        if delta_on_hand or delta_reserved:
            deltas[level.pk] = (delta_on_hand, delta_reserved)
    update_rows(StockLevel, deltas, ["on_hand", "reserved"], add=True)
    now = timezone.now()
    today = timezone.localdate(now)
    for move in moves:
        transition(move, to=MoveState.DONE)
        move.done_at = now
        move.effective_date = move.effective_date or today
        move.planned_date = move.planned_date or move.effective_date
        move.actor_id = actor.user_id
    created = StockMove.objects.bulk_create(moves)
    announce(created, actor=actor)
    return created


def announce(moves: Sequence[StockMove], *, actor: Actor) -> None:
    """One outbox event per batch, per dealer: which items and sites changed (delivered after commit)."""
    by_dealer: dict[int, list[StockMove]] = defaultdict(list)
    for move in moves:
        by_dealer[move.dealer_id].append(move)
    for dealer_id, batch in sorted(by_dealer.items()):
        emit(
            STOCK_CHANGED,
            {
                "move_ids": [m.pk for m in batch],
                "move_types": sorted({m.move_type for m in batch}),
                "item_ids": sorted({m.item_id for m in batch}),
                "site_ids": sorted({m.site_id for m in batch if m.site_id}),
            },
            dealer_id=dealer_id,
            actor_id=actor.user_id,
        )


def _lock_costs(pairs: Iterable[tuple[int, int, int]]) -> dict[tuple[int, int], ItemSiteCost]:
    """(dealer, item, site) → the cost row, created when missing and locked in (item, site) order."""
    pairs = sorted(set(pairs), key=lambda p: (p[1], p[2]))
    if not pairs:
        return {}
    ItemSiteCost.objects.bulk_create(
        [ItemSiteCost(dealer_id=d, item_id=i, site_id=s) for d, i, s in pairs], ignore_conflicts=True
    )
    by_site: dict[int, set[int]] = defaultdict(set)
    for _d, item, site in pairs:
        by_site[site].add(item)
    q = reduce(or_, (Q(site_id=site, item_id__in=sorted(items)) for site, items in sorted(by_site.items())))
    rows = ItemSiteCost.objects.select_for_update().filter(q).order_by("item_id", "site_id")
    return {(row.item_id, row.site_id): row for row in rows}


def _save_costs(costs: Mapping[tuple[int, int], ItemSiteCost]) -> None:
    now = timezone.now()
    for row in costs.values():
        row.updated_at = now
    update_rows(
        ItemSiteCost,
        {row.pk: (row.average_cost, row.quantity) for row in costs.values()},
        ["average_cost", "quantity"],
        updated_at=now,
    )


def cost_in(entries: Sequence[tuple[int, int, int, Decimal, Decimal | None]]) -> None:
    """Stock entering sites: (dealer, item, site, quantity, unit cost or None = at the average)."""
    costs = _lock_costs((d, i, s) for d, i, s, _q, _c in entries)
    for _dealer, item, site, quantity, unit_cost in entries:
        row = costs[(item, site)]
        if unit_cost is not None:
            row.average_cost = moving_average(
                on_hand=row.quantity, average_cost=row.average_cost, received=quantity, unit_cost=unit_cost
            )
        row.quantity += quantity
    _save_costs(costs)


def cost_out(entries: Sequence[tuple[int, int, int, Decimal]]) -> dict[tuple[int, int], Decimal]:
    """Stock leaving sites at the average cost: returns (item, site) → unit cost."""
    costs = _lock_costs((d, i, s) for d, i, s, _q in entries)
    for _dealer, item, site, quantity in entries:
        costs[(item, site)].quantity -= quantity
    _save_costs(costs)
    return {key: row.average_cost for key, row in costs.items()}
