"""Create and edit draft orders. The confirmation (price freeze, floor and credit checks, coupons,
allocation, reservation) is in confirmation.py."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qudao.core.bulk import insert_rows
from qudao.core.errors import ValidationFailed
from qudao.core.scoping import Actor, require_dealer
from qudao.core.sequences import next_code
from qudao.core.states import transition
from qudao.org.models import Channel, Region
from qudao.parties.models import Address, Customer
from qudao.sales.errors import DuplicateExternalReference
from qudao.sales.models import SalesOrder, SalesSettings
from qudao.sales.selectors import get_customer_for_order
from qudao.sales.services._common import Problems, check_version, lock_order, record
from qudao.sales.services.lines import LineInput, parse_lines, price_and_write, price_lines, write_lines
from qudao.sales.states import OrderSource, OrderState

HEADER_FIELDS = ("priority", "allow_split", "requested_date", "notes", "external_reference")


def _customer(actor: Actor, data: Mapping[str, Any], problems: Problems) -> Customer | None:
    dealer_id = data.get("dealer_id")
    if dealer_id is not None:
        require_dealer(actor, dealer_id)
    customer = get_customer_for_order(actor=actor, customer_id=data.get("customer_id"), dealer_id=dealer_id)
    if customer is None:
        problems.add(ValidationFailed, "customer_id", _("No such record, or it is not visible to you."))
    return customer


def _region_point(region: Region | None) -> tuple[Decimal, Decimal] | None:
    """The region's coordinates, else its nearest ancestor's."""
    seen = 0
    while region is not None and seen < 6:
        if region.latitude is not None and region.longitude is not None:
            return (region.latitude, region.longitude)
        region, seen = region.parent, seen + 1
    return None


def _set_ship_to(order: SalesOrder, customer: Customer, ship_to_id: Any, problems: Problems) -> None:
    """Snapshot the ship-to: the given address of the customer, else its default shipping address.
    Coordinates: the address's, else its region's, else the customer's region's."""
    addresses = Address.objects.filter(customer=customer).select_related("region__parent__parent")
    if ship_to_id is not None:
        address = addresses.filter(pk=ship_to_id).first()
        if address is None:
            problems.add(ValidationFailed, "ship_to_id", _("This address is not one of the customer's."))
            return
    elif hasattr(customer, "_default_shipping"):  # read with the customer
        address = customer._default_shipping
    else:
        address = addresses.filter(kind="shipping").order_by("-is_default", "pk").first()
    point = None
    if address is not None:
        order.ship_to = address
        order.ship_region_id = address.region_id or customer.region_id
        order.ship_line = address.line
        order.receiver_name = address.receiver_name
        order.receiver_phone = address.receiver_phone
        if address.latitude is not None and address.longitude is not None:
            point = (address.latitude, address.longitude)
        else:
            point = _region_point(address.region)
    else:
        order.ship_to = None
        order.ship_region_id = customer.region_id
    if point is None and customer.region_id:
        point = _region_point(Region.objects.select_related("parent__parent").get(pk=customer.region_id))
    order.ship_latitude, order.ship_longitude = point or (None, None)


def _channel(data: Mapping[str, Any], customer: Customer, problems: Problems) -> int | None:
    channel_id = data.get("channel_id")
    if channel_id is None:
        return customer.channel_id
    if not Channel.objects.filter(pk=channel_id, dealer_id=customer.dealer_id).exists():
        problems.add(ValidationFailed, "channel_id", _("No such record, or it is not visible to you."))
        return None
    return channel_id


def _check_external_reference(order: SalesOrder, problems: Problems) -> None:
    if order.external_reference and (
        SalesOrder.objects.filter(
            dealer_id=order.dealer_id, source=order.source, external_reference=order.external_reference
        )
        .exclude(pk=order.pk)
        .exists()
    ):
        problems.add(DuplicateExternalReference, "external_reference", DuplicateExternalReference.message)


def find_customer(actor: Actor, data: Mapping[str, Any]) -> Customer | None:
    """The order's customer if the actor may order for it (None otherwise)."""
    return _customer(actor, data, Problems())


