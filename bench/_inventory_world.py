"""The inventory benchmark's world: sizes, the dealer built through the services, 1,000,000 ledger rows."""

from __future__ import annotations

import copy
import os
import random
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

REFERENCE = "bench.order"


@dataclass(frozen=True)
class Sizes:
    workers: int = 8
    items_per_worker: int = 40
    lines: int = 10  # lines per uncontended document
    docs: int = 80  # documents per worker per uncontended phase
    hot_items: int = 10
    hot_lines: int = 4
    hot_docs: int = 40  # documents per worker per hot phase
    hot_rounds: int = 3
    demand_ratio: float = 1.5  # hot demand / free stock at the start of each phase
    history_items: int = 5_000
    history_moves: int = 1_000_000
    lookups: int = 2_000


QUICK = Sizes(
    items_per_worker=20,
    lines=5,
    docs=25,
    hot_docs=15,
    hot_rounds=2,
    history_items=1_000,
    history_moves=100_000,
    lookups=400,
)


@dataclass
class World:
    dealer_id: int
    site_ids: list[int]
    user_id: int
    token: str
    worker_items: list[list[int]]
    hot_items: list[int]
    history_items: list[int] = field(default_factory=list)


def actor_of(user_id: int):
    from qudao.accounts.actors import build_actor
    from qudao.accounts.models import User

    return build_actor(User.objects.get(pk=user_id))


# --- Set-up --------------------------------------------------------------------------------


def build_world(sizes: Sizes) -> World:
    """A dealer, two sites, a dealer administrator with an API key, items and stock (services)."""
    from qudao.accounts.models import Membership, Role, User
    from qudao.accounts.services.api_keys import create_api_key
    from qudao.catalog.services import create_item, create_unit_of_measure
    from qudao.inventory.services import get_virtual_location, receive_stock
    from qudao.org.models import Company, Site

    dealer = Company.objects.create(code="BENCH-INV", name="基准经销商（库存）", is_dealer=True)
    sites = [Site.objects.create(dealer=dealer, code=f"WH{n}", name=f"仓库 {n}") for n in (1, 2)]
    user = User.objects.create_user(username="bench-inventory", password=os.urandom(16).hex())
    Membership.objects.create(user=user, company=dealer, role=Role.DEALER_ADMIN)
    _, token = create_api_key(user=user, name="bench", scopes=["*"])
    actor = actor_of(user.pk)
    unit = create_unit_of_measure(
        actor=actor, data={"dealer_id": dealer.pk, "code": "EA", "name": "个", "decimal_places": 0}
    )

    def items(prefix: str, count: int) -> list[int]:
        return [
            create_item(
                actor=actor,
                data={
                    "dealer_id": dealer.pk,
                    "sku": f"{prefix}-{n:05d}",
                    "name": f"配件 {prefix}-{n}",
                    "kind": "part",
                    "base_unit_id": unit.pk,
                },
            ).pk
            for n in range(count)
        ]

    worker_items = [items(f"W{w}", sizes.items_per_worker) for w in range(sizes.workers)]
    hot = items("HOT", sizes.hot_items)
    per_item = 3 * sizes.docs * 3  # 3 phases at most, 3 units a line at most: never short
    flat = [item for group in worker_items for item in group]
    for start in range(0, len(flat), 100):
        receive_stock(
            actor=actor,
            data={
                "site_id": sites[0].pk,
                "lines": [
                    {"item_id": i, "quantity": per_item, "unit_cost": "12.50"}
                    for i in flat[start : start + 100]
                ],
            },
        )
    get_virtual_location(dealer.pk, "customer")
    return World(dealer.pk, [s.pk for s in sites], user.pk, token, worker_items, hot)


