import pytest

from qudao.core.errors import InvalidTransition
from qudao.parties.models import Customer
from qudao.parties.states import CUSTOMER_STATES, CustomerStatus

P, A, B, X = CustomerStatus.PROSPECT, CustomerStatus.ACTIVE, CustomerStatus.BLOCKED, CustomerStatus.ARCHIVED


@pytest.mark.parametrize(("start", "to"), [(P, A), (A, B), (B, A), (P, X), (A, X), (B, X)])
def test_allowed_moves(start, to):
    customer = Customer(status=start)
    assert CUSTOMER_STATES.transition(customer, to=to) == start
    assert customer.status == to


@pytest.mark.parametrize(("start", "to"), [(P, B), (A, P), (B, P), (X, A), (X, P), (X, B), (A, A)])
def test_refused_moves_raise_and_leave_the_status(start, to):
    customer = Customer(status=start)
    with pytest.raises(InvalidTransition) as exc:
        CUSTOMER_STATES.transition(customer, to=to)
    assert customer.status == start
    assert exc.value.status == 409
    assert exc.value.details["from"] == start


def test_archived_is_final():
    assert CUSTOMER_STATES.targets(X) == frozenset()
