"""Reads of the portal and the sales assistant. A retailer's reads are filtered on its customers
(actors.customers_of); a staff member's on its data scope. Foreign ids answer NotFound (404)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from qudao.catalog.models import Item
from qudao.core.errors import NotFound, QudaoError
from qudao.core.scoping import Actor, get_scoped, scoped
from qudao.inventory.selectors import list_site_stock
from qudao.org.models import Site
from qudao.parties.models import Contact, Customer
from qudao.portal.actors import PortalActor, customers_of
from qudao.portal.models import Cart, CartLine
from qudao.portal.selectors_catalog import pricing_context
from qudao.pricing.contracts import BasketLine, PricedBasket
from qudao.sales import credit, pricing_bridge
from qudao.sales.models import DeliveryProof, OrderEvent, SalesOrder, SalesOrderLine, Shipment, ShipmentState
from qudao.sales.selectors import list_orders
from qudao.sales.states import OPEN_STATES, OrderState

RECENT = 10


# --- carts -----------------------------------------------------------------------------------------


@dataclass
class CartView:
    cart: Cart
    lines: list[CartLine]
    quote: PricedBasket | None = None
    #: the pricing engine's refusal (e.g. an item lost its price), shown instead of the quote
    quote_error: str = ""
    priced: dict[str, Any] = field(default_factory=dict)
    gifts: list[Any] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.lines)


def get_cart_view(*, cart: Cart) -> CartView:
    """The cart with a live quote: every price, discount, gift and tax from the pricing engine."""
    lines = list(CartLine.objects.filter(cart=cart).select_related("item").order_by("created_at", "pk"))
    view = CartView(cart, lines)
    _steps(lines)
    if not lines:
        return view
    try:
        view.quote = pricing_bridge.price_basket(
            context=pricing_context(cart.customer, cart.coupon_codes or ()),
            lines=[
                BasketLine(key=str(line.pk), item_id=line.item_id, quantity=line.quantity) for line in lines
            ],
        )
    except QudaoError as exc:
        view.quote_error = exc.render()
        return view
    by_line = {str(line.pk): line for line in lines}
    view.priced = {p.key: p for p in view.quote.lines if p.key in by_line}
    gift_ids = [p.item_id for p in view.quote.lines if p.is_gift]
    names: dict[int, str] = {}
    if gift_ids:
        names = dict(Item.objects.filter(pk__in=gift_ids).values_list("pk", "name"))
    view.gifts = [(names.get(p.item_id, ""), p) for p in view.quote.lines if p.is_gift]
    for line in lines:
        line.priced = view.priced.get(str(line.pk))
    return view


def _steps(lines: list[CartLine]) -> None:
    """What the stepper's − and + buttons set (one base unit less or more; − to 0 removes)."""
    for line in lines:
        line.less = max(line.quantity - 1, Decimal(0))
        line.more = line.quantity + 1


def cart_quantities(cart: Cart) -> dict[int, Decimal]:
    return dict(CartLine.objects.filter(cart=cart).values_list("item_id", "quantity"))


# --- orders ----------------------------------------------------------------------------------------


def list_customer_orders(
    *, actor: Actor, customer_id: int | None = None, open_only: bool = False
) -> QuerySet:
    """Orders of the customers the actor orders for, newest first."""
    qs = list_orders(actor=actor).filter(customer__in=customers_of(actor).values("pk"))
    if customer_id is not None:
        qs = qs.filter(customer_id=customer_id)
    if open_only:
        qs = qs.filter(state__in=[*OPEN_STATES, OrderState.ON_HOLD])
    return qs.exclude(state=OrderState.DRAFT)


def get_customer_order(*, actor: Actor, order_id: Any) -> SalesOrder:
    """One order of the actor's customers with its lines, timeline and shipments (404 otherwise)."""
    qs = (
        SalesOrder.objects.filter(customer__in=customers_of(actor).values("pk"))
        .select_related("customer", "site")
        .prefetch_related(
            Prefetch("lines", queryset=SalesOrderLine.objects.select_related("item").order_by("line_no")),
            Prefetch("events", queryset=OrderEvent.objects.order_by("at", "pk")),
            Prefetch(
                "shipments",
                queryset=Shipment.objects.select_related("site", "carrier", "proof").order_by("pk"),
            ),
        )
    )
    return get_scoped(qs, actor, pk=order_id)


@dataclass
class Step:
    key: str
    label: str
    at: datetime | None = None
    detail: str = ""
    done: bool = False
    warning: bool = False


def _delivery_detail(shipment: Shipment) -> str:
    try:
        proof = shipment.proof
    except DeliveryProof.DoesNotExist:
        proof = None
    if proof is None:
        return shipment.number
    return _("%(number)s · signed by %(signer)s") % {"number": shipment.number, "signer": proof.signer_name}


