"""The console pages of the accounts app: they load, are scoped, and obey the access rules."""

import hashlib
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from qudao.accounts.models import ApiKey, LoginFailure, Membership, Role, User
from qudao.accounts.services.api_keys import create_api_key
from tests.accounts.factories import add_membership
from tests.factories import make_dealer, make_site

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _url(model, view="changelist", *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def console(client, admin_user):
    """The dealer administrator signed in to the console."""
    client.force_login(admin_user)
    return client


@pytest.fixture
def platform(client, superuser):
    client.force_login(superuser)
    return client


@pytest.mark.django_db
def test_every_page_loads_for_the_platform_admin(platform, admin_user, superuser):
    membership = Membership.objects.get(user=admin_user)
    key, _ = create_api_key(user=superuser, name="k", scopes=["*"])
    failure = LoginFailure.objects.create(username="x")
    group = Group.objects.get(name="role:dealer_admin")
    pages = [
        _url(User),
        _url(User, "add"),
        _url(User, "change", admin_user.pk),
        _url(User, "history", admin_user.pk),
        reverse("admin:auth_user_password_change", args=[admin_user.pk]),
        _url(Membership),
        _url(Membership, "add"),
        _url(Membership, "change", membership.pk),
        _url(ApiKey),
        _url(ApiKey, "add"),
        _url(ApiKey, "change", key.pk),
        _url(LoginFailure),
        _url(LoginFailure, "change", failure.pk),
        _url(Group),
        _url(Group, "add"),
        _url(Group, "change", group.pk),
        _url(User, "export"),
        _url(User, "import"),
        _url(Membership, "export"),
    ]
    for page in pages:
        response = platform.get(page, **EN)
        assert response.status_code == 200, page


@pytest.mark.django_db
def test_dealer_admin_pages_load_and_are_scoped(console, admin_user, colleague, stranger):
    response = console.get(_url(User), **EN)
    assert response.status_code == 200
    page = response.content.decode()
    assert "colleague" in page and "stranger" not in page
    assert console.get(_url(User, "change", colleague.pk), **EN).status_code == 200
    assert console.get(_url(User, "add"), **EN).status_code == 200
    assert console.get(_url(Membership), **EN).status_code == 200
    assert console.get(_url(ApiKey), **EN).status_code == 200
    assert console.get(_url(ApiKey, "add"), **EN).status_code == 200
    # another dealer's user: "does not exist" (redirect to the index), never the page
    response = console.get(_url(User, "change", stranger.pk), **EN)
    assert response.status_code == 302
    # platform-only pages
    assert console.get(_url(LoginFailure), **EN).status_code == 403
    assert console.get(_url(User, "import"), **EN).status_code == 403


@pytest.mark.django_db
def test_dealer_admin_cannot_grant_superuser_powers(console, colleague):
    page = console.get(_url(User, "change", colleague.pk), **EN).content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="groups"' not in page
    assert 'name="is_staff"' not in page
    response = console.post(
        _url(User, "change", colleague.pk),
        {
            "username": "colleague",
            "first_name": "Li",
            "last_name": "Wei",
            "email": "li.wei@example.com",
            "phone": "",
            "language": "zh-hans",
            "is_active": "on",
            "is_superuser": "on",
            "is_staff": "",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "1",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        },
        **EN,
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    colleague.refresh_from_db()
    assert colleague.is_superuser is False
    assert colleague.is_staff is True  # follows the membership


@pytest.mark.django_db
def test_a_shared_user_is_read_only_for_one_company(console, colleague, other_dealer):
    add_membership(colleague, other_dealer, Role.FINANCE)
    page = console.get(_url(User, "change", colleague.pk), **EN).content.decode()
    assert 'name="first_name"' not in page  # view only
    response = console.get(reverse("admin:auth_user_password_change", args=[colleague.pk]), **EN)
    assert response.status_code == 403


@pytest.mark.django_db
def test_dealer_admin_adds_a_user_with_company_and_role(console, dealer):
    response = console.post(
        _url(User, "add"),
        {
            "username": "zhao.liu",
            "usable_password": "true",
            "password1": "Quartz-Lantern-1984",
            "password2": "Quartz-Lantern-1984",
            "first_name": "Liu",
            "last_name": "Zhao",
            "email": "",
            "phone": "",
            "company": dealer.pk,
            "role": Role.SERVICE_ADVISOR,
        },
        **EN,
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="zhao.liu")
    assert list(user.memberships.values_list("company_id", "role")) == [(dealer.pk, "service_advisor")]
    assert user.is_staff is True and user.check_password("Quartz-Lantern-1984")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"company": ""}, "This field is required"),
        ({"role": Role.BRAND_MANAGER}, "needs a company that is a brand"),
        ({"password1": "123", "password2": "123"}, "too short"),
        ({"username": "Colleague"}, "already exists"),
    ],
)
def test_console_user_creation_rules(console, dealer, colleague, changes, message):
    data = {
        "username": "zhao.liu",
        "usable_password": "true",
        "password1": "Quartz-Lantern-1984",
        "password2": "Quartz-Lantern-1984",
        "company": dealer.pk,
        "role": Role.SALES_REP,
    }
    data.update(changes)
    response = console.post(_url(User, "add"), data, **EN)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username__in=["zhao.liu", "Colleague"]).exists()


