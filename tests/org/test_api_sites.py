from decimal import Decimal

import pytest

from qudao.org.models import Site
from tests.factories import ApiClient, make_brand, make_site, make_user

URL = "/api/v1/org/sites"


def test_create_site_and_read_it_back(api, dealer, brand):
    response = api.post(
        URL,
        {
            "code": "WH-BJ",
            "name": "北京朝阳仓",
            "kind": "central_warehouse",
            "region_code": "110105",
            "brand_ids": [brand.pk],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["dealer_id"] == dealer.pk
    assert body["region_code"] == "110105"
    assert (body["latitude"], body["longitude"]) == ("39.921506", "116.443205")
    assert body["brand_ids"] == [brand.pk]
    got = api.get(f"{URL}/{body['id']}").json()
    assert got == body


def test_list_sites_filters_and_orders(api, dealer, other_dealer):
    make_site(dealer, code="B-STORE", name="朝阳店", kind="store", region=_region("110105"))
    make_site(dealer, code="A-WH", name="天津仓", kind="central_warehouse", region=_region("120101"))
    make_site(dealer, code="C-WH", name="石家庄仓", kind="regional_warehouse", region=_region("130102"))
    make_site(other_dealer, code="HIDDEN")
    codes = lambda **p: [s["code"] for s in api.get(URL, p).json()["items"]]  # noqa: E731
    assert codes() == ["A-WH", "B-STORE", "C-WH"]
    assert codes(kind="store") == ["B-STORE"]
    assert codes(region="110000") == ["B-STORE"]  # a province includes its districts
    assert codes(region="130100") == ["C-WH"]
    assert codes(search="仓", ordering="-code") == ["C-WH", "A-WH"]
    body = api.get(URL, {"page_size": 2}).json()
    assert (body["count"], len(body["items"]), body["page_size"]) == (3, 2, 2)


def _region(code):
    from qudao.org.models import Region

    return Region.objects.get(code=code)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"code": "A", "name": "a", "kind": "store", "latitude": "91", "longitude": "116"}, "latitude"),
        ({"code": "A", "name": "a", "kind": "store", "latitude": 39, "longitude": -181}, "longitude"),
        ({"code": "A", "name": "a", "kind": "store", "latitude": "abc", "longitude": 1}, "latitude"),
        ({"code": "A", "name": "a", "kind": "spaceport"}, "kind"),
        ({"code": "A" * 33, "name": "a", "kind": "store"}, "code"),
        ({"code": "A", "name": "a", "kind": "store", "colour": "red"}, "colour"),
        ({"code": "A", "name": "a", "kind": "store", "region_code": "1101"}, "region_code"),
        ({"name": "a", "kind": "store"}, "code"),
        ({"code": "A", "name": "a", "kind": "store", "brand_ids": ["x"]}, "brand_ids.0"),
    ],
)
def test_schema_errors_are_422_naming_the_field(api, body, field):
    response = api.post(URL, body)
    assert response.status_code == 422, response.content
    payload = response.json()
    assert payload["code"] == "validation_error"
    assert field in [d["field"] for d in payload["details"]]
    assert payload["request_id"]
    assert not Site.objects.exists()


def test_service_errors_are_422_naming_the_field(api, other_dealer):
    response = api.post(URL, {"code": "A", "name": "a", "kind": "store", "latitude": 30})
    assert response.status_code == 422
    assert response.json()["details"] == [
        {"field": "longitude", "message": "Give both the latitude and the longitude."}
    ]
    response = api.post(
        URL,
        {
            "dealer_id": other_dealer.pk,
            "code": "A",
            "name": "a",
            "kind": "store",
            "region_code": "999999",
            "brand_ids": [other_dealer.pk],
        },
    )
    assert response.status_code == 422
    assert {d["field"] for d in response.json()["details"]} == {"dealer_id", "region_code", "brand_ids"}


def test_duplicate_code_is_409(api, dealer):
    make_site(dealer, code="WH1")
    response = api.post(URL, {"code": "WH1", "name": "a", "kind": "store"})
    assert response.status_code == 409
    assert response.json()["code"] == "duplicate"
    assert response.json()["details"][0]["field"] == "code"


def test_patch_site(api, dealer):
    site = make_site(dealer, code="P1")
    response = api.patch(f"{URL}/{site.pk}", {"name": "新名", "latitude": "31.2", "longitude": 121.5})
    assert response.status_code == 200, response.content
    assert (response.json()["name"], response.json()["latitude"]) == ("新名", "31.200000")
    site.refresh_from_db()
    assert site.longitude == Decimal("121.500000")
    assert api.patch(f"{URL}/{site.pk}", {"name": None}).status_code == 422
    assert api.patch(f"{URL}/{site.pk}", {"kind": "moon"}).status_code == 422
    assert api.patch(f"{URL}/{site.pk}", {"latitude": 100}).json()["details"][0]["field"] == "latitude"


def test_another_dealers_site_is_404_everywhere(api, other_dealer):
    site = make_site(other_dealer)
    for response in (
        api.get(f"{URL}/{site.pk}"),
        api.patch(f"{URL}/{site.pk}", {"name": "x"}),
        api.delete(f"{URL}/{site.pk}"),
    ):
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert api.get(f"{URL}/999999").status_code == 404
    assert api.get(f"{URL}/abc").status_code == 422
    site.refresh_from_db()
    assert site.name != "x"


def test_brand_reads_authorised_dealer_sites_but_cannot_write(brand_api, dealer, authorised):
    site = make_site(dealer)
    assert brand_api.get(f"{URL}/{site.pk}").status_code == 200
    assert [s["id"] for s in brand_api.get(URL).json()["items"]] == [site.pk]
    assert brand_api.patch(f"{URL}/{site.pk}", {"name": "x"}).status_code == 403  # no org.change_site


def test_api_key_scopes(admin_user, dealer):
    site = make_site(dealer)
    reader = ApiClient(admin_user, scopes=("org:read",))
    assert reader.get(URL).status_code == 200
    refused = reader.post(URL, {"code": "A", "name": "a", "kind": "store"})
    assert refused.status_code == 403
    assert refused.json()["details"] == {"scope": "org:write"}
    catalog_only = ApiClient(admin_user, scopes=("catalog:read",))
    assert catalog_only.get(f"{URL}/{site.pk}").status_code == 403


def test_a_role_without_the_permission_is_refused(dealer):
    technician = ApiClient(make_user(dealer, "technician"))
    assert technician.get(URL).status_code == 200
    response = technician.post(URL, {"code": "A", "name": "a", "kind": "store"})
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_delete_site(api, dealer):
    site = make_site(dealer)
    assert api.delete(f"{URL}/{site.pk}").status_code == 204
    assert not Site.objects.filter(pk=site.pk).exists()


def test_delete_site_in_use_is_409(api, dealer):
    site = make_site(dealer)
    make_user(dealer, sites=[site])
    response = api.delete(f"{URL}/{site.pk}")
    assert response.status_code == 409
    assert response.json()["code"] == "in_use"


def test_unauthenticated_is_401(client, db):
    assert client.get(URL).status_code == 401


def test_brand_ids_must_be_brands(api, dealer):
    brand = make_brand()
    response = api.post(URL, {"code": "A", "name": "a", "kind": "store", "brand_ids": [brand.pk, dealer.pk]})
    assert response.status_code == 422
    assert response.json()["details"][0]["field"] == "brand_ids"
