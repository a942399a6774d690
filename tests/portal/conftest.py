import pytest

from tests.portal.factories import make_shop


@pytest.fixture
def shop(dealer):
    return make_shop(dealer)
