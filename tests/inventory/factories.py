"""Inventory factories: stock is made through the services, so it obeys the same rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from qudao.catalog.models import Item
from qudao.core.scoping import Actor
from qudao.inventory import services
from qudao.inventory.models import Location, StockLevel, StockMove
from qudao.org.models import Site

#: a platform administrator: may write every dealer's stock
ROOT = Actor(user_id=None, username="system", is_platform_admin=True)


def make_location(site: Site, code: str = "A-01", **data: Any) -> Location:
    return services.create_location(actor=ROOT, data={"site_id": site.pk, "code": code, **data})


def receive(
    site: Site, item: Item, quantity: object, *, location: Location | None = None, **line: Any
) -> list[StockMove]:
    return services.receive_stock(
        actor=ROOT,
        data={
            "site_id": site.pk,
            "location_id": location.pk if location else None,
            "lines": [{"item_id": item.pk, "quantity": Decimal(str(quantity)), **line}],
        },
    )


def on_hand(item: Item, site: Site | None = None) -> Decimal:
    levels = StockLevel.objects.filter(item=item, is_virtual=False)
    if site is not None:
        levels = levels.filter(site=site)
    return sum((lv.on_hand for lv in levels), Decimal(0))


def reserved(item: Item, site: Site | None = None) -> Decimal:
    levels = StockLevel.objects.filter(item=item, is_virtual=False)
    if site is not None:
        levels = levels.filter(site=site)
    return sum((lv.reserved for lv in levels), Decimal(0))
