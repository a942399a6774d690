from decimal import Decimal

import pytest

from qudao.accounts.models import Role
from qudao.catalog.choices import Tracking
from qudao.inventory.models import Reservation, StockLevel, StockMove
from qudao.inventory.services import get_default_location
from tests.catalog.factories import make_item
from tests.factories import ApiClient, make_brand, make_dealership, make_site, make_user
from tests.inventory.factories import receive

pytestmark = pytest.mark.django_db
BASE = "/api/v1/inventory"


def _receipt(site, item, quantity="5", **line):
    return {"site_id": site.pk, "lines": [{"item_id": item.pk, "quantity": quantity, **line}]}


def test_receive_list_levels_and_moves(api, dealer, site):
    item = make_item(dealer)
    response = api.post(f"{BASE}/receipts", _receipt(site, item, "5", unit_cost="12.50"))
    assert response.status_code == 201, response.content
    [move] = response.json()
    assert (move["move_type"], move["quantity"], move["unit_cost"]) == ("receipt", "5.000", "12.5000")
    levels = api.get(f"{BASE}/levels", {"item_id": item.pk}).json()
    assert levels["count"] == 1
    level = levels["items"][0]
    assert (level["sku"], level["on_hand"], level["available"], level["location_code"]) == (
        item.sku,
        "5.000",
        "5.000",
        "STOCK",
    )
    moves = api.get(f"{BASE}/moves", {"item_id": item.pk, "move_type": "receipt"}).json()
    assert [m["id"] for m in moves["items"]] == [move["id"]]
    history = api.get(f"{BASE}/items/{item.pk}/history").json()
    assert history["count"] == 1
    pool = api.get(f"{BASE}/pool", {"item_id": item.pk}).json()
    assert pool["items"] == [
        {
            "dealer_id": dealer.pk,
            "item_id": item.pk,
            "on_hand": "5.000",
            "reserved": "0.000",
            "available": "5.000",
            "in_transit": "0.000",
        }
    ]


def test_reserve_issue_release_flow(api, dealer, site):
    item = make_item(dealer)
    receive(site, item, 10)
    line = {"item_id": item.pk, "site_id": site.pk, "quantity": "3"}
    body = {"reference_type": "sales.order", "reference_id": 9, "lines": [line]}
    response = api.post(f"{BASE}/reservations", body)
    assert response.status_code == 201, response.content
    assert response.json()[0]["quantity"] == "3.000"
    listed = api.get(f"{BASE}/reservations", {"reference_id": 9, "state": "active"}).json()
    assert listed["count"] == 1
    only = api.get(f"{BASE}/levels", {"only_available": True, "item_id": item.pk}).json()["items"]
    assert only[0]["available"] == "7.000"
    response = api.post(f"{BASE}/reservations/release", {"reference_type": "sales.order", "reference_id": 9})
    assert response.status_code == 200 and response.json()[0]["state"] == "released"
    response = api.post(f"{BASE}/issues", {"lines": [line]})
    assert response.status_code == 201
    assert StockLevel.objects.get(item=item, is_virtual=False).on_hand == Decimal(7)


def test_shortage_is_one_409_with_every_line(api, dealer, site):
    a, b = make_item(dealer), make_item(dealer)
    receive(site, a, 1)
    body = {
        "reference_type": "so",
        "reference_id": 1,
        "lines": [
            {"item_id": a.pk, "site_id": site.pk, "quantity": "2"},
            {"item_id": b.pk, "site_id": site.pk, "quantity": "1"},
        ],
    }
    response = api.post(f"{BASE}/reservations", body)
    assert response.status_code == 409
    payload = response.json()
    assert payload["code"] == "insufficient_stock"
    assert [(d["line"], d["available"]) for d in payload["details"]] == [(0, "1.000"), (1, "0.000")]
    assert not Reservation.objects.exists()


@pytest.mark.parametrize(
    ("line", "status", "code"),
    [
        ({"quantity": "0"}, 422, "invalid_quantity"),
        ({"quantity": "-2"}, 422, "invalid_quantity"),
        ({"quantity": "1", "unit_id": 99999}, 422, "unit_not_convertible"),
        ({"quantity": "1", "bogus": 1}, 422, "validation_error"),
        ({"quantity": "1.23456"}, 422, "validation_error"),
        ({"quantity": "1", "lot_number": "x" * 65}, 422, "validation_error"),
    ],
)
def test_receipt_validation(api, dealer, site, line, status, code):
    item = make_item(dealer)
    response = api.post(f"{BASE}/receipts", {"site_id": site.pk, "lines": [{"item_id": item.pk, **line}]})
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert not StockMove.objects.exists()


def test_unknown_item_and_lot_required_and_serial_in_stock(api, dealer, site):
    response = api.post(
        f"{BASE}/receipts", {"site_id": site.pk, "lines": [{"item_id": 10**8, "quantity": "1"}]}
    )
    assert (response.status_code, response.json()["details"][0]["field"]) == (422, "lines.0.item_id")
    lot_item = make_item(dealer, tracking=Tracking.LOT)
    response = api.post(f"{BASE}/receipts", _receipt(site, lot_item, "1"))
    assert (response.status_code, response.json()["code"]) == (422, "lot_required")
    serial_item = make_item(dealer, tracking=Tracking.SERIAL)
    assert api.post(f"{BASE}/receipts", _receipt(site, serial_item, "1", serials=["V1"])).status_code == 201
    response = api.post(f"{BASE}/receipts", _receipt(site, serial_item, "1", serials=["V1"]))
    assert (response.status_code, response.json()["code"]) == (409, "serial_in_stock")
    assert StockMove.objects.count() == 1


