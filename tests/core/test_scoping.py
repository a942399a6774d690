import pytest

from qudao.core.errors import NotFound, PermissionDeniedError
from qudao.core.scoping import ANONYMOUS, Actor, get_scoped, require_dealer, scoped
from qudao.org.models import Site
from tests.factories import make_dealer, make_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    a, b = make_dealer(), make_dealer()
    return {
        "a": a,
        "b": b,
        "a1": make_site(a),
        "a2": make_site(a),
        "b1": make_site(b),
    }


def names(qs):
    return sorted(qs.values_list("pk", flat=True))


def test_dealer_user_sees_only_its_dealer(world):
    actor = Actor(user_id=1, own_dealers={world["a"].pk: None})
    assert names(scoped(Site.objects.all(), actor)) == sorted([world["a1"].pk, world["a2"].pk])


def test_site_limited_membership_sees_only_its_sites(world):
    actor = Actor(user_id=1, own_dealers={world["a"].pk: frozenset({world["a2"].pk})})
    assert names(scoped(Site.objects.all(), actor)) == [world["a2"].pk]


def test_brand_user_reads_authorised_dealers_but_writes_none(world):
    actor = Actor(user_id=1, brand_dealer_ids=frozenset({world["b"].pk}))
    assert names(scoped(Site.objects.all(), actor)) == [world["b1"].pk]
    assert names(scoped(Site.objects.all(), actor, for_write=True)) == []


def test_anonymous_sees_nothing_and_platform_admin_everything(world):
    assert names(scoped(Site.objects.all(), ANONYMOUS)) == []
    assert len(names(scoped(Site.objects.all(), Actor(user_id=1, is_platform_admin=True)))) == 3


def test_get_scoped_answers_404_for_foreign_and_missing_rows(world):
    actor = Actor(user_id=1, own_dealers={world["a"].pk: None})
    assert get_scoped(Site.objects.all(), actor, pk=world["a1"].pk) == world["a1"]
    with pytest.raises(NotFound):
        get_scoped(Site.objects.all(), actor, pk=world["b1"].pk)
    with pytest.raises(NotFound):
        get_scoped(Site.objects.all(), actor, pk=10**9)
    with pytest.raises(NotFound):
        get_scoped(Site.objects.all(), actor, pk="not-a-number")


def test_require_dealer(world):
    single = Actor(user_id=1, own_dealers={world["a"].pk: None})
    assert require_dealer(single, None) == world["a"].pk
    with pytest.raises(NotFound):
        require_dealer(single, world["b"].pk)
    several = Actor(user_id=1, own_dealers={world["a"].pk: None, world["b"].pk: None})
    with pytest.raises(PermissionDeniedError):
        require_dealer(several, None)


def test_model_without_scope_spec_is_refused():
    from django.contrib.contenttypes.models import ContentType

    with pytest.raises(TypeError):
        scoped(ContentType.objects.all(), ANONYMOUS)
