"""The order benchmark's world: a dealer with four warehouses, 1,000 priced items with stock, 500
customers with ship-to coordinates, 10 hot items with little stock, an API key (built through the
services where it matters: items, stock)."""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from decimal import Decimal

#: (name, latitude, longitude) of the warehouses
WAREHOUSES = [
    ("上海中心仓", "31.230416", "121.473701"),
    ("杭州仓", "30.274085", "120.155070"),
    ("南京仓", "32.060255", "118.796877"),
    ("苏州仓", "31.298886", "120.585316"),
]


@dataclass
class World:
    dealer_id: int
    token: str
    items: list[int]
    hot_items: list[int]
    customers: list[int]
    hot_stock: int


def build_world(
    *, items: int = 1000, customers: int = 500, hot_items: int = 10, hot_stock: int = 60
) -> World:
    from qudao.accounts.actors import build_actor
    from qudao.accounts.models import Membership, Role, User
    from qudao.accounts.services.api_keys import create_api_key
    from qudao.catalog.models import Item
    from qudao.catalog.services import create_unit_of_measure
    from qudao.inventory.services import get_virtual_location, receive_stock
    from qudao.org.models import Company, Site, SiteKind
    from qudao.parties.models import Address, Customer

    rng = random.Random(42)
    dealer = Company.objects.create(code="BENCH-SO", name="基准经销商（订单）", is_dealer=True)
    sites = [
        Site.objects.create(
            dealer=dealer,
            code=f"WH{n}",
            name=name,
            kind=SiteKind.REGIONAL_WAREHOUSE,
            latitude=Decimal(lat),
            longitude=Decimal(lng),
        )
        for n, (name, lat, lng) in enumerate(WAREHOUSES, start=1)
    ]
    user = User.objects.create_user(username="bench-orders", password=os.urandom(16).hex())
    Membership.objects.create(user=user, company=dealer, role=Role.DEALER_ADMIN)
    _, token = create_api_key(user=user, name="bench", scopes=["*"])
    actor = build_actor(user)
    unit = create_unit_of_measure(
        actor=actor, data={"dealer_id": dealer.pk, "code": "EA", "name": "瓶", "decimal_places": 0}
    )
    rows = Item.objects.bulk_create(
        Item(
            dealer=dealer,
            sku=f"FMCG-{n:05d}",
            name=f"饮料 {n}",
            kind="goods",
            base_unit=unit,
            tax_rate=Decimal("0.13"),
            list_price=Decimal(rng.randint(300, 20000)) / 100,
            weight_kg=Decimal(rng.randint(2, 200)) / 100,
        )
        for n in range(items + hot_items)
    )
    item_ids = [r.pk for r in rows[:items]]
    hot_ids = [r.pk for r in rows[items:]]
    # plenty of every normal item at two warehouses (each item at a random pair)
    for start in range(0, len(item_ids), 100):
        batch = item_ids[start : start + 100]
        for site in sites:
            lines = [{"item_id": i, "quantity": 100_000} for i in batch if (i + site.pk) % 2 == 0]
            if lines:
                receive_stock(actor=actor, data={"site_id": site.pk, "lines": lines})
    for site in sites[:2]:
        receive_stock(
            actor=actor,
            data={"site_id": site.pk, "lines": [{"item_id": i, "quantity": hot_stock // 2} for i in hot_ids]},
        )
    get_virtual_location(dealer.pk, "customer")
    kinds = ["ka_chain", "wholesaler", "retail_store", "retail_store"]
    customer_rows = Customer.objects.bulk_create(
        Customer(
            dealer=dealer,
            code=f"C-{n:05d}",
            name=f"客户 {n}",
            kind="business",
            business_type=kinds[n % len(kinds)],
            status="active",
        )
        for n in range(customers)
    )
    Address.objects.bulk_create(
        Address(
            dealer=dealer,
            customer=c,
            kind="shipping",
            line=f"人民路 {n} 号",
            latitude=Decimal(rng.randint(29_000_000, 33_000_000)) / 1_000_000,
            longitude=Decimal(rng.randint(118_000_000, 122_000_000)) / 1_000_000,
            is_default=True,
        )
        for n, c in enumerate(customer_rows)
    )
    return World(dealer.pk, token, item_ids, hot_ids, [c.pk for c in customer_rows], hot_stock)


def queries_per_order(world: World) -> int:
    """Database statements of one POST /orders with confirm (in process, through the test client)."""
    import json
    import uuid

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    body = order_body(random.Random(7), world, hot=False)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world.token}", "HTTP_IDEMPOTENCY_KEY": uuid.uuid4().hex}
    client.post("/api/v1/orders", json.dumps(body), content_type="application/json", **headers)  # warm
    headers["HTTP_IDEMPOTENCY_KEY"] = uuid.uuid4().hex
    with CaptureQueriesContext(connection) as ctx:
        response = client.post("/api/v1/orders", json.dumps(body), content_type="application/json", **headers)
    if response.status_code != 201:
        raise SystemExit(f"order intake failed: {response.status_code} {response.content[:300]!r}")
    return len(ctx.captured_queries)


def order_body(rng: random.Random, world: World, *, hot: bool, lines: int = 5) -> dict:
    pool = world.hot_items if hot else world.items
    return {
        "customer_id": rng.choice(world.customers),
        "lines": [
            {"item_id": item, "quantity": str(rng.randint(1, 3) if hot else rng.randint(1, 20))}
            for item in rng.sample(pool, lines)
        ],
        "confirm": True,
    }
