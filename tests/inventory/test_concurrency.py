"""16 clients reserve and issue over 10 hot items whose stock is smaller than the demand (PostgreSQL)."""

from __future__ import annotations

import random
import threading
from decimal import Decimal

import pytest
from django.db import connection

from qudao.inventory.errors import InsufficientStock
from qudao.inventory.models import StockLevel
from qudao.inventory.services import (
    get_virtual_location,
    issue_stock,
    reconcile_levels,
    reserve_stock,
)
from tests.catalog.factories import make_item
from tests.factories import make_dealer, make_site
from tests.inventory.factories import ROOT, receive

THREADS = 16
OPERATIONS = 12
STOCK_PER_ITEM = 15


def _client(n: int, items, site, results: dict, errors: list, barrier: threading.Barrier) -> None:
    rng = random.Random(n)
    reserved = issued = Decimal(0)
    try:
        barrier.wait()
        for op in range(OPERATIONS):
            lines = [
                {"item_id": item.pk, "site_id": site.pk, "quantity": rng.randint(1, 4)}
                for item in rng.sample(items, rng.randint(1, 3))
            ]
            wanted = sum((Decimal(line["quantity"]) for line in lines), Decimal(0))
            reference = {"reference_type": "bench.order", "reference_id": n * 1000 + op}
            try:
                if rng.random() < 0.3:
                    issue_stock(actor=ROOT, data={"lines": lines})
                    issued += wanted
                    continue
                reserve_stock(actor=ROOT, data={**reference, "lines": lines})
                reserved += wanted
                if rng.random() < 0.5:
                    issue_stock(actor=ROOT, data={**reference, "lines": lines})
            except InsufficientStock:
                continue
        results[n] = (reserved, issued)
    except Exception as exc:  # any other error (a deadlock, a constraint) fails the test
        errors.append(repr(exc))
    finally:
        connection.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_reservations_never_oversell():
    if connection.vendor != "postgresql":
        pytest.skip("the concurrency test needs PostgreSQL (row locks across connections)")
    dealer = make_dealer()
    site = make_site(dealer)
    items = [make_item(dealer) for _ in range(10)]
    for item in items:
        receive(site, item, STOCK_PER_ITEM)
    get_virtual_location(dealer.pk, "customer")
    total = Decimal(STOCK_PER_ITEM * len(items))

    results: dict[int, tuple[Decimal, Decimal]] = {}
    errors: list[str] = []
    barrier = threading.Barrier(THREADS)
    threads = [
        threading.Thread(target=_client, args=(n, items, site, results, errors, barrier))
        for n in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len(results) == THREADS

    levels = list(StockLevel.objects.filter(item__in=items, is_virtual=False))
    assert all(level.on_hand >= 0 and 0 <= level.reserved <= level.on_hand for level in levels)
    free = sum((level.on_hand - level.reserved for level in levels), Decimal(0))
    reserved = sum((r for r, _i in results.values()), Decimal(0))
    issued_free = sum((i for _r, i in results.values()), Decimal(0))
    # every unit was either reserved by a successful call, issued straight, or is still free
    assert reserved + issued_free + free == total
    assert reserved > 0
    # demand exceeded supply: what is left free is less than the smallest request of some client
    assert free < total / 4
    assert reconcile_levels() == []
