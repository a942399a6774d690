"""/api/v1/accounts/users: colleagues, creation with memberships, updates, deactivation."""

import pytest

from qudao.accounts.models import Membership, Role, User
from qudao.core.models import OutboxEvent
from tests.accounts.factories import add_membership
from tests.factories import ApiClient, make_brand, make_dealer, make_site, make_user

URL = "/api/v1/accounts/users"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
STRONG = "Quartz-Lantern-1984"


def _new_user(dealer, **overrides):
    body = {
        "username": "zhang.san",
        "password": STRONG,
        "email": "zhang.san@example.com",
        "first_name": "San",
        "last_name": "Zhang",
        "phone": "13800000000",
        "memberships": [{"company_id": dealer.pk, "role": "sales_rep"}],
    }
    body.update(overrides)
    return body


@pytest.mark.django_db
def test_list_colleagues_only(api, admin_user, colleague, stranger, dealer):
    body = api.get(URL).json()
    assert [u["username"] for u in body["items"]] == sorted([admin_user.username, "colleague"])
    assert body["count"] == 2
    item = next(u for u in body["items"] if u["username"] == "colleague")
    assert item["first_name"] == "Li" and item["email"] == "li.wei@example.com"
    assert [(m["company_id"], m["role"]) for m in item["memberships"]] == [(dealer.pk, "sales_rep")]
    assert "password" not in item


@pytest.mark.django_db
def test_list_shows_only_memberships_in_visible_companies(api, colleague, other_dealer, dealer):
    add_membership(colleague, other_dealer, Role.FINANCE)  # moonlighting elsewhere
    item = next(u for u in api.get(URL).json()["items"] if u["username"] == "colleague")
    assert [m["company_id"] for m in item["memberships"]] == [dealer.pk]


@pytest.mark.django_db
def test_list_filters_and_ordering(api, admin_user, colleague):
    assert [u["username"] for u in api.get(URL, {"role": "sales_rep"}).json()["items"]] == ["colleague"]
    assert [u["username"] for u in api.get(URL, {"q": "li.wei@"}).json()["items"]] == ["colleague"]
    names = [u["username"] for u in api.get(URL, {"ordering": "-username"}).json()["items"]]
    assert names == sorted(names, reverse=True)
    response = api.get(URL, {"ordering": "password"})
    assert response.status_code == 422
    assert response.json()["details"] == [{"field": "ordering", "message": "password"}]
    assert api.get(URL, {"role": "astronaut"}).status_code == 422


@pytest.mark.django_db
def test_another_dealers_user_is_not_found(api, stranger):
    for response in (
        api.get(f"{URL}/{stranger.pk}"),
        api.patch(f"{URL}/{stranger.pk}", {"first_name": "X"}),
        api.post(f"{URL}/{stranger.pk}/deactivate"),
        api.post(f"{URL}/{stranger.pk}/activate"),
    ):
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert User.objects.get(pk=stranger.pk).first_name == ""
    assert api.get(f"{URL}/999999999999").status_code == 404
    assert api.get(f"{URL}/99999999999999999999999").status_code in (404, 422)


