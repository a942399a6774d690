"""The inventory benchmark's set-up and one short round, tiny, in this process (one worker)."""

from __future__ import annotations

import pytest

from bench import inventory as bench
from qudao.inventory.models import Reservation, StockLevel, StockMove
from qudao.inventory.services import reconcile_levels

TINY = bench.Sizes(
    workers=1,
    items_per_worker=4,
    lines=3,
    docs=4,
    hot_items=3,
    hot_lines=2,
    hot_docs=6,
    hot_rounds=1,
    history_items=5,
    history_moves=1_000,
    lookups=3,
)


@pytest.mark.django_db
def test_one_short_round_measures_and_keeps_the_ledger_exact():
    data, figures, rows = bench.run(TINY, parallel=False)

    assert data["workers_measured"] == 1
    assert data["history_moves"] == 1_000
    assert data["history_items"] == 5
    assert data["errors"] == {}
    assert figures["oversold_units"] == 0
    assert figures["ledger_mismatches"] == 0
    assert figures["deadlocks_or_serialization_errors"] == 0
    assert figures["reserve_lines_per_s_1"] > 0
    assert figures["level_lookup_p99_ms"] > 0
    # 4 uncontended documents of 3 lines reserved; the hot phase: demand 1×6×2×2 = 24 units against 3 × 5 free
    assert rows[0][2:4] == [4, 12]
    assert figures["hot_short_docs"] >= 1
    assert len(rows) == 8
    # the bulk-loaded history balances: on hand of every history item = its receipts − its issues
    assert StockMove.objects.filter(reference_type="bench.history").count() == 1_000
    assert reconcile_levels() == []
    # every reservation the rounds made was released or consumed afterwards
    assert not Reservation.objects.filter(state="active").exists()
    assert not StockLevel.objects.filter(reserved__gt=0).exists()


def test_the_benchmark_refuses_shared_databases():
    for url in ("postgresql://postgres@127.0.0.1:5432/postgres", "postgresql://postgres@127.0.0.1/test_h_x"):
        with pytest.raises(SystemExit, match="refusing"):
            bench.prepare_database(url, drop=True)


def test_deadlocks_are_named_by_their_sqlstate():
    class PgError(Exception):
        sqlstate = "40P01"

    error = RuntimeError("deadlock detected")
    error.__cause__ = PgError()
    assert bench.classify(error) == "deadlock"
    assert bench.classify(ValueError("x")) == "ValueError"
