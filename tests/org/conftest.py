import pytest

from tests.factories import ApiClient, make_brand, make_dealership
from tests.org.factories import actor_for, make_brand_user, make_platform_admin


@pytest.fixture
def brand(db):
    return make_brand(name="长城汽车", code="BR-GW")


@pytest.fixture
def brand_user(brand):
    return make_brand_user(brand)


@pytest.fixture
def brand_api(brand_user):
    return ApiClient(brand_user)


@pytest.fixture
def brand_actor(brand_user):
    return actor_for(brand_user)


@pytest.fixture
def dealer_actor(admin_user):
    return actor_for(admin_user)


@pytest.fixture
def platform_admin(db):
    return make_platform_admin()


@pytest.fixture
def platform_actor(platform_admin):
    return actor_for(platform_admin)


@pytest.fixture
def platform_api(platform_admin):
    return ApiClient(platform_admin)


@pytest.fixture
def authorised(brand, dealer):
    """The dealer holds an open-ended dealership of the brand (so the brand reads the dealer's rows)."""
    return make_dealership(brand, dealer)