@pytest.mark.django_db
def test_membership_form_limits_sites_to_the_company(console, admin_user, dealer, colleague):
    own_site = make_site(dealer, name="上海仓")
    second = make_dealer()
    add_membership(admin_user, second, Role.DEALER_ADMIN)
    foreign_site = make_site(second, name="杭州仓")
    membership = Membership.objects.get(user=colleague)
    page = console.get(_url(Membership, "change", membership.pk), **EN).content.decode()
    assert "上海仓" in page and "杭州仓" not in page

    # posting a site of another company is refused
    response = console.post(
        _url(Membership, "change", membership.pk),
        {"role": Role.SALES_REP, "sites": [foreign_site.pk], "is_active": "on"},
        **EN,
    )
    assert response.status_code == 200
    assert membership.sites.count() == 0

    response = console.post(
        _url(Membership, "change", membership.pk),
        {"role": Role.WAREHOUSE_CLERK, "sites": [own_site.pk], "is_active": "on"},
        **EN,
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.WAREHOUSE_CLERK and list(membership.sites.all()) == [own_site]
    assert list(User.objects.get(pk=colleague.pk).groups.values_list("name", flat=True)) == [
        "role:warehouse_clerk"
    ]


@pytest.mark.django_db
def test_membership_form_rules(console, admin_user, dealer, colleague):
    mine = Membership.objects.get(user=admin_user)
    response = console.post(
        _url(Membership, "change", mine.pk), {"role": Role.MANAGER, "is_active": "on"}, **EN
    )
    assert response.status_code == 200
    assert "would have no administrator left" in response.content.decode()
    mine.refresh_from_db()
    assert mine.role == Role.DEALER_ADMIN

    response = console.post(
        _url(Membership, "add"),
        {"user": colleague.pk, "company": dealer.pk, "role": Role.SUPPLIER_USER, "is_active": "on"},
        **EN,
    )
    assert response.status_code == 200
    assert "needs a company that is a supplier" in response.content.decode()

    response = console.post(
        _url(Membership, "add"),
        {"user": colleague.pk, "company": dealer.pk, "role": Role.FINANCE, "is_active": "on"},
        **EN,
    )
    assert response.status_code == 302
    assert set(Membership.objects.filter(user=colleague).values_list("role", flat=True)) == {
        "sales_rep",
        "finance",
    }


@pytest.mark.django_db
def test_membership_deactivate_action(console, admin_user, colleague):
    membership = Membership.objects.get(user=colleague)
    mine = Membership.objects.get(user=admin_user)
    response = console.post(
        _url(Membership),
        {"action": "deactivate_selected", "_selected_action": [membership.pk, mine.pk]},
        **EN,
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    mine.refresh_from_db()
    assert membership.is_active is False
    assert mine.is_active is True  # the last administrator stays
    assert User.objects.get(pk=colleague.pk).is_staff is False


@pytest.mark.django_db
def test_api_key_add_shows_the_token_once(console, admin_user):
    response = console.post(
        _url(ApiKey, "add"),
        {
            "name": "门店收银",
            "scopes": ["catalog:read", "parties:write"],
            "expires_at_0": "",
            "expires_at_1": "",
        },
        follow=True,
        **EN,
    )
    assert response.status_code == 200
    page = response.content.decode()
    match = re.search(r"qd_[0-9a-f]{8}_[A-Za-z0-9_-]{43}", page)
    assert match, page[:3000]
    key = ApiKey.objects.get(name="门店收银")
    assert key.user == admin_user
    assert key.scopes == ["catalog:read", "parties:write"]
    assert key.hashed_key == hashlib.sha256(match.group(0).encode()).hexdigest()
    # never again
    assert match.group(0) not in console.get(_url(ApiKey, "change", key.pk), **EN).content.decode()
    assert match.group(0) not in console.get(_url(ApiKey), **EN).content.decode()
    assert key.hashed_key not in console.get(_url(ApiKey, "change", key.pk), **EN).content.decode()


@pytest.mark.django_db
def test_api_key_add_validation(console):
    response = console.post(
        _url(ApiKey, "add"),
        {"name": "x", "scopes": ["*"], "expires_at_0": "2020-01-01", "expires_at_1": "00:00:00"},
        **EN,
    )
    assert response.status_code == 200
    assert "must be in the future" in response.content.decode()
    response = console.post(_url(ApiKey, "add"), {"name": "x", "scopes": ["bogus:write"]}, **EN)
    assert response.status_code == 200
    assert not ApiKey.objects.filter(name="x").exists()


@pytest.mark.django_db
def test_api_key_revoke_action_only_touches_my_keys(console, admin_user, colleague):
    mine, _ = create_api_key(user=admin_user, name="mine", scopes=["*"])
    theirs, _ = create_api_key(user=colleague, name="theirs", scopes=["*"])
    response = console.post(
        _url(ApiKey), {"action": "revoke_selected", "_selected_action": [mine.pk, theirs.pk]}, **EN
    )
    assert response.status_code == 302
    assert ApiKey.objects.get(pk=mine.pk).revoked_at is not None
    assert ApiKey.objects.get(pk=theirs.pk).revoked_at is None


@pytest.mark.django_db
def test_role_groups_are_read_only(platform):
    role_group = Group.objects.get(name="role:sales_rep")
    response = platform.post(_url(Group, "change", role_group.pk), {"name": "renamed"}, **EN)
    assert response.status_code == 403
    assert Group.objects.filter(name="role:sales_rep").exists()
    custom = Group.objects.create(name="auditors")
    response = platform.post(_url(Group, "change", custom.pk), {"name": "auditors-2"}, **EN)
    assert response.status_code == 302
    assert Group.objects.filter(name="auditors-2").exists()


@pytest.mark.django_db
def test_user_history_is_recorded(platform, colleague):
    response = platform.post(
        _url(User, "change", colleague.pk),
        {
            "username": "colleague",
            "first_name": "Lee",
            "last_name": "Wei",
            "email": "li.wei@example.com",
            "phone": "",
            "language": "zh-hans",
            "is_active": "on",
            "is_staff": "on",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "1",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        },
        **EN,
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert colleague.history.first().first_name == "Lee"
    page = platform.get(_url(User, "history", colleague.pk), **EN).content.decode()
    assert "Lee" in page


@pytest.mark.django_db
def test_user_autocomplete_offers_colleagues_only(console, colleague, stranger):
    response = console.get(
        "/admin/autocomplete/",
        {"app_label": "accounts", "model_name": "membership", "field_name": "user", "term": ""},
        **EN,
    )
    assert response.status_code == 200
    names = {item["text"] for item in response.json()["results"]}
    assert "colleague" in names and "stranger" not in names
