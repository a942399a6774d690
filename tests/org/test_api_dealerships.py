from tests.factories import ApiClient, make_brand, make_dealer, make_dealership
from tests.org.factories import make_brand_user, make_territory

URL = "/api/v1/org/dealerships"


def test_brand_grants_and_manages_a_dealership(brand_api, brand):
    dealer = make_dealer(is_public=True)
    territory = make_territory(brand)
    response = brand_api.post(
        URL,
        {
            "dealer_id": dealer.pk,
            "dealer_code": "GW-1",
            "territory_id": territory.pk,
            "channel_kinds": ["ka"],
            "valid_from": "2026-01-01",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["brand_id"], body["status"], body["valid_to"]) == (brand.pk, "active", None)
    patched = brand_api.patch(f"{URL}/{body['id']}", {"status": "suspended", "valid_to": "2026-12-31"})
    assert patched.status_code == 200
    assert (patched.json()["status"], patched.json()["valid_to"]) == ("suspended", "2026-12-31")
    terminated = brand_api.patch(f"{URL}/{body['id']}", {"status": "terminated"})
    assert terminated.json()["status"] == "terminated"
    refused = brand_api.patch(f"{URL}/{body['id']}", {"status": "active"})
    assert (refused.status_code, refused.json()["code"]) == (409, "invalid_transition")


def test_dealership_errors(brand_api, brand):
    dealer = make_dealer(is_public=True)
    for body, field in (
        ({"dealer_id": dealer.pk, "valid_from": "2026-02-30"}, "valid_from"),
        ({"dealer_id": dealer.pk, "valid_from": "2026-01-01", "channel_kinds": ["radio"]}, "channel_kinds.0"),
        ({"dealer_id": dealer.pk, "valid_from": "2026-06-01", "valid_to": "2026-01-01"}, "valid_to"),
        ({"dealer_id": 10**9, "valid_from": "2026-01-01"}, "dealer_id"),
        ({"dealer_id": dealer.pk, "valid_from": "2026-01-01", "territory_id": 10**9}, "territory_id"),
        ({"valid_from": "2026-01-01"}, "dealer_id"),
    ):
        response = brand_api.post(URL, body)
        assert response.status_code == 422, body
        assert field in [d["field"] for d in response.json()["details"]], body
    brand_api.post(URL, {"dealer_id": dealer.pk, "valid_from": "2026-01-01"})
    overlap = brand_api.post(URL, {"dealer_id": dealer.pk, "valid_from": "2027-01-01"})
    assert (overlap.status_code, overlap.json()["code"]) == (409, "dealership_overlap")


def test_dealer_reads_its_dealerships_only(api, dealer, other_dealer, brand):
    mine = make_dealership(brand, dealer)
    theirs = make_dealership(brand, other_dealer)
    assert [d["id"] for d in api.get(URL).json()["items"]] == [mine.pk]
    assert api.get(f"{URL}/{mine.pk}").status_code == 200
    assert api.get(f"{URL}/{theirs.pk}").status_code == 404
    # a dealer cannot change the terms it was granted
    assert api.patch(f"{URL}/{mine.pk}", {"valid_to": "2030-01-01"}).status_code == 403
    assert api.post(URL, {"dealer_id": dealer.pk, "valid_from": "2026-01-01"}).status_code == 403


def test_another_brands_dealerships_are_invisible(brand_api, dealer):
    rival = make_brand()
    theirs = make_dealership(rival, dealer)
    assert brand_api.get(URL).json()["count"] == 0
    assert brand_api.get(f"{URL}/{theirs.pk}").status_code == 404
    assert brand_api.patch(f"{URL}/{theirs.pk}", {"status": "suspended"}).status_code == 404


def test_list_filters(brand_api, brand):
    a, b = make_dealer(), make_dealer()
    live = make_dealership(brand, a, valid_from="2025-01-01")
    make_dealership(brand, b, valid_from="2020-01-01", valid_to="2020-12-31")
    assert [d["id"] for d in brand_api.get(URL, {"active_on": "2026-05-01"}).json()["items"]] == [live.pk]
    assert brand_api.get(URL, {"dealer_id": b.pk}).json()["count"] == 1
    assert [d["valid_from"] for d in brand_api.get(URL, {"ordering": "-valid_from"}).json()["items"]] == [
        "2025-01-01",
        "2020-01-01",
    ]
    assert brand_api.get(URL, {"status": "dormant"}).status_code == 422


def test_scope_refusal(brand):
    reader = ApiClient(make_brand_user(brand), scopes=("org:read",))
    response = reader.post(URL, {"dealer_id": 1, "valid_from": "2026-01-01"})
    assert (response.status_code, response.json()["details"]) == (403, {"scope": "org:write"})