def load_history(world: World, sizes: Sizes) -> dict:
    """Items with `history_moves` done receipts and issues in all (COPY on PostgreSQL), their levels
    and cost rows bulk-created to match; abort unless `reconcile_levels` agrees."""
    from django.db import connection, transaction

    from qudao.catalog.models import Item, ItemUnit
    from qudao.inventory.models import ItemSiteCost, StockLevel, StockMove
    from qudao.inventory.services import get_default_location, get_virtual_location, reconcile_levels
    from qudao.org.models import Site

    started = time.monotonic()
    template = Item.objects.get(pk=world.hot_items[0])
    clones = []
    for n in range(sizes.history_items):
        clone = copy.copy(template)
        clone.pk = clone.id = None
        clone.sku, clone.name = f"H-{n:06d}", f"历史配件 {n}"
        clones.append(clone)
    with transaction.atomic():
        items = Item.objects.bulk_create(clones, batch_size=2000)
        ItemUnit.objects.bulk_create(
            [ItemUnit(item=i, unit_id=i.base_unit_id, dealer_id=i.dealer_id, factor=1) for i in items],
            batch_size=2000,
        )
    world.history_items = [i.pk for i in items]
    bins = {pk: get_default_location(Site.objects.get(pk=pk)).pk for pk in world.site_ids}
    supplier = get_virtual_location(world.dealer_id, "supplier").pk
    customer = get_virtual_location(world.dealer_id, "customer").pk
    columns = [f.column for f in StockMove._meta.concrete_fields if not f.primary_key]
    per_item = max(2, sizes.history_moves // sizes.history_items)
    rng = random.Random(7)
    first_day = date.today() - timedelta(days=730)
    levels, costs, count = [], [], 0

    def rows():
        nonlocal count
        for n, item in enumerate(world.history_items):
            site = world.site_ids[n % len(world.site_ids)]
            on_hand = received = 0
            for k in range(per_item):
                day = first_day + timedelta(days=k * 730 // per_item)
                quantity = rng.randint(1, 20)
                if k % 2 == 0 or on_hand == 0:
                    source, target, move_type = supplier, bins[site], "receipt"
                    on_hand, received = on_hand + quantity, received + quantity
                else:
                    quantity = min(quantity, on_hand)
                    source, target, move_type, on_hand = (
                        bins[site],
                        customer,
                        "sale_issue",
                        on_hand - quantity,
                    )
                at = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
                count += 1
                yield {
                    "dealer_id": world.dealer_id,
                    "site_id": site,
                    "item_id": item,
                    "quantity": quantity,
                    "from_location_id": source,
                    "to_location_id": target,
                    "lot_id": None,
                    "serial_id": None,
                    "move_type": move_type,
                    "state": "done",
                    "reference_type": "bench.history",
                    "reference_id": count,
                    "reference_line_id": None,
                    "document_number": f"H{count}",
                    "reason": "",
                    "planned_date": day,
                    "effective_date": day,
                    "done_at": at,
                    "unit_cost": Decimal("12.5"),
                    "actor_id": world.user_id,
                    "created_at": at,
                }
            common = {"dealer_id": world.dealer_id, "item_id": item, "lot_id": None}
            levels.extend(
                [
                    StockLevel(**common, location_id=bins[site], site_id=site, on_hand=on_hand),
                    StockLevel(**common, location_id=supplier, is_virtual=True, on_hand=-received),
                    StockLevel(**common, location_id=customer, is_virtual=True, on_hand=received - on_hand),
                ]
            )
            costs.append(
                ItemSiteCost(
                    dealer_id=world.dealer_id,
                    item_id=item,
                    site_id=site,
                    quantity=on_hand,
                    average_cost=Decimal("12.5"),
                )
            )

    attnames = {f.column: f.attname for f in StockMove._meta.concrete_fields}
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with (
                connection.cursor() as cursor,
                cursor.cursor.copy(
                    f"COPY {StockMove._meta.db_table} ({', '.join(columns)}) FROM STDIN"
                ) as copy_in,
            ):
                for row in rows():
                    copy_in.write_row([row[attnames[c]] for c in columns])
        else:
            batch = []
            for row in rows():
                batch.append(StockMove(**row))
                if len(batch) == 5000:
                    StockMove.objects.bulk_create(batch)
                    batch = []
            StockMove.objects.bulk_create(batch)
        StockLevel.objects.bulk_create(levels, batch_size=5000)
        ItemSiteCost.objects.bulk_create(costs, batch_size=5000)
    loaded = time.monotonic() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    mismatches = reconcile_levels(world.dealer_id)
    if mismatches:
        raise SystemExit(f"levels differ from the ledger after the bulk load: {mismatches[:3]}")
    return {
        "history_moves": count,
        "history_items": len(items),
        "load_seconds": round(loaded, 1),
        "load_and_reconcile_seconds": round(time.monotonic() - started, 1),
    }


# --- Reservations --------------------------------------------------------------------------
