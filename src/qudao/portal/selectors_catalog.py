"""The catalog as a customer sees it: its own prices (one pricing call per page) and a word for
availability (policies.availability), never the dealer's exact quantities."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Sum
from django.utils import timezone

from qudao.catalog.choices import ItemKind
from qudao.catalog.models import Category, Item
from qudao.catalog.selectors import list_items
from qudao.core.money import quantize
from qudao.core.scoping import Actor, scoped
from qudao.inventory.models import ItemSiteSettings, StockLevel
from qudao.parties.models import Address, Customer
from qudao.portal import policies
from qudao.pricing.contracts import BasketLine, PricedLine, PricingContext
from qudao.pricing.errors import NoPrice
from qudao.sales import pricing_bridge

PER_PAGE = 20
ONE = Decimal(1)


@dataclass
class ItemPrice:
    unit_price: Decimal | None
    list_price: Decimal | None = None
    promotions: list[str] = field(default_factory=list)

    @property
    def discounted(self) -> bool:
        return (
            self.unit_price is not None and self.list_price is not None and self.unit_price < self.list_price
        )


@dataclass
class CatalogEntry:
    item: Item
    price: ItemPrice
    availability: str
    in_cart: Decimal = Decimal(0)

    @property
    def availability_label(self):
        return policies.AVAILABILITY_LABELS[self.availability]


@dataclass
class CatalogPage:
    entries: list[CatalogEntry]
    number: int
    pages: int
    count: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def pricing_context(customer: Customer, coupon_codes=()) -> PricingContext:
    """The customer's pricing context, with the region of its default shipping address (as its orders
    are priced), else its own region."""
    region_id = (
        Address.objects.filter(customer=customer, kind="shipping", region__isnull=False)
        .order_by("-is_default", "pk")
        .values_list("region_id", flat=True)
        .first()
    ) or customer.region_id
    return PricingContext(
        dealer_id=customer.dealer_id,
        on=timezone.localdate(),
        customer_id=customer.pk,
        customer_group_id=customer.customer_group_id,
        channel_id=customer.channel_id,
        region_id=region_id,
        coupon_codes=tuple(coupon_codes),
    )


def _item_price(line: PricedLine) -> ItemPrice:
    """The unit price of one unit with the item's own rules (tiers, item promotions)."""
    own = [a for a in line.adjustments if a.kind in policies.ITEM_ADJUSTMENTS]
    amount = line.base_amount + sum((a.amount for a in own), Decimal(0))
    return ItemPrice(
        unit_price=quantize(max(amount, Decimal(0)) / line.quantity, 4),
        list_price=line.source.unit_price,
        promotions=[str(a.description) for a in own if a.kind == "promotion" and a.description],
    )


def price_items(customer: Customer, items: list[Item]) -> dict[int, ItemPrice]:
    """One unit of each item priced for the customer, in one basket call (a second one only when some
    items have no price at all: those show "price on request")."""
    if not items:
        return {}
    context = pricing_context(customer)
    wanted = [i.pk for i in items]
    missing: set[int] = set()
    for _attempt in range(2):
        lines = [BasketLine(key=str(pk), item_id=pk, quantity=ONE) for pk in wanted if pk not in missing]
        if not lines:
            break
        try:
            basket = pricing_bridge.price_basket(context=context, lines=lines)
        except NoPrice as exc:
            missing |= {d.get("item_id") for d in exc.details if isinstance(d, dict)}
            continue
        out = {int(p.key): _item_price(p) for p in basket.lines if p.key.isdigit() and not p.is_gift}
        out.update({pk: ItemPrice(unit_price=None) for pk in missing})
        return out
    return {pk: ItemPrice(unit_price=None) for pk in wanted}


def availability_of(actor: Actor, dealer_id: int, item_ids: list[int]) -> dict[int, str]:
    """A word per item from the sum available over the dealer's warehouses (two grouped queries)."""
    levels = (
        scoped(StockLevel.objects.filter(is_virtual=False), actor)
        .filter(dealer_id=dealer_id, item_id__in=item_ids)
        .values("item_id")
        .annotate(on_hand=Sum("on_hand"), reserved=Sum("reserved"))
    )
    available = {row["item_id"]: (row["on_hand"] or 0) - (row["reserved"] or 0) for row in levels}
    safety = dict(
        scoped(ItemSiteSettings.objects.all(), actor)
        .filter(dealer_id=dealer_id, item_id__in=item_ids)
        .values("item_id")
        .annotate(s=Sum("safety_stock"))
        .values_list("item_id", "s")
    )
    return {pk: policies.availability(available.get(pk), safety.get(pk)) for pk in item_ids}


def list_categories_for(actor: Actor, dealer_id: int) -> list[Category]:
    return list(scoped(Category.objects.filter(dealer_id=dealer_id), actor).order_by("path", "name"))


def catalog_items(actor: Actor, customer: Customer, *, q: str = "", category_id=None):
    category = None
    if category_id:
        category = (
            scoped(Category.objects.filter(dealer_id=customer.dealer_id), actor)
            .filter(pk=category_id)
            .first()
        )
    qs = list_items(actor=actor, category=category, q=q.strip() or None, is_active=True)
    return qs.filter(dealer_id=customer.dealer_id, kind__in=[ItemKind.GOODS, ItemKind.PART]).order_by(
        "name", "pk"
    )


def list_catalog(
    *,
    actor: Actor,
    customer: Customer,
    q: str = "",
    category_id: int | None = None,
    page: int | str = 1,
    in_cart: dict[int, Decimal] | None = None,
    per_page: int = PER_PAGE,
) -> CatalogPage:
    """One page of the customer's catalog: its prices, the promotions that apply, availability."""
    paginator = Paginator(catalog_items(actor, customer, q=q, category_id=category_id), per_page)
    current = paginator.get_page(page)
    items = list(current.object_list)
    prices = price_items(customer, items)
    stock = availability_of(actor, customer.dealer_id, [i.pk for i in items])
    in_cart = in_cart or {}
    entries = [
        CatalogEntry(
            item=i,
            price=prices.get(i.pk, ItemPrice(unit_price=None)),
            availability=stock[i.pk],
            in_cart=in_cart.get(i.pk, Decimal(0)),
        )
        for i in items
    ]
    return CatalogPage(entries, current.number, paginator.num_pages, paginator.count)
