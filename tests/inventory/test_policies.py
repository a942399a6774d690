from datetime import date
from decimal import Decimal

from qudao.inventory.policies import Candidate, allocate, expiry_from_shelf_life, fefo, moving_average


def test_fefo_orders_by_expiry_then_lots_without_expiry():
    cands = [
        Candidate("none", Decimal(1), None, (1,)),
        Candidate("late", Decimal(1), date(2027, 5, 1), (2,)),
        Candidate("early", Decimal(1), date(2027, 1, 1), (3,)),
    ]
    assert [c.key for c in fefo(cands)] == ["early", "late", "none"]


def test_allocate_reports_what_is_missing():
    taken, missing = allocate(
        Decimal(5), [Candidate("a", Decimal(2)), Candidate("b", Decimal(0)), Candidate("c", Decimal(1))]
    )
    assert taken == [("a", Decimal(2)), ("c", Decimal(1))]
    assert missing == Decimal(2)
    assert allocate(Decimal(1), [Candidate("a", Decimal(3))]) == ([("a", Decimal(1))], Decimal(0))


def test_expiry_from_shelf_life():
    assert expiry_from_shelf_life(
        production_date=None, received_on=date(2026, 2, 1), shelf_life_days=10
    ) == date(2026, 2, 11)
    assert expiry_from_shelf_life(
        production_date=date(2026, 1, 1), received_on=date(2026, 2, 1), shelf_life_days=10
    ) == date(2026, 1, 11)
    assert (
        expiry_from_shelf_life(production_date=None, received_on=date(2026, 2, 1), shelf_life_days=None)
        is None
    )


def test_moving_average():
    assert moving_average(on_hand=10, average_cost=10, received=30, unit_cost=14) == Decimal("13.0000")
    assert moving_average(on_hand=0, average_cost=99, received=3, unit_cost="7.5") == Decimal("7.5000")
    assert moving_average(on_hand=3, average_cost=1, received=0, unit_cost=5) == Decimal("1.0000")
