"""Order intake under real concurrency (PostgreSQL): idempotency keys and scarce stock."""

from __future__ import annotations

import random
import threading
from decimal import Decimal

import pytest
from django.db import connection

from qudao.inventory.models import StockLevel
from qudao.inventory.services import reconcile_levels
from qudao.sales.models import OrderIdempotencyKey, SalesOrder, SalesOrderLine
from qudao.sales.services import submit_order
from tests.factories import make_dealer
from tests.inventory.factories import ROOT
from tests.sales.factories import make_world, order_data

THREADS = 8

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _need_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("the concurrency tests need PostgreSQL (row locks across connections)")


def _run(target, n_threads: int) -> list[str]:
    errors: list[str] = []
    barrier = threading.Barrier(n_threads)

    def wrapped(n):
        try:
            barrier.wait()
            target(n)
        except Exception as exc:  # any error fails the test
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=wrapped, args=(n,)) for n in range(n_threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_same_idempotency_key_in_parallel_makes_one_order():
    _need_postgres()
    world = make_world(make_dealer())
    data = order_data(world, [1, 2, 3])
    answers: dict[int, tuple[int, bool]] = {}

    def client(n):
        order, created = submit_order(actor=ROOT, data=data, confirm=True, idempotency_key="same-key")
        answers[n] = (order.pk, created)

    assert _run(client, THREADS) == []
    assert len(answers) == THREADS
    assert len({pk for pk, _c in answers.values()}) == 1
    assert sum(1 for _pk, created in answers.values() if created) == 1
    assert SalesOrder.objects.count() == 1
    assert OrderIdempotencyKey.objects.count() == 1
    levels = StockLevel.objects.filter(item__in=world.items, is_virtual=False)
    assert sorted(level.reserved for level in levels) == [1, 2, 3]


def test_scarce_items_are_never_oversold():
    _need_postgres()
    world = make_world(make_dealer(), items=10, stock={"shanghai": 6, "hangzhou": 4})
    total = Decimal(10 * len(world.items))

    def client(n):
        rng = random.Random(n)
        for _ in range(6):
            quantities = [0] * 10
            for index in rng.sample(range(10), 3):
                quantities[index] = rng.randint(1, 4)
            submit_order(actor=ROOT, data=order_data(world, quantities), confirm=True)

    assert _run(client, THREADS) == []
    levels = list(StockLevel.objects.filter(item__in=world.items, is_virtual=False))
    assert all(level.on_hand >= 0 and 0 <= level.reserved <= level.on_hand for level in levels)
    lines = SalesOrderLine.objects.filter(order__state="confirmed")
    reserved_on_lines = sum((ln.reserved_quantity for ln in lines), Decimal(0))
    ordered = sum((ln.quantity for ln in lines), Decimal(0))
    backordered = sum((ln.backordered_quantity for ln in lines), Decimal(0))
    assert SalesOrder.objects.filter(state="confirmed").count() == THREADS * 6
    # demand exceeded supply: everything was reserved, the rest is back-ordered, nothing twice
    assert sum((level.reserved for level in levels), Decimal(0)) == reserved_on_lines == total
    assert reserved_on_lines + backordered == ordered
    assert reconcile_levels() == []
