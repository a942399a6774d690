"""API schemas of the order center: <Entity>In (strict), <Entity>Out."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema

from qudao.core.api import StrictSchema
from qudao.sales.states import OrderSource

Id = Annotated[int, Field(ge=1, le=9_223_372_036_854_775_807)]
Quantity = Annotated[Decimal, Field(gt=0, max_digits=20, decimal_places=3)]
Code = Annotated[str, Field(min_length=1, max_length=64)]


class OrderLineIn(StrictSchema):
    item_id: Id
    quantity: Quantity
    unit_id: Id | None = None


class OrderIn(StrictSchema):
    customer_id: Id
    dealer_id: Id | None = None
    ship_to_id: Id | None = None
    channel_id: Id | None = None
    source: OrderSource = OrderSource.API
    external_reference: str = Field("", max_length=100)
    priority: int | None = Field(None, ge=-1000, le=1000)
    allow_split: bool | None = None
    requested_date: date | None = None
    coupon_codes: list[Code] = Field(default_factory=list, max_length=20)
    notes: str = Field("", max_length=2000)
    lines: list[OrderLineIn] = Field(min_length=1, max_length=500)
    #: create and confirm in one call
    confirm: bool = False


class OrderPatch(StrictSchema):
    version: int = Field(ge=1)
    ship_to_id: Id | None = None
    channel_id: Id | None = None
    external_reference: str | None = Field(None, max_length=100)
    priority: int | None = Field(None, ge=-1000, le=1000)
    allow_split: bool | None = None
    requested_date: date | None = None
    coupon_codes: list[Code] | None = Field(None, max_length=20)
    notes: str | None = Field(None, max_length=2000)
    lines: list[OrderLineIn] | None = Field(None, min_length=1, max_length=500)


class VersionIn(StrictSchema):
    version: int | None = Field(None, ge=1)


class CancelIn(VersionIn):
    reason: str = Field("", max_length=300)


class ApproveIn(VersionIn):
    note: str = Field("", max_length=300)


class WaveIn(StrictSchema):
    dealer_id: Id | None = None
    order_ids: list[Id] | None = Field(None, max_length=1000)
    limit: int = Field(500, ge=1, le=500)


class OrderLineOut(Schema):
    id: int
    line_no: int
    item_id: int
    sku: str = Field(alias="item.sku")
    item_name: str = Field(alias="item.name")
    quantity_entered: Decimal
    unit_id: int
    quantity: Decimal
    list_price: Decimal | None
    unit_price: Decimal
    base_amount: Decimal
    amount: Decimal
    tax_rate: Decimal
    tax_amount: Decimal
    net_amount: Decimal
    is_gift: bool
    below_floor: bool
    price_explanation: dict[str, Any]
    site_id: int | None
    reserved_quantity: Decimal
    backordered_quantity: Decimal
    shipped_quantity: Decimal
    delivered_quantity: Decimal
    returned_quantity: Decimal
    invoiced_quantity: Decimal


class OrderEventOut(Schema):
    at: datetime
    actor_id: int | None
    kind: str
    message: str
    data: dict[str, Any]


class OrderSummaryOut(Schema):
    id: int
    dealer_id: int
    number: str
    customer_id: int
    customer_name: str = Field(alias="customer.name")
    channel_id: int | None
    site_id: int | None
    source: str
    external_reference: str
    state: str
    hold_reason: str
    has_backorder: bool
    delivery_state: str
    invoice_state: str
    payment_state: str
    priority: int
    currency: str
    total: Decimal
    version: int
    created_at: datetime
    confirmed_at: datetime | None


class OrderOut(OrderSummaryOut):
    ship_to_id: int | None
    ship_region_id: int | None
    ship_latitude: Decimal | None
    ship_longitude: Decimal | None
    ship_line: str
    receiver_name: str
    receiver_phone: str
    allow_split: bool
    requested_date: date | None
    sales_rep_id: int | None
    base_total: Decimal
    discount_total: Decimal
    tax_total: Decimal
    net_total: Decimal
    coupon_codes: list[str]
    applied_coupons: list[str]
    coupon_rejections: dict[str, str]
    notes: str
    allocation_plan: dict[str, Any]
    held_at: datetime | None
    cancelled_at: datetime | None
    done_at: datetime | None
    lines: list[OrderLineOut]
    timeline: list[OrderEventOut]

    @staticmethod
    def resolve_lines(obj):
        return list(obj.lines.all())

    @staticmethod
    def resolve_timeline(obj):
        return list(obj.events.all())


class OrderPage(Schema):
    items: list[OrderSummaryOut]
    #: pass as `before_id` for the next page (null: no more)
    next_before_id: int | None


class WaveOut(Schema):
    allocated: list[dict[str, Any]]
    skipped: list[dict[str, Any]]
    still_backordered: int
    message: str
