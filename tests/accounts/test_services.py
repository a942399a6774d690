"""The services called directly (the API and console tests cover their wiring)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qudao.accounts import errors
from qudao.accounts.models import Membership, Role, User
from qudao.accounts.services import memberships, users
from qudao.core.models import OutboxEvent
from tests.accounts.factories import actor_of, add_membership, make_supplier
from tests.factories import make_dealer, make_site, make_user

STRONG = "Quartz-Lantern-1984"


@pytest.mark.django_db
def test_create_user_resolves_ids_and_grants(admin_user, dealer):
    site = make_site(dealer)
    user = users.create_user(
        actor=actor_of(admin_user),
        username="qian.qi",
        password=STRONG,
        language="en",
        memberships=[users.MembershipSpec(company_id=dealer.pk, role=Role.FINANCE, site_ids=(site.pk,))],
    )
    membership = Membership.objects.get(user=user)
    assert (membership.company_id, membership.role, list(membership.sites.all())) == (
        dealer.pk,
        "finance",
        [site],
    )
    assert user.language == "en" and user.is_staff is True
    event = OutboxEvent.objects.get(topic="accounts.membership.granted")
    assert event.dealer_id == dealer.pk
    assert event.payload == {
        "membership_id": membership.pk,
        "user_id": user.pk,
        "company_id": dealer.pk,
        "role": "finance",
        "site_ids": [site.pk],
        "is_active": True,
    }


@pytest.mark.django_db
def test_a_concurrent_duplicate_username_is_a_conflict(admin_user, dealer, monkeypatch, colleague):
    monkeypatch.setattr(users, "check_username_free", lambda username, exclude_pk=None: None)
    with pytest.raises(errors.UsernameTaken) as info:
        users.create_user(
            actor=actor_of(admin_user),
            username="colleague",
            password=STRONG,
            memberships=[users.MembershipSpec(company_id=dealer.pk, role=Role.SALES_REP)],
        )
    assert info.value.status == 409
    assert User.objects.filter(username="colleague").count() == 1


@pytest.mark.django_db
def test_can_manage_account(admin_user, colleague, superuser, other_dealer):
    actor = actor_of(admin_user)
    assert users.can_manage_account(actor=actor, user=colleague) is True
    assert users.can_manage_account(actor=actor, user=admin_user) is True  # oneself
    assert users.can_manage_account(actor=actor, user=superuser) is False
    add_membership(colleague, other_dealer, Role.SALES_REP)
    assert users.can_manage_account(actor=actor, user=colleague) is False
    assert users.can_manage_account(actor=actor_of(superuser), user=colleague) is True


@pytest.mark.django_db
def test_update_user_records_only_real_changes(admin_user, colleague):
    users.update_user(actor=actor_of(admin_user), user=colleague, first_name="Li")  # unchanged
    assert not OutboxEvent.objects.filter(topic="accounts.user.updated").exists()
    users.update_user(actor=actor_of(admin_user), user=colleague, first_name="Lee", password=STRONG)
    event = OutboxEvent.objects.get(topic="accounts.user.updated")
    assert event.payload == {"user_id": colleague.pk, "fields": ["first_name", "password"]}


@pytest.mark.django_db
def test_platform_admin_may_leave_a_company_without_administrator(superuser, admin_user, dealer):
    mine = Membership.objects.get(user=admin_user)
    with pytest.raises(errors.LastCompanyAdmin):
        memberships.deactivate_membership(actor=actor_of(admin_user), membership=mine)
    memberships.deactivate_membership(actor=actor_of(superuser), membership=mine)
    mine.refresh_from_db()
    assert mine.is_active is False


@pytest.mark.django_db
def test_brand_manager_is_the_brand_administrator(brand):
    first = make_user(brand, Role.BRAND_MANAGER)
    membership = Membership.objects.get(user=first)
    with pytest.raises(errors.LastCompanyAdmin):
        memberships.update_membership(actor=actor_of(first), membership=membership, is_active=False)


@pytest.mark.django_db
def test_supplier_company_takes_supplier_users_only(superuser, colleague):
    supplier = make_supplier()
    actor = actor_of(superuser)
    with pytest.raises(errors.RoleNotAllowedForCompany) as info:
        memberships.grant_membership(actor=actor, user=colleague, company=supplier, role=Role.SALES_REP)
    assert info.value.details == [{"field": "role", "role": "sales_rep", "needs": "dealer"}]
    granted = memberships.grant_membership(
        actor=actor, user=colleague, company=supplier, role=Role.SUPPLIER_USER
    )
    assert granted.is_active and actor_of(colleague).supplier_ids == frozenset({supplier.pk})


@pytest.mark.django_db
def test_failed_grant_leaves_nothing_behind(admin_user, colleague, dealer):
    other_site = make_site(make_dealer())
    with pytest.raises(errors.SiteNotInCompany):
        memberships.grant_membership(
            actor=actor_of(admin_user), user=colleague, company=dealer, role=Role.FINANCE, sites=[other_site]
        )
    assert Membership.objects.filter(user=colleague).count() == 1
    assert not OutboxEvent.objects.exists()


@pytest.mark.django_db
def test_listing_colleagues_costs_the_same_for_many(api, dealer):
    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("/api/v1/accounts/users").status_code == 200
        return len(ctx.captured_queries)

    count_queries()  # the key's first use records last_used_at
    for _ in range(2):
        make_user(dealer, Role.SALES_REP, sites=[make_site(dealer)])
    few = count_queries()
    for _ in range(8):
        make_user(dealer, Role.SALES_REP, sites=[make_site(dealer)])
    assert count_queries() == few
    assert few <= 10
