"""Write planned customers in bulk, obeying the rules `parties.services.create_customer` enforces.

Thousands of customers must load in seconds, so they are not created one by one; instead every row
goes through the same field rules (`parties.validation`), identity numbers are kept masked with the
keyed digest, and codes come from the dealer's customer sequence (C-000001 …) so that customers
created afterwards by the services continue the numbering.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from qudao.core.sequences import format_number
from qudao.demo.base import DemoContext, bulk_insert, reserve_numbers
from qudao.demo.customer_plans import CustomerPlan
from qudao.org.models import Channel, Company, Region, Site
from qudao.parties import policies
from qudao.parties.models import Address, Contact, Customer, CustomerGroup, IdType
from qudao.parties.services.customers import CODE_PREFIX, CODE_SEQUENCE
from qudao.parties.validation import (
    address_problems,
    contact_problems,
    customer_problems,
    raise_problems,
)


def write_customers(
    ctx: DemoContext,
    *,
    dealer: Company,
    plans: list[CustomerPlan],
    groups: dict[str, CustomerGroup],
    channels: dict[str, Channel],
    sites: dict[str, Site],
    users: dict[str, Any],
) -> list[Customer]:
    """Insert the planned customers with their contacts and addresses; returns the customers."""
    regions = dict(
        Region.objects.filter(
            code__in=sorted(
                {p.region_code for p in plans} | {a.region_code for p in plans for a in p.addresses}
            )
        ).values_list("code", "pk")
    )
    numbers = reserve_numbers(dealer_id=dealer.pk, kind=CODE_SEQUENCE, count=len(plans))
    customers: list[Customer] = []
    digests: set[str] = set()
    for number, plan in zip(numbers, plans, strict=True):
        customer = Customer(
            dealer_id=dealer.pk,
            code=format_number(number, prefix=CODE_PREFIX),
            kind=plan.kind,
            business_type=plan.business_type,
            name=plan.name,
            legal_name=plan.legal_name,
            credit_code=plan.credit_code,
            mobile=plan.mobile,
            customer_group=groups[plan.group],
            channel=channels[plan.channel],
            home_site=sites[plan.site],
            sales_rep=users[plan.sales_rep] if plan.sales_rep else None,
            region_id=regions[plan.region_code],
            credit_limit=plan.credit_limit,
            payment_terms_days=plan.payment_terms_days,
            tags=list(plan.tags),
            source=plan.source,
            status=plan.status,
        )
        if plan.id_number:
            number_ = policies.validate_id_number(plan.id_number, id_type=IdType.RESIDENT_ID)
            customer.id_type = IdType.RESIDENT_ID
            customer.id_number_masked = policies.mask_id_number(number_)
            customer.id_number_digest = policies.id_number_digest(
                number_, id_type=IdType.RESIDENT_ID, key=settings.SECRET_KEY
            )
            if customer.id_number_digest in digests:
                raise ValueError(f"two demo customers share an identity number ({customer.name})")
            digests.add(customer.id_number_digest)
        # the services' field rules; references are right by construction (checked above by lookup)
        raise_problems(customer_problems(customer, fields=set()), prefix=f"customer {customer.code}: ")
        customers.append(customer)
    customers = bulk_insert(ctx, Customer, customers)

    contacts, addresses = [], []
    for customer, plan in zip(customers, plans, strict=True):
        for c in plan.contacts:
            contact = Contact(
                dealer_id=dealer.pk,
                customer=customer,
                name=c.name,
                title=c.title,
                phone=c.phone,
                is_primary=c.is_primary,
            )
            raise_problems(contact_problems(contact), prefix=f"customer {customer.code} contact: ")
            contacts.append(contact)
        for a in plan.addresses:
            address = Address(
                dealer_id=dealer.pk,
                customer=customer,
                kind=a.kind,
                region_id=regions[a.region_code],
                line=a.line,
                latitude=a.latitude,
                longitude=a.longitude,
                receiver_name=a.receiver_name,
                receiver_phone=a.receiver_phone,
                is_default=a.is_default,
            )
            addresses.append(address)
    _check_addresses(addresses)
    bulk_insert(ctx, Contact, contacts)
    bulk_insert(ctx, Address, addresses)
    ctx.count("customers", len(customers))
    ctx.count("contacts", len(contacts))
    ctx.count("addresses", len(addresses))
    return customers


def _check_addresses(addresses: list[Address]) -> None:
    """The address rules, with the region lookups done once for all rows (not one query per row)."""
    for address in addresses:
        region_id, address.region_id = address.region_id, None
        try:
            raise_problems(address_problems(address), prefix=f"customer {address.customer.code} address: ")
        finally:
            address.region_id = region_id
