"""Inventory board at 100,000 stock rows: how long one page of the console board takes.

On a PostgreSQL database of its own (`QUDAO_BENCH_DATABASE_URL`, default
postgresql://postgres@127.0.0.1:5432/qudao_bench_board; created and dropped here) the bench builds a
dealer with 10 warehouses × 10,000 items = 100,000 stock levels (bulk-created, as the ledger would
have left them), stock settings for a third of them, near-expiry alerts for 1 %, then requests the
board page as the dealer's administrator through Django's test client (the whole view: session,
scoping, the grouped query, the page count, the template) for the usual views: the first page, a
deep page, only problems, a search, a category, sorted by available.

    qudao bench board [--rows 100000] [--repeat 25] [--keep] [--no-write]

prints a table and writes bench/results/board.json.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from decimal import Decimal

from bench._postgres import bench_database
from bench.common import percentile, print_table, write_result

SITES = 10


def build(rows: int) -> dict:
    """The dealer, its sites, items, levels, settings and alerts; returns ids for the requests."""
    from django.db import connection, transaction

    from qudao.accounts.models import Membership, Role, User
    from qudao.accounts.services.access import sync_role_groups
    from qudao.alerts.models import Alert
    from qudao.catalog.models import Category, Item, UnitOfMeasure
    from qudao.inventory.models import ItemSiteSettings, StockLevel
    from qudao.inventory.services import get_default_location
    from qudao.org.models import Company, Site

    rng = random.Random(11)
    items_count = rows // SITES
    with transaction.atomic():
        dealer = Company.objects.create(code="BENCH-BOARD", name="基准经销商（看板）", is_dealer=True)
        sites = [
            Site.objects.create(dealer=dealer, code=f"WH{n:02d}", name=f"仓库 {n:02d}") for n in range(SITES)
        ]
        unit = UnitOfMeasure.objects.create(dealer=dealer, code="EA", name="个")
        roots = [Category.objects.create(dealer=dealer, code=f"C{n}", name=f"品类 {n}") for n in range(10)]
        items = Item.objects.bulk_create(
            [
                Item(
                    dealer=dealer,
                    sku=f"SKU-{n:06d}",
                    name=f"商品 {n}",
                    kind="goods",
                    base_unit=unit,
                    category=roots[n % len(roots)],
                    tax_rate=Decimal("0.13"),
                )
                for n in range(items_count)
            ],
            batch_size=5000,
        )
        bins = {site.pk: get_default_location(site).pk for site in sites}
        levels, settings, alerts = [], [], []
        for item in items:
            for site in sites:
                on_hand = Decimal(rng.choice((0, 0, 3, 8, 12, 20, 40, 120)))
                reserved = min(on_hand, Decimal(rng.choice((0, 0, 0, 2, 5))))
                levels.append(
                    StockLevel(
                        dealer=dealer,
                        item=item,
                        site=site,
                        location_id=bins[site.pk],
                        on_hand=on_hand,
                        reserved=reserved,
                    )
                )
                if rng.random() < 0.33:
                    settings.append(
                        ItemSiteSettings(
                            dealer=dealer,
                            item=item,
                            site=site,
                            safety_stock=Decimal(rng.choice((5, 10, 20))),
                            reorder_point=Decimal(25),
                            max_level=Decimal(100),
                        )
                    )
                if rng.random() < 0.01:
                    alerts.append(
                        Alert(
                            dealer=dealer,
                            site=site,
                            kind="inventory.near_expiry",
                            severity="warning",
                            dedupe_key=f"near_expiry:{site.pk}:{item.pk}",
                            subject_type="catalog.item",
                            subject_id=str(item.pk),
                        )
                    )
        StockLevel.objects.bulk_create(levels, batch_size=5000)
        ItemSiteSettings.objects.bulk_create(settings, batch_size=5000)
        Alert.objects.bulk_create(alerts, batch_size=5000)
        sync_role_groups()
        user = User.objects.create_user(username="bench-board", password=os.urandom(16).hex(), is_staff=True)
        Membership.objects.create(user=user, company=dealer, role=Role.DEALER_ADMIN)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "user_id": user.pk,
        "site_id": sites[3].pk,
        "category_id": roots[2].pk,
        "levels": len(levels),
        "settings": len(settings),
        "alerts": len(alerts),
    }


def measure(world: dict, repeat: int) -> dict[str, list[float]]:
    from django.test import Client

    from qudao.accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(pk=world["user_id"]))
    views = {
        "first_page": {},
        "deep_page": {"page": "1500"},
        "only_problems": {"problems": "on"},
        "search": {"q": "SKU-00001"},
        "site_and_category": {"site": world["site_id"], "category": world["category_id"]},
        "sort_available": {"ordering": "-available"},
    }
    timings: dict[str, list[float]] = {name: [] for name in views}
    for name, params in views.items():
        response = client.get("/admin/inventory/board/", params)  # warm-up, and a check
        if response.status_code != 200 or b'id="board-table"' not in response.content:
            raise SystemExit(f"the board answered {response.status_code} with no rows for {name}")
    for _ in range(repeat):
        for name, params in views.items():
            began = time.perf_counter()
            client.get("/admin/inventory/board/", params)
            timings[name].append(time.perf_counter() - began)
    return timings


def health_runs(world: dict) -> dict[str, float]:
    """The hourly inventory health evaluation of this dealer: the first run raises the alerts, the
    second finds the same conditions and only refreshes them (the usual hourly case)."""
    from qudao.inventory.health import evaluate_dealer
    from qudao.org.models import Site

    dealer_id = Site.objects.get(pk=world["site_id"]).dealer_id
    out = {}
    for name in ("health_first_run_s", "health_next_run_s"):
        began = time.perf_counter()
        results = evaluate_dealer(dealer_id)
        out[name] = round(time.perf_counter() - began, 2)
    out["health_alerts"] = sum(r.raised + r.refreshed for r in results.values())
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="qudao bench board", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="stock levels (10 sites × rows/10 items)")
    parser.add_argument("--repeat", type=int, default=25, help="requests per view")
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    parser.add_argument("--no-write", action="store_true", help="print only; no bench/results/board.json")
    args = parser.parse_args(argv)
    if not (1_000 <= args.rows <= 2_000_000 and 1 <= args.repeat <= 1000):
        parser.error("--rows 1000..2000000, --repeat 1..1000")
    with bench_database(
        "qudao_bench_board", prefix="qudao-bench-board-", static=True, keep=args.keep
    ) as database:
        began = time.monotonic()
        world = build(args.rows)
        setup = round(time.monotonic() - began, 1)
        print(f"{database}: {world['levels']:,} levels built in {setup} s", flush=True)
        timings = measure(world, args.repeat)
        health = health_runs(world)
    rows, figures = [], {}
    for name, values in timings.items():
        p50, p99 = percentile(values, 0.5) * 1000, percentile(values, 0.99) * 1000
        figures[f"board_{name}_p50_ms"], figures[f"board_{name}_p99_ms"] = round(p50, 1), round(p99, 1)
        rows.append([name, len(values), f"{p50:,.1f}", f"{p99:,.1f}"])
    figures.update(health)
    rows += [[name, 1, "", f"{value:,}"] for name, value in health.items()]
    print()
    print_table(["board view", "requests", "p50 ms", "p99 ms"], rows)
    if not args.no_write:
        path = write_result(
            "board",
            database=database,
            data={
                "levels": world["levels"],
                "settings": world["settings"],
                "alerts": world["alerts"],
                "sites": SITES,
                "repeat": args.repeat,
                "setup_seconds": setup,
            },
            figures=figures,
        )
        print(f"written: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
