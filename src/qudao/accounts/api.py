"""/api/v1/accounts: colleagues (users), memberships and one's own API keys.

`GET /api/v1/system/me` (core) says who the caller is; it is not repeated here.
"""

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from qudao.accounts import selectors
from qudao.accounts.models import Role
from qudao.accounts.schemas import (
    ApiKeyCreatedOut,
    ApiKeyIn,
    ApiKeyOut,
    MembershipIn,
    MembershipOut,
    MembershipPatch,
    UserIn,
    UserOut,
    UserPatch,
)
from qudao.accounts.services import api_keys, memberships, users
from qudao.core.api import ErrorOut, Paginated, api_actor

router = Router()

APP = "accounts"
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# --- users ------------------------------------------------------------------------------------
@router.get("/users", response=list[UserOut], summary="Colleagues: users of the companies you work for")
@paginate(Paginated)
def list_users(
    request: HttpRequest,
    q: str | None = None,
    company_id: int | None = None,
    role: Role | None = None,
    is_active: bool | None = None,
    ordering: str | None = None,
):
    actor = api_actor(request, app=APP, perm="accounts.view_user")
    return selectors.list_users(
        actor=actor,
        q=q[:100] if q else None,
        company_id=company_id,
        role=role,
        is_active=is_active,
        ordering=ordering,
    )


@router.post(
    "/users", response={201: UserOut, **ERRORS}, summary="Create a user working for companies you administer"
)
def create_user(request: HttpRequest, payload: UserIn):
    actor = api_actor(request, app=APP, write=True, perm="accounts.add_user")
    specs = [
        users.MembershipSpec(company_id=m.company_id, role=m.role, site_ids=tuple(m.site_ids))
        for m in payload.memberships
    ]
    user = users.create_user(
        actor=actor,
        username=payload.username,
        password=payload.password,
        email=payload.email,
        first_name=payload.first_name,
        last_name=payload.last_name,
        phone=payload.phone,
        language=payload.language,
        memberships=specs,
    )
    return Status(201, selectors.get_user(actor=actor, user_id=user.pk))


@router.get("/users/{user_id}", response={200: UserOut, **ERRORS})
def get_user(request: HttpRequest, user_id: int):
    actor = api_actor(request, app=APP, perm="accounts.view_user")
    return selectors.get_user(actor=actor, user_id=user_id)


@router.patch(
    "/users/{user_id}", response={200: UserOut, **ERRORS}, summary="Change a user's details or password"
)
def update_user(request: HttpRequest, user_id: int, payload: UserPatch):
    actor = api_actor(request, app=APP, write=True, perm="accounts.change_user")
    user = selectors.get_user(actor=actor, user_id=user_id, for_write=True)
    users.update_user(actor=actor, user=user, **payload.dict(exclude_unset=True))
    return selectors.get_user(actor=actor, user_id=user_id)


@router.post(
    "/users/{user_id}/deactivate",
    response={200: UserOut, **ERRORS},
    summary="The user can no longer sign in or use API keys",
)
def deactivate_user(request: HttpRequest, user_id: int):
    actor = api_actor(request, app=APP, write=True, perm="accounts.change_user")
    user = selectors.get_user(actor=actor, user_id=user_id, for_write=True)
    users.deactivate_user(actor=actor, user=user)
    return selectors.get_user(actor=actor, user_id=user_id)


@router.post("/users/{user_id}/activate", response={200: UserOut, **ERRORS})
def activate_user(request: HttpRequest, user_id: int):
    actor = api_actor(request, app=APP, write=True, perm="accounts.change_user")
    user = selectors.get_user(actor=actor, user_id=user_id, for_write=True)
    users.activate_user(actor=actor, user=user)
    return selectors.get_user(actor=actor, user_id=user_id)


