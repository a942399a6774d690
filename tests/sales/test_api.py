"""POST/GET/PATCH /api/v1/orders and the workflow endpoints."""

from decimal import Decimal

import pytest

from qudao.accounts.models import Role
from qudao.sales.models import OrderIdempotencyKey, SalesOrder
from tests.factories import ApiClient, make_user
from tests.inventory.factories import reserved
from tests.sales.factories import make_world

pytestmark = pytest.mark.django_db
URL = "/api/v1/orders"


def body(world, quantities=(1, 2, 3), **extra):
    return {
        "customer_id": world.customer.pk,
        "lines": [
            {"item_id": i.pk, "quantity": str(q)} for i, q in zip(world.items, quantities, strict=True)
        ],
        **extra,
    }


def test_create_and_confirm_in_one_call(api, dealer):
    world = make_world(dealer)
    response = api.post(
        URL, body(world, confirm=True, external_reference="JD-1001"), HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["state"] == "confirmed"
    assert data["total"] == "678.00" and data["tax_total"] == "78.00"
    assert [ln["reserved_quantity"] for ln in data["lines"]] == ["1.000", "2.000", "3.000"]
    assert data["lines"][0]["price_explanation"]["source"]["kind"]
    assert data["allocation_plan"]["runs"][0]["strategy"] == "one_site"
    assert [e["kind"] for e in data["timeline"]] == ["created", "confirmed"]
    assert data["number"].startswith("SO-")
    # the answer is rendered from what was written: it equals a fresh read
    assert api.get(f"{URL}/{data['id']}").json() == data


def test_idempotency_same_body_same_order_different_body_409(api, dealer):
    world = make_world(dealer)
    first = api.post(URL, body(world, confirm=True), HTTP_IDEMPOTENCY_KEY="abc")
    again = api.post(URL, body(world, confirm=True), HTTP_IDEMPOTENCY_KEY="abc")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert SalesOrder.objects.count() == 1
    assert reserved(world.items[2]) == 3  # reserved once

    other = api.post(URL, body(world, (9, 9, 9), confirm=True), HTTP_IDEMPOTENCY_KEY="abc")
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_key_reused"
    assert SalesOrder.objects.count() == 1

    fresh = api.post(URL, body(world), HTTP_IDEMPOTENCY_KEY="abd")
    assert fresh.status_code == 201 and fresh.json()["id"] != first.json()["id"]
    assert fresh.json()["state"] == "draft"


def test_failed_request_leaves_the_key_free(api, dealer):
    world = make_world(dealer)
    bad = body(world)
    bad["lines"][0]["item_id"] = 999999
    assert api.post(URL, bad, HTTP_IDEMPOTENCY_KEY="retry-me").status_code == 422
    assert not OrderIdempotencyKey.objects.exists()
    assert api.post(URL, body(world), HTTP_IDEMPOTENCY_KEY="retry-me").status_code == 201


@pytest.mark.parametrize(
    "change, field",
    [
        ({"lines": []}, "lines"),
        ({"colour": "red"}, "colour"),
        ({"lines": [{"item_id": 1, "quantity": "-1"}]}, "lines.0.quantity"),
        ({"lines": [{"item_id": 1, "quantity": "1.0001"}]}, "lines.0.quantity"),
        ({"customer_id": 999999}, "customer_id"),
        ({"source": "fax"}, "source"),
    ],
)
def test_bad_input_answers_422_with_the_field(api, dealer, change, field):
    world = make_world(dealer, items=1)
    payload = {**body(world, (1,)), **change}
    response = api.post(URL, payload)
    assert response.status_code == 422, response.content
    assert field in [d["field"] for d in response.json()["details"]]
    assert SalesOrder.objects.count() == 0


def test_duplicate_external_reference_409(api, dealer):
    world = make_world(dealer, items=1)
    assert api.post(URL, body(world, (1,), external_reference="TM-1")).status_code == 201
    second = api.post(URL, body(world, (1,), external_reference="TM-1"))
    assert second.status_code == 409 and second.json()["code"] == "duplicate_external_reference"
    # the same reference from another source is another order
    assert api.post(URL, body(world, (1,), external_reference="TM-1", source="ecommerce")).status_code == 201


def test_bad_idempotency_key(api, dealer):
    world = make_world(dealer, items=1)
    response = api.post(URL, body(world, (1,)), HTTP_IDEMPOTENCY_KEY="x" * 201)
    assert response.status_code == 422 and response.json()["code"] == "invalid_idempotency_key"


def test_other_dealer_sees_nothing(api, other_api, dealer):
    world = make_world(dealer, items=1)
    order_id = api.post(URL, body(world, (1,))).json()["id"]
    assert other_api.get(f"{URL}/{order_id}").status_code == 404
    assert other_api.post(f"{URL}/{order_id}/confirm", {}).status_code == 404
    assert other_api.post(f"{URL}/{order_id}/cancel", {}).status_code == 404
    assert other_api.patch(f"{URL}/{order_id}", {"version": 1}).status_code == 404
    assert other_api.get(URL).json()["items"] == []
    # nor order for this dealer's customer
    response = other_api.post(URL, body(world, (1,)))
    assert response.status_code == 422 and response.json()["details"][0]["field"] == "customer_id"


def test_patch_confirm_cancel_flow(api, dealer):
    world = make_world(dealer, items=1)
    order = api.post(URL, body(world, (2,))).json()
    patched = api.patch(
        f"{URL}/{order['id']}", {"version": 1, "lines": [{"item_id": world.items[0].pk, "quantity": "3"}]}
    )
    assert patched.status_code == 200 and patched.json()["total"] == "339.00"
    stale = api.post(f"{URL}/{order['id']}/confirm", {"version": 1})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    confirmed = api.post(f"{URL}/{order['id']}/confirm", {"version": 2})
    assert confirmed.json()["state"] == "confirmed"
    assert (
        api.patch(f"{URL}/{order['id']}", {"version": 3, "notes": "x"}).json()["code"] == "invalid_transition"
    )
    cancelled = api.post(f"{URL}/{order['id']}/cancel", {"reason": "缺货"})
    assert cancelled.json()["state"] == "cancelled"
    assert reserved(world.items[0]) == 0


def test_list_filters_and_keyset_pages(api, dealer):
    world = make_world(dealer, items=1)
    ids = [api.post(URL, body(world, (1,))).json()["id"] for _ in range(5)]
    api.post(f"{URL}/{ids[0]}/confirm", {})
    page = api.get(URL, {"page_size": 2}).json()
    assert [o["id"] for o in page["items"]] == ids[:-3:-1]
    rest = api.get(URL, {"page_size": 2, "before_id": page["next_before_id"]}).json()
    assert [o["id"] for o in rest["items"]] == [ids[2], ids[1]]
    assert [o["id"] for o in api.get(URL, {"state": "confirmed"}).json()["items"]] == [ids[0]]
    assert [o["id"] for o in api.get(URL, {"site_id": world.shanghai.pk}).json()["items"]] == [ids[0]]
    number = SalesOrder.objects.get(pk=ids[3]).number
    assert [o["id"] for o in api.get(URL, {"q": number}).json()["items"]] == [ids[3]]
    assert (
        len(api.get(URL, {"customer_id": world.customer.pk, "created_from": "2020-01-01"}).json()["items"])
        == 5
    )
    assert api.get(URL, {"state": "lost"}).status_code == 422


def test_approve_hold_needs_the_role(dealer):
    from qudao.pricing.models import PriceFloor

    world = make_world(dealer, items=1)
    PriceFloor.objects.create(dealer=dealer, item=world.items[0], floor_price=Decimal("999"))
    rep = ApiClient(make_user(dealer, role=Role.SALES_REP))
    order = rep.post(URL, body(world, (1,), confirm=True)).json()
    assert order["state"] == "on_hold" and order["hold_reason"] == "price_floor"
    denied = rep.post(f"{URL}/{order['id']}/approve-hold", {})
    assert denied.status_code == 403
    manager = ApiClient(make_user(dealer, role=Role.MANAGER))
    assert manager.post(f"{URL}/{order['id']}/approve-hold", {"note": "ok"}).json()["state"] == "confirmed"


def test_wave_and_allocate_endpoints(api, dealer):
    world = make_world(dealer, items=1, stock={})
    order = api.post(URL, body(world, (2,), confirm=True)).json()
    assert order["has_backorder"]
    nothing = api.post(f"{URL}/waves", {})
    assert nothing.status_code == 200 and nothing.json()["allocated"] == []
    from tests.inventory.factories import receive

    receive(world.shanghai, world.items[0], 1)
    allocated = api.post(f"{URL}/{order['id']}/allocate", {})
    assert allocated.json()["lines"][0]["reserved_quantity"] == "1.000"
    receive(world.shanghai, world.items[0], 1)
    wave = api.post(f"{URL}/waves", {}).json()
    assert wave["allocated"][0]["order_id"] == order["id"] and wave["still_backordered"] == 0


def test_read_only_key_cannot_write(admin_user, dealer):
    world = make_world(dealer, items=1)
    reader = ApiClient(admin_user, scopes=("sales:read",))
    assert reader.post(URL, body(world, (1,))).status_code == 403
    assert reader.get(URL).status_code == 200


def test_complete_refused_until_delivered(api, dealer):
    world = make_world(dealer, items=1)
    order = api.post(URL, body(world, (1,), confirm=True)).json()
    response = api.post(f"{URL}/{order['id']}/complete", {})
    assert response.status_code == 409 and response.json()["code"] == "not_delivered"
