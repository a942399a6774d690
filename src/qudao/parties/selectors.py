"""Reads of the customers app; every one starts from `scoped(queryset, actor)`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL

from qudao.core.api import order_queryset
from qudao.core.scoping import Actor, get_scoped, scoped
from qudao.parties import policies
from qudao.parties.models import Address, AddressKind, Contact, Customer, CustomerGroup

CUSTOMER_ORDERING = {
    "code",
    "name",
    "status",
    "kind",
    "credit_limit",
    "created_at",
    "updated_at",
    "first_purchase_at",
    "last_purchase_at",
}
GROUP_ORDERING = {"code", "name", "created_at"}


def tag_q(tag: str) -> Q:
    """Customers carrying `tag` (JSON containment on PostgreSQL, json_each on SQLite)."""
    if connection.vendor == "postgresql":
        return Q(tags__contains=[tag])
    # SQLite has no JSON containment lookup; json_each() unpacks the list. Only the model's own
    # table name is interpolated; the tag is a bound parameter.
    table = connection.ops.quote_name(Customer._meta.db_table)
    sql = f"SELECT {table}.id FROM {table}, json_each({table}.tags) WHERE json_each.value = %s"  # noqa: S608
    return Q(pk__in=RawSQL(sql, [tag]))  # noqa: S611


def region_q(region_id: int, path: str = "region") -> Q:
    """The region and everything inside it (province → city → district)."""
    return (
        Q(**{f"{path}_id": region_id})
        | Q(**{f"{path}__parent_id": region_id})
        | Q(**{f"{path}__parent__parent_id": region_id})
    )


def search_q(text: str) -> Q:
    """Code, name, legal name, credit code, mobile or a contact's phone (contains), or an exact tag."""
    text = text.strip()
    q = (
        Q(code__icontains=text)
        | Q(name__icontains=text)
        | Q(legal_name__icontains=text)
        | Q(credit_code__iexact=text)
        | tag_q(text)
    )
    digits = policies.normalize_mobile(text)
    if digits.isdigit() and len(digits) >= 4:
        q |= Q(mobile__contains=digits) | Q(
            Exists(Contact.objects.filter(customer=OuterRef("pk"), phone__contains=digits))
        )
    return q


def list_customers(
    *,
    actor: Actor,
    kind: str | None = None,
    business_type: str | None = None,
    group: int | None = None,
    channel: int | None = None,
    sales_rep: int | None = None,
    region: int | None = None,
    home_site: int | None = None,
    status: str | None = None,
    tag: str | None = None,
    search: str | None = None,
    ordering: str | None = None,
) -> QuerySet:
    qs = scoped(Customer.objects.all(), actor)
    exact = {
        "kind": kind,
        "business_type": business_type,
        "customer_group_id": group,
        "channel_id": channel,
        "sales_rep_id": sales_rep,
        "home_site_id": home_site,
        "status": status,
    }
    qs = qs.filter(**{name: value for name, value in exact.items() if value is not None})
    if region is not None:
        qs = qs.filter(region_q(region))
    if tag:
        qs = qs.filter(tag_q(tag.strip()))
    if search and search.strip():
        qs = qs.filter(search_q(search))
    return order_queryset(qs, ordering, CUSTOMER_ORDERING, "code")


def get_customer(*, actor: Actor, customer_id: int, for_write: bool = False) -> Customer:
    return get_scoped(Customer.objects.all(), actor, for_write=for_write, pk=customer_id)


@dataclass
class CustomerCounts:
    contacts: int = 0
    addresses: int = 0
    shipping_addresses: int = 0


@dataclass
class Customer360:
    """The header of a customer's page: the customer, its contacts and addresses, counts.
    Attribute reads fall through to the customer, so it renders like one."""

    customer: Customer
    contacts: list[Contact] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    counts: CustomerCounts = field(default_factory=CustomerCounts)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__dict__["customer"], name)

    @property
    def primary_contact_id(self) -> int | None:
        return next((c.pk for c in self.contacts if c.is_primary), None)

    @property
    def default_shipping_address_id(self) -> int | None:
        return next((a.pk for a in self.addresses if a.is_default and a.kind == AddressKind.SHIPPING), None)


def get_customer_360(*, actor: Actor, customer_id: int) -> Customer360:
    """Three queries whatever the number of contacts and addresses."""
    qs = Customer.objects.prefetch_related(
        Prefetch("contacts", queryset=Contact.objects.order_by("-is_primary", "id")),
        Prefetch("addresses", queryset=Address.objects.order_by("kind", "-is_default", "id")),
    )
    customer = get_scoped(qs, actor, pk=customer_id)
    contacts, addresses = list(customer.contacts.all()), list(customer.addresses.all())
    counts = CustomerCounts(
        contacts=len(contacts),
        addresses=len(addresses),
        shipping_addresses=sum(a.kind == AddressKind.SHIPPING for a in addresses),
    )
    return Customer360(customer=customer, contacts=contacts, addresses=addresses, counts=counts)


def list_customer_groups(*, actor: Actor, search: str | None = None, ordering: str | None = None) -> QuerySet:
    qs = scoped(CustomerGroup.objects.all(), actor)
    if search and search.strip():
        text = search.strip()
        qs = qs.filter(Q(code__icontains=text) | Q(name__icontains=text))
    return order_queryset(qs, ordering, GROUP_ORDERING, "code")


def get_customer_group(*, actor: Actor, group_id: int, for_write: bool = False) -> CustomerGroup:
    return get_scoped(CustomerGroup.objects.all(), actor, for_write=for_write, pk=group_id)


def get_contact(*, actor: Actor, customer_id: int, contact_id: int, for_write: bool = False) -> Contact:
    return get_scoped(
        Contact.objects.filter(customer_id=customer_id), actor, for_write=for_write, pk=contact_id
    )


def get_address(*, actor: Actor, customer_id: int, address_id: int, for_write: bool = False) -> Address:
    return get_scoped(
        Address.objects.filter(customer_id=customer_id), actor, for_write=for_write, pk=address_id
    )
