"""Helpers shared by the customer services: field assignment, row locks, events."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from qudao.core.errors import DuplicateRecord, ValidationFailed
from qudao.core.events import emit
from qudao.core.scoping import Actor
from qudao.parties.errors import CustomerArchived
from qudao.parties.models import Customer, CustomerStatus


def assign(obj: Model, data: dict[str, Any], allowed: frozenset[str]) -> None:
    """Set fields from `data` (attnames); None on a non-null field means its default (blank)."""
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ValidationFailed(
            details=[
                {
                    "field": name,
                    "message": str(_("This field cannot be set here.")),
                    "code": ValidationFailed.code,
                }
                for name in unknown
            ]
        )
    for name, value in data.items():
        field = obj._meta.get_field(name)
        if value is None and not field.null:
            value = field.get_default()
        setattr(obj, field.attname, value)


def lock_customer(customer_id: int, *, allow_archived: bool = False) -> Customer:
    """The customer row under `select_for_update` (its changes are serialised); archived ones are final."""
    customer = Customer.objects.select_for_update().get(pk=customer_id)
    if not allow_archived and customer.status == CustomerStatus.ARCHIVED:
        raise CustomerArchived(details={"customer_id": customer.pk})
    return customer


def duplicate(field: str, message: Any) -> DuplicateRecord:
    return DuplicateRecord(details=[{"field": field, "message": str(message), "code": DuplicateRecord.code}])


def announce(topic: str, customer: Customer, actor: Actor | None, **payload: Any) -> None:
    """An outbox event about a customer (delivered after commit)."""
    body = {"customer_id": customer.pk, "code": customer.code, "version": customer.version, **payload}
    emit(
        f"parties.customer.{topic}",
        body,
        dealer_id=customer.dealer_id,
        actor_id=actor.user_id if actor is not None else None,
    )
