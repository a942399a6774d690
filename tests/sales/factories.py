"""Order center factories: a dealer with two warehouses and a store, priced items, customers with
coordinates, stock received through the inventory services."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from qudao.catalog.models import Item
from qudao.org.models import Company, Site, SiteKind
from qudao.parties.models import Address, Customer
from qudao.sales.models import SalesOrder
from tests.catalog.factories import make_item
from tests.factories import make_site
from tests.inventory.factories import ROOT, receive
from tests.parties.factories import make_address, make_customer

# Shanghai, Hangzhou, Nanjing (approximate city centres)
SHANGHAI = (Decimal("31.230416"), Decimal("121.473701"))
HANGZHOU = (Decimal("30.274085"), Decimal("120.155070"))
NANJING = (Decimal("32.060255"), Decimal("118.796877"))


@dataclass
class World:
    dealer: Company
    shanghai: Site
    hangzhou: Site
    nanjing: Site
    items: list[Item] = field(default_factory=list)
    customer: Customer | None = None
    address: Address | None = None


def make_world(dealer: Company, *, items: int = 3, price: str = "113.00", stock: dict | None = None) -> World:
    """Three warehouses; `items` goods at `price` (13% VAT, tax-inclusive, 2 kg each); a wholesaler
    in Hangzhou. `stock` = {site attribute: quantity per item} (default: 100 in Shanghai)."""
    world = World(
        dealer=dealer,
        shanghai=make_site(dealer, name="上海中心仓", latitude=SHANGHAI[0], longitude=SHANGHAI[1]),
        hangzhou=make_site(
            dealer,
            name="杭州前置仓",
            kind=SiteKind.FORWARD_WAREHOUSE,
            latitude=HANGZHOU[0],
            longitude=HANGZHOU[1],
        ),
        nanjing=make_site(dealer, name="南京仓", latitude=NANJING[0], longitude=NANJING[1]),
    )
    world.items = [
        make_item(dealer, list_price=Decimal(price), tax_rate=Decimal("0.13"), weight_kg=Decimal("2"))
        for _ in range(items)
    ]
    world.customer = make_customer(dealer, business_type="wholesaler")
    world.address = make_address(
        world.customer, latitude=HANGZHOU[0] + Decimal("0.01"), longitude=HANGZHOU[1], is_default=True
    )
    for site_name, quantity in (stock if stock is not None else {"shanghai": 100}).items():
        for item in world.items:
            receive(getattr(world, site_name), item, quantity)
    return world


def order_data(world: World, quantities: list[Any] | None = None, **extra: Any) -> dict[str, Any]:
    quantities = quantities or [1] * len(world.items)
    return {
        "customer_id": world.customer.pk,
        "lines": [
            {"item_id": item.pk, "quantity": Decimal(str(q))}
            for item, q in zip(world.items, quantities, strict=False)
            if q  # 0: leave the item out
        ],
        **extra,
    }


def submit(world: World, quantities=None, *, confirm: bool = True, **extra: Any) -> SalesOrder:
    from qudao.sales.services import submit_order

    order, _created = submit_order(actor=ROOT, data=order_data(world, quantities, **extra), confirm=confirm)
    order.refresh_from_db()
    return order