@pytest.mark.django_db
def test_create_user_with_membership(api, dealer, admin_user):
    site = make_site(dealer)
    response = api.post(
        URL,
        _new_user(
            dealer, memberships=[{"company_id": dealer.pk, "role": "warehouse_clerk", "site_ids": [site.pk]}]
        ),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["username"] == "zhang.san" and body["is_staff"] is True and body["is_active"] is True
    assert [(m["role"], m["site_ids"]) for m in body["memberships"]] == [("warehouse_clerk", [site.pk])]

    user = User.objects.get(username="zhang.san")
    assert user.check_password(STRONG)
    assert user.phone == "13800000000"
    assert list(user.groups.values_list("name", flat=True)) == ["role:warehouse_clerk"]
    events = list(
        OutboxEvent.objects.filter(topic__startswith="accounts.")
        .order_by("id")
        .values_list("topic", "actor_id")
    )
    assert events == [
        ("accounts.membership.granted", admin_user.pk),
        ("accounts.user.created", admin_user.pk),
    ]
    # the new colleague is listed
    assert "zhang.san" in [u["username"] for u in api.get(URL).json()["items"]]


@pytest.mark.django_db
def test_password_is_validated_with_djangos_validators(api, dealer):
    response = api.post(URL, _new_user(dealer, password="12345"), **EN)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_password"
    messages = [d["message"] for d in body["details"]]
    assert {d["field"] for d in body["details"]} == {"password"}
    assert any("too short" in m for m in messages)
    assert any("entirely numeric" in m for m in messages)
    assert any("too common" in m for m in messages)
    assert not User.objects.filter(username="zhang.san").exists()


@pytest.mark.django_db
def test_password_similar_to_username_is_refused(api, dealer):
    response = api.post(URL, _new_user(dealer, username="quartzlantern", password="quartzlantern1"), **EN)
    assert response.status_code == 422
    assert any("too similar" in d["message"] for d in response.json()["details"])


@pytest.mark.django_db
def test_passwords_keep_their_spaces(api, dealer):
    assert api.post(URL, _new_user(dealer, password=f" {STRONG} ")).status_code == 201
    user = User.objects.get(username="zhang.san")
    assert user.check_password(f" {STRONG} ") and not user.check_password(STRONG)


@pytest.mark.django_db
def test_username_taken_regardless_of_case(api, dealer, colleague):
    response = api.post(URL, _new_user(dealer, username="Colleague"))
    assert response.status_code == 409
    assert response.json()["code"] == "username_taken"
    assert User.objects.filter(username__iexact="colleague").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"username": "x" * 151}, "username"),
        ({"username": "bad name!"}, "username"),
        ({"email": "not-an-email"}, "email"),
        ({"first_name": "x" * 151}, "first_name"),
        ({"phone": "1" * 41}, "phone"),
        ({"language": "klingon"}, "language"),
        ({"is_superuser": True}, "is_superuser"),
        ({"password": None}, "password"),
        ({"memberships": [{"company_id": "abc", "role": "sales_rep"}]}, "memberships.0.company_id"),
        ({"memberships": [{"company_id": 1, "role": "astronaut"}]}, "memberships.0.role"),
    ],
)
def test_create_user_validation(api, dealer, overrides, field):
    response = api.post(URL, _new_user(dealer, **overrides))
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "validation_error"
    assert field in {d["field"] for d in body["details"]}
    assert User.objects.count() == 1  # only the API client's user


@pytest.mark.django_db
def test_a_new_user_must_work_somewhere(api, dealer):
    response = api.post(URL, _new_user(dealer, memberships=[]))
    assert response.status_code == 422
    assert response.json()["code"] == "membership_required"


@pytest.mark.django_db
def test_membership_rules_on_creation(api, dealer, other_dealer, admin_user):
    # another dealer: not even visible
    response = api.post(
        URL, _new_user(dealer, memberships=[{"company_id": other_dealer.pk, "role": "sales_rep"}])
    )
    assert response.status_code == 422
    assert response.json()["details"][0]["field"] == "memberships.0.company_id"

    # a public brand is visible but not administered
    brand = make_brand()
    response = api.post(
        URL, _new_user(dealer, memberships=[{"company_id": brand.pk, "role": "brand_manager"}])
    )
    assert response.status_code == 403
    assert response.json()["code"] == "company_not_administered"

    # a brand role at a dealer
    response = api.post(
        URL, _new_user(dealer, memberships=[{"company_id": dealer.pk, "role": "brand_manager"}])
    )
    assert response.status_code == 422
    assert response.json()["code"] == "role_not_allowed_for_company"
    assert response.json()["details"][0]["field"] == "memberships.0.role"

    # a site of another company the admin also runs
    second = make_dealer()
    add_membership(admin_user, second, Role.DEALER_ADMIN)
    site = make_site(second)
    response = api.post(
        URL,
        _new_user(
            dealer, memberships=[{"company_id": dealer.pk, "role": "sales_rep", "site_ids": [site.pk]}]
        ),
    )
    assert response.status_code == 422
    assert response.json()["code"] == "site_not_in_company"
    assert response.json()["details"] == [{"field": "memberships.0.site_ids", "ids": [site.pk]}]

    # all or nothing: the first membership is fine, the second is not
    response = api.post(
        URL,
        _new_user(
            dealer,
            memberships=[
                {"company_id": dealer.pk, "role": "sales_rep"},
                {"company_id": dealer.pk, "role": "supplier_user"},
            ],
        ),
    )
    assert response.status_code == 422
    assert response.json()["details"][0]["field"] == "memberships.1.role"
    assert not User.objects.filter(username="zhang.san").exists()
    assert not OutboxEvent.objects.filter(topic__startswith="accounts.").exists()


