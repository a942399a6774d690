"""Order center at 1,000,000 orders: how long the console list and the API list take.

On a PostgreSQL database of its own (`QUDAO_BENCH_DATABASE_URL`, default
postgresql://postgres@127.0.0.1:5432/qudao_bench_order_center; created and dropped here) the bench
builds the order benchmark's world (bench/_orders_world.py: a dealer, 4 warehouses, 1,000 items, 500
customers), adds channels, then writes `--orders` orders (default 1,000,000) with one INSERT … SELECT
over generate_series — states, sources, channels, sites, customers and dates spread as an order
center sees them — and ANALYZEs. It then requests, as the dealer's administrator through Django's test
client (the whole view: session, scoping, filters, the capped paginator, the template):

- the console order center (/admin/sales/salesorder/): first page, a deep page, by state, by channel,
  by site, by customer, by a date range, state + channel + date together, a search by order number;
- the API (/api/v1/orders): the first page, the next keyset page, by customer.

    qudao bench order_center [--orders 1000000] [--repeat 20] [--keep] [--no-write]

prints a table and writes bench/results/order_center.json.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import timedelta

from bench._postgres import bench_database
from bench.common import percentile, print_table, write_result

LIST = "/admin/sales/salesorder/"
API = "/api/v1/orders"
CHANNELS = ("KA", "WHOLESALE", "STORE", "ECOM")


def _defaults_sql(model, given: dict[str, str]) -> tuple[list[str], list[str], list[object]]:
    """Columns and SQL expressions for every concrete field: `given` ones as written, the rest from
    the field's Python default (as a parameter; JSON defaults as JSON text)."""
    columns, expressions, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(f'"{field.column}"')
        if field.column in given:
            expressions.append(given[field.column])
            continue
        default = field.get_default()
        if field.get_internal_type() == "JSONField":
            expressions.append("%s::jsonb")
            params.append(json.dumps(default))
        else:
            expressions.append("%s")
            params.append(default)
    return columns, expressions, params


def build(orders: int) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from bench._orders_world import build_world
    from qudao.accounts.models import Membership, User
    from qudao.org.models import Channel, Site
    from qudao.parties.models import Customer
    from qudao.sales.models import SalesOrder

    world = build_world(items=1000, customers=500)
    membership = Membership.objects.filter(company_id=world.dealer_id).select_related("user").first()
    user: User = membership.user
    User.objects.filter(pk=user.pk).update(is_staff=True)
    with transaction.atomic():
        channels = [
            Channel.objects.create(dealer_id=world.dealer_id, code=code, name=f"渠道 {code}")
            for code in CHANNELS
        ]
    site_ids = list(
        Site.objects.filter(dealer_id=world.dealer_id).order_by("pk").values_list("pk", flat=True)
    )
    customer_ids = sorted(Customer.objects.filter(dealer_id=world.dealer_id).values_list("pk", flat=True))
    now = timezone.now()
    given = {
        "dealer_id": "%s",
        "number": "'SO-B-' || lpad(g::text, 7, '0')",
        "customer_id": "(%s::bigint[])[1 + (g * 7919) %% %s]",
        "channel_id": "(%s::bigint[])[1 + (g / 5) %% %s]",
        "site_id": "(%s::bigint[])[1 + (g / 3) %% %s]",
        "state": "(ARRAY['done','done','done','processing','confirmed','draft','cancelled','on_hold'])"
        "[1 + (g * 31) %% 8]",
        "hold_reason": "CASE WHEN (g * 31) %% 8 = 7 THEN 'credit' ELSE '' END",
        "source": "(ARRAY['api','portal','import','ecommerce','console','assistant'])[1 + (g * 13) %% 6]",
        "total": "((g * 37) %% 100000) / 10.0",
        "base_total": "((g * 37) %% 100000) / 10.0",
        "net_total": "round(((g * 37) %% 100000) / 10.0 / 1.13, 2)",
        "tax_total": "((g * 37) %% 100000) / 10.0 - round(((g * 37) %% 100000) / 10.0 / 1.13, 2)",
        "created_at": "%s::timestamptz - (%s - g) * interval '30 seconds'",
        "updated_at": "%s::timestamptz - (%s - g) * interval '30 seconds'",
    }
    columns, expressions, params = _defaults_sql(SalesOrder, given)
    head = [
        world.dealer_id,
        customer_ids,
        len(customer_ids),
        [c.pk for c in channels],
        len(channels),
        site_ids,
        len(site_ids),
    ]
    # the parameters in column order: the `given` ones where their column comes
    values: list[object] = []
    defaults = iter(params)
    for column in columns:
        name = column.strip('"')
        if name == "dealer_id":
            values.append(head[0])
        elif name == "customer_id":
            values += head[1:3]
        elif name == "channel_id":
            values += head[3:5]
        elif name == "site_id":
            values += head[5:7]
        elif name in ("created_at", "updated_at"):
            values += [now, orders]
        elif name not in given:
            values.append(next(defaults))
    sql = (
        f"INSERT INTO sales_salesorder ({', '.join(columns)}) "
        f"SELECT {', '.join(expressions)} FROM generate_series(1::bigint, %s::bigint) AS g"
    )
    began = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [*values, orders])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE sales_salesorder")
    return {
        "user_id": user.pk,
        "orders": orders,
        "insert_seconds": round(time.monotonic() - began, 1),
        "channel_id": channels[1].pk,
        "site_id": site_ids[2],
        "customer_id": customer_ids[17],
        "number": f"SO-B-{orders // 2:07d}",
        "since": (now - timedelta(days=3)).date().isoformat(),
        "until": (now - timedelta(days=1)).date().isoformat(),
    }


