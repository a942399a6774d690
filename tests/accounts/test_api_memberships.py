"""/api/v1/accounts/memberships: who works where; the membership rules through the API."""

import pytest

from qudao.accounts.models import Membership, Role, User
from tests.accounts.factories import add_membership, make_supplier
from tests.factories import ApiClient, make_dealer, make_site, make_user

URL = "/api/v1/accounts/memberships"


@pytest.fixture
def second_dealer(admin_user):
    """A second dealer the same administrator runs."""
    second = make_dealer(name="第二家门店公司")
    add_membership(admin_user, second, Role.DEALER_ADMIN)
    return second


def _membership_of(user):
    return Membership.objects.get(user=user)


@pytest.mark.django_db
def test_list_memberships_of_my_companies(api, admin_user, colleague, stranger, dealer):
    body = api.get(URL).json()
    assert body["count"] == 2
    assert {(m["user_id"], m["role"]) for m in body["items"]} == {
        (admin_user.pk, "dealer_admin"),
        (colleague.pk, "sales_rep"),
    }
    item = next(m for m in body["items"] if m["user_id"] == colleague.pk)
    assert item["company_id"] == dealer.pk and item["company_name"] == dealer.name
    assert item["site_ids"] == [] and item["is_active"] is True
    assert [m["user_id"] for m in api.get(URL, {"role": "sales_rep"}).json()["items"]] == [colleague.pk]
    assert api.get(URL, {"user_id": stranger.pk}).json()["count"] == 0


@pytest.mark.django_db
def test_another_dealers_membership_is_not_found(api, stranger):
    membership = _membership_of(stranger)
    for response in (
        api.get(f"{URL}/{membership.pk}"),
        api.patch(f"{URL}/{membership.pk}", {"role": "finance"}),
        api.delete(f"{URL}/{membership.pk}"),
    ):
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    membership.refresh_from_db()
    assert (membership.role, membership.is_active) == ("sales_rep", True)


@pytest.mark.django_db
def test_grant_a_colleague_a_role_at_another_company(api, colleague, second_dealer):
    site = make_site(second_dealer)
    response = api.post(
        URL,
        {"user_id": colleague.pk, "company_id": second_dealer.pk, "role": "purchaser", "site_ids": [site.pk]},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["company_id"], body["role"], body["site_ids"]) == (second_dealer.pk, "purchaser", [site.pk])
    assert set(User.objects.get(pk=colleague.pk).groups.values_list("name", flat=True)) == {
        "role:sales_rep",
        "role:purchaser",
    }

    again = api.post(URL, {"user_id": colleague.pk, "company_id": second_dealer.pk, "role": "purchaser"})
    assert again.status_code == 409
    assert again.json()["code"] == "membership_exists"


@pytest.mark.django_db
def test_granting_a_former_role_reactivates_it(api, colleague, dealer):
    add_membership(colleague, dealer, Role.FINANCE)
    membership = _membership_of_role(colleague, "sales_rep")
    assert api.delete(f"{URL}/{membership.pk}").status_code == 204
    response = api.post(URL, {"user_id": colleague.pk, "company_id": dealer.pk, "role": "sales_rep"})
    assert response.status_code == 201
    assert response.json()["id"] == membership.pk and response.json()["is_active"] is True
    assert Membership.objects.filter(user=colleague).count() == 2


