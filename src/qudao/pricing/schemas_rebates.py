"""API schemas of rebates and of the quote endpoint."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

from qudao.core.api import StrictSchema
from qudao.pricing.choices import RebateBasis, RebateCustomerScope, RebatePeriod
from qudao.pricing.schemas import Code, Id, Name, Quantity, Rate


class RebateTierIn(StrictSchema):
    threshold: Annotated[Decimal, Field(gt=0, max_digits=20, decimal_places=2)]
    rate: Rate


class RebateTierOut(Schema):
    threshold: Decimal
    rate: Decimal


class RebateProgramIn(StrictSchema):
    dealer_id: Id | None = None
    code: Code
    name: Name
    period: RebatePeriod
    basis: RebateBasis = RebateBasis.TAX_INCLUSIVE
    customer_scope: RebateCustomerScope = RebateCustomerScope.ALL
    customer_group_id: Id | None = None
    channel_id: Id | None = None
    customer_ids: list[Id] | None = Field(None, max_length=5000)
    valid_from: date
    valid_to: date | None = None
    is_active: bool = True
    tiers: list[RebateTierIn] = Field(min_length=1, max_length=20)


class RebateProgramPatch(StrictSchema):
    version: int = Field(ge=1)
    name: Name | None = None
    customer_scope: RebateCustomerScope | None = None
    customer_group_id: Id | None = None
    channel_id: Id | None = None
    customer_ids: list[Id] | None = Field(None, max_length=5000)
    valid_to: date | None = None
    is_active: bool | None = None
    tiers: list[RebateTierIn] | None = Field(None, min_length=1, max_length=20)


class RebateProgramOut(Schema):
    id: int
    dealer_id: int
    code: str
    name: str
    period: str
    basis: str
    customer_scope: str
    customer_group_id: int | None
    channel_id: int | None
    customer_ids: list[int]
    valid_from: date
    valid_to: date | None
    is_active: bool
    version: int
    tiers: list[RebateTierOut]

    @staticmethod
    def resolve_customer_ids(obj) -> list[int]:
        return sorted(c.pk for c in obj.customers.all())

    @staticmethod
    def resolve_tiers(obj) -> list:
        return list(obj.tiers.all())


class SettleIn(StrictSchema):
    period_start: date


class SettlementRunOut(Schema):
    id: int
    program_id: int
    period_start: date
    period_end: date
    total: Decimal
    customers: int

    @staticmethod
    def resolve_customers(obj) -> int:
        return obj.settlements.count()


class AccrualOut(Schema):
    program_id: int
    program_code: str
    program_name: str
    period_start: date
    period_end: date
    volume: Decimal
    tier_threshold: Decimal | None
    rate: Decimal
    accrued: Decimal
    next_threshold: Decimal | None
    next_rate: Decimal | None
    gap: Decimal | None


class LedgerEntryOut(Schema):
    id: int
    amount: Decimal
    reference_type: str
    reference_id: int
    balance_after: Decimal
    created_at: str

    @staticmethod
    def resolve_created_at(obj) -> str:
        return obj.created_at.isoformat()


class RebateBalanceOut(Schema):
    customer_id: int
    balance: Decimal
    entries: list[LedgerEntryOut]


class QuoteLineIn(StrictSchema):
    item_id: Id
    quantity: Quantity
    unit_id: Id | None = None


class QuoteIn(StrictSchema):
    customer_id: Id
    channel_id: Id | None = None
    region_id: Id | None = None
    on: date | None = None
    coupon_codes: list[Annotated[str, Field(min_length=1, max_length=40)]] = Field(
        default_factory=list, max_length=20
    )
    lines: list[QuoteLineIn] = Field(min_length=1, max_length=500)


class AdjustmentOut(Schema):
    kind: str
    amount: Decimal
    rule_type: str
    rule_id: int | None
    rule_code: str
    description: str


class SourceOut(Schema):
    kind: str
    unit_price: Decimal
    price_list_id: int | None
    price_list_code: str
    tier_min_quantity: Decimal | None
    description: str


class QuoteLineOut(Schema):
    key: str
    item_id: int
    quantity: Decimal
    tax_rate: Decimal
    source: SourceOut
    unit_price: Decimal
    base_amount: Decimal
    amount: Decimal
    discount: Decimal
    tax_amount: Decimal
    net_amount: Decimal
    adjustments: list[AdjustmentOut]
    is_gift: bool
    floor_price: Decimal | None
    below_floor: bool


class QuoteOut(Schema):
    customer_id: int | None
    currency: str
    on: date
    lines: list[QuoteLineOut]
    base_total: Decimal
    discount_total: Decimal
    total: Decimal
    tax_total: Decimal
    net_total: Decimal
    below_floor: bool
    coupons_applied: list[str]
    coupons_rejected: dict[str, str]