def views(world: dict) -> dict[str, tuple[str, dict]]:
    since, until = world["since"], world["until"]
    dates = {
        "created_at_from_0": since,
        "created_at_from_1": "00:00",
        "created_at_to_0": until,
        "created_at_to_1": "23:59",
    }
    return {
        "console_first_page": (LIST, {}),
        "console_page_50": (LIST, {"p": "50"}),
        "console_state": (LIST, {"state__exact": "processing"}),
        "console_channel": (LIST, {"channel_id": world["channel_id"]}),
        "console_site": (LIST, {"site_id": world["site_id"]}),
        "console_customer": (LIST, {"customer_id": world["customer_id"]}),
        "console_dates": (LIST, dates),
        "console_state_channel_dates": (
            LIST,
            {"state__exact": "done", "channel_id": world["channel_id"], **dates},
        ),
        "console_search_number": (LIST, {"q": world["number"]}),
        "api_first_page": (API, {}),
        "api_customer": (API, {"customer_id": world["customer_id"]}),
    }


def measure(world: dict, repeat: int) -> dict[str, list[float]]:
    from django.test import Client

    from qudao.accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(pk=world["user_id"]))
    targets = views(world)
    first_console = client.get(LIST).content
    for name, (path, params) in targets.items():  # warm-up, and a check that the filter took effect
        response = client.get(path, params)
        body = response.content.decode()
        shown = ("SO-B-" in body) if path == LIST else bool(json.loads(body).get("items"))
        if response.status_code != 200 or not shown:
            raise SystemExit(f"{name} answered {response.status_code} with no orders")
        if path == LIST and params and response.content == first_console:
            raise SystemExit(f"{name}: the filter {params} changed nothing")
    first = client.get(API).json()
    if first.get("next_before_id"):
        targets["api_next_page"] = (API, {"before_id": first["next_before_id"]})
    timings: dict[str, list[float]] = {name: [] for name in targets}
    for _ in range(repeat):
        for name, (path, params) in targets.items():
            began = time.perf_counter()
            client.get(path, params)
            timings[name].append(time.perf_counter() - began)
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="qudao bench order_center", description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000, help="orders in the order center")
    parser.add_argument("--repeat", type=int, default=20, help="requests per view")
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    parser.add_argument(
        "--no-write", action="store_true", help="print only; no bench/results/order_center.json"
    )
    args = parser.parse_args(argv)
    if not (1_000 <= args.orders <= 20_000_000 and 1 <= args.repeat <= 1000):
        parser.error("--orders 1000..20000000, --repeat 1..1000")
    with bench_database(
        "qudao_bench_order_center", prefix="qudao-bench-order-center-", static=True, keep=args.keep
    ) as database:
        began = time.monotonic()
        world = build(args.orders)
        setup = round(time.monotonic() - began, 1)
        print(f"{database}: {world['orders']:,} orders built in {setup} s", flush=True)
        timings = measure(world, args.repeat)
    rows, figures = [], {}
    for name, values in timings.items():
        p50, p99 = percentile(values, 0.5) * 1000, percentile(values, 0.99) * 1000
        figures[f"{name}_p50_ms"], figures[f"{name}_p99_ms"] = round(p50, 1), round(p99, 1)
        rows.append([name, len(values), f"{p50:,.1f}", f"{p99:,.1f}"])
    print()
    print_table(["order center view", "requests", "p50 ms", "p99 ms"], rows)
    if not args.no_write:
        path = write_result(
            "order_center",
            database=database,
            data={"orders": world["orders"], "repeat": args.repeat, "setup_seconds": setup},
            figures=figures,
        )
        print(f"written: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
