"""One order from an outside platform (e-commerce marketplaces, through integrations' mappings): the
customer by code, items by SKU or barcode, the receiver and address as the ship-to snapshot; lines
priced by the pricing engine, or at the platform's own price when the platform decides it (written as
the line price, explained as "platform price").

Idempotent on (dealer, source, external reference): the same platform order answers the same order,
also when two deliveries of it race (the unique constraint decides; the loser reads the winner's).

    result = submit_external_order(actor=actor, dealer_id=d, data={...}, dry_run=False)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qudao.catalog.models import Barcode, Item, ItemUnit
from qudao.catalog.policies import barcode_lookup_keys
from qudao.core.money import line_amount, quantize_unit_price, tax_from_inclusive
from qudao.core.quantity import quantize_quantity
from qudao.core.scoping import Actor, require_dealer, scoped
from qudao.org.models import Region
from qudao.parties.models import Customer
from qudao.pricing.contracts import BasketLine, PricedBasket, PricedLine, PriceSource, PricingContext
from qudao.sales.models import SalesOrder, SalesSettings
from qudao.sales.services.imports_check import LinePlan, OrderPlan
from qudao.sales.services.imports_price import Basket, no_price_message, price_baskets
from qudao.sales.services.imports_write import ShipTo, region_point, write_orders
from qudao.sales.states import OrderSource


@dataclass
class ExternalResult:
    external_reference: str
    status: str  # created | existing | error | preview
    order_id: int | None = None
    errors: list[dict[str, str]] = field(default_factory=list)
    #: what the order is (or would be): customer, ship-to and priced lines
    preview: dict[str, Any] = field(default_factory=dict)


def _existing(dealer_id: int, source: str, reference: str) -> int | None:
    return (
        SalesOrder.objects.filter(dealer_id=dealer_id, source=source, external_reference=reference)
        .values_list("pk", flat=True)
        .first()
    )


def _item(actor: Actor, dealer_id: int, code: str) -> tuple[Item, int | None] | None:
    items = scoped(Item.objects.select_related("base_unit"), actor, for_write=True).filter(
        dealer_id=dealer_id
    )
    item = items.filter(sku=code).first()
    if item is not None:
        return item, None
    hit = (
        Barcode.objects.filter(dealer_id=dealer_id, normalized__in=barcode_lookup_keys(code))
        .values_list("item_id", "unit_id")
        .first()
    )
    if hit is None:
        return None
    item = items.filter(pk=hit[0]).first()
    return (item, hit[1]) if item is not None else None


def _region(values: Mapping[str, Any]) -> Region | None:
    """By its 6-digit code, else by names (district under its city, city under its province)."""
    regions = Region.objects.select_related("parent__parent")
    code = str(values.get("region_code") or "").strip()
    if code:
        return regions.filter(code=code).first()
    province, city, district = (str(values.get(k) or "").strip() for k in ("province", "city", "district"))
    if district and city:
        found = regions.filter(name=district, parent__name=city).first()
        if found is not None:
            return found
    if city and province:
        found = regions.filter(name=city, parent__name=province).first()
        if found is not None:
            return found
    return regions.filter(name=province, parent__isnull=True).first() if province else None


def submit_external_order(
    *, actor: Actor, dealer_id: int | None, data: Mapping[str, Any], dry_run: bool = False
) -> ExternalResult:
    """data = {source (ecommerce), external_reference, customer_code, channel_id?, notes?,
    receiver_name?, receiver_phone?, ship_line?, region_code? | province/city/district?,
    price_label? (set: keep each line's unit_price), lines: [{sku, quantity, unit_price?}]}."""
    dealer_id = require_dealer(actor, dealer_id)
    source = data.get("source") or OrderSource.ECOMMERCE
    reference = str(data.get("external_reference") or "")
    result = ExternalResult(reference, "error")
    found = _existing(dealer_id, source, reference)
    if found is not None:
        result.status, result.order_id = "existing", found
        return result
    plan, ship, priced = _plan(actor, dealer_id, data, result)
    if result.errors:
        return result
    result.preview = _preview(plan, ship[id(plan)], priced[id(plan)])
    if dry_run:
        result.status = "preview"
        return result
    try:
        with transaction.atomic():
            (order_id,) = write_orders(
                actor=actor,
                dealer_id=dealer_id,
                plans=[plan],
                ship=ship,
                priced=priced,
                settings=SalesSettings.for_dealer(dealer_id),
                source=source,
            )
    except IntegrityError:  # the same platform order delivered twice at once: the other one won
        found = _existing(dealer_id, source, reference)
        if found is None:
            raise
        result.status, result.order_id = "existing", found
        return result
    result.status, result.order_id = "created", order_id
    return result


def _plan(actor: Actor, dealer_id: int, data: Mapping[str, Any], result: ExternalResult):
    def bad(name: str, code: str, message: str) -> None:
        result.errors.append({"field": name, "code": code, "message": message})

    code = str(data.get("customer_code") or "")
    customer = (
        scoped(Customer.objects.all(), actor, for_write=True).filter(dealer_id=dealer_id, code=code).first()
        if code
        else None
    )
    if customer is None:
        bad("customer", "unknown_customer", _("No customer with code %(code)s.") % {"code": code})
    lines: list[LinePlan] = []
    prices: list[Decimal | None] = []
    for n, raw in enumerate(data.get("lines") or []):
        sku = str(raw.get("sku") or "")
        found = _item(actor, dealer_id, sku) if sku else None
        if found is None or not found[0].is_active:
            bad(f"lines.{n}.sku", "unknown_item", _("No item with SKU or barcode %(code)s.") % {"code": sku})
            continue
        item, unit_id = found
        unit_id = unit_id or item.base_unit_id
        factor = Decimal(1)
        if unit_id != item.base_unit_id:
            factor = (
                ItemUnit.objects.filter(item=item, unit_id=unit_id).values_list("factor", flat=True).first()
            )
        entered = quantize_quantity(Decimal(str(raw["quantity"])))
        base = quantize_quantity(entered * factor, item.base_unit.decimal_places)
        if base <= 0:
            bad(f"lines.{n}.quantity", "invalid_quantity", _("The quantity rounds to zero in the base unit."))
            continue
        lines.append(LinePlan(n, item, unit_id, entered, base))
        prices.append(raw.get("unit_price"))
    if not lines and not result.errors:
        bad("lines", "missing_value", _("The order has no items."))
    if result.errors:
        return None, {}, {}
    region = _region(data)
    plan = OrderPlan(
        str(data.get("external_reference")),
        customer,
        0,
        channel_id=data.get("channel_id"),
        notes=str(data.get("notes") or "")[:2000],
        lines=lines,
    )
    point = region_point(region) if region is not None else None
    ship = ShipTo(
        None,
        region.pk if region is not None else customer.region_id,
        str(data.get("ship_line") or "")[:300],
        str(data.get("receiver_name") or "")[:100],
        str(data.get("receiver_phone") or "")[:40],
        *(point or (None, None)),
    )
    context = PricingContext(
        dealer_id=dealer_id,
        on=timezone.localdate(),
        customer_id=customer.pk,
        customer_group_id=customer.customer_group_id,
        channel_id=plan.channel_id or customer.channel_id,
        region_id=ship.ship_region_id,
    )
    priced: dict[int, PricedBasket] = {}
    basket = Basket(
        plan, context, [BasketLine(str(n), ln.item.pk, ln.quantity) for n, ln in enumerate(lines)]
    )
    failures = price_baskets([basket], on_priced=lambda b, p: priced.__setitem__(id(b.owner), p))
    for failure in failures:
        for key, label in failure.missing:
            bad(f"lines.{lines[int(key)].row}.sku", "no_price", no_price_message(label))
    if result.errors:
        return None, {}, {}
    if data.get("price_label"):
        priced[id(plan)] = _at_platform_prices(priced[id(plan)], lines, prices, str(data["price_label"]))
    return plan, {id(plan): ship}, priced


def _at_platform_prices(basket: PricedBasket, lines: list[LinePlan], prices, label: str) -> PricedBasket:
    """The marketplace decided the price: each line at its platform price (per unit sold, tax
    inclusive), no promotions or gifts of Qudao's; the floor is still checked."""
    out = []
    for priced in basket.lines:
        if priced.is_gift:
            continue
        n = int(priced.key)
        amount = line_amount(lines[n].quantity_entered, prices[n])
        unit = quantize_unit_price(amount / priced.quantity)
        tax = tax_from_inclusive(amount, priced.tax_rate)
        out.append(
            PricedLine(
                key=priced.key,
                item_id=priced.item_id,
                quantity=priced.quantity,
                tax_rate=priced.tax_rate,
                source=PriceSource(kind="platform_price", unit_price=unit, description=label),
                unit_price=unit,
                base_amount=amount,
                amount=amount,
                tax_amount=tax,
                net_amount=amount - tax,
                floor_price=priced.floor_price,
                below_floor=priced.floor_price is not None and unit < priced.floor_price,
            )
        )
    total = sum((line.amount for line in out), Decimal("0.00"))
    tax_total = sum((line.tax_amount for line in out), Decimal("0.00"))
    return PricedBasket(
        context=basket.context,
        currency=basket.currency,
        lines=out,
        base_total=total,
        discount_total=Decimal("0.00"),
        total=total,
        tax_total=tax_total,
        net_total=total - tax_total,
    )


def _preview(plan: OrderPlan, ship: ShipTo, basket: PricedBasket) -> dict[str, Any]:
    items = {line.item.pk: line.item for line in plan.lines}
    return {
        "customer": {"id": plan.customer.pk, "code": plan.customer.code, "name": plan.customer.name},
        "ship_to": {
            "receiver_name": ship.receiver_name,
            "receiver_phone": ship.receiver_phone,
            "ship_line": ship.ship_line,
            "region_id": ship.ship_region_id,
        },
        "lines": [
            {
                "sku": items[p.item_id].sku if p.item_id in items else str(p.item_id),
                "quantity": str(p.quantity),
                "unit_price": str(p.unit_price),
                "amount": str(p.amount),
                "price_source": p.source.kind,
                "explanation": str(p.source.description),
                "is_gift": p.is_gift,
            }
            for p in basket.lines
        ],
        "total": str(basket.total),
        "currency": basket.currency,
    }
