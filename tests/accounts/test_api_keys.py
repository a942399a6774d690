"""API keys: lifecycle through the API and the service, scopes, expiry, revocation."""

import hashlib
from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from qudao.accounts.models import ApiKey, Role, User
from qudao.accounts.services.api_keys import create_api_key, revoke_api_key
from qudao.core.api import api_actor
from qudao.core.errors import PermissionDeniedError
from tests.factories import ApiClient, make_user

URL = "/api/v1/accounts/api-keys"


def _me(token: str, client):
    return client.get("/api/v1/system/me", HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.mark.django_db
def test_create_returns_the_token_once_and_stores_only_its_hash(api, admin_user, client):
    response = api.post(URL, {"name": "ERP sync", "scopes": ["catalog:read", "org:write", "catalog:read"]})
    assert response.status_code == 201, response.content
    body = response.json()
    token = body["token"]
    assert token.startswith(f"qd_{body['prefix']}_")
    assert body["scopes"] == ["catalog:read", "org:write"]
    assert body["is_usable"] is True and body["revoked_at"] is None
    assert "hashed_key" not in body

    key = ApiKey.objects.get(pk=body["id"])
    assert key.user == admin_user
    assert key.hashed_key == hashlib.sha256(token.encode()).hexdigest()
    assert all(token not in str(getattr(key, f.attname)) for f in ApiKey._meta.concrete_fields)

    # the token works, and the key's scopes are the actor's
    me = _me(token, client)
    assert me.status_code == 200
    assert me.json()["api_scopes"] == ["catalog:read", "org:write"]

    # listing never shows the token or the hash again
    listed = api.get(URL).json()
    assert {item["id"] for item in listed["items"]} == {api.key.pk, key.pk}
    assert all("token" not in item and "hashed_key" not in item for item in listed["items"])


@pytest.mark.django_db
def test_list_shows_only_my_keys(api, other_api, dealer):
    colleague = make_user(dealer, Role.SALES_REP)
    create_api_key(user=colleague, name="theirs", scopes=["*"])
    body = api.get(URL).json()
    assert body["count"] == 1
    assert body["items"][0]["id"] == api.key.pk
    # another dealer's key is not found, neither to read nor to revoke
    assert api.get(f"{URL}/{other_api.key.pk}").status_code == 404
    response = api.post(f"{URL}/{other_api.key.pk}/revoke")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert ApiKey.objects.get(pk=other_api.key.pk).revoked_at is None


@pytest.mark.django_db
def test_revoked_key_is_refused(api, admin_user, client):
    key, token = create_api_key(user=admin_user, name="to revoke", scopes=["*"])
    assert _me(token, client).status_code == 200
    response = api.post(f"{URL}/{key.pk}/revoke")
    assert response.status_code == 200
    assert response.json()["revoked_at"] is not None and response.json()["is_usable"] is False
    refused = _me(token, client)
    assert refused.status_code == 401
    assert refused.json()["code"] == "not_authenticated"
    # revoking again keeps the first time
    first = ApiKey.objects.get(pk=key.pk).revoked_at
    assert api.post(f"{URL}/{key.pk}/revoke").status_code == 200
    assert ApiKey.objects.get(pk=key.pk).revoked_at == first


@pytest.mark.django_db
def test_expired_key_is_refused(admin_user, client):
    key, token = create_api_key(
        user=admin_user, name="short", scopes=["*"], expires_at=timezone.now() + timedelta(hours=1)
    )
    assert _me(token, client).status_code == 200
    ApiKey.objects.filter(pk=key.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _me(token, client).status_code == 401


@pytest.mark.django_db
def test_unknown_and_malformed_tokens_are_refused(client, api):
    assert _me("qd_deadbeef_nope", client).status_code == 401
    assert _me("not-a-qudao-token", client).status_code == 401
    assert _me(api.token[:-1], client).status_code == 401


@pytest.mark.django_db
def test_key_of_a_deactivated_user_is_refused(dealer, client):
    user = make_user(dealer, Role.MANAGER)
    _, token = create_api_key(user=user, name="k", scopes=["*"])
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert _me(token, client).status_code == 401


@pytest.mark.django_db
def test_last_used_at_is_recorded(admin_user, client):
    key, token = create_api_key(user=admin_user, name="k", scopes=["*"])
    assert key.last_used_at is None
    before = timezone.now()
    _me(token, client)
    used = ApiKey.objects.get(pk=key.pk).last_used_at
    assert used is not None and used >= before
    # within the resolution the time is not rewritten on every request
    _me(token, client)
    assert ApiKey.objects.get(pk=key.pk).last_used_at == used
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now() - timedelta(minutes=5))
    _me(token, client)
    assert ApiKey.objects.get(pk=key.pk).last_used_at > used


@pytest.mark.django_db
def test_read_scope_cannot_write(admin_user):
    reader = ApiClient(admin_user, scopes=("catalog:read",))
    # no accounts scope at all
    response = reader.get("/api/v1/accounts/users")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert response.json()["details"] == {"scope": "accounts:read"}

    # an app the key may read but not write
    accounts_reader = ApiClient(admin_user, scopes=("accounts:read",))
    assert accounts_reader.get(URL).status_code == 200
    response = accounts_reader.post(URL, {"name": "more", "scopes": ["accounts:read"]})
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert response.json()["details"] == {"scope": "accounts:write"}


@pytest.mark.django_db
def test_catalog_read_key_cannot_write_the_catalog(admin_user):
    key, _ = create_api_key(user=admin_user, name="reader", scopes=["catalog:read"])
    request = RequestFactory().post("/api/v1/catalog/items")
    request.user, request.api_key = admin_user, key
    assert api_actor(request, app="catalog", write=False).api_scopes == frozenset({"catalog:read"})
    with pytest.raises(PermissionDeniedError) as info:
        api_actor(request, app="catalog", write=True)
    assert info.value.code == "permission_denied"
    assert info.value.status == 403
    assert info.value.details == {"scope": "catalog:write"}


@pytest.mark.django_db
def test_a_key_cannot_mint_broader_keys(admin_user):
    writer = ApiClient(admin_user, scopes=("accounts:write",))
    response = writer.post(URL, {"name": "escalate", "scopes": ["*"]})
    assert response.status_code == 403
    assert response.json()["code"] == "api_scope_not_granted"
    assert response.json()["details"] == {"scopes": ["*"]}
    response = writer.post(URL, {"name": "narrower", "scopes": ["accounts:read"]})
    assert response.status_code == 201
    assert response.json()["scopes"] == ["accounts:read"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "code", "field"),
    [
        ({"name": "x", "scopes": ["catalog:delete"]}, "unknown_api_scope", "scopes"),
        ({"name": "x", "scopes": []}, "validation_error", "scopes"),
        (
            {"name": "x", "scopes": ["*"], "expires_at": "2020-01-01T00:00:00+08:00"},
            "api_key_expiry_in_past",
            "expires_at",
        ),
        ({"name": "", "scopes": ["*"]}, "validation_error", "name"),
        ({"name": "x" * 101, "scopes": ["*"]}, "validation_error", "name"),
        ({"scopes": ["*"]}, "validation_error", "name"),
        ({"name": "x", "scopes": ["*"], "hashed_key": "0" * 64}, "validation_error", "hashed_key"),
        ({"name": "x", "scopes": "*"}, "validation_error", "scopes"),
    ],
)
def test_create_validation(api, payload, code, field):
    before = ApiKey.objects.count()
    response = api.post(URL, payload)
    assert response.status_code in (403, 422), response.content
    body = response.json()
    assert body["code"] == code
    assert response.status_code == 422
    assert field in {d["field"] for d in body["details"]}
    assert ApiKey.objects.count() == before


