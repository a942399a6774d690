"""Sales channels of a dealer (KA, wholesale, small stores, group-buy, e-commerce...)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from qudao.core.events import emit
from qudao.core.scoping import Actor
from qudao.org.models import Channel, Company
from qudao.org.services.common import (
    FieldErrors,
    changed,
    delete_unless_used,
    duplicate,
    save_unique,
    validate_instance,
)

PLAIN_FIELDS = ("code", "name", "kind", "is_active")


def _payload(channel: Channel, **extra: Any) -> dict[str, Any]:
    return {
        "channel_id": channel.pk,
        "dealer_id": channel.dealer_id,
        "code": channel.code,
        "kind": channel.kind,
        **extra,
    }


def clean_channel_data(
    *, actor: Actor, data: Mapping[str, Any], channel: Channel | None = None
) -> dict[str, Any]:
    errors = FieldErrors()
    values: dict[str, Any] = {k: data[k] for k in PLAIN_FIELDS if k in data}
    dealer_id = channel.dealer_id if channel else data.get("dealer_id")
    if channel is None:
        if dealer_id is None:
            dealer_id = actor.default_dealer_id()
        if dealer_id is None:
            errors.add("dealer_id", _("Choose the dealer this channel belongs to."))
        elif not actor.is_platform_admin and dealer_id not in actor.own_dealer_ids:
            errors.add("dealer_id", _("There is no such dealer among yours."))
        elif not Company.objects.filter(pk=dealer_id, is_dealer=True).exists():
            errors.add("dealer_id", _("The channel's company must be a dealer."))
        values["dealer_id"] = dealer_id
    elif "dealer_id" in data and data["dealer_id"] != channel.dealer_id:
        errors.add("dealer_id", _("A channel cannot move to another dealer."))
    probe = Channel(
        **{f.attname: getattr(channel, f.attname) for f in Channel._meta.concrete_fields} if channel else {}
    )
    for key, value in values.items():
        setattr(probe, key, value)
    validate_instance(probe, errors=errors, rename={"dealer": "dealer_id"}, exclude=["id", "dealer"])
    errors.raise_if_any()
    code = values.get("code")
    if (
        code is not None
        and Channel.objects.filter(dealer_id=dealer_id, code=code)
        .exclude(pk=channel.pk if channel else None)
        .exists()
    ):
        raise duplicate("code")
    return values


@transaction.atomic
def create_channel(*, actor: Actor, data: Mapping[str, Any]) -> Channel:
    channel = Channel(**clean_channel_data(actor=actor, data=data))
    save_unique(channel, field="code")
    emit("org.channel.created", _payload(channel), dealer_id=channel.dealer_id, actor_id=actor.user_id)
    return channel


@transaction.atomic
def update_channel(*, actor: Actor, channel: Channel, data: Mapping[str, Any]) -> Channel:
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    names = changed(channel, clean_channel_data(actor=actor, data=data, channel=channel))
    if names:
        save_unique(channel, field="code")
        emit(
            "org.channel.updated",
            _payload(channel, changed=names),
            dealer_id=channel.dealer_id,
            actor_id=actor.user_id,
        )
    return channel


@transaction.atomic
def delete_channel(*, actor: Actor, channel: Channel) -> None:
    payload = _payload(channel)
    delete_unless_used(channel)
    emit("org.channel.deleted", payload, dealer_id=payload["dealer_id"], actor_id=actor.user_id)