def test_adjust_and_scrap(api, dealer, site):
    item = make_item(dealer)
    location = get_default_location(site)
    body = {"item_id": item.pk, "location_id": location.pk, "quantity": "4", "reason": "found"}
    assert api.post(f"{BASE}/adjustments", body).status_code == 201
    body = {"item_id": item.pk, "location_id": location.pk, "quantity": "1"}
    response = api.post(f"{BASE}/scraps", body)
    assert response.status_code == 201 and response.json()[0]["move_type"] == "scrap"
    bad = api.post(f"{BASE}/adjustments", {**body, "reason": "nonsense"})
    assert bad.status_code == 422
    assert StockLevel.objects.get(item=item, is_virtual=False).on_hand == Decimal(3)


def test_locations_and_reconcile(api, dealer, site):
    response = api.post(f"{BASE}/locations", {"site_id": site.pk, "code": "A-01", "name": "Aisle A"})
    assert response.status_code == 201
    assert api.post(f"{BASE}/locations", {"site_id": site.pk, "code": "A-01"}).status_code == 409
    assert [loc["code"] for loc in api.get(f"{BASE}/locations").json()["items"]] == ["A-01"]
    response = api.post(f"{BASE}/reconcile", {})
    assert response.status_code == 200 and response.json() == {"mismatches": []}


def test_reconcile_finds_a_tampered_level(api, dealer, site):
    item = make_item(dealer)
    receive(site, item, 2)
    StockLevel.objects.filter(item=item, is_virtual=False).update(on_hand=Decimal(3))
    mismatches = api.post(f"{BASE}/reconcile", {}).json()["mismatches"]
    assert [(m["on_hand"], m["ledger_on_hand"]) for m in mismatches] == [("3.000", "2.000")]


def test_other_dealers_rows_are_invisible(api, other_api, dealer, site):
    item = make_item(dealer)
    receive(site, item, 5)
    assert other_api.get(f"{BASE}/levels").json()["count"] == 0
    assert other_api.get(f"{BASE}/moves").json()["count"] == 0
    assert other_api.get(f"{BASE}/items/{item.pk}/history").status_code == 404
    response = other_api.post(
        f"{BASE}/issues", {"lines": [{"item_id": item.pk, "site_id": site.pk, "quantity": "1"}]}
    )
    assert response.status_code == 422
    assert {d["field"] for d in response.json()["details"]} == {"lines.0.item_id", "lines.0.site_id"}
    response = other_api.post(f"{BASE}/reconcile", {"dealer_id": dealer.pk})
    assert response.status_code == 404


def test_brand_user_reads_authorised_dealers_pool(dealer, site):
    brand = make_brand()
    make_dealership(brand, dealer)
    item = make_item(dealer)
    receive(site, item, 4)
    client = ApiClient(make_user(brand, Role.BRAND_MANAGER))
    pool = client.get(f"{BASE}/pool").json()
    assert [(row["dealer_id"], row["on_hand"]) for row in pool["items"]] == [(dealer.pk, "4.000")]
    response = client.post(
        f"{BASE}/issues", {"lines": [{"item_id": item.pk, "site_id": site.pk, "quantity": "1"}]}
    )
    assert response.status_code == 403


def test_api_key_scope_and_role_refusals(dealer, site, admin_user):
    item = make_item(dealer)
    read_only = ApiClient(admin_user, scopes=("inventory:read",))
    assert read_only.get(f"{BASE}/levels").status_code == 200
    response = read_only.post(f"{BASE}/receipts", _receipt(site, item))
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    catalog_only = ApiClient(admin_user, scopes=("catalog:read",))
    assert catalog_only.get(f"{BASE}/levels").status_code == 403
    technician = ApiClient(make_user(dealer, Role.TECHNICIAN))
    assert technician.get(f"{BASE}/levels").status_code == 200
    assert technician.post(f"{BASE}/receipts", _receipt(site, item)).status_code == 403
    purchaser = ApiClient(make_user(dealer, Role.PURCHASER))
    assert purchaser.post(f"{BASE}/receipts", _receipt(site, item)).status_code == 201
    assert purchaser.post(f"{BASE}/reconcile", {}).status_code == 403


def test_site_limited_user_cannot_receive_at_another_site(dealer, site):
    other_site = make_site(dealer)
    item = make_item(dealer)
    clerk = ApiClient(make_user(dealer, Role.WAREHOUSE_CLERK, sites=[site]))
    assert clerk.post(f"{BASE}/receipts", _receipt(site, item)).status_code == 201
    response = clerk.post(f"{BASE}/receipts", _receipt(other_site, item))
    assert (response.status_code, response.json()["details"][0]["field"]) == (422, "site_id")
