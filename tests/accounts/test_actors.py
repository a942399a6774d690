"""Building the request actor from memberships: dealers, sites, brands, suppliers."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from qudao.accounts.models import Role
from qudao.accounts.roles import ROLE_PERMISSIONS
from qudao.accounts.services.api_keys import create_api_key
from qudao.core.scoping import scoped
from qudao.org.models import DealershipStatus, Site
from tests.accounts.factories import actor_of, add_membership, make_supplier
from tests.factories import make_company, make_dealer, make_dealership, make_site, make_user

pytestmark = pytest.mark.django_db


def test_dealer_user_sees_own_dealer_everywhere(dealer, other_dealer):
    mine, theirs = make_site(dealer), make_site(other_dealer)
    user = make_user(dealer, Role.SALES_REP)
    actor = actor_of(user)
    assert actor.own_dealers == {dealer.pk: None}
    assert actor.admin_company_ids == frozenset()
    assert actor.roles == frozenset({Role.SALES_REP})
    assert actor.permissions == frozenset(ROLE_PERMISSIONS[Role.SALES_REP])
    assert list(scoped(Site.objects.all(), actor)) == [mine]
    assert theirs not in scoped(Site.objects.all(), actor, for_write=True)


def test_site_limited_membership(dealer):
    store, warehouse = make_site(dealer), make_site(dealer)
    clerk = make_user(dealer, Role.WAREHOUSE_CLERK, sites=[warehouse])
    actor = actor_of(clerk)
    assert actor.own_dealers == {dealer.pk: frozenset({warehouse.pk})}
    assert list(scoped(Site.objects.all(), actor)) == [warehouse]
    assert store not in scoped(Site.objects.all(), actor)

    # a second, unlimited membership at the same dealer lifts the limit
    add_membership(clerk, dealer, Role.FINANCE)
    actor = actor_of(clerk)
    assert actor.own_dealers == {dealer.pk: None}
    assert set(scoped(Site.objects.all(), actor)) == {store, warehouse}


def test_two_site_limited_memberships_add_up(dealer):
    a, b, c = make_site(dealer), make_site(dealer), make_site(dealer)
    user = make_user(dealer, Role.WAREHOUSE_CLERK, sites=[a])
    add_membership(user, dealer, Role.SERVICE_ADVISOR, sites=[b])
    actor = actor_of(user)
    assert actor.own_dealers == {dealer.pk: frozenset({a.pk, b.pk})}
    assert set(scoped(Site.objects.all(), actor)) == {a, b}
    assert c not in scoped(Site.objects.all(), actor)


def test_inactive_memberships_and_companies_are_ignored(dealer, other_dealer):
    user = make_user(dealer, Role.DEALER_ADMIN)
    add_membership(user, other_dealer, Role.MANAGER, is_active=False)
    actor = actor_of(user)
    assert actor.own_dealer_ids == frozenset({dealer.pk})
    assert actor.admin_company_ids == frozenset({dealer.pk})

    dealer.is_active = False
    dealer.save()
    actor = actor_of(user)
    assert actor.own_dealer_ids == frozenset()
    assert actor.permissions == frozenset()


def test_dealer_role_in_a_company_that_is_not_a_dealer_grants_no_dealer(db):
    carrier = make_company(roles=("carrier",))
    user = make_user(carrier, Role.SALES_REP)  # created directly: the services would refuse it
    assert actor_of(user).own_dealers == {}


def _brand_setup(brand, **dealership):
    authorised, unauthorised = make_dealer(), make_dealer()
    make_dealership(brand, authorised, **dealership)
    site_a, site_u = make_site(authorised), make_site(unauthorised)
    manager = make_user(brand, Role.BRAND_MANAGER)
    return authorised, unauthorised, site_a, site_u, manager


def test_brand_manager_reads_authorised_dealers_rows_only(brand):
    authorised, _, site_a, _, manager = _brand_setup(brand)
    actor = actor_of(manager)
    assert actor.brand_ids == frozenset({brand.pk})
    assert actor.brand_dealer_ids == frozenset({authorised.pk})
    assert actor.admin_company_ids == frozenset({brand.pk})
    assert actor.own_dealers == {}
    assert list(scoped(Site.objects.all(), actor)) == [site_a]
    assert list(scoped(Site.objects.all(), actor, for_write=True)) == []  # reads, never writes


@pytest.mark.parametrize(
    "dealership",
    [
        {"status": DealershipStatus.SUSPENDED},
        {"status": DealershipStatus.TERMINATED},
        {"valid_from": date(2020, 1, 1), "valid_to": "yesterday"},
        {"valid_from": "tomorrow"},
    ],
    ids=["suspended", "terminated", "ended", "not-yet-valid"],
)
def test_brand_manager_loses_sight_when_the_dealership_is_not_current(brand, dealership):
    today = timezone.localdate()
    values = {
        k: (
            today - timedelta(days=1)
            if v == "yesterday"
            else today + timedelta(days=1)
            if v == "tomorrow"
            else v
        )
        for k, v in dealership.items()
    }
    _, _, site_a, _, manager = _brand_setup(brand, **values)
    actor = actor_of(manager)
    assert actor.brand_dealer_ids == frozenset()
    assert site_a not in scoped(Site.objects.all(), actor)


def test_brand_manager_sees_dealership_valid_until_today(brand):
    today = timezone.localdate()
    authorised, *_, manager = _brand_setup(brand, valid_from=today - timedelta(days=30), valid_to=today)
    assert actor_of(manager).brand_dealer_ids == frozenset({authorised.pk})


def test_supplier_user(db, dealer):
    supplier = make_supplier()
    make_site(dealer)
    user = make_user(supplier, Role.SUPPLIER_USER)
    actor = actor_of(user)
    assert actor.supplier_ids == frozenset({supplier.pk})
    assert actor.own_dealers == {} and actor.brand_dealer_ids == frozenset()
    assert actor.company_ids == frozenset({supplier.pk})
    assert actor.has_perm("catalog.view_item") and not actor.has_perm("catalog.change_item")
    assert list(scoped(Site.objects.all(), actor)) == []


def test_superuser_is_platform_admin(superuser, dealer, other_dealer):
    make_site(dealer), make_site(other_dealer)
    actor = actor_of(superuser)
    assert actor.is_platform_admin is True
    assert actor.has_perm("anything.at_all")
    assert scoped(Site.objects.all(), actor, for_write=True).count() == 2


def test_api_key_scopes_are_carried(dealer):
    user = make_user(dealer, Role.MANAGER)
    key, _ = create_api_key(user=user, name="erp", scopes=["catalog:read", "org:write"])
    actor = actor_of(user, api_key=key)
    assert actor.api_scopes == frozenset({"catalog:read", "org:write"})
    assert actor.api_key_id == key.pk
    assert actor.allows_scope("org", write=False) and actor.allows_scope("org", write=True)
    assert actor.allows_scope("catalog", write=False) and not actor.allows_scope("catalog", write=True)
    assert actor_of(user).api_scopes is None