def order_timeline(order: SalesOrder) -> list[Step]:
    """Where the order is: placed → confirmed (or on hold) → allocated → shipped → delivered."""
    events = list(order.events.all())
    first = {}
    for event in events:
        first.setdefault(event.kind, event)
    steps = [Step("placed", _("Order placed"), order.created_at, order.number, True)]
    held = first.get("held")
    if order.state == OrderState.ON_HOLD:
        steps.append(
            Step(
                "held",
                _("Awaiting approval"),
                held.at if held else None,
                order.get_hold_reason_display(),
                True,
                True,
            )
        )
    if order.state == OrderState.CANCELLED:
        steps.append(Step("cancelled", _("Cancelled"), order.cancelled_at, "", True, True))
        return steps
    steps.append(Step("confirmed", _("Confirmed"), order.confirmed_at, "", order.confirmed_at is not None))
    allocated = first.get("allocated") or (first.get("confirmed") if order.site_id else None)
    site = order.site.name if order.site_id else ""
    if order.has_backorder:
        site = _("%(site)s · part back-ordered") % {"site": site} if site else _("Back-ordered")
    steps.append(
        Step(
            "allocated", _("Stock allocated"), allocated.at if allocated else None, site, bool(order.site_id)
        )
    )
    shipments = [
        s for s in order.shipments.all() if s.state in (ShipmentState.SHIPPED, ShipmentState.DELIVERED)
    ]
    for s in shipments:
        carrier = s.carrier.name if s.carrier_id else s.carrier_name
        detail = " · ".join(x for x in (s.number, carrier, s.tracking_number) if x)
        steps.append(Step("shipped", _("Shipped"), s.shipped_at, detail, True))
        if s.state == ShipmentState.DELIVERED:
            steps.append(Step("delivered", _("Delivered"), s.delivered_at, _delivery_detail(s), True))
    if not shipments:
        steps.append(Step("shipped", _("Shipped"), None, "", False))
    if not shipments or any(s.state == ShipmentState.SHIPPED for s in shipments):
        steps.append(Step("delivered", _("Delivered"), None, "", False))
    return steps


# --- customers (sales assistant) -------------------------------------------------------------------


def search_customers(*, actor: Actor, q: str = "", limit: int = 30) -> QuerySet[Customer]:
    """Customers the actor may order for, by name, code or phone; the actor's own customers first."""
    qs = customers_of(actor).select_related("region")
    q = q.strip()
    if q:
        by_contact = Contact.objects.filter(phone__icontains=q).values("customer_id")
        qs = qs.filter(
            Q(name__icontains=q) | Q(code__icontains=q) | Q(mobile__icontains=q) | Q(pk__in=by_contact)
        )
    if not isinstance(actor, PortalActor):
        qs = qs.annotate(
            mine=Case(
                When(sales_rep_id=actor.user_id, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        ).order_by("mine", "name", "pk")
    return qs[:limit]


@dataclass
class CustomerSummary:
    customer: Customer
    credit_limit: Decimal | None
    receivables: Decimal
    open_orders_total: Decimal
    open_orders: list[SalesOrder]
    last_orders: list[SalesOrder]

    @property
    def exposure(self) -> Decimal:
        return self.receivables + self.open_orders_total

    @property
    def credit_left(self) -> Decimal | None:
        if not self.credit_limit:
            return None
        return self.credit_limit - self.exposure


def get_customer_summary(*, actor: Actor, customer_id: Any) -> CustomerSummary:
    """Open orders, what the customer owes (finance's open receivables), credit left, last orders."""
    from qudao.portal.actors import get_customer

    customer = get_customer(actor, customer_id)
    orders = list_customer_orders(actor=actor, customer_id=customer.pk)
    return CustomerSummary(
        customer=customer,
        credit_limit=customer.credit_limit,
        receivables=credit.open_receivables(dealer_id=customer.dealer_id, customer_id=customer.pk),
        open_orders_total=credit.open_orders_total(dealer_id=customer.dealer_id, customer_id=customer.pk),
        open_orders=list(orders.filter(state__in=[*OPEN_STATES, OrderState.ON_HOLD])[:RECENT]),
        last_orders=list(orders[:RECENT]),
    )


# --- stock across warehouses (sales assistant) -----------------------------------------------------


@dataclass
class SiteStock:
    site: Site
    on_hand: Decimal
    reserved: Decimal
    available: Decimal
    in_transit: Decimal


def get_item_stock(*, actor: Actor, item_id: Any) -> tuple[Any, list[SiteStock]]:
    """An item and its stock per site the actor sees: on hand, reserved, available, in transit."""
    item = get_scoped(Item.objects.select_related("base_unit"), actor, pk=item_id)
    rows = list(list_site_stock(actor=actor, item_id=item.pk))
    sites = Site.objects.in_bulk([r["site_id"] for r in rows])
    out = [
        SiteStock(
            sites[r["site_id"]],
            r["on_hand_total"] or Decimal(0),
            r["reserved_total"] or Decimal(0),
            r["available_total"] or Decimal(0),
            r["in_transit"] or Decimal(0),
        )
        for r in rows
        if r["site_id"] in sites
    ]
    out.sort(key=lambda s: (-s.available, s.site.name))
    return item, out


# --- deliveries (sales assistant) ------------------------------------------------------------------


def list_deliveries(*, actor: Actor, mine: bool = False) -> QuerySet[Shipment]:
    """Shipped shipments waiting for their proof of delivery, of the customers the actor serves."""
    if isinstance(actor, PortalActor):
        raise NotFound()
    qs = (
        scoped(Shipment.objects.filter(state=ShipmentState.SHIPPED), actor)
        .select_related("order", "order__customer", "site", "carrier")
        .order_by("shipped_at", "pk")
    )
    if mine:
        qs = qs.filter(order__customer__sales_rep_id=actor.user_id)
    return qs
