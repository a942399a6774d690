"""Writes of the customers app. Every rule lives here, so the API, the console and imports obey it."""

from qudao.parties.services.addresses import add_address, delete_address, update_address
from qudao.parties.services.contacts import add_contact, delete_contact, update_contact
from qudao.parties.services.customers import (
    change_customer_status,
    create_customer,
    record_customer_purchase,
    save_imported_customer,
    update_customer,
)
from qudao.parties.services.groups import create_customer_group, update_customer_group

__all__ = [
    "add_address",
    "add_contact",
    "change_customer_status",
    "create_customer",
    "create_customer_group",
    "delete_address",
    "delete_contact",
    "record_customer_purchase",
    "save_imported_customer",
    "update_address",
    "update_contact",
    "update_customer",
    "update_customer_group",
]
