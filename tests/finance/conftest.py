import pytest

from tests.finance.factories import customer


@pytest.fixture
def cust(dealer):
    return customer(dealer)
