"""Supersession services: record that a part number is replaced by another from a date."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from qudao.catalog.models import Item, Supersession
from qudao.catalog.services._common import References, ensure_unique, ensure_writable, validate_instance
from qudao.core.scoping import Actor
from qudao.org.models import Company

_PLAIN_FIELDS = ("effective_from", "factor", "note")


@transaction.atomic
def create_supersession(*, actor: Actor, data: Mapping[str, Any]) -> Supersession:
    """old → new from `effective_from`; refused for non-parts, for a part superseding itself and for
    any loop (A → B → A), whatever the dates."""
    refs = References(actor)
    old_item = refs.get(Item, data.get("old_item_id"), "old_item_id")
    new_item = refs.get(Item, data.get("new_item_id"), "new_item_id")
    refs.raise_if_any()
    supersession = Supersession(
        dealer_id=old_item.dealer_id,
        old_item=old_item,
        new_item=new_item,
        **{name: data[name] for name in _PLAIN_FIELDS if name in data},
    )
    return _persist(supersession, actor=actor)


@transaction.atomic
def save_supersession(*, actor: Actor, supersession: Supersession) -> Supersession:
    return _persist(supersession, actor=actor)


def _persist(supersession: Supersession, *, actor: Actor) -> Supersession:
    if supersession.old_item_id:
        supersession.dealer_id = supersession.old_item.dealer_id
    ensure_writable(actor, supersession.dealer_id)
    # supersessions of one dealer are entered one at a time (a lock on the dealer's row): two concurrent
    # entries could otherwise each pass the loop check and together close a loop
    Company.objects.select_for_update().filter(pk=supersession.dealer_id).values_list("pk", flat=True).first()
    validate_instance(supersession)
    ensure_unique(supersession, ("old_item", "effective_from"), report_as="effective_from")
    supersession.save()
    supersession.refresh_from_db()  # values as stored (decimals at their places)
    return supersession
