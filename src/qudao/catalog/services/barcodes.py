"""Barcode services: register the codes of an item's packagings; remove one printed by mistake."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from qudao.catalog.models import Barcode, Item, UnitOfMeasure
from qudao.catalog.policies import detect_barcode_kind
from qudao.catalog.services._common import References, ensure_unique, ensure_writable, validate_instance
from qudao.core.scoping import Actor


@transaction.atomic
def add_barcode(*, actor: Actor, item: Item, data: Mapping[str, Any]) -> Barcode:
    """A code for one packaging of the item (its base unit unless `unit_id` says otherwise).
    Without a kind, a GS1 length of digits is taken as that GTIN (and its check digit verified)."""
    refs = References(actor)
    unit = refs.get(UnitOfMeasure, data.get("unit_id"), "unit_id") if data.get("unit_id") else item.base_unit
    refs.raise_if_any()
    code = data["code"]
    barcode = Barcode(
        dealer_id=item.dealer_id,
        item=item,
        unit=unit,
        code=code,
        kind=data.get("kind") or detect_barcode_kind(code),
    )
    return _persist(barcode, actor=actor)


@transaction.atomic
def save_barcode(*, actor: Actor, barcode: Barcode) -> Barcode:
    """Save a barcode edited in the console or imported from a file."""
    return _persist(barcode, actor=actor)


@transaction.atomic
def delete_barcode(*, actor: Actor, barcode: Barcode) -> None:
    ensure_writable(actor, barcode.dealer_id)
    barcode.delete()


def _persist(barcode: Barcode, *, actor: Actor) -> Barcode:
    barcode.dealer_id = barcode.item.dealer_id
    ensure_writable(actor, barcode.dealer_id)
    validate_instance(barcode)
    ensure_unique(barcode, ("dealer", "code"), report_as="code")
    ensure_unique(barcode, ("dealer", "normalized"), report_as="code")
    barcode.save()
    return barcode
