"""API schemas of the accounts app (input schemas refuse unknown fields; lengths mirror the models)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import StringConstraints

from qudao.accounts.models import Role
from qudao.core.api import StrictSchema

#: passwords are taken as typed: surrounding spaces are part of them
Password = Annotated[str, StringConstraints(strip_whitespace=False, min_length=1, max_length=128)]
Username = Annotated[str, StringConstraints(min_length=1, max_length=150)]
Name = Annotated[str, StringConstraints(max_length=150)]
Email = Annotated[str, StringConstraints(max_length=254)]
Phone = Annotated[str, StringConstraints(max_length=40)]
Language = Annotated[str, StringConstraints(min_length=1, max_length=10)]
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
SiteIds = Annotated[list[Id], Field(max_length=500)]


# --- memberships ------------------------------------------------------------------------------
class MembershipOut(Schema):
    id: int
    user_id: int
    company_id: int
    company_name: str
    role: str
    role_label: str
    site_ids: list[int]
    is_active: bool
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_company_name(obj) -> str:
        return str(obj.company)

    @staticmethod
    def resolve_role_label(obj) -> str:
        return str(obj.get_role_display())

    @staticmethod
    def resolve_site_ids(obj) -> list[int]:
        return sorted(site.pk for site in obj.sites.all())


class MembershipIn(StrictSchema):
    user_id: Id
    company_id: Id
    role: Role
    site_ids: SiteIds = Field(default_factory=list, description="Empty: every site of the company.")


class MembershipPatch(StrictSchema):
    role: Role | None = None
    site_ids: SiteIds | None = Field(None, description="Empty list: every site of the company.")
    is_active: bool | None = None


class NewUserMembershipIn(StrictSchema):
    company_id: Id
    role: Role
    site_ids: SiteIds = Field(default_factory=list, description="Empty: every site of the company.")


# --- users ------------------------------------------------------------------------------------
class UserOut(Schema):
    id: int
    username: str
    first_name: str
    last_name: str
    email: str
    phone: str
    language: str
    is_active: bool
    is_staff: bool
    date_joined: datetime
    last_login: datetime | None
    memberships: list[MembershipOut] = Field(
        description="The user's memberships in companies visible to you."
    )

    @staticmethod
    def resolve_memberships(obj) -> list:
        return list(obj.memberships.all())


class UserIn(StrictSchema):
    username: Username
    password: Password
    email: Email = ""
    first_name: Name = ""
    last_name: Name = ""
    phone: Phone = ""
    language: Language | None = None
    memberships: Annotated[list[NewUserMembershipIn], Field(max_length=50)] = Field(
        default_factory=list,
        description="Companies the user works for; at least one unless you are a platform administrator.",
    )


class UserPatch(StrictSchema):
    email: Email | None = None
    first_name: Name | None = None
    last_name: Name | None = None
    phone: Phone | None = None
    language: Language | None = None
    password: Password | None = None


# --- API keys ---------------------------------------------------------------------------------
class ApiKeyOut(Schema):
    id: int
    name: str
    prefix: str
    scopes: list[str]
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None
    created_at: datetime
    is_usable: bool


class ApiKeyCreatedOut(ApiKeyOut):
    token: str = Field(description="The secret, shown this once: store it now.")


class ApiKeyIn(StrictSchema):
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    scopes: Annotated[
        list[Annotated[str, StringConstraints(max_length=40)]], Field(min_length=1, max_length=50)
    ]
    expires_at: datetime | None = None