@pytest.mark.django_db
def test_grant_rules(api, dealer, colleague, admin_user, brand):
    # a user the administrator cannot see
    outsider = make_user(make_dealer(), Role.SALES_REP)
    response = api.post(URL, {"user_id": outsider.pk, "company_id": dealer.pk, "role": "sales_rep"})
    assert response.status_code == 422
    assert response.json()["details"][0]["field"] == "user_id"

    # a company where the actor works but does not administer
    shop = make_dealer()
    add_membership(admin_user, shop, Role.SALES_REP)
    response = api.post(URL, {"user_id": colleague.pk, "company_id": shop.pk, "role": "sales_rep"})
    assert response.status_code == 403
    assert response.json()["code"] == "company_not_administered"

    # the role must fit the company
    for role in ("brand_manager", "supplier_user"):
        response = api.post(URL, {"user_id": colleague.pk, "company_id": dealer.pk, "role": role})
        assert response.status_code == 422
        assert response.json()["code"] == "role_not_allowed_for_company"

    # sites must belong to the company
    other_site = make_site(shop)
    response = api.post(
        URL,
        {"user_id": colleague.pk, "company_id": dealer.pk, "role": "finance", "site_ids": [other_site.pk]},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "site_not_in_company"

    # unknown ids, wrong types, unknown fields
    assert (
        api.post(URL, {"user_id": colleague.pk, "company_id": 10**12, "role": "finance"}).json()["details"][
            0
        ]["field"]
        == "company_id"
    )
    assert (
        api.post(
            URL, {"user_id": colleague.pk, "company_id": dealer.pk, "role": "finance", "site_ids": [10**12]}
        ).json()["details"][0]["field"]
        == "site_ids"
    )
    assert api.post(URL, {"user_id": "x", "company_id": dealer.pk, "role": "finance"}).status_code == 422
    assert (
        api.post(
            URL, {"user_id": colleague.pk, "company_id": dealer.pk, "role": "finance", "is_active": False}
        ).status_code
        == 422
    )
    assert Membership.objects.filter(user=colleague).count() == 1


@pytest.mark.django_db
def test_inactive_company_cannot_get_members(api, superuser, colleague, second_dealer):
    second_dealer.is_active = False
    second_dealer.save()
    body = {"user_id": colleague.pk, "company_id": second_dealer.pk, "role": "sales_rep"}
    # an inactive company drops out of its administrators' companies altogether
    response = api.post(URL, body)
    assert response.status_code == 422
    assert response.json()["details"][0]["field"] == "company_id"
    response = ApiClient(superuser).post(URL, body)
    assert response.status_code == 422
    assert response.json()["code"] == "company_inactive"


@pytest.mark.django_db
def test_platform_admin_grants_supplier_and_brand_roles(superuser, colleague, brand):
    supplier = make_supplier()
    platform = ApiClient(superuser)
    response = platform.post(
        URL, {"user_id": colleague.pk, "company_id": supplier.pk, "role": "supplier_user"}
    )
    assert response.status_code == 201
    response = platform.post(URL, {"user_id": colleague.pk, "company_id": brand.pk, "role": "sales_rep"})
    assert response.status_code == 422 and response.json()["code"] == "role_not_allowed_for_company"
    response = platform.post(URL, {"user_id": colleague.pk, "company_id": brand.pk, "role": "brand_manager"})
    assert response.status_code == 201


@pytest.mark.django_db
def test_patch_role_and_sites(api, colleague, dealer):
    membership = _membership_of(colleague)
    site = make_site(dealer)
    response = api.patch(f"{URL}/{membership.pk}", {"role": "warehouse_clerk", "site_ids": [site.pk]})
    assert response.status_code == 200, response.content
    assert (response.json()["role"], response.json()["site_ids"]) == ("warehouse_clerk", [site.pk])
    assert list(User.objects.get(pk=colleague.pk).groups.values_list("name", flat=True)) == [
        "role:warehouse_clerk"
    ]
    # an empty list means every site again; omitted fields are unchanged
    response = api.patch(f"{URL}/{membership.pk}", {"site_ids": []})
    assert (response.json()["role"], response.json()["site_ids"]) == ("warehouse_clerk", [])
    assert (
        api.patch(f"{URL}/{membership.pk}", {"role": "brand_manager"}).json()["code"]
        == "role_not_allowed_for_company"
    )


@pytest.mark.django_db
def test_patch_into_an_existing_role_is_a_conflict(api, colleague, dealer):
    add_membership(colleague, dealer, Role.FINANCE, is_active=False)
    response = api.patch(f"{URL}/{_membership_of_role(colleague, 'sales_rep').pk}", {"role": "finance"})
    assert response.status_code == 409
    assert response.json()["code"] == "membership_exists"


def _membership_of_role(user, role):
    return Membership.objects.get(user=user, role=role)


@pytest.mark.django_db
def test_delete_deactivates_and_takes_console_access_away(api, colleague):
    membership = _membership_of(colleague)
    assert User.objects.get(pk=colleague.pk).is_staff is True
    response = api.delete(f"{URL}/{membership.pk}")
    assert response.status_code == 204
    membership.refresh_from_db()
    assert membership.is_active is False
    user = User.objects.get(pk=colleague.pk)
    assert user.is_staff is False and user.groups.count() == 0
    # reactivate through PATCH
    response = api.patch(f"{URL}/{membership.pk}", {"is_active": True})
    assert response.status_code == 200 and response.json()["is_active"] is True
    assert User.objects.get(pk=colleague.pk).is_staff is True


@pytest.mark.django_db
def test_a_company_keeps_its_last_administrator(api, admin_user, dealer):
    mine = Membership.objects.get(user=admin_user, company=dealer)
    for response in (api.delete(f"{URL}/{mine.pk}"), api.patch(f"{URL}/{mine.pk}", {"role": "manager"})):
        assert response.status_code == 409
        assert response.json()["code"] == "last_company_admin"
    mine.refresh_from_db()
    assert (mine.role, mine.is_active) == ("dealer_admin", True)

    # with a second administrator, stepping down is fine
    deputy = make_user(dealer, Role.DEALER_ADMIN)
    assert api.patch(f"{URL}/{mine.pk}", {"role": "manager"}).status_code == 200
    # an inactive user does not count as an administrator
    User.objects.filter(pk=deputy.pk).update(is_active=False)
    deputy_membership = Membership.objects.get(user=deputy)
    assert (
        ApiClient(make_user(dealer, Role.DEALER_ADMIN)).delete(f"{URL}/{deputy_membership.pk}").status_code
        == 204
    )


@pytest.mark.django_db
def test_sales_rep_reads_nothing_and_writes_nothing(dealer, colleague):
    rep = ApiClient(colleague)
    assert rep.get(URL).status_code == 403
    response = rep.delete(f"{URL}/{_membership_of(colleague).pk}")
    assert response.status_code == 403
    assert response.json()["details"] == {"permission": "accounts.delete_membership"}


@pytest.mark.django_db
def test_manager_reads_but_cannot_change(dealer, colleague):
    manager = ApiClient(make_user(dealer, Role.MANAGER))
    assert manager.get(URL).json()["count"] == 2
    response = manager.patch(f"{URL}/{_membership_of(colleague).pk}", {"role": "finance"})
    assert response.status_code == 403
