import pytest

from qudao.accounts.models import Role
from qudao.core.scoping import build_actor
from tests.factories import make_channel, make_user
from tests.parties.factories import make_customer_group, make_region_tree

VALID_CREDIT_CODE = "91350100M000100Y43"
VALID_RESIDENT_ID = "11010519491231002X"


@pytest.fixture
def actor(admin_user):
    return build_actor(admin_user)


@pytest.fixture
def group(dealer):
    return make_customer_group(dealer, code="KA", name="重点客户")


@pytest.fixture
def channel(dealer):
    return make_channel(dealer, code="WHOLESALE", name="批发")


@pytest.fixture
def regions(db):
    return make_region_tree()


@pytest.fixture
def sales_rep(dealer):
    return make_user(dealer, Role.SALES_REP, username="rep_wang")
