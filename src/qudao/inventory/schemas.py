"""API schemas of the inventory: <Entity>In (strict), <Entity>Out."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

from qudao.core.api import StrictSchema
from qudao.core.quantity import quantize_quantity
from qudao.inventory.choices import AdjustmentReason, MoveType

Id = Annotated[int, Field(ge=1, le=9_223_372_036_854_775_807)]
Quantity = Annotated[Decimal, Field(max_digits=20, decimal_places=3)]
UnitCost = Annotated[Decimal, Field(ge=0, max_digits=20, decimal_places=4)]
Number = Annotated[str, Field(min_length=1, max_length=64)]


class ReferenceIn(StrictSchema):
    reference_type: str = Field("", max_length=60)
    reference_id: Id | None = None
    reference_line_id: Id | None = None
    document_number: str = Field("", max_length=40)


class ReceiptLineIn(StrictSchema):
    item_id: Id
    quantity: Quantity
    unit_id: Id | None = None
    unit_cost: UnitCost | None = None
    lot_number: Number | None = None
    production_date: date | None = None
    expiry_date: date | None = None
    serials: list[Number] = Field(default_factory=list, max_length=1000)
    reference_line_id: Id | None = None


class ReceiptIn(ReferenceIn):
    site_id: Id
    location_id: Id | None = None
    effective_date: date | None = None
    lines: list[ReceiptLineIn] = Field(min_length=1, max_length=500)


class StockLineIn(StrictSchema):
    item_id: Id
    site_id: Id
    quantity: Quantity
    unit_id: Id | None = None
    location_id: Id | None = None
    lot_id: Id | None = None
    serials: list[Number] = Field(default_factory=list, max_length=1000)
    reference_line_id: Id | None = None


class IssueIn(ReferenceIn):
    move_type: MoveType = MoveType.SALE_ISSUE
    effective_date: date | None = None
    lines: list[StockLineIn] = Field(min_length=1, max_length=500)


class ReservationIn(StrictSchema):
    reference_type: str = Field(min_length=1, max_length=60)
    reference_id: Id
    lines: list[StockLineIn] = Field(min_length=1, max_length=500)


class ReleaseIn(StrictSchema):
    reference_type: str = Field(min_length=1, max_length=60)
    reference_id: Id
    reference_line_id: Id | None = None


class AdjustmentIn(ReferenceIn):
    item_id: Id
    location_id: Id
    quantity: Quantity
    unit_id: Id | None = None
    reason: AdjustmentReason
    lot_id: Id | None = None
    lot_number: Number | None = None
    serials: list[Number] = Field(default_factory=list, max_length=1000)
    unit_cost: UnitCost | None = None
    effective_date: date | None = None


class ScrapIn(ReferenceIn):
    item_id: Id
    location_id: Id
    quantity: Quantity
    unit_id: Id | None = None
    reason: AdjustmentReason | None = None
    lot_id: Id | None = None
    serials: list[Number] = Field(default_factory=list, max_length=1000)
    effective_date: date | None = None


class LocationIn(StrictSchema):
    site_id: Id
    code: str = Field(min_length=1, max_length=32, pattern=r"^[^\s]+$")
    name: str = Field("", max_length=120)
    kind: str = Field("bin", max_length=16)
    parent_id: Id | None = None


class ReconcileIn(StrictSchema):
    dealer_id: Id | None = None


class LevelOut(Schema):
    id: int
    dealer_id: int
    site_id: int | None
    item_id: int
    sku: str = Field(alias="item.sku")
    location_id: int
    location_code: str = Field(alias="location.code")
    lot_id: int | None
    lot_number: str | None = None
    expiry_date: date | None = None
    on_hand: Decimal
    reserved: Decimal
    available: Decimal

    @staticmethod
    def resolve_available(obj) -> Decimal:
        return quantize_quantity(obj.available)

    @staticmethod
    def resolve_lot_number(obj) -> str | None:
        return obj.lot.lot_number if obj.lot_id else None

    @staticmethod
    def resolve_expiry_date(obj) -> date | None:
        return obj.lot.expiry_date if obj.lot_id else None


class PoolOut(Schema):
    """Sums come back from the database with its own scale: rendered with the quantity places."""

    dealer_id: int
    item_id: int
    on_hand: Decimal
    reserved: Decimal
    available: Decimal
    in_transit: Decimal

    @staticmethod
    def resolve_on_hand(obj) -> Decimal:
        return quantize_quantity(obj["on_hand_total"])

    @staticmethod
    def resolve_reserved(obj) -> Decimal:
        return quantize_quantity(obj["reserved_total"])

    @staticmethod
    def resolve_available(obj) -> Decimal:
        return quantize_quantity(obj["available_total"])

    @staticmethod
    def resolve_in_transit(obj) -> Decimal:
        return quantize_quantity(obj["in_transit"])


class MoveOut(Schema):
    id: int
    dealer_id: int
    site_id: int | None
    item_id: int
    quantity: Decimal
    from_location_id: int
    to_location_id: int
    lot_id: int | None
    serial_id: int | None
    move_type: str
    state: str
    reason: str
    reference_type: str
    reference_id: int | None
    reference_line_id: int | None
    document_number: str
    planned_date: date | None
    effective_date: date | None
    done_at: datetime | None
    unit_cost: Decimal | None


class ReservationOut(Schema):
    id: int
    dealer_id: int
    item_id: int
    site_id: int
    location_id: int
    lot_id: int | None
    serial_id: int | None
    quantity: Decimal
    reference_type: str
    reference_id: int
    reference_line_id: int | None
    state: str


class LocationOut(Schema):
    id: int
    dealer_id: int
    site_id: int | None
    code: str
    name: str
    kind: str
    parent_id: int | None
    is_virtual: bool


class MismatchOut(Schema):
    dealer_id: int
    item_id: int
    location_id: int
    lot_id: int | None
    on_hand: Decimal
    ledger_on_hand: Decimal
    reserved: Decimal
    reservations: Decimal


class ReconcileOut(Schema):
    mismatches: list[MismatchOut]
