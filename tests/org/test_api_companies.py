import pytest

from qudao.org.models import Company
from tests.factories import ApiClient, make_company, make_user

URL = "/api/v1/org/companies"


def test_dealer_lists_itself_its_registered_companies_and_the_directory(api, dealer, other_dealer, brand):
    own_supplier = make_company(roles=("supplier",), owner=dealer, code="S-OWN", name="自有供应商")
    make_company(roles=("supplier",), owner=other_dealer, code="S-OTHER")
    codes = [c["code"] for c in api.get(URL).json()["items"]]
    assert codes == sorted([dealer.code, own_supplier.code, brand.code])
    assert [c["code"] for c in api.get(URL, {"role": "brand"}).json()["items"]] == [brand.code]
    assert [c["code"] for c in api.get(URL, {"search": "自有"}).json()["items"]] == ["S-OWN"]
    ordered = api.get(URL, {"ordering": "-code"}).json()["items"]
    assert [c["code"] for c in ordered] == sorted(codes, reverse=True)
    assert api.get(URL, {"role": "emperor"}).status_code == 422
    bad_order = api.get(URL, {"ordering": "credit_code"})
    assert bad_order.status_code == 422
    assert bad_order.json()["details"] == [{"field": "ordering", "message": "credit_code"}]


def test_create_supplier(api, dealer):
    response = api.post(
        URL,
        {
            "code": "SUP-9",
            "name": "华南物流",
            "is_carrier": True,
            "credit_code": "91110000600037341L",
            "region_code": "440106",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["owner_id"], body["roles"], body["region_code"]) == (dealer.pk, ["carrier"], "440106")
    assert api.get(f"{URL}/{body['id']}").json()["name"] == "华南物流"


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        (
            {"code": "X", "name": "x", "is_carrier": True, "credit_code": "91110000600037341X"},
            422,
            "validation_error",
            "credit_code",
        ),
        ({"code": "X", "name": "x"}, 422, "validation_error", "roles"),
        (
            {"code": "X", "name": "x", "is_carrier": True, "currency": "RMBX"},
            422,
            "validation_error",
            "currency",
        ),
        ({"code": "X", "name": "x", "is_carrier": "perhaps"}, 422, "validation_error", "is_carrier"),
        ({"code": "X", "name": "n" * 201, "is_carrier": True}, 422, "validation_error", "name"),
        (
            {"code": "X", "name": "x", "is_carrier": True, "region_code": "123456"},
            422,
            "validation_error",
            "region_code",
        ),
        ({"code": "X", "name": "x", "is_dealer": True}, 403, "platform_admin_only", "is_dealer"),
    ],
)
def test_create_company_errors(api, body, status, code, field):
    response = api.post(URL, body)
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert field in [d["field"] for d in response.json()["details"]]
    assert not Company.objects.filter(code="X").exists()


def test_duplicate_company_code_is_409(api, dealer):
    response = api.post(URL, {"code": dealer.code, "name": "x", "is_carrier": True})
    assert (response.status_code, response.json()["code"]) == (409, "duplicate")


def test_patch_and_404(api, dealer, other_dealer):
    supplier = make_company(roles=("supplier",), owner=dealer)
    response = api.patch(f"{URL}/{supplier.pk}", {"phone": "021-12345678", "region_code": None})
    assert response.status_code == 200
    assert response.json()["phone"] == "021-12345678"
    foreign = make_company(roles=("supplier",), owner=other_dealer)
    assert api.get(f"{URL}/{foreign.pk}").status_code == 404
    assert api.patch(f"{URL}/{foreign.pk}", {"phone": "1"}).status_code == 404
    assert api.get(f"{URL}/{other_dealer.pk}").status_code == 404


def test_directory_entries_are_read_only(api, brand):
    assert api.get(f"{URL}/{brand.pk}").status_code == 200
    assert api.patch(f"{URL}/{brand.pk}", {"name": "hijacked"}).status_code == 404
    brand.refresh_from_db()
    assert brand.name == "长城汽车"


def test_delete_needs_a_platform_admin(api, platform_api, dealer):
    typo = make_company(roles=("carrier",), owner=dealer)
    assert api.delete(f"{URL}/{typo.pk}").status_code == 403
    assert platform_api.delete(f"{URL}/{typo.pk}").status_code == 204
    in_use = platform_api.delete(f"{URL}/{dealer.pk}")
    assert (in_use.status_code, in_use.json()["code"]) == (409, "in_use")


def test_platform_admin_opens_a_dealer(platform_api):
    response = platform_api.post(URL, {"code": "D-NEW", "name": "新经销商", "is_dealer": True})
    assert response.status_code == 201
    assert response.json()["owner_id"] is None


def test_read_only_key_cannot_create(admin_user):
    reader = ApiClient(admin_user, scopes=("org:read",))
    assert reader.post(URL, {"code": "X", "name": "x", "is_carrier": True}).status_code == 403


def test_supplier_user_sees_its_own_company(db):
    supplier = make_company(roles=("supplier",))
    client = ApiClient(make_user(supplier, "supplier_user"))
    assert [c["id"] for c in client.get(URL).json()["items"]] == [supplier.pk]
