from decimal import Decimal

import pytest

from tests.catalog.factories import make_item
from tests.factories import ApiClient, make_site
from tests.inventory.factories import on_hand, receive

pytestmark = pytest.mark.django_db
BASE = "/api/v1/inventory/transfers"


def _body(source, target, item, quantity="4"):
    return {
        "from_site_id": source.pk,
        "to_site_id": target.pk,
        "lines": [{"item_id": item.pk, "quantity": quantity}],
    }


def test_transfer_flow_over_the_api(api, dealer, site):
    target = make_site(dealer)
    item = make_item(dealer)
    receive(site, item, 10)
    response = api.post(BASE, _body(site, target, item))
    assert response.status_code == 201, response.content
    transfer = response.json()
    assert (transfer["state"], transfer["version"], transfer["lines"][0]["quantity"]) == ("draft", 1, "4.000")
    tid, line_id = transfer["id"], transfer["lines"][0]["id"]

    response = api.patch(f"{BASE}/{tid}", {"version": 1, "note": "van 2"})
    assert response.status_code == 200 and response.json()["version"] == 2
    assert api.patch(f"{BASE}/{tid}", {"version": 1, "note": "x"}).json()["code"] == "stale_version"

    shipped = api.post(f"{BASE}/{tid}/ship").json()
    assert (shipped["state"], shipped["lines"][0]["shipped_quantity"]) == ("shipped", "4.000")
    assert shipped["shipped_at"] is not None
    in_transit = api.get(f"{BASE}/in-transit", {"site_id": target.pk}).json()
    assert in_transit["items"] == [{"site_id": target.pk, "item_id": item.pk, "in_transit": "4.000"}]

    response = api.post(f"{BASE}/{tid}/receive", {"lines": [{"line_id": line_id, "quantity": "3"}]})
    assert response.status_code == 200 and response.json()["state"] == "partially_received"
    response = api.post(f"{BASE}/{tid}/receive", {"lines": [{"line_id": line_id, "quantity": "5"}]})
    assert response.status_code == 422 and response.json()["code"] == "exceeds_in_transit"
    assert response.json()["details"][0]["field"] == "lines.0.quantity"

    closed = api.post(
        f"{BASE}/{tid}/close", {"discrepancies": [{"line_id": line_id, "kind": "damaged", "quantity": "1"}]}
    )
    assert closed.status_code == 200
    body = closed.json()
    assert body["state"] == "received"
    assert [(d["kind"], d["quantity"]) for d in body["lines"][0]["discrepancies"]] == [("damaged", "1.000")]
    assert (on_hand(item, site), on_hand(item, target)) == (Decimal(6), Decimal(3))
    listed = api.get(BASE, {"state": "received"}).json()
    assert [t["id"] for t in listed["items"]] == [tid]
    assert api.post(f"{BASE}/{tid}/cancel").json()["code"] == "invalid_transition"


def test_transfer_validation_errors(api, dealer, site, other_dealer):
    target = make_site(dealer)
    item = make_item(dealer)
    foreign_site = make_site(other_dealer)
    foreign_item = make_item(other_dealer)
    response = api.post(BASE, _body(site, site, item))
    assert (response.status_code, response.json()["code"]) == (422, "same_site")
    response = api.post(BASE, _body(site, foreign_site, item))
    assert response.status_code == 422 and response.json()["details"][0]["field"] == "to_site_id"
    response = api.post(BASE, _body(site, target, foreign_item))
    assert response.status_code == 422 and response.json()["details"][0]["field"] == "lines.0.item_id"
    response = api.post(BASE, _body(site, target, item, "-1"))
    assert (response.status_code, response.json()["code"]) == (422, "invalid_quantity")
    response = api.post(BASE, {**_body(site, target, item), "colour": "red"})
    assert response.status_code == 422
    response = api.post(BASE, {**_body(site, target, item), "note": "x" * 501})
    assert response.status_code == 422
    tid = api.post(BASE, _body(site, target, item)).json()["id"]
    response = api.post(f"{BASE}/{tid}/ship")
    assert response.status_code == 409 and response.json()["code"] == "insufficient_stock"
    assert response.json()["details"][0]["sku"] == item.sku


def test_another_dealers_transfer_is_404_and_scopes_refuse(api, other_api, dealer, site, admin_user):
    target = make_site(dealer)
    item = make_item(dealer)
    tid = api.post(BASE, _body(site, target, item)).json()["id"]
    assert other_api.get(f"{BASE}/{tid}").status_code == 404
    assert other_api.post(f"{BASE}/{tid}/ship").json()["code"] == "not_found"
    assert other_api.patch(f"{BASE}/{tid}", {"version": 1}).status_code == 404
    assert other_api.get(BASE).json()["count"] == 0
    read_only = ApiClient(admin_user, scopes=("inventory:read",))
    assert read_only.get(f"{BASE}/{tid}").status_code == 200
    assert read_only.post(f"{BASE}/{tid}/cancel").status_code == 403
    assert ApiClient(admin_user, scopes=("catalog:read",)).get(BASE).status_code == 403
