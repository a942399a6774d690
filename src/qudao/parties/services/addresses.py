"""Addresses of a customer: add, change, delete; one default address per kind and customer.

Without coordinates of its own, an address takes its region's (district centre), which is what
distance-based warehouse allocation needs until the address is geocoded.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from qudao.core.scoping import Actor
from qudao.org.models import Region
from qudao.parties.models import Address, Customer
from qudao.parties.services.common import announce, assign, lock_customer
from qudao.parties.validation import Problem, address_problems, raise_problems

ADDRESS_FIELDS = frozenset(
    {
        "kind",
        "region_id",
        "line",
        "postal_code",
        "latitude",
        "longitude",
        "receiver_name",
        "receiver_phone",
        "is_default",
    }
)


def _default_coordinates(address: Address, data: dict[str, Any]) -> None:
    """Coordinates not given with a (new) region come from the region."""
    if data.get("latitude") is not None or data.get("longitude") is not None or address.region_id is None:
        return
    if address.pk is not None and "region_id" not in data:
        return
    coordinates = Region.objects.filter(pk=address.region_id).values_list("latitude", "longitude").first()
    address.latitude, address.longitude = coordinates or (None, None)


def build_address(customer: Customer, data: dict[str, Any]) -> tuple[Address, list[Problem]]:
    """An unsaved address of `customer` and what is wrong with it."""
    address = Address(customer=customer, dealer_id=customer.dealer_id)
    assign(address, dict(data), ADDRESS_FIELDS)
    problems = address_problems(address)
    if not problems:
        _default_coordinates(address, data)
    return address, problems


def save_address(address: Address) -> Address:
    """Save; a new default address of a kind takes over from the previous one."""
    if address.is_default:
        for previous in Address.objects.filter(
            customer_id=address.customer_id, kind=address.kind, is_default=True
        ).exclude(pk=address.pk):
            previous.is_default = False
            previous.save(update_fields=["is_default", "updated_at"])
    address.save()
    return address


@transaction.atomic
def add_address(*, actor: Actor, customer: Customer, data: dict[str, Any]) -> Address:
    customer = lock_customer(customer.pk)
    address, problems = build_address(customer, data)
    raise_problems(problems)
    save_address(address)
    announce("updated", customer, actor, changed=["addresses"], address_id=address.pk)
    return address


@transaction.atomic
def update_address(*, actor: Actor, address: Address, data: dict[str, Any]) -> Address:
    customer = lock_customer(address.customer_id)
    address = Address.objects.get(pk=address.pk)
    assign(address, dict(data), ADDRESS_FIELDS)
    raise_problems(address_problems(address))
    _default_coordinates(address, data)
    save_address(address)
    announce("updated", customer, actor, changed=["addresses"], address_id=address.pk)
    return address


@transaction.atomic
def delete_address(*, actor: Actor, address: Address) -> None:
    customer = lock_customer(address.customer_id)
    address_id = address.pk
    Address.objects.get(pk=address_id).delete()
    announce("updated", customer, actor, changed=["addresses"], address_id=address_id)
