"""Bulk order import from CSV: order lines per second, parse + check + price + write, on PostgreSQL.

On a PostgreSQL database of its own (`QUDAO_BENCH_DATABASE_URL`, default
postgresql://postgres@127.0.0.1:5432/qudao_bench_orders_import, created and dropped here) the bench
builds the order bench's world (bench/_orders_world.py: 1,000 priced items, 500 customers with
ship-to addresses), writes a CSV of 10,000 orders × 10 lines (100,000 lines) and imports it with
`sales.services.imports.import_orders` (all or nothing, drafts, no confirmation), in process:

- wall-clock seconds and lines/s of the whole import (the figure `bulk_lines_per_s`);
- CPU seconds of this process meanwhile (time.process_time: Python, Django, the driver —
  PostgreSQL's own work runs in its server process and is not included), and a split by phase;
- checks: every line written, once; every order numbered; one outbox event per order.

    qudao bench orders_import [--orders 10000] [--lines 10] [--profile] [--keep] [--no-write]

The figures are merged into bench/results/orders.json ("figures" and "data.bulk_import"), keeping
the figures of `qudao bench orders`.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import json
import os
import pstats
import random
import sys
import time
from datetime import UTC, datetime

from bench._postgres import bench_database
from bench.common import RESULTS_DIR, machine, print_table


def make_csv(world, *, orders: int, lines: int, seed: int = 3) -> bytes:
    from qudao.catalog.models import Item
    from qudao.parties.models import Customer

    rng = random.Random(seed)
    skus = list(Item.objects.filter(pk__in=world.items).values_list("sku", flat=True))
    codes = list(Customer.objects.filter(pk__in=world.customers).values_list("code", flat=True))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["order_ref", "customer", "sku", "quantity", "requested_date", "notes"])
    for n in range(orders):
        customer = rng.choice(codes)
        for k, sku in enumerate(rng.sample(skus, lines)):
            writer.writerow(
                [f"IMP-{n:06d}", customer, sku, rng.randint(1, 50), "2026-12-31" if k == 0 else "", ""]
            )
    return out.getvalue().encode("utf-8")


def merge_result(*, database: str, data: dict, figures: dict, path=None) -> str:
    """Merge into bench/results/orders.json without touching the other figures of that file."""
    target = path or RESULTS_DIR / "orders.json"
    try:
        document = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        document = {"name": "orders", "machine": machine(), "database": database, "data": {}, "figures": {}}
    document.setdefault("figures", {}).update({k: round(float(v), 4) for k, v in figures.items()})
    document.setdefault("data", {})["bulk_import"] = {
        **data,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "database": database,
    }
    temporary = target.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    temporary.replace(target)
    return str(target)


def run_import(world, content: bytes, *, profile: bool):
    from django.db import connection

    from qudao.accounts.models import User
    from qudao.core.scoping import build_actor
    from qudao.sales.services.imports import import_orders

    actor = build_actor(User.objects.get(username="bench-orders"))
    connection.ensure_connection()
    profiler = cProfile.Profile() if profile else None
    cpu, wall = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    report = import_orders(actor=actor, name="bench.csv", content=content)
    if profiler:
        profiler.disable()
    seconds, cpu_seconds = time.perf_counter() - wall, time.process_time() - cpu
    if profiler:
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(35)
        print(stream.getvalue())
    return report, seconds, cpu_seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="qudao bench orders_import", description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--lines", type=int, default=10, help="lines per order")
    parser.add_argument("--profile", action="store_true", help="print a cProfile top list (slower)")
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/results alone")
    args = parser.parse_args(argv)
    os.environ.setdefault("QUDAO_LOG_LEVEL", "ERROR")
    with bench_database(
        "qudao_bench_orders_import", prefix="qudao-bench-import-", keep=args.keep
    ) as database:
        from django.db import connection

        from bench._orders_world import build_world
        from qudao.core.models import OutboxEvent
        from qudao.sales.models import SalesOrder, SalesOrderLine

        began = time.monotonic()
        world = build_world()
        content = make_csv(world, orders=args.orders, lines=args.lines)
        total_lines = args.orders * args.lines
        print(
            f"{database}, {os.cpu_count()} CPUs; world built and {total_lines:,} lines of CSV "
            f"({len(content) / 1e6:.1f} MB) written in {time.monotonic() - began:.1f} s",
            flush=True,
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        report, seconds, cpu_seconds = run_import(world, content, profile=args.profile)
        written = SalesOrderLine.objects.filter(order__source="import").count()
        orders = SalesOrder.objects.filter(source="import")
        numbered = orders.exclude(number__startswith="~").values("number").distinct().count()
        events = OutboxEvent.objects.filter(topic="sales.order.created").count()
        ok = (
            report.problems == 0
            and report.orders_created == args.orders
            and written == total_lines
            and numbered == args.orders
            and events == args.orders
        )
    rate = total_lines / seconds if seconds else 0.0
    figures = {
        "bulk_lines_per_s": rate,
        "bulk_import_seconds": seconds,
        "bulk_import_cpu_seconds": cpu_seconds,
        "bulk_cpu_us_per_line": cpu_seconds * 1e6 / total_lines,
    }
    print_table(
        ["measure", "lines", "orders", "seconds", "CPU s (this process)", "lines/s", "target"],
        [["CSV import", total_lines, report.orders_created, seconds, cpu_seconds, rate, ">= 20,000/s"]],
    )
    print_table(
        ["phase", "wall s", "CPU s (this process)"],
        [[name, wall, cpu] for name, (wall, cpu) in report.phases.items()],
    )
    for name, (_wall, cpu) in report.phases.items():
        figures[f"bulk_{name}_cpu_seconds"] = cpu
    print(
        f"checks: problems {report.problems}, lines written {written:,}, orders numbered {numbered:,}, "
        f"events {events:,} -> {'ok' if ok else 'FAILED'}"
    )
    if not args.no_write and ok:
        data = {
            "orders": args.orders,
            "lines_per_order": args.lines,
            "lines": total_lines,
            "items": 1000,
            "customers": 500,
            "mode": "all_or_nothing",
            "confirm": False,
            "csv_bytes": len(content),
        }
        print(f"merged into {merge_result(database=database, data=data, figures=figures)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
