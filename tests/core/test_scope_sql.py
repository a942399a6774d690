"""core.scoping.scope_sql: the hand-written queries of hot paths see exactly the rows `scoped()` does."""

import pytest
from django.db import connection

from qudao.accounts.models import Role
from qudao.catalog.models import Item
from qudao.core.scoping import Actor, build_actor, scope_sql, scoped
from qudao.org.models import Company, Site
from qudao.parties.models import Address, Customer
from tests.catalog.factories import make_item
from tests.factories import make_brand, make_dealer, make_dealership, make_site, make_user
from tests.parties.factories import make_customer

pytestmark = pytest.mark.django_db


def _raw_ids(model, actor, *, for_write):
    clause, params = scope_sql(model, actor, alias="t", for_write=for_write)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT t.id FROM {table} t WHERE {clause}", params)
        return {row[0] for row in cursor.fetchall()}


def _orm_ids(model, actor, *, for_write):
    return set(scoped(model.objects.all(), actor, for_write=for_write).values_list("pk", flat=True))


@pytest.fixture
def two_dealers():
    """Two dealers with two sites each; customers at each site and one without a home site; items."""
    dealers = [make_dealer(), make_dealer()]
    for dealer in dealers:
        north, south = make_site(dealer), make_site(dealer)
        make_customer(dealer, home_site=north)
        make_customer(dealer, home_site=south)
        make_customer(dealer)
        make_item(dealer)
    return dealers


def _actors(dealers):
    own, other = dealers
    north = Site.objects.filter(dealer=own).order_by("pk").first()
    brand = make_brand()
    make_dealership(brand, other)
    return {
        "dealer admin": build_actor(make_user(own)),
        "limited to one site": build_actor(make_user(own, role=Role.SALES_REP, sites=[north])),
        "brand manager": build_actor(make_user(brand, role=Role.BRAND_MANAGER)),
        "platform admin": Actor(user_id=1, is_platform_admin=True),
        "nobody": Actor(user_id=2),
    }


@pytest.mark.parametrize("model", [Customer, Item, Site])
@pytest.mark.parametrize("for_write", [False, True])
def test_same_rows_as_scoped_for_every_kind_of_actor(two_dealers, model, for_write):
    for name, actor in _actors(two_dealers).items():
        assert _raw_ids(model, actor, for_write=for_write) == _orm_ids(model, actor, for_write=for_write), (
            name
        )


def test_a_site_limited_user_sees_its_sites_customers_and_those_without_a_site(two_dealers):
    own = two_dealers[0]
    actor = _actors(two_dealers)["limited to one site"]
    seen = Customer.objects.filter(pk__in=_raw_ids(Customer, actor, for_write=True))
    north = Site.objects.filter(dealer=own).order_by("pk").first()
    assert {(c.dealer_id, c.home_site_id) for c in seen} == {(own.pk, north.pk), (own.pk, None)}


def test_a_brand_reads_its_dealers_rows_but_writes_none(two_dealers):
    actor = _actors(two_dealers)["brand manager"]
    assert _raw_ids(Customer, actor, for_write=False)
    assert _raw_ids(Customer, actor, for_write=True) == set()


def test_specs_through_relations_or_custom_are_left_to_scoped():
    actor = Actor(user_id=1, own_dealers={1: None})
    assert scope_sql(Address, actor, alias="a") is None  # site = customer__home_site
    assert scope_sql(Company, actor, alias="c") is None  # a custom rule
