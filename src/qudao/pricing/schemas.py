"""API schemas of pricing: <Entity>In (strict), <Entity>Patch, <Entity>Out."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

from qudao.core.api import StrictSchema
from qudao.pricing.choices import (
    PriceListScope,
    PromotionKind,
)

Id = Annotated[int, Field(ge=1, le=9_223_372_036_854_775_807)]
Code = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")]
Name = Annotated[str, Field(min_length=1, max_length=120)]
Quantity = Annotated[Decimal, Field(gt=0, max_digits=20, decimal_places=3)]
MinQuantity = Annotated[Decimal, Field(ge=0, max_digits=20, decimal_places=3)]
UnitPrice = Annotated[Decimal, Field(ge=0, max_digits=20, decimal_places=4)]
Amount = Annotated[Decimal, Field(ge=0, max_digits=20, decimal_places=2)]
Percent = Annotated[Decimal, Field(gt=0, le=100, max_digits=5, decimal_places=2)]
Rate = Annotated[Decimal, Field(gt=0, le=1, max_digits=6, decimal_places=4)]
Currency = Annotated[str, Field(min_length=3, max_length=3, pattern=r"^[A-Z]{3}$")]
Priority = Annotated[int, Field(ge=-1000, le=1000)]


class TierIn(StrictSchema):
    item_id: Id
    min_quantity: MinQuantity = Decimal(0)
    unit_price: UnitPrice


class TierPatch(StrictSchema):
    min_quantity: MinQuantity | None = None
    unit_price: UnitPrice | None = None


class PriceListIn(StrictSchema):
    dealer_id: Id | None = None
    code: Code
    name: Name
    currency: Currency = "CNY"
    scope: PriceListScope
    channel_id: Id | None = None
    customer_group_id: Id | None = None
    region_id: Id | None = None
    customer_id: Id | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    priority: Priority = 10
    is_active: bool = True
    items: list[TierIn] = Field(default_factory=list, max_length=5000)


class PriceListPatch(StrictSchema):
    version: int = Field(ge=1)
    code: Code | None = None
    name: Name | None = None
    currency: Currency | None = None
    scope: PriceListScope | None = None
    channel_id: Id | None = None
    customer_group_id: Id | None = None
    region_id: Id | None = None
    customer_id: Id | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    priority: Priority | None = None
    is_active: bool | None = None


class TierOut(Schema):
    id: int
    price_list_id: int
    item_id: int
    min_quantity: Decimal
    unit_price: Decimal


class PriceListOut(Schema):
    id: int
    dealer_id: int
    code: str
    name: str
    currency: str
    scope: str
    channel_id: int | None
    customer_group_id: int | None
    region_id: int | None
    customer_id: int | None
    valid_from: date | None
    valid_to: date | None
    priority: int
    is_active: bool
    version: int
    item_count: int

    @staticmethod
    def resolve_item_count(obj) -> int:
        return len(obj.items.all())


class FloorIn(StrictSchema):
    dealer_id: Id | None = None
    item_id: Id
    region_id: Id | None = None
    floor_price: UnitPrice
    valid_from: date | None = None
    valid_to: date | None = None
    is_active: bool = True


class FloorPatch(StrictSchema):
    region_id: Id | None = None
    floor_price: UnitPrice | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    is_active: bool | None = None


class FloorOut(Schema):
    id: int
    dealer_id: int
    item_id: int
    region_id: int | None
    floor_price: Decimal
    valid_from: date | None
    valid_to: date | None
    is_active: bool


class BundlePartIn(StrictSchema):
    item_id: Id
    quantity: Quantity


class BundlePartOut(Schema):
    item_id: int
    quantity: Decimal


class PromotionFields(StrictSchema):
    valid_from: date | None = None
    valid_to: date | None = None
    priority: Priority | None = None
    stackable: bool | None = None
    requires_coupon: bool | None = None
    item_ids: list[Id] | None = Field(None, max_length=5000)
    category_ids: list[Id] | None = Field(None, max_length=500)
    channel_id: Id | None = None
    customer_group_id: Id | None = None
    min_quantity: Quantity | None = None
    min_amount: Amount | None = None
    limit_per_order: int | None = Field(None, ge=1, le=1_000_000)
    percent: Percent | None = None
    amount: Amount | None = None
    threshold: Amount | None = None
    repeat: bool | None = None
    bundle_price: Amount | None = None
    bundle: list[BundlePartIn] | None = Field(None, max_length=50)
    buy_quantity: Quantity | None = None
    gift_item_id: Id | None = None
    gift_quantity: Quantity | None = None
    is_active: bool | None = None


class PromotionIn(PromotionFields):
    dealer_id: Id | None = None
    code: Code
    name: Name
    kind: PromotionKind


class PromotionPatch(PromotionFields):
    version: int = Field(ge=1)
    code: Code | None = None
    name: Name | None = None
    kind: PromotionKind | None = None


class PromotionOut(Schema):
    id: int
    dealer_id: int
    code: str
    name: str
    kind: str
    valid_from: date | None
    valid_to: date | None
    priority: int
    stackable: bool
    requires_coupon: bool
    item_ids: list[int]
    category_ids: list[int]
    channel_id: int | None
    customer_group_id: int | None
    min_quantity: Decimal | None
    min_amount: Decimal | None
    limit_per_order: int | None
    percent: Decimal | None
    amount: Decimal | None
    threshold: Decimal | None
    repeat: bool
    bundle_price: Decimal | None
    bundle: list[BundlePartOut]
    buy_quantity: Decimal | None
    gift_item_id: int | None
    gift_quantity: Decimal | None
    is_active: bool
    version: int

    @staticmethod
    def resolve_item_ids(obj) -> list[int]:
        return sorted(i.pk for i in obj.items.all())

    @staticmethod
    def resolve_category_ids(obj) -> list[int]:
        return sorted(c.pk for c in obj.categories.all())

    @staticmethod
    def resolve_bundle(obj) -> list:
        return list(obj.bundle_components.all())


class CouponIn(StrictSchema):
    promotion_id: Id
    code: Code
    customer_id: Id | None = None
    valid_from: date | None = None
    valid_to: date | None = None


class CouponGenerateIn(StrictSchema):
    promotion_id: Id
    count: int = Field(ge=1, le=10_000)
    prefix: Code | None = Field(None, max_length=20)
    customer_id: Id | None = None
    valid_from: date | None = None
    valid_to: date | None = None


class CouponOut(Schema):
    id: int
    dealer_id: int
    code: str
    promotion_id: int
    customer_id: int | None
    valid_from: date | None
    valid_to: date | None
    is_active: bool
    redeemed_at: str | None
    reference_type: str
    reference_id: int | None

    @staticmethod
    def resolve_redeemed_at(obj) -> str | None:
        return obj.redeemed_at.isoformat() if obj.redeemed_at else None
