"""Who may order for which store: a retailer only for the stores the dealer granted it, never for a
neighbour's, and never after the access is revoked."""

from __future__ import annotations

import pytest

from qudao.accounts.actors import build_actor
from qudao.accounts.models import Role
from qudao.core.errors import NotFound, PermissionDeniedError
from qudao.core.events import OutboxEvent
from qudao.portal.actors import build_portal_actor, customers_of, get_customer
from qudao.portal.errors import NotARetailer
from qudao.portal.models import PortalAccess
from qudao.portal.services import grant_portal_access, revoke_portal_access
from tests.factories import make_dealer, make_user
from tests.inventory.factories import ROOT
from tests.parties.factories import make_customer

pytestmark = pytest.mark.django_db


def test_a_retailer_orders_only_for_its_granted_stores(shop):
    actor = shop.actor()
    assert actor.customer_ids == {shop.store.pk}
    assert list(customers_of(actor)) == [shop.store]
    assert get_customer(actor, shop.store.pk) == shop.store
    with pytest.raises(NotFound):
        get_customer(actor, shop.other_store.pk)
    with pytest.raises(NotFound):
        get_customer(actor, "x")


def test_a_second_store_is_granted_by_a_sales_rep_and_revoked_by_the_admin(shop, dealer):
    rep = build_actor(shop.rep)
    access = grant_portal_access(
        actor=rep, data={"user_id": shop.retailer.pk, "customer_id": shop.other_store.pk, "note": "分店"}
    )
    assert build_portal_actor(shop.retailer).customer_ids == {shop.store.pk, shop.other_store.pk}
    assert OutboxEvent.objects.filter(topic="portal.access.granted").count() == 2
    admin = build_actor(make_user(dealer, Role.DEALER_ADMIN))
    revoke_portal_access(actor=admin, access_id=access.pk)
    assert build_portal_actor(shop.retailer).customer_ids == {shop.store.pk}
    assert OutboxEvent.objects.filter(topic="portal.access.revoked").count() == 1


def test_only_retailer_users_of_the_customers_dealer_get_access(shop, dealer):
    clerk = make_user(dealer, Role.WAREHOUSE_CLERK)
    with pytest.raises(NotARetailer):
        grant_portal_access(actor=ROOT, data={"user_id": clerk.pk, "customer_id": shop.store.pk})
    elsewhere = make_user(make_dealer(), Role.RETAILER_USER)
    with pytest.raises(NotARetailer):
        grant_portal_access(actor=ROOT, data={"user_id": elsewhere.pk, "customer_id": shop.store.pk})
    assert not PortalAccess.objects.filter(user__in=[clerk, elsewhere]).exists()


def test_staff_of_another_dealer_cannot_grant_or_revoke(shop):
    foreign = make_dealer()
    foreign_admin = build_actor(make_user(foreign, Role.DEALER_ADMIN))
    with pytest.raises(NotFound):
        grant_portal_access(
            actor=foreign_admin, data={"user_id": shop.retailer.pk, "customer_id": shop.other_store.pk}
        )
    access = PortalAccess.objects.get(user=shop.retailer)
    with pytest.raises(NotFound):
        revoke_portal_access(actor=foreign_admin, access_id=access.pk)
    clerk = build_actor(make_user(shop.world.dealer, Role.WAREHOUSE_CLERK))
    with pytest.raises(PermissionDeniedError):
        revoke_portal_access(actor=clerk, access_id=access.pk)
    assert PortalAccess.objects.get(pk=access.pk).is_active


def test_an_inactive_membership_or_a_store_of_another_dealer_gives_no_portal(shop):
    shop.retailer.memberships.update(is_active=False)
    assert build_portal_actor(shop.retailer) is None
    shop.retailer.memberships.update(is_active=True)
    # an access row pointing at another dealer's customer (e.g. written by hand) is ignored
    foreign_customer = make_customer(make_dealer())
    PortalAccess.objects.create(dealer=shop.world.dealer, user=shop.retailer, customer=foreign_customer)
    assert build_portal_actor(shop.retailer).customer_ids == {shop.store.pk}
