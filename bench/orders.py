"""Order intake over HTTP: POST /api/v1/orders with confirm (create + price + credit + allocate +
reserve + confirm), 5-line orders, 1,000 items, 500 customers.

On a PostgreSQL database of its own (created and dropped here; `QUDAO_BENCH_DATABASE_URL`, default
postgresql://postgres@127.0.0.1:5432/qudao_bench_orders) the bench migrates, builds the world
(bench/_orders_world.py), starts granian (WSGI, `--workers` processes × `--threads` threads) and
drives it from client threads over keep-alive connections:

1. 1 client, then 8 clients, ordering random items (plenty of stock): orders/s, p50/p99;
2. hot: 8 clients ordering the same 10 items whose stock is below the demand: orders/s, and
   oversold units (levels reserved beyond on hand, or reservations that disagree with the order
   lines and the levels) — must be 0;
3. replayed idempotency keys: 8 clients send every key 3 times (shuffled, in parallel): duplicate
   orders (orders beyond one per key) — must be 0.

    qudao bench orders [--quick] [--workers 2] [--threads 4] [--keep] [--no-write]

prints a table and writes bench/results/orders.json (DESIGN.md §4).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import uuid

from bench._postgres import bench_url, prepare_database
from bench.common import (
    REPO_DIR,
    Run,
    free_port,
    group_cpu_seconds,
    print_table,
    stop,
    wait_until_up,
    write_result,
)
from bench.serve import server_commands

PATH = "/api/v1/orders"


def previous_bulk_import() -> tuple[dict, dict]:
    """The bulk-import part of bench/results/orders.json (written by `qudao bench orders_import`),
    kept when this bench rewrites the file: ({"bulk_import": …}, {"bulk_…": …})."""
    from bench.common import RESULTS_DIR

    try:
        previous = json.loads((RESULTS_DIR / "orders.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, {}
    bulk = previous.get("data", {}).get("bulk_import")
    data = {"bulk_import": bulk} if bulk else {}
    figures = {k: v for k, v in previous.get("figures", {}).items() if k.startswith("bulk_")}
    return data, figures


def post_load(
    port: int, token: str, bodies: list[tuple[str, dict]], *, concurrency: int, label: str, cpu_group: int = 0
) -> Run:
    """POST every (idempotency key, body) from `concurrency` threads; a 200/201 is a success."""
    run = Run(server="granian-wsgi", endpoint=label)
    queue = list(reversed(bodies))
    lock = threading.Lock()
    statuses: dict[int, int] = {}

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        latencies, errors = [], 0
        while True:
            with lock:
                if not queue:
                    break
                key, body = queue.pop()
            payload = json.dumps(body)
            headers = {
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
                "Idempotency-Key": key,
            }
            started = time.perf_counter()
            try:
                conn.request("POST", PATH, body=payload, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
                if response.will_close:
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            except (OSError, http.client.HTTPException):
                status = 0
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            latencies.append(time.perf_counter() - started)
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
            if status not in (200, 201):
                errors += 1
        conn.close()
        with lock:
            run.latencies.extend(latencies)
            run.errors += errors

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    cpu_before = group_cpu_seconds(cpu_group) if cpu_group else 0.0
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(900)
    run.seconds = time.perf_counter() - started
    run.cpu_seconds = group_cpu_seconds(cpu_group) - cpu_before if cpu_group else 0.0
    run.requests = len(run.latencies)
    print(
        f"  {label:10} c={concurrency}  {run.rps:7.1f} orders/s  p50 {run.ms(0.5):7.1f} ms  "
        f"p99 {run.ms(0.99):7.1f} ms  server CPU {run.cpu_ms_per_request:5.1f} ms/order  "
        f"statuses {dict(sorted(statuses.items()))}",
        flush=True,
    )
    return run


def oversold_units(world) -> int:
    """Units reserved beyond what is on hand, plus any disagreement between the levels, the active
    reservations and the order lines of the hot items (all must match)."""
    from decimal import Decimal

    from django.db.models import Sum

    from qudao.inventory.models import Reservation, StockLevel
    from qudao.inventory.services import reconcile_levels
    from qudao.sales.models import SalesOrderLine

    levels = StockLevel.objects.filter(item_id__in=world.hot_items, is_virtual=False)
    over = sum((max(lv.reserved - lv.on_hand, Decimal(0)) for lv in levels), Decimal(0))
    on_levels = levels.aggregate(s=Sum("reserved"))["s"] or Decimal(0)
    on_reservations = Reservation.objects.filter(item_id__in=world.hot_items, state="active").aggregate(
        s=Sum("quantity")
    )["s"] or Decimal(0)
    on_lines = SalesOrderLine.objects.filter(item_id__in=world.hot_items).aggregate(
        s=Sum("reserved_quantity")
    )["s"] or Decimal(0)
    mismatch = abs(on_levels - on_reservations) + abs(on_levels - on_lines)
    if reconcile_levels(world.dealer_id):
        mismatch += 1
    stock = Decimal(world.hot_stock * len(world.hot_items))
    over += max(on_levels - stock, Decimal(0))
    return int(over + mismatch)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="qudao bench orders", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer orders (about a minute)")
    parser.add_argument("--workers", type=int, default=2, help="granian worker processes")
    parser.add_argument("--threads", type=int, default=4, help="blocking threads per worker")
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    parser.add_argument("--no-write", action="store_true", help="print only; no bench/results/orders.json")
    args = parser.parse_args(argv)
    n1, n8, n_hot, n_keys = (60, 300, 200, 60) if args.quick else (200, 1500, 600, 200)
    url = bench_url("qudao_bench_orders")
    prepare_database(url, drop=False)
    with tempfile.TemporaryDirectory(prefix="qudao-bench-orders-") as home:
        env = {k: v for k, v in os.environ.items() if k not in {"QUDAO_TESTING", "QUDAO_REDIS_URL"}}
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "qudao.config.settings",
                "QUDAO_DATABASE_URL": url,
                "QUDAO_HOME": home,
                "QUDAO_DEBUG": "0",
                "QUDAO_SECRET_KEY": secrets.token_urlsafe(50),
                "QUDAO_ALLOWED_HOSTS": "127.0.0.1,localhost",
                "QUDAO_LOG_LEVEL": "ERROR",
                "PYTHONPATH": os.pathsep.join(
                    filter(None, [str(REPO_DIR / "src"), env.get("PYTHONPATH", "")])
                ),
            }
        )
        os.environ.update(env)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection, connections

        from bench._orders_world import build_world, order_body, queries_per_order

        process = None
        try:
            began = time.monotonic()
            call_command("migrate", interactive=False, verbosity=0)
            with connection.cursor() as cursor:
                cursor.execute("SHOW server_version")
                database = f"PostgreSQL {cursor.fetchone()[0]}"
            world = build_world()
            queries = queries_per_order(world)
            print(
                f"{database}, {os.cpu_count()} CPUs, world built in {time.monotonic() - began:.1f} s; "
                f"{queries} statements per order (create + confirm)",
                flush=True,
            )
            connections.close_all()
            port = free_port()
            process = subprocess.Popen(
                server_commands("granian-wsgi", port=port, workers=args.workers, threads=args.threads),
                env=env,
                cwd=REPO_DIR,
                start_new_session=True,
                stdout=subprocess.DEVNULL,
            )
            wait_until_up(port, process)
            rng = random.Random(1)

            def normal(count: int) -> list[tuple[str, dict]]:
                return [(uuid.uuid4().hex, order_body(rng, world, hot=False)) for _ in range(count)]

            post_load(port, world.token, normal(40), concurrency=8, label="warm-up")
            one = post_load(
                port, world.token, normal(n1), concurrency=1, label="intake", cpu_group=process.pid
            )
            eight = post_load(
                port, world.token, normal(n8), concurrency=8, label="intake", cpu_group=process.pid
            )
            hot_bodies = [(uuid.uuid4().hex, order_body(rng, world, hot=True)) for _ in range(n_hot)]
            hot = post_load(port, world.token, hot_bodies, concurrency=8, label="hot", cpu_group=process.pid)
            oversold = oversold_units(world)
            from qudao.sales.models import OrderIdempotencyKey, SalesOrder

            first_id = (SalesOrder.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
            keys = normal(n_keys)
            replayed = keys * 3
            rng.shuffle(replayed)
            replay = post_load(
                port, world.token, replayed, concurrency=8, label="replayed", cpu_group=process.pid
            )
            made = SalesOrder.objects.filter(pk__gte=first_id).count()
            key_rows = OrderIdempotencyKey.objects.filter(key__in=[k for k, _b in keys]).count()
            # one order per key: any order beyond that is a duplicate
            duplicates = max(0, made - len(keys)) + max(0, made - key_rows)
        finally:
            if process is not None:
                stop(process)
            connections.close_all()
            if not args.keep:
                with contextlib.suppress(Exception):
                    prepare_database(url, drop=True)

    figures = {
        "orders_per_s_1": one.rps,
        "p50_ms_1": one.ms(0.5),
        "orders_per_s_8": eight.rps,
        "p50_ms_8": eight.ms(0.5),
        "p99_ms_8": eight.ms(0.99),
        "hot_orders_per_s_8": hot.rps,
        "hot_p99_ms_8": hot.ms(0.99),
        "oversold_units": oversold,
        "duplicate_orders": duplicates,
        "replayed_requests_per_s_8": replay.rps,
        "errors": one.errors + eight.errors + hot.errors + replay.errors,
        "queries_per_order": queries,
        # the web server's own CPU per order (PostgreSQL not included): moves little with other load
        "server_cpu_ms_per_order_1": one.cpu_ms_per_request,
        "server_cpu_ms_per_order_8": eight.cpu_ms_per_request,
    }
    print()
    print_table(
        ["measure", "clients", "orders", "errors", "orders/s", "p50 ms", "p99 ms", "target"],
        [
            ["intake", 1, one.requests, one.errors, one.rps, one.ms(0.5), one.ms(0.99), ""],
            [
                "intake",
                8,
                eight.requests,
                eight.errors,
                eight.rps,
                eight.ms(0.5),
                eight.ms(0.99),
                ">= 300/s, p99 <= 150",
            ],
            [
                "hot items",
                8,
                hot.requests,
                hot.errors,
                hot.rps,
                hot.ms(0.5),
                hot.ms(0.99),
                f"oversold {oversold} (0)",
            ],
            [
                "replayed keys",
                8,
                replay.requests,
                replay.errors,
                replay.rps,
                replay.ms(0.5),
                replay.ms(0.99),
                f"duplicates {duplicates} (0)",
            ],
        ],
    )
    if not args.no_write:
        bulk_data, bulk_figures = previous_bulk_import()
        path = write_result(
            "orders",
            database=database,
            data={
                **bulk_data,
                "items": len(world.items),
                "customers": len(world.customers),
                "lines_per_order": 5,
                "hot_items": len(world.hot_items),
                "hot_stock_per_item": world.hot_stock,
                "server": f"granian wsgi {args.workers} workers x {args.threads} threads",
                "orders": {"c1": n1, "c8": n8, "hot": n_hot, "replayed_keys": n_keys, "replays_per_key": 3},
            },
            figures={**figures, **bulk_figures},
        )
        print(f"\nwrote {path}")
    return 0 if oversold == 0 and duplicates == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
