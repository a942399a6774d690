"""Dealer staff manage portal accesses in the console: grant (through the service, so a user who is
not a retailer of this dealer is refused with a message), list only their own, revoke."""

from __future__ import annotations

import pytest
from django.urls import reverse

from qudao.accounts.models import Role
from qudao.portal.models import PortalAccess
from tests.factories import make_dealer, make_user
from tests.parties.factories import make_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def console(client, shop):
    admin = make_user(shop.world.dealer, Role.DEALER_ADMIN, is_staff=True)
    client.force_login(admin)
    return client


def test_grant_list_and_revoke_in_the_console(console, shop, dealer):
    foreign = PortalAccess.objects.create(
        dealer=(other := make_dealer()),
        user=make_user(other, Role.RETAILER_USER, username="their.owner"),
        customer=make_customer(other),
    )
    add = reverse("admin:portal_portalaccess_add")
    form = console.get(add).content.decode()
    assert shop.retailer.username in form and "their.owner" not in form
    response = console.post(
        add, {"user": shop.retailer.pk, "customer": shop.other_store.pk, "note": "分店"}, follow=True
    )
    assert response.status_code == 200
    access = PortalAccess.objects.get(user=shop.retailer, customer=shop.other_store)
    assert access.note == "分店" and access.is_active
    listing = console.get(reverse("admin:portal_portalaccess_changelist")).content.decode()
    assert shop.other_store.name in listing and "their.owner" not in listing
    assert console.get(reverse("admin:portal_portalaccess_change", args=[foreign.pk])).status_code == 302
    console.post(
        reverse("admin:portal_portalaccess_changelist"),
        {"action": "revoke", "_selected_action": [access.pk]},
    )
    access.refresh_from_db()
    assert not access.is_active


def test_a_user_who_is_not_a_retailer_cannot_be_chosen(console, shop, dealer):
    clerk = make_user(dealer, Role.WAREHOUSE_CLERK, username="clerk")
    response = console.post(
        reverse("admin:portal_portalaccess_add"),
        {"user": clerk.pk, "customer": shop.other_store.pk},
        follow=True,
    )
    assert response.status_code == 200 and "user" in response.context["adminform"].form.errors
    assert not PortalAccess.objects.filter(user=clerk).exists()