@pytest.mark.django_db
def test_sales_rep_cannot_create_users(dealer):
    rep = ApiClient(make_user(dealer, Role.SALES_REP))
    response = rep.post(URL, _new_user(dealer))
    assert response.status_code == 403
    assert response.json()["details"] == {"permission": "accounts.add_user"}
    assert rep.get(URL).status_code == 403


@pytest.mark.django_db
def test_platform_admin_creates_a_user_without_membership(superuser):
    response = ApiClient(superuser).post(URL, {"username": "auditor", "password": STRONG})
    assert response.status_code == 201
    assert response.json()["memberships"] == [] and response.json()["is_staff"] is False


@pytest.mark.django_db
def test_update_user(api, colleague):
    response = api.patch(
        f"{URL}/{colleague.pk}", {"first_name": "Wei", "phone": "021-1234", "language": "en"}
    )
    assert response.status_code == 200, response.content
    colleague.refresh_from_db()
    assert (colleague.first_name, colleague.last_name, colleague.phone, colleague.language) == (
        "Wei",
        "Wei",
        "021-1234",
        "en",
    )
    assert colleague.history.first().first_name == "Wei"  # the audit trail


@pytest.mark.django_db
def test_update_password(api, colleague):
    response = api.patch(f"{URL}/{colleague.pk}", {"password": "short"})
    assert response.status_code == 422 and response.json()["code"] == "invalid_password"
    assert api.patch(f"{URL}/{colleague.pk}", {"password": STRONG}).status_code == 200
    assert User.objects.get(pk=colleague.pk).check_password(STRONG)


@pytest.mark.django_db
def test_update_validation(api, colleague):
    for payload, field in (
        ({"email": "nope"}, "email"),
        ({"username": "renamed"}, "username"),
        ({"is_staff": True}, "is_staff"),
    ):
        response = api.patch(f"{URL}/{colleague.pk}", payload)
        assert response.status_code == 422
        assert field in {d["field"] for d in response.json()["details"]}
    assert User.objects.get(pk=colleague.pk).email == "li.wei@example.com"


@pytest.mark.django_db
def test_a_user_shared_with_another_company_is_not_managed_here(api, colleague, other_dealer):
    add_membership(colleague, other_dealer, Role.FINANCE)
    response = api.patch(f"{URL}/{colleague.pk}", {"password": STRONG})
    assert response.status_code == 403
    assert response.json()["code"] == "user_managed_elsewhere"
    assert api.post(f"{URL}/{colleague.pk}/deactivate").json()["code"] == "user_managed_elsewhere"
    assert User.objects.get(pk=colleague.pk).is_active is True


@pytest.mark.django_db
def test_deactivate_and_activate(api, colleague, admin_user):
    colleague_api = ApiClient(colleague)
    assert colleague_api.get("/api/v1/system/me").status_code == 200
    response = api.post(f"{URL}/{colleague.pk}/deactivate")
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert colleague_api.get("/api/v1/system/me").status_code == 401
    # still listed (memberships stay), and can be brought back
    assert api.get(URL, {"is_active": "false"}).json()["items"][0]["username"] == "colleague"
    assert api.post(f"{URL}/{colleague.pk}/activate").json()["is_active"] is True
    assert colleague_api.get("/api/v1/system/me").status_code == 200

    response = api.post(f"{URL}/{admin_user.pk}/deactivate")
    assert response.status_code == 409
    assert response.json()["code"] == "cannot_deactivate_self"


@pytest.mark.django_db
def test_brand_manager_manages_brand_users_only(brand):
    manager = make_user(brand, Role.BRAND_MANAGER)
    brand_api = ApiClient(manager)
    response = brand_api.post(
        URL,
        {
            "username": "region.east",
            "password": STRONG,
            "memberships": [{"company_id": brand.pk, "role": "brand_manager"}],
        },
    )
    assert response.status_code == 201
    dealer = make_dealer()
    response = brand_api.post(
        URL,
        {
            "username": "intruder",
            "password": STRONG,
            "memberships": [{"company_id": dealer.pk, "role": "dealer_admin"}],
        },
    )
    assert response.status_code == 422  # the dealer is not even visible to the brand
    assert Membership.objects.filter(company=brand).count() == 2
