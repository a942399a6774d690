"""Order intake, in process: what one POST /api/v1/orders with confirm costs the web process.

Wall-clock throughput on a shared machine is noise; these figures are not: per order, the SQL
statements sent (CaptureQueriesContext), the CPU seconds of this process (time.process_time: Django,
ninja, pydantic, the services, the driver — PostgreSQL's own work is not included) and where they go
(a cProfile top list).

    python -m bench.orders_profile [--orders 200] [--top 30] [--sql] [--hot] [--keep]

On a PostgreSQL database of its own (`QUDAO_BENCH_DATABASE_URL`, default
postgresql://postgres@127.0.0.1:5432/qudao_bench_orders_profile, created and dropped here) it builds
the order bench's world (bench/_orders_world.py), warms up, then posts the same kind of 5-line orders
as `qudao bench orders` through Django's test client, sequentially:

1. statements: every order under CaptureQueriesContext (`--sql` prints one order's statements);
2. CPU: every order timed with process_time and perf_counter, nothing captured;
3. profile: the same under cProfile (top functions by cumulative and by own time).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import secrets
import statistics
import sys
import time
import uuid

from bench._postgres import bench_database
from bench.common import percentile


def _post(client, world, body: dict):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world.token}", "HTTP_IDEMPOTENCY_KEY": uuid.uuid4().hex}
    response = client.post("/api/v1/orders", json.dumps(body), content_type="application/json", **headers)
    if response.status_code != 201:
        raise SystemExit(f"order intake failed: {response.status_code} {response.content[:400]!r}")
    return response


def measure(world, *, orders: int, top: int, show_sql: bool, hot: bool) -> dict[str, float]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench._orders_world import order_body

    rng = random.Random(3)
    client = Client(HTTP_HOST="127.0.0.1")

    def bodies(n: int) -> list[dict]:
        return [order_body(rng, world, hot=hot) for _ in range(n)]

    for body in bodies(30):  # warm: imports, caches, connections, plans
        _post(client, world, body)

    counts = []
    sample_sql: list[str] = []
    for n, body in enumerate(bodies(max(10, orders // 4))):
        with CaptureQueriesContext(connection) as ctx:
            _post(client, world, body)
        counts.append(len(ctx.captured_queries))
        if n == 0:
            sample_sql = [q["sql"] for q in ctx.captured_queries]

    cpu, wall = [], []
    for body in bodies(orders):
        c0, w0 = time.process_time(), time.perf_counter()
        _post(client, world, body)
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)

    profiler = cProfile.Profile(time.process_time)  # CPU, not waits on the database
    profiled = bodies(max(20, orders // 2))
    profiler.enable()
    for body in profiled:
        _post(client, world, body)
    profiler.disable()

    if show_sql:
        print(f"\nstatements of one order ({len(sample_sql)}):")
        for n, sql in enumerate(sample_sql, start=1):
            print(f"{n:3}. {sql[:260]}")
    for sort in ("cumulative", "tottime"):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(sort)
        stats.print_stats(top)
        print(f"\n--- cProfile, {len(profiled)} orders, by {sort} ---")
        print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:12000])

    figures = {
        "orders": len(cpu),
        "statements_per_order": statistics.mean(counts),
        "statements_max": max(counts),
        "cpu_ms_per_order": 1000 * statistics.mean(cpu),
        "cpu_ms_p50": 1000 * percentile(cpu, 0.5),
        "wall_ms_p50": 1000 * percentile(wall, 0.5),
        "wall_ms_p99": 1000 * percentile(wall, 0.99),
    }
    print()
    for key, value in figures.items():
        print(f"{key:22} {value:9.2f}" if isinstance(value, float) else f"{key:22} {value:9}")
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.orders_profile", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--orders", type=int, default=200, help="orders timed (default 200)")
    parser.add_argument("--top", type=int, default=30, help="functions listed per cProfile table")
    parser.add_argument("--sql", action="store_true", help="print the statements of one order")
    parser.add_argument("--hot", action="store_true", help="order the 10 hot items (little stock)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args(argv)
    secret = secrets.token_urlsafe(50)
    os.environ.update({"QUDAO_DEBUG": "0", "QUDAO_LOG_LEVEL": "ERROR", "QUDAO_SECRET_KEY": secret})
    os.environ.pop("QUDAO_REDIS_URL", None)
    with bench_database("qudao_bench_orders_profile", prefix="qudao-orders-profile-", keep=args.keep) as db:
        from django.conf import settings

        from bench._orders_world import build_world

        began = time.monotonic()
        world = build_world(hot_stock=1_000_000 if args.hot else 60)
        print(f"{db}; world built in {time.monotonic() - began:.1f} s; DEBUG={settings.DEBUG}", flush=True)
        measure(world, orders=args.orders, top=args.top, show_sql=args.sql, hot=args.hot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
