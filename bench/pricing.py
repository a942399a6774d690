"""Pricing: how long `price_basket` takes for a 100-line basket with ~10,000 active rules.

On a database of its own (PostgreSQL: `QUDAO_BENCH_DATABASE_URL`, default
postgresql://postgres@127.0.0.1:5432/qudao_bench_pricing, created and dropped here; SQLite: a temporary
file) the bench migrates, bulk-loads one dealer with 1,200 items and ~10,000 rules (price list tiers by
default / channel / customer group / region, 300 promotions of every kind, floors) and prices the same
100-line basket (customer with a group, a channel, a county ship-to, one coupon) ~200 times.

    qudao bench pricing [--quick] [--database postgres|sqlite|both] [--no-write]

prints p50/p99 and the query count and writes bench/results/pricing.json (target: p50 ≤ 20 ms).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from bench._postgres import bench_url, prepare_database
from bench._pricing_world import QUICK, Sizes, build_world
from bench.common import percentile, print_table, write_result

TARGET_MS = 20.0
WARMUP = 10


def run(sizes: Sizes) -> tuple[dict, dict]:
    """Build the world in the current database and time price_basket. Returns (data, figures)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from qudao.pricing.contracts import BasketLine, PricingContext
    from qudao.pricing.services import price_basket

    began = time.perf_counter()
    world = build_world(sizes)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the planner knows the tables' sizes, as in production
    setup = time.perf_counter() - began
    context = PricingContext(
        dealer_id=world.dealer_id,
        on=date(2026, 5, 20),
        customer_id=world.customer_id,
        customer_group_id=world.group_id,
        channel_id=world.channel_id,
        region_id=world.region_id,
        coupon_codes=(world.coupon_code,),
    )
    lines = [BasketLine(str(n), item_id, Decimal(1 + n % 30)) for n, item_id in enumerate(world.item_ids)]
    for _ in range(WARMUP):
        basket = price_basket(context=context, lines=lines)
    with CaptureQueriesContext(connection) as captured:
        basket = price_basket(context=context, lines=lines)
    timings, cpu = [], []
    for _ in range(sizes.runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        price_basket(context=context, lines=lines)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    data = {
        **world.rules,
        "items": sizes.items,
        "lines": len(lines),
        "runs": sizes.runs,
        "setup_seconds": round(setup, 2),
        "priced_lines": len(basket.lines),
        "adjustments": sum(len(line.adjustments) for line in basket.lines),
        "total": str(basket.total),
        "queries_per_basket": len(captured),
    }
    figures = {
        "pricing_ms_100_lines_10k_rules": round(percentile(timings, 0.5), 2),
        "pricing_ms_100_lines_10k_rules_p99": round(percentile(timings, 0.99), 2),
        # this process's CPU only (the database server's work not included): steadier on a shared machine
        "pricing_cpu_ms_100_lines_10k_rules": round(percentile(cpu, 0.5), 2),
    }
    return data, figures


def run_in(database: str, sizes: Sizes) -> tuple[str, dict, dict]:
    """Migrate a fresh database of the given kind in this process and measure."""
    url = bench_url("qudao_bench_pricing")
    with tempfile.TemporaryDirectory(prefix="qudao-bench-pricing-") as home:
        env = {"QUDAO_HOME": home, "DJANGO_SETTINGS_MODULE": "qudao.config.settings"}
        if database == "postgres":
            prepare_database(url, drop=False)
            env["QUDAO_DATABASE_URL"] = url
        else:
            env["QUDAO_DATABASE_URL"] = f"sqlite:///{Path(home) / 'bench.sqlite3'}"
        os.environ.update(env)
        os.environ.pop("QUDAO_TESTING", None)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection, connections

        try:
            call_command("migrate", interactive=False, verbosity=0)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SHOW server_version")
                    name = f"PostgreSQL {cursor.fetchone()[0]}"
            else:
                import sqlite3

                name = f"SQLite {sqlite3.sqlite_version}"
            data, figures = run(sizes)
        finally:
            connections.close_all()
            if database == "postgres":
                with contextlib.suppress(Exception):
                    prepare_database(url, drop=True)
    return name, data, figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="qudao bench pricing", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small world, a few runs")
    parser.add_argument("--database", choices=["postgres", "sqlite", "both"], default="both")
    parser.add_argument("--no-write", action="store_true", help="print only; no bench/results/pricing.json")
    parser.add_argument("--json", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else Sizes()
    if args.database != "both":
        name, data, figures = run_in(args.database, sizes)
        results = {args.database: {"database": name, "data": data, "figures": figures}}
    else:
        results = {}
        for database in ("postgres", "sqlite"):
            with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
                out = handle.name
            try:
                code = subprocess.call(
                    [sys.executable, "-m", "bench.pricing", "--database", database, "--json", out]
                    + (["--quick"] if args.quick else []),
                    cwd=Path(__file__).resolve().parent.parent,
                )
                if code != 0:
                    print(f"{database}: failed ({code})", file=sys.stderr)
                    continue
                results.update(json.loads(Path(out).read_text()))
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(out)
    if args.json:
        Path(args.json).write_text(json.dumps(results))
        return 0
    rows = []
    for result in results.values():
        f, d = result["figures"], result["data"]
        rows.append(
            [
                result["database"],
                d["rules"],
                d["lines"],
                d["queries_per_basket"],
                f["pricing_ms_100_lines_10k_rules"],
                f["pricing_ms_100_lines_10k_rules_p99"],
                f"≤ {TARGET_MS}",
            ]
        )
    print_table(["database", "rules", "lines", "queries", "p50 ms", "p99 ms", "target p50"], rows)
    if not results:
        return 1
    main_db = "postgres" if "postgres" in results else next(iter(results))
    figures = dict(results[main_db]["figures"])
    for database, result in results.items():
        if database != main_db:
            figures.update({f"{k}_{database}": v for k, v in result["figures"].items()})
    met = figures["pricing_ms_100_lines_10k_rules"] <= TARGET_MS
    print(f"  {'met    ' if met else 'NOT met'}  pricing_ms_100_lines_10k_rules ≤ {TARGET_MS}")
    if not args.no_write:
        data = {**results[main_db]["data"], "sizes": asdict(replace(sizes))}
        path = write_result(
            "pricing",
            database=" + ".join(r["database"] for r in results.values()),
            data=data,
            figures=figures,
        )
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
