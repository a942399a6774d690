from tests.factories import ApiClient

URL = "/api/v1/org/regions"


def test_get_region(api):
    response = api.get(f"{URL}/110105")
    assert response.status_code == 200
    assert response.json() == {
        "code": "110105",
        "name": "朝阳区",
        "level": "district",
        "parent_code": "110100",
        "latitude": "39.921506",
        "longitude": "116.443205",
        "coordinates_source": "cpca",
    }
    assert api.get(f"{URL}/000000").status_code == 404
    assert api.get(f"{URL}/11").status_code == 422


def test_list_regions_filters(api):
    provinces = api.get(URL, {"level": "province", "page_size": 200}).json()
    assert provinces["count"] == 34
    assert provinces["items"][0]["code"] == "110000"
    chaoyang = api.get(URL, {"search": "朝阳区"}).json()["items"]
    assert {r["code"] for r in chaoyang} == {"110105", "220104"}  # 北京 and 长春 both have one
    assert [r["code"] for r in api.get(URL, {"search": "1101", "level": "district"}).json()["items"]][:2] == [
        "110101",
        "110102",
    ]
    beijing_districts = api.get(URL, {"parent": "110100"}).json()
    assert beijing_districts["count"] == 16
    assert api.get(URL, {"level": "village"}).status_code == 422


def test_children(api):
    response = api.get(f"{URL}/110000/children")
    assert response.status_code == 200
    assert [r["code"] for r in response.json()] == ["110100"]
    assert len(api.get(f"{URL}/110100/children").json()) == 16
    assert api.get(f"{URL}/110105/children").json() == []
    assert api.get(f"{URL}/999999/children").status_code == 404


def test_regions_are_read_only_and_need_a_key(api, admin_user, client, db):
    assert api.post(URL, {"code": "999999"}).status_code == 405
    assert client.get(URL).status_code == 401
    assert ApiClient(admin_user, scopes=("catalog:read",)).get(URL).status_code == 403
