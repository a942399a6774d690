from decimal import Decimal

import pytest

from qudao.catalog.policies import complete_gtin
from tests.catalog.factories import make_barcode, make_item, make_item_unit, unit
from tests.factories import ApiClient, make_site
from tests.inventory.factories import on_hand, receive

pytestmark = pytest.mark.django_db
BASE = "/api/v1/inventory/stocktakes"


def test_stocktake_flow_over_the_api(api, dealer, site):
    item = make_item(dealer)
    make_item_unit(item, unit(dealer, "CS"), 24)
    each, case = complete_gtin("691000000001"), complete_gtin("691000000002")
    make_barcode(item, each)
    make_barcode(item, case, unit_of_measure=unit(dealer, "CS"))
    receive(site, item, 30)
    response = api.post(BASE, {"site_id": site.pk, "kind": "full", "blind": True})
    assert response.status_code == 201, response.content
    sid = response.json()["id"]
    assert response.json()["state"] == "open"
    assert api.post(f"{BASE}/{sid}/scans", {"code": each}).json()["code"] == "conflict"
    started = api.post(f"{BASE}/{sid}/snapshot").json()
    assert started["state"] == "counting" and started["started_at"]
    for code in (each, each, case):
        response = api.post(f"{BASE}/{sid}/scans", {"code": code})
        assert response.status_code == 201, response.content
    response = api.post(f"{BASE}/{sid}/scans", {"code": "NOPE-1"})
    assert (response.status_code, response.json()["code"]) == (422, "unknown_barcode")
    counts = api.get(f"{BASE}/{sid}/counts").json()
    assert [c["quantity"] for c in counts["items"]] == ["1.000", "1.000", "24.000"]
    variances = api.get(f"{BASE}/{sid}/variances").json()
    assert [(v["expected"], v["counted"], v["variance"]) for v in variances] == [
        ("30.000", "26.000", "-4.000")
    ]
    assert api.post(f"{BASE}/{sid}/review").json()["state"] == "review"
    posted = api.post(f"{BASE}/{sid}/post")
    assert posted.status_code == 200, posted.content
    assert posted.json()["stocktake"]["state"] == "posted" and len(posted.json()["move_ids"]) == 1
    assert on_hand(item, site) == Decimal(26)
    assert api.post(f"{BASE}/{sid}/cancel").json()["code"] == "invalid_transition"
    assert api.get(BASE, {"state": "posted"}).json()["count"] == 1


def test_stocktake_errors_and_scope(api, other_api, dealer, site, other_dealer, admin_user):
    foreign_site = make_site(other_dealer)
    response = api.post(BASE, {"site_id": foreign_site.pk})
    assert response.status_code == 422 and response.json()["details"][0]["field"] == "site_id"
    assert api.post(BASE, {"site_id": site.pk, "kind": "weekly"}).status_code == 422
    assert api.post(BASE, {"site_id": site.pk, "note": "n" * 501}).status_code == 422
    sid = api.post(BASE, {"site_id": site.pk}).json()["id"]
    api.post(f"{BASE}/{sid}/snapshot")
    assert api.post(f"{BASE}/{sid}/scans", {"code": ""}).status_code == 422
    assert api.post(f"{BASE}/{sid}/scans", {"code": "x", "quantity": "abc"}).status_code == 422
    assert api.post(f"{BASE}/{sid}/scans", {"code": "x" * 65}).status_code == 422
    assert other_api.get(f"{BASE}/{sid}").status_code == 404
    assert other_api.get(f"{BASE}/{sid}/variances").status_code == 404
    assert other_api.post(f"{BASE}/{sid}/scans", {"code": "x"}).json()["code"] == "not_found"
    assert other_api.post(f"{BASE}/{sid}/post").status_code == 404
    read_only = ApiClient(admin_user, scopes=("inventory:read",))
    assert read_only.get(f"{BASE}/{sid}/counts").status_code == 200
    assert read_only.post(f"{BASE}/{sid}/cancel").status_code == 403
