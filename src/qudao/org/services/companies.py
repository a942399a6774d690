"""Companies: create, update, deactivate, delete (only when nothing refers to them)."""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from qudao.core.errors import PermissionDeniedError
from qudao.core.events import emit
from qudao.core.scoping import Actor
from qudao.org import policies
from qudao.org.errors import InUse, PlatformAdminOnly
from qudao.org.models import Company
from qudao.org.services.common import (
    FieldErrors,
    changed,
    delete_unless_used,
    duplicate,
    region_for_code,
    save_unique,
    validate_instance,
)

#: roles only a platform administrator grants: they open a tenant or a brand's channel
RESTRICTED_ROLES = ("is_brand", "is_dealer")
PLAIN_FIELDS = (
    "code",
    "name",
    "short_name",
    "credit_code",
    *Company.ROLE_FIELDS,
    "is_public",
    "address",
    "phone",
    "email",
    "time_zone",
    "currency",
    "is_active",
)
RENAME = {"region": "region_code", "owner": "owner_id"}


@lru_cache(maxsize=1)
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _event_payload(company: Company, **extra: Any) -> dict[str, Any]:
    return {"company_id": company.pk, "code": company.code, "roles": company.roles, **extra}


def clean_company_data(
    *, actor: Actor, data: Mapping[str, Any], company: Company | None = None
) -> dict[str, Any]:
    """Check a create (company=None) or a partial update; return model values. Raises 422/403/409."""
    errors = FieldErrors()
    values: dict[str, Any] = {k: data[k] for k in PLAIN_FIELDS if k in data}
    if values.get("credit_code"):
        try:
            values["credit_code"] = policies.validate_credit_code(values["credit_code"])
        except policies.PolicyError as exc:
            errors.add("credit_code", exc.message)
    if "time_zone" in values and values["time_zone"] not in _time_zones():
        errors.add("time_zone", _("Unknown time zone; use an IANA name such as Asia/Shanghai."))
    if "currency" in values and not re.fullmatch(r"[A-Z]{3}", values["currency"] or ""):
        errors.add("currency", _("Use a three-letter ISO 4217 currency code such as CNY."))
    if "region_code" in data:
        region = region_for_code(data["region_code"], errors=errors)
        values["region_id"] = region.pk if region else None
    if not actor.is_platform_admin:
        _check_non_admin(actor, data, values, company)
    elif "owner_id" in data:
        owner = Company.objects.filter(pk=data["owner_id"]).first() if data["owner_id"] is not None else None
        if data["owner_id"] is not None and owner is None:
            errors.add("owner_id", _("There is no such company."))
        values["owner_id"] = data["owner_id"] if owner else None

    merged = {f: getattr(company, f) for f in Company.ROLE_FIELDS} if company else {}
    merged.update({f: values[f] for f in Company.ROLE_FIELDS if f in values})
    if not any(merged.values()):
        errors.add(
            "roles", _("A company needs at least one role: brand, dealer, supplier, carrier or financier.")
        )

    instance = company or Company()
    probe = Company(**{f.attname: getattr(instance, f.attname) for f in Company._meta.concrete_fields})
    for key, value in values.items():
        setattr(probe, key, value)
    validate_instance(probe, errors=errors, rename=RENAME, exclude=["id"])
    errors.raise_if_any()
    code = values.get("code")
    if code is not None and Company.objects.filter(code=code).exclude(pk=instance.pk).exists():
        raise duplicate("code")
    return values


def _check_non_admin(
    actor: Actor, data: Mapping[str, Any], values: dict[str, Any], company: Company | None
) -> None:
    for flag in (*RESTRICTED_ROLES, "is_public"):
        current = getattr(company, flag) if company else False
        if flag in values and values[flag] != current:
            raise PlatformAdminOnly(
                what=_("grant or remove the brand or dealer role, or list a company in the directory"),
                details=[{"field": flag}],
            )
    if company is None:
        # A dealer registers its own master data (suppliers, carriers, financiers): owned by that dealer.
        owner_id = data.get("owner_id") or actor.default_dealer_id()
        if owner_id is None or owner_id not in actor.own_dealer_ids:
            raise PermissionDeniedError(
                _("Choose the dealer that registers this company."), details=[{"field": "owner_id"}]
            )
        values["owner_id"] = owner_id
    elif "owner_id" in data and data["owner_id"] != company.owner_id:
        raise PlatformAdminOnly(what=_("change who registered a company"), details=[{"field": "owner_id"}])
    if company is not None and values.get("is_active") is False and company.pk in actor.company_ids:
        raise PlatformAdminOnly(what=_("deactivate a company you work for"), details=[{"field": "is_active"}])


@transaction.atomic
def create_company(*, actor: Actor, data: Mapping[str, Any]) -> Company:
    values = clean_company_data(actor=actor, data=data)
    company = Company(**values)
    save_unique(company, field="code")
    emit(
        "org.company.created",
        _event_payload(company, owner_id=company.owner_id),
        dealer_id=company.owner_id,
        actor_id=actor.user_id,
    )
    return company


@transaction.atomic
def update_company(*, actor: Actor, company: Company, data: Mapping[str, Any]) -> Company:
    company = Company.objects.select_for_update().get(pk=company.pk)
    values = clean_company_data(actor=actor, data=data, company=company)
    was_active = company.is_active
    names = changed(company, values)
    if not names:
        return company
    save_unique(company, field="code")
    dealer_id = company.owner_id
    emit(
        "org.company.updated",
        _event_payload(company, changed=names),
        dealer_id=dealer_id,
        actor_id=actor.user_id,
    )
    if was_active and not company.is_active:
        emit("org.company.deactivated", _event_payload(company), dealer_id=dealer_id, actor_id=actor.user_id)
    return company


def deactivate_company(*, actor: Actor, company: Company) -> Company:
    return update_company(actor=actor, company=company, data={"is_active": False})


@transaction.atomic
def delete_company(*, actor: Actor, company: Company) -> None:
    """Delete a company entered by mistake; one that anything refers to answers 409 `in_use`."""
    if company.brand_sites.exists():
        raise InUse(record=str(company), used_by=str(_("sites")), details={"used_by": ["sites"]})
    payload = _event_payload(company)
    dealer_id = company.owner_id
    delete_unless_used(company)
    emit("org.company.deleted", payload, dealer_id=dealer_id, actor_id=actor.user_id)
