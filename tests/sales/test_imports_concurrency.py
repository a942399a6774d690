"""Imports under real concurrency (PostgreSQL): the same platform order delivered by several webhook
calls at once makes one order; imports running side by side number their orders without overlap;
the same file imported twice at once writes its orders once."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from qudao.core.scoping import build_actor
from qudao.sales.errors_imports import ImportConflict
from qudao.sales.models import SalesOrder, SalesOrderLine
from qudao.sales.services.imports import import_orders
from qudao.sales.services.imports_external import submit_external_order
from tests.factories import make_dealer, make_user
from tests.sales.factories import make_world

THREADS = 6
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _need_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("the concurrency tests need PostgreSQL (row locks across connections)")


def _run(target, n_threads: int = THREADS) -> list[str]:
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


def test_one_platform_order_sent_at_once_by_several_calls_makes_one_order():
    _need_postgres()
    world = make_world(make_dealer(), items=2)
    actor = build_actor(make_user(world.dealer))
    data = {
        "external_reference": "GM-RACE-1",
        "customer_code": world.customer.code,
        "lines": [{"sku": world.items[0].sku, "quantity": Decimal(2)}],
    }
    answers: dict[int, tuple[str, int]] = {}

    def call(n):
        result = submit_external_order(actor=actor, dealer_id=world.dealer.pk, data=data)
        answers[n] = (result.status, result.order_id)

    assert _run(call) == []
    assert sorted(s for s, _ in answers.values()) == ["created"] + ["existing"] * (THREADS - 1)
    assert len({pk for _, pk in answers.values()}) == 1
    assert SalesOrder.objects.filter(external_reference="GM-RACE-1").count() == 1


def test_imports_side_by_side_number_their_orders_without_overlap():
    _need_postgres()
    world = make_world(make_dealer(), items=2)
    actor = build_actor(make_user(world.dealer))
    sku = world.items[0].sku

    def run(n):
        rows = "\n".join(f"T{n}-{k},{world.customer.code},{sku},1" for k in range(20))
        report = import_orders(
            actor=actor, name="t.csv", content=f"order_ref,customer,sku,quantity\n{rows}\n".encode()
        )
        assert report.orders_created == 20

    assert _run(run) == []
    numbers = list(SalesOrder.objects.values_list("number", flat=True))
    assert len(numbers) == THREADS * 20 == len(set(numbers))
    tails = sorted(int(n[-6:]) for n in numbers)
    assert tails == list(range(1, THREADS * 20 + 1))  # no gaps, no duplicates


def test_the_same_file_imported_twice_at_once_is_written_once():
    _need_postgres()
    world = make_world(make_dealer(), items=2)
    actor = build_actor(make_user(world.dealer))
    rows = "\n".join(f"SAME-{k},{world.customer.code},{world.items[k % 2].sku},3" for k in range(30))
    content = f"order_ref,customer,sku,quantity\n{rows}\n".encode()
    outcomes: dict[int, str] = {}

    def run(n):
        try:
            report = import_orders(actor=actor, name="same.csv", content=content)
        except ImportConflict:
            outcomes[n] = "conflict"
            return
        outcomes[n] = "written" if report.orders_created else "refused"

    assert _run(run, 4) == []
    assert sorted(outcomes.values()).count("written") == 1
    assert SalesOrder.objects.filter(source="import").count() == 30
    assert SalesOrderLine.objects.filter(order__source="import").count() == 30
