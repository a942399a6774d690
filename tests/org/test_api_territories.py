from tests.factories import ApiClient, make_dealer, make_dealership, make_user
from tests.org.factories import BEIJING_CENTRE, SHANGHAI_AND_HANGZHOU, make_territory

URL = "/api/v1/org/territories"


def test_brand_manages_territories(brand_api, brand):
    response = brand_api.post(URL, {"code": "N", "name": "华北", "region_codes": ["110000", "120000"]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["owner_id"], body["region_codes"], body["polygon"]) == (brand.pk, ["110000", "120000"], None)
    patched = brand_api.patch(f"{URL}/{body['id']}", {"polygon": SHANGHAI_AND_HANGZHOU})
    assert patched.status_code == 200
    assert patched.json()["polygon"] == SHANGHAI_AND_HANGZHOU
    assert [t["code"] for t in brand_api.get(URL).json()["items"]] == ["N"]
    assert brand_api.get(f"{URL}/{body['id']}").json()["region_codes"] == ["110000", "120000"]


def test_territory_errors(brand_api, brand):
    bad_polygon = brand_api.post(
        URL,
        {
            "code": "P",
            "name": "p",
            "polygon": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},
        },
    )
    assert bad_polygon.status_code == 422
    assert bad_polygon.json()["details"][0]["field"] == "polygon"
    bad_code = brand_api.post(URL, {"code": "P", "name": "p", "region_codes": ["11000"]})
    assert (bad_code.status_code, bad_code.json()["details"][0]["field"]) == (422, "region_codes.0")
    make_territory(brand, code="DUP")
    assert brand_api.post(URL, {"code": "DUP", "name": "x"}).status_code == 409


def test_contains_endpoint(brand_api, brand):
    polygon = make_territory(brand, polygon=BEIJING_CENTRE)
    regions = make_territory(brand, region_codes=("110000",))
    check = lambda t, body: brand_api.post(f"{URL}/{t.pk}/contains", body)  # noqa: E731
    assert check(polygon, {"longitude": 116.40, "latitude": 39.91}).json() == {
        "inside": True,
        "method": "polygon",
        "region_code": None,
    }
    assert check(polygon, {"longitude": "121.47", "latitude": "31.23"}).json()["inside"] is False
    assert check(regions, {"region_code": "110105"}).json() == {
        "inside": True,
        "method": "regions",
        "region_code": "110105",
    }
    assert check(regions, {"region_code": "310101"}).json()["inside"] is False
    assert check(regions, {"longitude": 116.44, "latitude": 39.92}).json()["region_code"] == "110105"
    for body in (
        {},
        {"longitude": 116.4},
        {"longitude": 116.4, "latitude": 39.9, "region_code": "110105"},
        {"longitude": 200, "latitude": 39.9},
        {"region_code": "11"},
    ):
        response = check(regions, body)
        assert response.status_code == 422, body
        assert response.json()["code"] == "validation_error"
    assert check(regions, {"region_code": "999999"}).json()["details"][0]["field"] == "region_code"


def test_dealer_reads_the_territory_of_its_dealership_but_not_others(brand, dealer, api):
    mine = make_territory(brand, code="MINE")
    other = make_territory(brand, code="OTHER")
    make_dealership(brand, dealer, territory=mine)
    assert [t["code"] for t in api.get(URL).json()["items"]] == ["MINE"]
    assert api.get(f"{URL}/{other.pk}").status_code == 404
    assert api.post(f"{URL}/{other.pk}/contains", {"region_code": "110105"}).status_code == 404
    assert api.post(f"{URL}/{other.pk}/contains", {}).status_code == 404  # 404 whatever the body
    # readable is not writable
    assert api.patch(f"{URL}/{mine.pk}", {"name": "x"}).status_code == 404


def test_another_dealers_territory_is_404(api, other_dealer):
    theirs = make_territory(other_dealer)
    assert api.get(f"{URL}/{theirs.pk}").status_code == 404
    assert api.patch(f"{URL}/{theirs.pk}", {"name": "x"}).status_code == 404
    assert api.delete(f"{URL}/{theirs.pk}").status_code == 404


def test_dealer_defines_its_own_territories(api, dealer):
    response = api.post(URL, {"code": "D1", "name": "配送范围", "polygon": BEIJING_CENTRE})
    assert (response.status_code, response.json()["owner_id"]) == (201, dealer.pk)


def test_territory_scope_refusals(brand_user, brand):
    reader = ApiClient(brand_user, scopes=("org:read",))
    assert reader.post(URL, {"code": "X", "name": "x"}).status_code == 403
    territory = make_territory(brand)
    assert reader.post(f"{URL}/{territory.pk}/contains", {"region_code": "110105"}).status_code == 200
    clerk = ApiClient(make_user(make_dealer(), "warehouse_clerk"))
    assert clerk.post(URL, {"code": "X", "name": "x"}).status_code == 403
