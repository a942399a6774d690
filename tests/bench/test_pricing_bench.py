"""The pricing benchmark's world and one short round, tiny, in this process."""

from __future__ import annotations

import pytest
from bench._pricing_world import Sizes

from bench import pricing as bench

TINY = Sizes(
    items=40, categories=3, group_items=10, region_items=10, promotions=24, floors=10, lines=10, runs=3
)


@pytest.mark.django_db
def test_one_short_round_prices_the_basket_with_few_queries():
    data, figures = bench.run(TINY)
    assert data["lines"] == 10 and data["runs"] == 3
    assert data["price_list_items"] == 40 * 4 + 10 * 3 * 3 + 10
    assert data["queries_per_basket"] <= 10
    assert data["priced_lines"] >= 10
    assert figures["pricing_ms_100_lines_10k_rules"] > 0
    assert figures["pricing_ms_100_lines_10k_rules_p99"] >= figures["pricing_ms_100_lines_10k_rules"]
