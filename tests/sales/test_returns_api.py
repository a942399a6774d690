"""The returns API: request, approve, receive into quarantine; bad input 4xx and nothing written;
another dealer sees nothing; a sales rep cannot approve."""

from __future__ import annotations

import pytest

from qudao.accounts.models import Role
from qudao.sales.models import ReturnRequest
from qudao.sales.services import confirm_delivery, create_shipment, ship_shipment
from tests.factories import ApiClient, make_user
from tests.inventory.factories import ROOT, on_hand
from tests.sales.factories import make_world, submit

pytestmark = pytest.mark.django_db


def _delivered(world, quantities):
    order = submit(world, quantities)
    shipment = create_shipment(actor=ROOT, order_id=order.pk, data={})
    ship_shipment(actor=ROOT, shipment_id=shipment.pk)
    confirm_delivery(actor=ROOT, shipment_id=shipment.pk, data={"signer_name": "收货人"})
    return order


def test_request_approve_receive_through_the_api(api, dealer):
    world = make_world(dealer, items=1)
    order = _delivered(world, [5])
    line_id = order.lines.get().pk
    created = api.post(
        f"/api/v1/orders/{order.pk}/returns",
        {
            "reason": "破损",
            "lines": [{"order_line_id": line_id, "quantity": "2", "disposition": "quarantine"}],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["state"] == "requested" and body["amount"] == "226.00"
    approved = api.post(f"/api/v1/returns/{body['id']}/approve", {"version": body["version"], "note": "ok"})
    assert approved.status_code == 200, approved.content
    received = api.post(
        f"/api/v1/returns/{body['id']}/receive",
        {"lines": [{"return_line_id": body["lines"][0]["id"], "disposition": "restock"}]},
    )
    assert received.status_code == 200, received.content
    assert received.json()["state"] == "closed"  # not invoiced: nothing to credit
    assert received.json()["lines"][0]["disposition"] == "restock"
    assert on_hand(world.items[0], world.shanghai) == 97
    assert api.post(f"/api/v1/returns/{body['id']}/receive", {}).status_code == 409
    listed = api.get("/api/v1/returns", {"order_id": order.pk}).json()["items"]
    assert [r["number"] for r in listed] == [body["number"]]
    assert api.get(f"/api/v1/orders/{order.pk}").json()["lines"][0]["returned_quantity"] == "2.000"


@pytest.mark.parametrize(
    ("lines", "status", "code"),
    [
        ([{"order_line_id": 1, "quantity": "0"}], 422, "validation_error"),
        ([{"order_line_id": 1, "quantity": "1", "disposition": "burn"}], 422, "validation_error"),
        ([], 422, "validation_error"),
        ([{"order_line_id": 999999, "quantity": "1"}], 422, "validation_error"),
        ("LINE", 422, "return_too_large"),
    ],
)
def test_bad_return_requests_write_nothing(api, dealer, lines, status, code):
    world = make_world(dealer, items=1)
    order = _delivered(world, [2])
    if lines == "LINE":
        lines = [{"order_line_id": order.lines.get().pk, "quantity": "3"}]
    response = api.post(f"/api/v1/orders/{order.pk}/returns", {"lines": lines})
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert not ReturnRequest.objects.exists()


def test_scopes_and_roles(api, other_api, dealer):
    world = make_world(dealer, items=1)
    order = _delivered(world, [2])
    line_id = order.lines.get().pk
    rep = ApiClient(make_user(dealer, role=Role.SALES_REP))
    created = rep.post(
        f"/api/v1/orders/{order.pk}/returns", {"lines": [{"order_line_id": line_id, "quantity": "1"}]}
    )
    assert created.status_code == 201, created.content
    return_id = created.json()["id"]
    assert rep.post(f"/api/v1/returns/{return_id}/approve", {}).status_code == 403
    assert other_api.get("/api/v1/returns").json()["items"] == []
    assert other_api.get(f"/api/v1/returns/{return_id}").status_code == 404
    assert other_api.post(f"/api/v1/returns/{return_id}/approve", {}).status_code == 404
    assert (
        other_api.post(
            f"/api/v1/orders/{order.pk}/returns", {"lines": [{"order_line_id": line_id, "quantity": "1"}]}
        ).status_code
        == 404
    )
    assert api.post(f"/api/v1/returns/{return_id}/approve", {}).status_code == 200
