import pytest

from qudao.accounts.models import Role
from tests.accounts.factories import make_superuser
from tests.factories import make_brand, make_user


@pytest.fixture
def brand(db):
    return make_brand(name="长城汽车")


@pytest.fixture
def superuser(db):
    return make_superuser()


@pytest.fixture
def colleague(dealer):
    return make_user(
        dealer,
        Role.SALES_REP,
        username="colleague",
        first_name="Li",
        last_name="Wei",
        email="li.wei@example.com",
    )


@pytest.fixture
def stranger(other_dealer):
    """A user of another dealer."""
    return make_user(other_dealer, Role.SALES_REP, username="stranger")