def prepare_order(
    *, actor: Actor, data: Mapping[str, Any], customer: Customer | None = None
) -> tuple[SalesOrder, list[LineInput]]:
    """Validate a request: the order (not written yet) and its parsed lines; every problem of the
    request raised at once. `customer`: already resolved by the caller (with the actor's write scope)."""
    problems = Problems()
    if customer is None:
        customer = _customer(actor, data, problems)
    if customer is None:
        problems.raise_if_any()
    settings = getattr(customer, "_sales_settings", None) or SalesSettings.for_dealer(customer.dealer_id)
    order = SalesOrder(
        dealer_id=customer.dealer_id,
        number=f"~{uuid.uuid4().hex}",
        customer=customer,
        source=data.get("source") or OrderSource.API,
        currency=customer.currency,
        coupon_codes=sorted({str(c).strip() for c in data.get("coupon_codes") or [] if str(c).strip()}),
        sales_rep_id=customer.sales_rep_id,
        created_by_id=actor.user_id,
        priority=settings.customer_priority(customer.business_type),
        allow_split=settings.allow_split_default,
    )
    for field in HEADER_FIELDS:
        if data.get(field) is not None:
            setattr(order, field, data[field])
    order.channel_id = _channel(data, customer, problems)
    _set_ship_to(order, customer, data.get("ship_to_id"), problems)
    _check_external_reference(order, problems)
    inputs = parse_lines(actor, data.get("lines"), customer.dealer_id, problems)
    problems.raise_if_any()
    # what the confirmation would otherwise read again
    order._customer_cache = customer
    order._settings_cache = settings
    return order, inputs


def insert_order(order: SalesOrder) -> None:
    """INSERT the order (priced: its totals are set). A concurrent order that took the same external
    reference answers 409 (the savepoint only where there is a reference to collide on)."""
    if not order.external_reference:
        insert_rows([order])
        return
    try:
        with transaction.atomic():
            insert_rows([order])
    except IntegrityError as exc:
        raise DuplicateExternalReference(
            details=[{"field": "external_reference", "code": DuplicateExternalReference.code}]
        ) from exc


def build_order(*, actor: Actor, data: Mapping[str, Any], customer: Customer | None = None) -> SalesOrder:
    """Validate and write a draft with its priced lines; its number is given by `assign_number`
    (as late as possible in the transaction, so the per-dealer number counter is locked briefly).
    `customer`: already resolved by the caller (with the actor's write scope)."""
    order, inputs = prepare_order(actor=actor, data=data, customer=customer)
    _basket, rows = price_lines(order, order._customer_cache, inputs)
    insert_order(order)
    write_lines(order, rows)
    return order


def assign_number(order: SalesOrder) -> None:
    month = timezone.localdate()
    order.number = next_code(
        dealer_id=order.dealer_id, kind=f"sales_order:{month:%y%m}", prefix=f"SO-{month:%y%m}-"
    )


@transaction.atomic
def create_order(*, actor: Actor, data: Mapping[str, Any]) -> SalesOrder:
    """A draft order: data = {customer_id, dealer_id?, ship_to_id?, channel_id?, source?,
    external_reference?, priority?, allow_split?, requested_date?, coupon_codes?, notes?,
    lines: [{item_id, quantity, unit_id?}]}. Lines are priced now (the price is frozen at confirmation)."""
    return create_draft(actor=actor, data=data)


def create_draft(*, actor: Actor, data: Mapping[str, Any], customer: Customer | None = None) -> SalesOrder:
    """The draft written in the caller's transaction: priced, numbered, then one INSERT for the
    order (with its totals and number) and one for its lines."""
    order, inputs = prepare_order(actor=actor, data=data, customer=customer)
    _basket, rows = price_lines(order, order._customer_cache, inputs)
    assign_number(order)
    insert_order(order)
    write_lines(order, rows)
    record(order, actor=actor, kind="created", message=_("Order created."), data={"source": order.source})
    return order


@transaction.atomic
def update_order(*, actor: Actor, order_id: int, data: Mapping[str, Any]) -> SalesOrder:
    """Edit a draft: data = {version, ship_to_id?, channel_id?, priority?, allow_split?, requested_date?,
    notes?, external_reference?, coupon_codes?, lines?} (lines replace the draft's lines, priced again)."""
    order = lock_order(actor, order_id)
    check_version(order, data.get("version"))
    if order.state != OrderState.DRAFT:
        transition(order, to=OrderState.DRAFT)  # raises invalid_transition: only drafts change
    customer = Customer.objects.select_related("region").get(pk=order.customer_id)
    problems = Problems()
    for field in HEADER_FIELDS:
        if field in data and data[field] is not None:
            setattr(order, field, data[field])
    if "coupon_codes" in data and data["coupon_codes"] is not None:
        order.coupon_codes = sorted({str(c).strip() for c in data["coupon_codes"] if str(c).strip()})
    if data.get("channel_id") is not None:
        order.channel_id = _channel(data, customer, problems)
    if data.get("ship_to_id") is not None:
        _set_ship_to(order, customer, data["ship_to_id"], problems)
    _check_external_reference(order, problems)
    inputs = None
    if data.get("lines") is not None:
        inputs = parse_lines(actor, data["lines"], order.dealer_id, problems)
    problems.raise_if_any()
    if inputs is None:
        from qudao.sales.services.lines import inputs_from_lines

        inputs = inputs_from_lines(order)
    price_and_write(order, customer, inputs, replace=True)
    order.version += 1
    order.save()
    record(order, actor=actor, kind="updated", message=_("Draft edited."), announce=False)
    return order
