def test_openapi_document_loads(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Qudao API"


def test_me_requires_authentication(client, db):
    response = client.get("/api/v1/system/me")
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "not_authenticated"
    assert body["request_id"]


def test_me_with_api_key(api, admin_user, dealer):
    response = api.get("/api/v1/system/me")
    assert response.status_code == 200, response.content
    assert response.json()["dealers"] == [dealer.pk]
