"""The order benchmark's world, tiny, and the statement count of one order on the hot path."""

from __future__ import annotations

import pytest
from bench._orders_world import build_world, queries_per_order

from qudao.sales.models import SalesOrder


@pytest.mark.django_db
def test_one_order_through_the_api_costs_a_bounded_number_of_statements():
    world = build_world(items=20, customers=8, hot_items=3, hot_stock=6)
    queries = queries_per_order(world)
    # create + price + credit + allocate + reserve + confirm + answer, savepoints included
    # (43 on PostgreSQL; SQLite adds a `SELECT changes()` after each multi-row update)
    assert queries <= 50, queries
    assert SalesOrder.objects.filter(state="confirmed").count() == 2
