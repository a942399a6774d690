"""The fulfilment API: draft, ship, deliver with a photo (multipart), cancel, pick list; bad input
answers 4xx with the field and writes nothing; another dealer sees nothing."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client

from qudao.accounts.models import Role
from qudao.inventory.models import StockMove
from qudao.sales.models import DeliveryProof, Shipment
from tests.factories import ApiClient, make_user
from tests.sales.factories import make_world, submit

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _deliver(api: ApiClient, shipment_id: int, fields: dict, photo: tuple[str, bytes] | None = None):
    data = dict(fields)
    if photo is not None:
        upload = io.BytesIO(photo[1])
        upload.name = photo[0]
        data["photo"] = upload
    return api.client.post(f"/api/v1/shipments/{shipment_id}/deliver", data, **api._headers())


def test_the_whole_way_through_the_api(api, dealer):
    world = make_world(dealer, items=2)
    order = submit(world, [3, 2])
    created = api.post(
        f"/api/v1/orders/{order.pk}/shipments",
        {
            "tracking_number": "SF-1",
            "carrier_name": "顺丰",
            "packages": [{"weight_kg": "4.5"}, {"number": "B"}],
        },
    )
    assert created.status_code == 201, created.content
    shipment = created.json()
    assert shipment["state"] == "draft" and shipment["number"].startswith("SH-")
    assert [p["number"] for p in shipment["packages"]] == ["1", "B"]
    assert sorted(ln["quantity"] for ln in shipment["lines"]) == ["2.000", "3.000"]

    picks = api.get(f"/api/v1/sites/{world.shanghai.pk}/pick-list")
    assert picks.status_code == 200, picks.content
    rows = picks.json()["rows"]
    assert {(r["sku"], r["quantity"], r["shipment_number"]) for r in rows} == {
        (world.items[0].sku, "3.000", shipment["number"]),
        (world.items[1].sku, "2.000", shipment["number"]),
    }
    assert all(r["location"] == "STOCK" and not r["short"] for r in rows)

    shipped = api.post(f"/api/v1/shipments/{shipment['id']}/ship", {"version": shipment["version"]})
    assert shipped.status_code == 200, shipped.content
    assert shipped.json()["state"] == "shipped"
    again = api.post(f"/api/v1/shipments/{shipment['id']}/ship", {})
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"
    assert api.get(f"/api/v1/sites/{world.shanghai.pk}/pick-list").json()["rows"] == []

    line = shipped.json()["lines"][0]
    delivered = _deliver(
        api,
        shipment["id"],
        {
            "signer_name": "王店长",
            "signed_at": "2026-01-02T10:00:00+08:00",
            "latitude": "30.28",
            "longitude": "120.15",
            "lines": json.dumps([{"shipment_line_id": line["id"], "quantity": "1"}]),
        },
        photo=("door.png", PNG),
    )
    assert delivered.status_code == 200, delivered.content
    proof = delivered.json()["proof"]
    assert proof["signer_name"] == "王店长"
    assert proof["photo_url"] == f"/api/v1/shipments/{shipment['id']}/proof/photo"
    assert DeliveryProof.objects.get().photo.name.endswith(".png")
    photo = api.get(proof["photo_url"])
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"
    assert b"".join(photo.streaming_content) == PNG
    listed = api.get("/api/v1/shipments", {"order_id": order.pk}).json()["items"]
    assert [s["state"] for s in listed] == ["delivered"]
    order_view = api.get(f"/api/v1/orders/{order.pk}").json()
    assert order_view["delivery_state"] == "partial"
    assert api.get(f"/api/v1/orders/{order.pk}/shipments").json()["items"][0]["id"] == shipment["id"]


@pytest.mark.parametrize(
    ("fields", "photo", "code", "field"),
    [
        ({}, None, "validation_error", "signer_name"),
        ({"signer_name": "a"}, ("x.png", b"GIF89a" + b"\x00" * 20), "invalid_photo", "photo"),
        ({"signer_name": "a"}, ("fake.jpg", b"not an image at all"), "invalid_photo", "photo"),
        ({"signer_name": "a", "latitude": "95", "longitude": "1"}, None, "validation_error", "latitude"),
        ({"signer_name": "a", "lines": "not json"}, None, "validation_error", "lines"),
        ({"signer_name": "a", "signed_at": "2999-01-01T00:00:00Z"}, None, "validation_error", "signed_at"),
    ],
)
def test_bad_delivery_answers_422_and_nothing_is_written(api, dealer, fields, photo, code, field):
    world = make_world(dealer, items=1)
    order = submit(world, [1])
    shipment = api.post(f"/api/v1/orders/{order.pk}/shipments", {}).json()
    api.post(f"/api/v1/shipments/{shipment['id']}/ship", {})
    response = _deliver(api, shipment["id"], fields, photo)
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == code
    assert field in json.dumps(body["details"])
    assert not DeliveryProof.objects.exists()
    assert Shipment.objects.get(pk=shipment["id"]).state == "shipped"


def test_a_jpeg_photo_is_accepted(api, dealer):
    world = make_world(dealer, items=1)
    order = submit(world, [1])
    shipment = api.post(f"/api/v1/orders/{order.pk}/shipments", {}).json()
    api.post(f"/api/v1/shipments/{shipment['id']}/ship", {})
    response = _deliver(api, shipment["id"], {"signer_name": "收货人"}, ("p.bin", JPEG))
    assert response.status_code == 200, response.content
    assert DeliveryProof.objects.get().photo.name.endswith(".jpg")
    photo = api.get(response.json()["proof"]["photo_url"])
    assert photo["Content-Type"] == "image/jpeg" and b"".join(photo.streaming_content) == JPEG


def test_the_proof_photo_is_not_public(api, dealer, other_dealer):
    world = make_world(dealer, items=1)
    order = submit(world, [1])
    shipment = api.post(f"/api/v1/orders/{order.pk}/shipments", {}).json()
    api.post(f"/api/v1/shipments/{shipment['id']}/ship", {})
    url = f"/api/v1/shipments/{shipment['id']}/proof/photo"
    assert api.get(url).status_code == 404  # shipped, no proof yet: nothing to serve
    _deliver(api, shipment["id"], {"signer_name": "收货人"}, ("p.png", PNG))
    assert Client().get(url).status_code == 401
    stranger = Client()
    stranger.force_login(make_user(other_dealer))
    assert stranger.get(url).status_code == 404
    console = f"/admin/sales/shipment/{shipment['id']}/proof-photo/"
    staff = Client()
    staff.force_login(make_user(dealer, is_staff=True))
    shown = staff.get(console)
    assert shown.status_code == 200 and b"".join(shown.streaming_content) == PNG
    outsider = Client()
    outsider.force_login(make_user(other_dealer, is_staff=True))
    assert outsider.get(console).status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"lines": [{"order_line_id": 1, "quantity": "-1"}]}, 422, "validation_error"),
        ({"lines": [{"order_line_id": 999999, "quantity": "1"}]}, 422, "validation_error"),
        ({"unknown": 1}, 422, "validation_error"),
        ({"site_id": 999999}, 422, "validation_error"),
        ({"carrier_id": 999999}, 422, "validation_error"),
        ({"packages": [{"number": "1"}, {"number": "1"}]}, 422, "validation_error"),
    ],
)
def test_bad_shipment_requests_answer_4xx_and_write_nothing(api, dealer, body, status, code):
    world = make_world(dealer, items=1)
    order = submit(world, [5])
    response = api.post(f"/api/v1/orders/{order.pk}/shipments", body)
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert not Shipment.objects.exists()


def test_over_shipment_answers_422_with_the_line(api, dealer):
    world = make_world(dealer, items=1)
    order = submit(world, [5])
    line_id = order.lines.get().pk
    response = api.post(
        f"/api/v1/orders/{order.pk}/shipments", {"lines": [{"order_line_id": line_id, "quantity": "6"}]}
    )
    assert response.status_code == 422
    assert response.json()["details"][0] == {
        "field": "lines.0.quantity",
        "code": "over_shipment",
        "message": "Only 5.000 left to ship on line 1.",
    }
    short = api.post(
        f"/api/v1/orders/{order.pk}/shipments", {"lines": [{"order_line_id": line_id, "quantity": "5"}]}
    )
    assert short.status_code == 201
    assert StockMove.objects.filter(move_type="sale_issue").count() == 0


def test_another_dealer_sees_and_touches_nothing(api, other_api, dealer):
    world = make_world(dealer, items=1)
    order = submit(world, [2])
    shipment = api.post(f"/api/v1/orders/{order.pk}/shipments", {}).json()
    assert other_api.get("/api/v1/shipments").json()["items"] == []
    assert other_api.get(f"/api/v1/shipments/{shipment['id']}").status_code == 404
    assert other_api.post(f"/api/v1/shipments/{shipment['id']}/ship", {}).status_code == 404
    assert other_api.post(f"/api/v1/orders/{order.pk}/shipments", {}).status_code == 404
    assert other_api.get(f"/api/v1/sites/{world.shanghai.pk}/pick-list").status_code == 404
    assert _deliver(other_api, shipment["id"], {"signer_name": "x"}).status_code == 404
    assert Shipment.objects.get().state == "draft"


def test_a_clerk_limited_to_hangzhou_cannot_ship_from_shanghai(dealer):
    world = make_world(dealer, items=1)
    order = submit(world, [2])
    clerk = ApiClient(make_user(dealer, role=Role.WAREHOUSE_CLERK, sites=[world.hangzhou]))
    # the order ships from Shanghai: a Hangzhou clerk does not even see it
    response = clerk.post(f"/api/v1/orders/{order.pk}/shipments", {"site_id": world.shanghai.pk})
    assert response.status_code == 404
    shanghai_clerk = ApiClient(make_user(dealer, role=Role.WAREHOUSE_CLERK, sites=[world.shanghai]))
    created = shanghai_clerk.post(f"/api/v1/orders/{order.pk}/shipments", {})
    assert created.status_code == 201, created.content
    assert clerk.post(f"/api/v1/shipments/{created.json()['id']}/ship", {}).status_code == 404
    assert shanghai_clerk.post(f"/api/v1/shipments/{created.json()['id']}/ship", {}).status_code == 200


def test_sales_reps_draft_shipments_finance_does_not(dealer):
    world = make_world(dealer, items=1)
    order = submit(world, [1])
    rep = ApiClient(make_user(dealer, role=Role.SALES_REP))
    assert rep.post(f"/api/v1/orders/{order.pk}/shipments", {}).status_code == 201
    finance = ApiClient(make_user(dealer, role=Role.FINANCE))
    assert finance.post(f"/api/v1/orders/{order.pk}/shipments", {}).status_code == 403
