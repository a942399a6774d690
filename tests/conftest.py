import pytest

from tests.factories import ApiClient, make_dealer, make_site, make_user


@pytest.fixture
def dealer(db):
    return make_dealer(name="华东快消分销有限公司")


@pytest.fixture
def other_dealer(db):
    return make_dealer(name="另一家经销商")


@pytest.fixture
def site(dealer):
    return make_site(dealer)


@pytest.fixture
def admin_user(dealer):
    return make_user(dealer)


@pytest.fixture
def api(admin_user):
    return ApiClient(admin_user)


@pytest.fixture
def other_api(other_dealer):
    return ApiClient(make_user(other_dealer))


@pytest.fixture(autouse=True)
def _regions_survive_flushes(request):
    """Regions are loaded by a data migration; a transactional test's flush empties them. Reload."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if not transactional:
        yield
        return
    request.getfixturevalue("transactional_db")
    from qudao.org.models import Region
    from qudao.org.services.regions import load_regions

    if not Region.objects.exists():
        load_regions()
    yield


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    """The product defaults to zh-Hans; tests assert English source strings unless they ask for Chinese."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def chinese(settings):
    """Run a test in the product's default language, Simplified Chinese."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "zh-hans"
    with translation.override("zh-hans"):
        yield