@pytest.mark.django_db
def test_naive_expiry_is_taken_in_the_server_time_zone(api):
    response = api.post(URL, {"name": "x", "scopes": ["*"], "expires_at": "2999-01-01T08:00:00"})
    assert response.status_code == 201
    key = ApiKey.objects.get(pk=response.json()["id"])
    assert key.expires_at.isoformat() == "2999-01-01T00:00:00+00:00"  # Asia/Shanghai is UTC+8


@pytest.mark.django_db
def test_technician_may_manage_own_keys_but_retailer_may_not(dealer):
    technician = ApiClient(make_user(dealer, Role.TECHNICIAN))
    assert technician.post(URL, {"name": "mine", "scopes": ["catalog:read"]}).status_code == 201
    retailer = ApiClient(make_user(dealer, Role.RETAILER_USER))
    response = retailer.post(URL, {"name": "mine", "scopes": ["catalog:read"]})
    assert response.status_code == 403
    assert response.json()["details"] == {"permission": "accounts.add_apikey"}


@pytest.mark.django_db
def test_service_refuses_keys_for_someone_else(dealer, admin_user):
    from tests.accounts.factories import actor_of

    colleague = make_user(dealer, Role.SALES_REP)
    with pytest.raises(PermissionDeniedError):
        create_api_key(actor=actor_of(admin_user), user=colleague, name="x", scopes=["*"])
    key, _ = create_api_key(user=colleague, name="theirs", scopes=["*"])
    from qudao.core.errors import NotFound

    with pytest.raises(NotFound):
        revoke_api_key(actor=actor_of(admin_user), key=key)
    assert revoke_api_key(actor=actor_of(colleague), key=key).revoked_at is not None