# --- memberships ------------------------------------------------------------------------------
@router.get("/memberships", response=list[MembershipOut], summary="Who works where, in which role")
@paginate(Paginated)
def list_memberships(
    request: HttpRequest,
    user_id: int | None = None,
    company_id: int | None = None,
    role: Role | None = None,
    is_active: bool | None = None,
    ordering: str | None = None,
):
    actor = api_actor(request, app=APP, perm="accounts.view_membership")
    return selectors.list_memberships(
        actor=actor, user_id=user_id, company_id=company_id, role=role, is_active=is_active, ordering=ordering
    )


@router.post(
    "/memberships",
    response={201: MembershipOut, **ERRORS},
    summary="Let a colleague work for a company you administer",
)
def create_membership(request: HttpRequest, payload: MembershipIn):
    actor = api_actor(request, app=APP, write=True, perm="accounts.add_membership")
    membership = memberships.add_membership(
        actor=actor,
        user_id=payload.user_id,
        company_id=payload.company_id,
        role=payload.role,
        site_ids=payload.site_ids,
    )
    return Status(201, selectors.get_membership(actor=actor, membership_id=membership.pk))


@router.get("/memberships/{membership_id}", response={200: MembershipOut, **ERRORS})
def get_membership(request: HttpRequest, membership_id: int):
    actor = api_actor(request, app=APP, perm="accounts.view_membership")
    return selectors.get_membership(actor=actor, membership_id=membership_id)


@router.patch(
    "/memberships/{membership_id}",
    response={200: MembershipOut, **ERRORS},
    summary="Change the role, the sites or reactivate",
)
def update_membership(request: HttpRequest, membership_id: int, payload: MembershipPatch):
    actor = api_actor(request, app=APP, write=True, perm="accounts.change_membership")
    membership = selectors.get_membership(actor=actor, membership_id=membership_id, for_write=True)
    memberships.update_membership(actor=actor, membership=membership, **payload.dict(exclude_unset=True))
    return selectors.get_membership(actor=actor, membership_id=membership_id)


@router.delete(
    "/memberships/{membership_id}",
    response={204: None, **ERRORS},
    summary="Deactivate a membership (kept for the record)",
)
def delete_membership(request: HttpRequest, membership_id: int):
    actor = api_actor(request, app=APP, write=True, perm="accounts.delete_membership")
    membership = selectors.get_membership(actor=actor, membership_id=membership_id, for_write=True)
    memberships.deactivate_membership(actor=actor, membership=membership)
    return Status(204, None)


# --- API keys ---------------------------------------------------------------------------------
@router.get("/api-keys", response=list[ApiKeyOut], summary="My API keys (never the secret)")
@paginate(Paginated)
def list_api_keys(request: HttpRequest, is_usable: bool | None = None, ordering: str | None = None):
    actor = api_actor(request, app=APP, perm="accounts.view_apikey")
    return selectors.list_api_keys(actor=actor, is_usable=is_usable, ordering=ordering)


@router.post(
    "/api-keys",
    response={201: ApiKeyCreatedOut, **ERRORS},
    summary="Create an API key; the response's `token` is shown this once",
)
def create_api_key(request: HttpRequest, payload: ApiKeyIn):
    actor = api_actor(request, app=APP, write=True, perm="accounts.add_apikey")
    user = request.user
    key, token = api_keys.create_api_key(
        actor=actor, user=user, name=payload.name, scopes=payload.scopes, expires_at=payload.expires_at
    )
    key.token = token
    return Status(201, key)


@router.get("/api-keys/{key_id}", response={200: ApiKeyOut, **ERRORS})
def get_api_key(request: HttpRequest, key_id: int):
    actor = api_actor(request, app=APP, perm="accounts.view_apikey")
    return selectors.get_api_key(actor=actor, key_id=key_id)


@router.post("/api-keys/{key_id}/revoke", response={200: ApiKeyOut, **ERRORS}, summary="Revoke a key now")
def revoke_api_key(request: HttpRequest, key_id: int):
    actor = api_actor(request, app=APP, write=True, perm="accounts.change_apikey")
    key = selectors.get_api_key(actor=actor, key_id=key_id, for_write=True)
    return api_keys.revoke_api_key(actor=actor, key=key)
