"""Contacts of a customer: add, change, delete; at most one primary contact per customer."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from qudao.core.scoping import Actor
from qudao.parties.models import Contact, Customer
from qudao.parties.services.common import announce, assign, lock_customer
from qudao.parties.validation import Problem, contact_problems, raise_problems

CONTACT_FIELDS = frozenset({"name", "title", "phone", "email", "wechat_id", "is_primary"})


def build_contact(customer: Customer, data: dict[str, Any]) -> tuple[Contact, list[Problem]]:
    """An unsaved contact of `customer` and what is wrong with it."""
    contact = Contact(customer=customer, dealer_id=customer.dealer_id)
    assign(contact, dict(data), CONTACT_FIELDS)
    return contact, contact_problems(contact)


def save_contact(contact: Contact) -> Contact:
    """Save; a new primary contact takes over from the previous one (the customer row is locked)."""
    if contact.is_primary:
        for previous in Contact.objects.filter(customer_id=contact.customer_id, is_primary=True).exclude(
            pk=contact.pk
        ):
            previous.is_primary = False
            previous.save(update_fields=["is_primary", "updated_at"])
    contact.save()
    return contact


@transaction.atomic
def add_contact(*, actor: Actor, customer: Customer, data: dict[str, Any]) -> Contact:
    customer = lock_customer(customer.pk)
    contact, problems = build_contact(customer, data)
    raise_problems(problems)
    save_contact(contact)
    announce("updated", customer, actor, changed=["contacts"], contact_id=contact.pk)
    return contact


@transaction.atomic
def update_contact(*, actor: Actor, contact: Contact, data: dict[str, Any]) -> Contact:
    customer = lock_customer(contact.customer_id)
    contact = Contact.objects.get(pk=contact.pk)
    assign(contact, dict(data), CONTACT_FIELDS)
    raise_problems(contact_problems(contact))
    save_contact(contact)
    announce("updated", customer, actor, changed=["contacts"], contact_id=contact.pk)
    return contact


@transaction.atomic
def delete_contact(*, actor: Actor, contact: Contact) -> None:
    customer = lock_customer(contact.customer_id)
    contact_id = contact.pk
    Contact.objects.get(pk=contact_id).delete()
    announce("updated", customer, actor, changed=["contacts"], contact_id=contact_id)
