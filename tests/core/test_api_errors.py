"""One error body everywhere, a 4xx for every kind of bad input, never a 500, never a partial write."""

import pytest

from qudao.org.models import Channel

pytestmark = pytest.mark.django_db

CHANNELS = "/api/v1/org/channels"


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details", "request_id"}
    assert body["code"] == code
    assert body["message"]
    assert body["request_id"] == response["X-Request-ID"]
    return body


def test_malformed_json_is_a_4xx(api):
    response = api.client.post(
        CHANNELS, "{not json", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {api.token}"
    )
    assert 400 <= response.status_code < 500
    assert "code" in response.json()
    assert not Channel.objects.exists()


def test_unknown_field_is_refused(api):
    body = assert_error(
        api.post(CHANNELS, {"code": "KA", "name": "KA", "kind": "ka", "colour": "red"}),
        422,
        "validation_error",
    )
    assert any(d["field"] == "colour" for d in body["details"])
    assert not Channel.objects.exists()


def test_wrong_type_and_oversize_string(api):
    body = assert_error(
        api.post(CHANNELS, {"code": "X" * 33, "name": 12, "kind": "ka"}), 422, "validation_error"
    )
    fields = {d["field"] for d in body["details"]}
    assert {"code", "name"} <= fields
    assert_error(api.post(CHANNELS, {"code": "A", "name": "A", "kind": "moon"}), 422, "validation_error")


def test_page_size_is_capped_and_ordering_whitelisted(api):
    assert_error(api.get(CHANNELS, {"page_size": 201}), 422, "validation_error")
    assert api.get(CHANNELS, {"page_size": 200}).status_code == 200
    assert_error(api.get(CHANNELS, {"ordering": "password"}), 422, "validation_error")
    assert_error(api.get(CHANNELS, {"page": 0}), 422, "validation_error")


def test_unknown_id_is_404_with_the_same_body(api):
    assert_error(api.get(f"{CHANNELS}/999999"), 404, "not_found")
    assert_error(api.patch(f"{CHANNELS}/999999", {"name": "x"}), 404, "not_found")


def test_bad_api_key_is_401(client):
    response = client.get(CHANNELS, HTTP_AUTHORIZATION="Bearer qd_nope_nope")
    assert_error(response, 401, "not_authenticated")


def test_read_only_key_cannot_write(admin_user):
    from tests.factories import ApiClient

    reader = ApiClient(admin_user, scopes=("org:read",))
    assert reader.get(CHANNELS).status_code == 200
    assert_error(reader.post(CHANNELS, {"code": "KA", "name": "KA", "kind": "ka"}), 403, "permission_denied")
    assert not Channel.objects.exists()


def test_created_then_duplicate_is_409(api):
    assert api.post(CHANNELS, {"code": "KA", "name": "KA 卖场", "kind": "ka"}).status_code == 201
    assert_error(api.post(CHANNELS, {"code": "KA", "name": "again", "kind": "ka"}), 409, "duplicate")
    assert Channel.objects.count() == 1


def test_incoming_request_id_is_echoed(api):
    response = api.get(f"{CHANNELS}/999999", HTTP_X_REQUEST_ID="trace-123")
    assert response["X-Request-ID"] == "trace-123"
    assert response.json()["request_id"] == "trace-123"


def test_error_code_catalogue_is_published(api):
    codes = {row["code"]: row["status"] for row in api.get("/api/v1/system/error-codes").json()}
    assert codes["not_found"] == 404
    assert codes["validation_error"] == 422
    assert codes["invalid_barcode"] == 422
