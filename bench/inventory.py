"""Inventory: reservations per second (service level), oversell under contention, level lookups.

On a PostgreSQL database of its own (created and dropped here; `QUDAO_BENCH_DATABASE_URL`, default
postgresql://postgres@127.0.0.1:5432/qudao_bench) the bench migrates, builds a dealer through the
services (user, unit, items, receipts), then measures with worker processes (each its own
connection):

1. uncontended: each worker reserves N-line documents on items of its own (`reserve_stock`; the
   timed phase), then releases half of them and issues the other half (`release_reservations`,
   `issue_stock`; timed apart), with 1 and with 8 workers;
2. hot: 8 workers reserve documents over 10 hot items whose free stock is below the demand; after
   each phase the levels and the reservations are checked for oversold units (must be 0), and any
   deadlock or serialization failure that reached a caller is counted;
3. lookups with 1,000,000 done moves in the ledger (bulk-loaded with COPY, the matching levels
   bulk-created, then `reconcile_levels` must find no difference): the selector answering
   "available of item X at site Y", the level list, an item's ledger page and GET
   /api/v1/inventory/levels?item_id=X&site_id=Y (in process: middleware, API key, scoping, JSON).

    qudao bench inventory [--quick] [--workers 8] [--keep] [--no-write]

prints a table and writes bench/results/inventory.json (DESIGN.md §4). Besides the wall-clock
rates, "cpu ms/line" is the workers' own Python CPU per attempted line (PostgreSQL's not included):
on a shared 2-core machine it moves far less with the other load than lines/s does.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from dataclasses import asdict, replace
from decimal import Decimal

from bench._inventory_phases import SQLSTATES, Phase, classify, documents, run_phase  # noqa: F401 (classify: part of the bench API)
from bench._inventory_world import (
    QUICK,
    REFERENCE,
    Sizes,
    World,
    actor_of,
    build_world,
    load_history,
)
from bench._postgres import bench_database, prepare_database  # noqa: F401 (prepare_database: used by other benches)
from bench.common import percentile, print_table, write_result


def top_up(world: World, level_site: int, stock: int) -> dict[int, Decimal]:
    """Receive what the hot items lack to hold `stock` free units each; return free stock per item."""
    from qudao.inventory.models import StockLevel
    from qudao.inventory.services import receive_stock

    def free() -> dict[int, Decimal]:
        found = {i: Decimal(0) for i in world.hot_items}
        for level in StockLevel.objects.filter(
            item_id__in=world.hot_items, is_virtual=False, site_id=level_site
        ):
            found[level.item_id] += level.on_hand - level.reserved
        return found

    lines = [{"item_id": i, "quantity": stock - q} for i, q in free().items() if q < stock]
    if lines:
        receive_stock(actor=actor_of(world.user_id), data={"site_id": level_site, "lines": lines})
    return free()


def uncontended(world: World, sizes: Sizes, workers: int, first_id: int, *, inline: bool = False) -> Phase:
    rng = random.Random(first_id)
    per_worker = [
        documents(
            rng,
            world.worker_items[w],
            world.site_ids[0],
            count=sizes.docs,
            lines=sizes.lines,
            first_id=first_id + w * 100_000,
        )
        for w in range(workers)
    ]
    return run_phase(world.user_id, per_worker, inline=inline)


def hot(world: World, sizes: Sizes, workers: int, *, inline: bool = False) -> tuple[Phase, int]:
    """`hot_rounds` phases over the hot items, each starting from free stock below the demand."""
    demand = workers * sizes.hot_docs * sizes.hot_lines * 2  # 2 = the mean quantity of a line
    stock = max(1, int(demand / sizes.demand_ratio / sizes.hot_items))
    total, units = Phase(workers=workers), 0
    for number in range(sizes.hot_rounds):
        free_before = top_up(world, world.site_ids[0], stock)
        first_id = 10_000_000 * (number + 1)
        rng = random.Random(first_id)
        per_worker = [
            documents(
                rng,
                world.hot_items,
                world.site_ids[0],
                count=sizes.hot_docs,
                lines=sizes.hot_lines,
                first_id=first_id + w * 100_000,
            )
            for w in range(workers)
        ]
        phase = run_phase(world.user_id, per_worker, inline=inline)
        # the phase's reservations were released/issued by the workers: check what they held meanwhile
        units += oversold_after(world, free_before, first_id)
        for name in ("docs", "lines", "short_docs", "attempted_lines", "seconds", "cpu_seconds"):
            setattr(total, name, getattr(total, name) + getattr(phase, name))
        total.latencies += phase.latencies
        total.errors.update(phase.errors)
    return total, units


def oversold_after(world: World, free_before: dict[int, Decimal], first_id: int) -> int:
    """Units reserved beyond what was free when the phase began, plus levels over-reserved or negative.

    Every reservation of the phase was released or issued afterwards (a consumed or released row
    keeps its quantity), so their sum per item is what the workers held when the reserve phase ended.
    """
    from django.db.models import Sum

    from qudao.inventory.models import Reservation, StockLevel

    held = dict(
        Reservation.objects.filter(
            item_id__in=world.hot_items,
            reference_type=REFERENCE,
            reference_id__gte=first_id,
            reference_id__lt=first_id + 10_000_000,
        )
        .values_list("item_id")
        .annotate(total=Sum("quantity"))
        .order_by()
    )
    units = sum((max(Decimal(0), held.get(i, 0) - free_before[i]) for i in world.hot_items), Decimal(0))
    for level in StockLevel.objects.filter(item_id__in=world.hot_items, is_virtual=False):
        units += max(Decimal(0), level.reserved - level.on_hand) + max(Decimal(0), -level.on_hand)
    return int(units)


# --- Lookups -------------------------------------------------------------------------------


def lookups(world: World, sizes: Sizes) -> dict[str, list[float]]:
    """Time each read `sizes.lookups` times on random history items (their own site)."""
    from django.test import Client

    from qudao.inventory import selectors

    actor = actor_of(world.user_id)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {world.token}", HTTP_HOST="127.0.0.1")
    rng = random.Random(11)
    site_of = {item: world.site_ids[n % len(world.site_ids)] for n, item in enumerate(world.history_items)}
    timings: dict[str, list[float]] = {"available": [], "levels": [], "ledger_page": [], "api_levels": []}
    for _ in range(sizes.lookups):
        item = rng.choice(world.history_items)
        site = site_of[item]
        began = time.perf_counter()
        rows = list(selectors.list_site_stock(actor=actor, item_id=item, site_id=site))
        timings["available"].append(time.perf_counter() - began)
        if len(rows) != 1:
            raise SystemExit(f"no stock row for item {item} at site {site}")
        began = time.perf_counter()
        list(selectors.list_levels(actor=actor, item_id=item, site_id=site))
        timings["levels"].append(time.perf_counter() - began)
        began = time.perf_counter()
        list(selectors.get_item_history(actor=actor, item_id=item)[:50])
        timings["ledger_page"].append(time.perf_counter() - began)
        began = time.perf_counter()
        response = client.get("/api/v1/inventory/levels", {"item_id": item, "site_id": site})
        timings["api_levels"].append(time.perf_counter() - began)
        if response.status_code != 200 or response.json()["count"] != 1:
            raise SystemExit(
                f"GET /api/v1/inventory/levels answered {response.status_code}: {response.content[:200]}"
            )
    return timings


# --- The whole run -------------------------------------------------------------------------


def run(sizes: Sizes, *, parallel: bool = True) -> tuple[dict, dict, list[list]]:
    """Build, measure, check; returns (data, figures, table rows). Without `parallel` (SQLite, the
    smoke test) only one worker runs, in this process."""
    from qudao.inventory.services import reconcile_levels

    load_start = os.getloadavg()[0]
    started = time.monotonic()
    world = build_world(sizes)
    data = {**asdict(sizes), "setup_seconds": round(time.monotonic() - started, 1)}
    workers = sizes.workers if parallel else 1
    one = uncontended(world, sizes, 1, 1_000_000, inline=not parallel)
    many = uncontended(world, sizes, workers, 2_000_000, inline=not parallel) if parallel else one
    contended, oversold_units = hot(world, sizes, workers, inline=not parallel)
    data.update(load_history(world, sizes))
    timings = lookups(world, sizes)
    mismatches = reconcile_levels(world.dealer_id)
    errors = one.errors + many.errors + contended.errors
    stuck = sum(n for name, n in errors.items() if name.removeprefix("cleanup_") in SQLSTATES.values())
    ms = {
        name: (percentile(values, 0.5) * 1000, percentile(values, 0.99) * 1000)
        for name, values in timings.items()
    }
    figures = {
        "reserve_lines_per_s_1": one.lines_per_s,
        "reserve_lines_per_s_8": many.lines_per_s,
        "hot_reserve_lines_per_s_8": contended.lines_per_s,
        "hot_attempted_lines_per_s_8": contended.attempted_lines / contended.seconds
        if contended.seconds
        else 0.0,
        "hot_short_docs": contended.short_docs,
        "oversold_units": oversold_units,
        "deadlocks_or_serialization_errors": stuck,
        "other_errors": sum(errors.values()) - stuck,
        "reserve_cpu_ms_per_line_1": one.cpu_ms_per_line,
        "reserve_cpu_ms_per_line_8": many.cpu_ms_per_line,
        "reserve_p50_ms_1": one.ms(0.5),
        "reserve_p50_ms_8": many.ms(0.5),
        "reserve_p99_ms_8": many.ms(0.99),
        "hot_reserve_p99_ms_8": contended.ms(0.99),
        "cleanup_docs_per_s_8": many.cleanup_docs / many.cleanup_seconds if many.cleanup_seconds else 0.0,
        "level_lookup_p50_ms": ms["available"][0],
        "level_lookup_p99_ms": ms["available"][1],
        "level_list_p99_ms": ms["levels"][1],
        "ledger_page_p99_ms": ms["ledger_page"][1],
        "api_levels_p50_ms": ms["api_levels"][0],
        "api_levels_p99_ms": ms["api_levels"][1],
        "ledger_mismatches": len(mismatches),
        "load_avg_1m_start": load_start,
        "load_avg_1m_end": os.getloadavg()[0],
    }
    data["errors"] = dict(errors)
    data["workers_measured"] = workers

    def row(label: str, phase: Phase, target: str) -> list:
        return [label, phase.workers, phase.docs, phase.lines, phase.lines_per_s, phase.cpu_ms_per_line,
                phase.ms(0.5), phase.ms(0.99), target]  # fmt: skip

    rows = [
        row("reserve, uncontended", one, ""),
        row("reserve, uncontended", many, "≥ 2,000 lines/s"),
        row("reserve, 10 hot items", contended, f"≥ 25 %, {contended.short_docs} docs short"),
        ["release/issue (cleanup)", workers, many.cleanup_docs, "", "", "", "", "",
         f"{figures['cleanup_docs_per_s_8']:.1f} docs/s"],
        *[[f"lookup: {name}", 1, sizes.lookups, "", "", "", p50, p99, "≤ 5 ms" if name == "available" else ""]
          for name, (p50, p99) in ms.items()],
    ]  # fmt: skip
    return data, figures, rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="qudao bench inventory", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes (about a minute)")
    parser.add_argument("--workers", type=int, default=8, help="parallel workers (processes)")
    parser.add_argument("--history-moves", type=int, default=0, help="ledger rows for the lookups")
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    parser.add_argument("--no-write", action="store_true", help="print only; no bench/results/inventory.json")
    args = parser.parse_args(argv)
    sizes = replace(QUICK if args.quick else Sizes(), workers=args.workers)
    if args.history_moves:
        sizes = replace(sizes, history_moves=args.history_moves)
    if not (1 <= sizes.workers <= 32 and 1_000 <= sizes.history_moves <= 5_000_000):
        parser.error("--workers 1..32, --history-moves 1000..5000000")
    with bench_database("qudao_bench", prefix="qudao-bench-inventory-", keep=args.keep) as database:
        print(f"{database}, {os.cpu_count()} CPUs", flush=True)
        data, figures, rows = run(sizes)
    print()
    print_table(
        [
            "measure",
            "workers",
            "docs/lookups",
            "lines",
            "lines/s",
            "cpu ms/line",
            "p50 ms",
            "p99 ms",
            "target",
        ],
        rows,
    )
    print()
    print_table(["figure", "value"], [[k, v] for k, v in figures.items()])
    print(
        f"set-up: services {data['setup_seconds']} s; {data['history_moves']:,} ledger rows loaded in "
        f"{data['load_seconds']} s ({data['load_and_reconcile_seconds']} s with ANALYZE and reconcile)"
    )
    met = {
        "reserve_lines_per_s_8 ≥ 2000": figures["reserve_lines_per_s_8"] >= 2000,
        "hot ≥ 25 % of uncontended": figures["hot_reserve_lines_per_s_8"]
        >= 0.25 * figures["reserve_lines_per_s_8"],
        "oversold_units = 0": figures["oversold_units"] == 0,
        "level_lookup_p99_ms ≤ 5": figures["level_lookup_p99_ms"] <= 5,
    }
    for name, ok in met.items():
        print(f"  {'met    ' if ok else 'NOT met'}  {name}")
    if not args.no_write:
        print(f"written: {write_result('inventory', database=database, data=data, figures=figures)}")
    broken = (
        figures["oversold_units"]
        or figures["ledger_mismatches"]
        or figures["deadlocks_or_serialization_errors"]
    )
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
