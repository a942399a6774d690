"""Factories of the customers app's tests (rows written directly; the services are tested on their own)."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from qudao.org.models import Company, Region, RegionLevel
from qudao.parties.models import Address, Contact, Customer, CustomerGroup, CustomerKind

_seq = itertools.count(1)


def make_region(*, level: str = RegionLevel.DISTRICT, parent: Region | None = None, **fields: Any) -> Region:
    """Test regions live under codes 99xxxx, which no real division uses."""
    n = next(_seq)
    values = {
        "code": f"99{n:04d}",
        "name": f"Region {n}",
        "level": level,
        "parent": parent,
        "latitude": Decimal("31.230416"),
        "longitude": Decimal("121.473701"),
    }
    values.update(fields)
    return Region.objects.create(**values)


def make_region_tree() -> tuple[Region, Region, Region]:
    province = make_region(level=RegionLevel.PROVINCE, name="测试省")
    city = make_region(level=RegionLevel.CITY, parent=province, name="测试市")
    district = make_region(
        level=RegionLevel.DISTRICT,
        parent=city,
        name="测试区",
        latitude=Decimal("31.100000"),
        longitude=Decimal("121.200000"),
    )
    return province, city, district


def make_customer_group(dealer: Company, **fields: Any) -> CustomerGroup:
    n = next(_seq)
    values = {"code": f"G{n:04d}", "name": f"Group {n}"}
    values.update(fields)
    return CustomerGroup.objects.create(dealer=dealer, **values)


def make_customer(dealer: Company, **fields: Any) -> Customer:
    n = next(_seq)
    values: dict[str, Any] = {
        "code": f"T-{n:05d}",
        "name": f"客户 {n}",
        "kind": CustomerKind.BUSINESS,
        "business_type": "wholesaler",
        "status": "active",
    }
    if fields.get("kind") == CustomerKind.INDIVIDUAL:
        values["business_type"] = ""
    values.update(fields)
    return Customer.objects.create(dealer=dealer, **values)


def make_contact(customer: Customer, **fields: Any) -> Contact:
    n = next(_seq)
    values = {"name": f"联系人 {n}", "phone": "13800138000"}
    values.update(fields)
    return Contact.objects.create(customer=customer, dealer_id=customer.dealer_id, **values)


def make_address(customer: Customer, **fields: Any) -> Address:
    values = {"kind": "shipping", "line": "人民路 1 号"}
    values.update(fields)
    return Address.objects.create(customer=customer, dealer_id=customer.dealer_id, **values)
