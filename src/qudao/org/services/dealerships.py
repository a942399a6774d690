"""Dealerships: a brand authorises a dealer, for a territory and channel kinds, between two dates."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from qudao.core.events import emit
from qudao.core.scoping import Actor, scoped
from qudao.org.errors import DealershipOverlap
from qudao.org.models import Company, Dealership, DealershipStatus, Territory
from qudao.org.services.common import FieldErrors, changed, validate_instance
from qudao.org.states import DEALERSHIP_MACHINE

PLAIN_FIELDS = ("dealer_code", "channel_kinds", "valid_from", "valid_to")
RENAME = {"brand": "brand_id", "dealer": "dealer_id", "territory": "territory_id"}


def _payload(dealership: Dealership, **extra: Any) -> dict[str, Any]:
    return {
        "dealership_id": dealership.pk,
        "brand_id": dealership.brand_id,
        "dealer_id": dealership.dealer_id,
        "status": dealership.status,
        "valid_from": dealership.valid_from.isoformat(),
        "valid_to": dealership.valid_to.isoformat() if dealership.valid_to else None,
        **extra,
    }


def _brand_id(actor: Actor, data: Mapping[str, Any], errors: FieldErrors) -> int | None:
    brand_id = data.get("brand_id")
    if brand_id is None:
        if len(actor.brand_ids) == 1:
            return next(iter(actor.brand_ids))
        errors.add("brand_id", _("Choose the brand that grants the dealership."))
        return None
    if not actor.is_platform_admin and brand_id not in actor.brand_ids:
        errors.add("brand_id", _("You can only grant dealerships of your own brand."))
        return None
    if not Company.objects.filter(pk=brand_id, is_brand=True).exists():
        errors.add("brand_id", _("The company granting a dealership must be a brand."))
        return None
    return brand_id


def _dealer_id(actor: Actor, dealer_id: Any, brand_id: int | None, errors: FieldErrors) -> int | None:
    if dealer_id is None:
        errors.add("dealer_id", _("Choose the dealer."))
        return None
    # The brand must already see the dealer (directory listing or an existing dealership).
    dealer = scoped(Company.objects.filter(pk=dealer_id), actor).first()
    if dealer is None:
        errors.add("dealer_id", _("There is no such dealer among the companies you can see."))
        return None
    if not dealer.is_dealer:
        errors.add("dealer_id", _("The authorised company must be a dealer."))
        return None
    if dealer.pk == brand_id:
        errors.add("dealer_id", _("A brand cannot authorise itself."))
        return None
    return dealer.pk


def clean_dealership_data(
    *, actor: Actor, data: Mapping[str, Any], dealership: Dealership | None = None
) -> dict[str, Any]:
    """Check a create (dealership=None) or a partial update; the status change goes under "status"."""
    errors = FieldErrors()
    values: dict[str, Any] = {k: data[k] for k in PLAIN_FIELDS if k in data}
    if isinstance(values.get("channel_kinds"), list | tuple):
        values["channel_kinds"] = [str(kind) for kind in values["channel_kinds"]]
    if dealership is None:
        brand_id = _brand_id(actor, data, errors)
        values["brand_id"] = brand_id
        values["dealer_id"] = _dealer_id(actor, data.get("dealer_id"), brand_id, errors)
    else:
        brand_id = dealership.brand_id
        for key in ("brand_id", "dealer_id"):
            if key in data and data[key] != getattr(dealership, key):
                errors.add(
                    key,
                    _("The brand and the dealer of a dealership cannot change; end it and grant a new one."),
                )
    if "territory_id" in data:
        territory_id = data["territory_id"]
        if (
            territory_id is not None
            and not Territory.objects.filter(pk=territory_id, owner_id=brand_id).exists()
        ):
            errors.add("territory_id", _("There is no such territory of this brand."))
        values["territory_id"] = territory_id
    if "status" in data and dealership is not None:
        values["status"] = data["status"]
    valid_from = values.get("valid_from", dealership.valid_from if dealership else None)
    valid_to = values.get("valid_to", dealership.valid_to if dealership else None)
    if valid_from is None:
        errors.add("valid_from", _("Give the first day of the dealership."))
    elif valid_to is not None and valid_to < valid_from:
        errors.add("valid_to", _("The end date cannot be before the start date."))
    probe = Dealership(
        **{f.attname: getattr(dealership, f.attname) for f in Dealership._meta.concrete_fields}
        if dealership
        else {}
    )
    for key, value in values.items():
        if key != "status":
            setattr(probe, key, value)
    validate_instance(probe, errors=errors, rename=RENAME, exclude=["id", "brand", "dealer", "territory"])
    errors.raise_if_any()
    return values


def _check_no_overlap(
    *, brand_id: int, dealer_id: int, valid_from: date, valid_to: date | None, exclude_pk: int | None
) -> None:
    """Another live (not terminated) dealership of the same brand and dealer must not share a day."""
    # Serialise grants for this dealer: two concurrent requests cannot both pass the check.
    Company.objects.select_for_update().filter(pk=dealer_id).first()
    others = (
        Dealership.objects.filter(brand_id=brand_id, dealer_id=dealer_id)
        .exclude(status=DealershipStatus.TERMINATED)
        .exclude(pk=exclude_pk)
    )
    others = others.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
    if valid_to is not None:
        others = others.filter(valid_from__lte=valid_to)
    clash = others.order_by("valid_from").first()
    if clash is not None:
        raise DealershipOverlap(
            details={
                "dealership_id": clash.pk,
                "valid_from": clash.valid_from.isoformat(),
                "valid_to": clash.valid_to.isoformat() if clash.valid_to else None,
            }
        )


@transaction.atomic
def create_dealership(*, actor: Actor, data: Mapping[str, Any]) -> Dealership:
    values = clean_dealership_data(actor=actor, data=data)
    dealership = Dealership(**values)
    _check_no_overlap(
        brand_id=dealership.brand_id,
        dealer_id=dealership.dealer_id,
        valid_from=dealership.valid_from,
        valid_to=dealership.valid_to,
        exclude_pk=None,
    )
    dealership.save()
    emit(
        "org.dealership.created", _payload(dealership), dealer_id=dealership.dealer_id, actor_id=actor.user_id
    )
    return dealership


@transaction.atomic
def update_dealership(*, actor: Actor, dealership: Dealership, data: Mapping[str, Any]) -> Dealership:
    dealership = Dealership.objects.select_for_update().get(pk=dealership.pk)
    values = clean_dealership_data(actor=actor, data=data, dealership=dealership)
    new_status = values.pop("status", dealership.status)
    previous = dealership.status
    if new_status != previous:
        DEALERSHIP_MACHINE.transition(dealership, to=new_status)
    names = changed(dealership, values)
    if new_status != previous:
        names.append("status")
    if not names:
        return dealership
    if dealership.status != DealershipStatus.TERMINATED and {"valid_from", "valid_to", "status"} & set(names):
        _check_no_overlap(
            brand_id=dealership.brand_id,
            dealer_id=dealership.dealer_id,
            valid_from=dealership.valid_from,
            valid_to=dealership.valid_to,
            exclude_pk=dealership.pk,
        )
    dealership.save()
    emit(
        "org.dealership.updated",
        _payload(dealership, changed=names),
        dealer_id=dealership.dealer_id,
        actor_id=actor.user_id,
    )
    if new_status != previous:
        emit(
            "org.dealership.status_changed",
            _payload(dealership, previous_status=previous),
            dealer_id=dealership.dealer_id,
            actor_id=actor.user_id,
        )
    return dealership
