"""API schemas of fulfilment: <Entity>In (strict), <Entity>Out."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from qudao.core.api import StrictSchema
from qudao.sales.schemas import Id, Quantity
from qudao.sales.states_fulfilment import ReturnDisposition


class ShipmentLineIn(StrictSchema):
    order_line_id: Id
    quantity: Quantity


class PackageIn(StrictSchema):
    number: str | None = Field(None, min_length=1, max_length=40)
    weight_kg: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=3)
    dimensions: str = Field("", max_length=60)
    tracking_number: str = Field("", max_length=100)


class _CarrierIn(StrictSchema):
    carrier_id: Id | None = None
    carrier_name: str | None = Field(None, max_length=100)
    tracking_number: str | None = Field(None, max_length=100)
    notes: str | None = Field(None, max_length=2000)
    packages: list[PackageIn] | None = Field(None, max_length=200)


class ShipmentIn(_CarrierIn):
    site_id: Id | None = None
    #: default: everything reserved at the site and not on another draft
    lines: list[ShipmentLineIn] | None = Field(None, min_length=1, max_length=500)


class ShipIn(_CarrierIn):
    version: int | None = Field(None, ge=1)


class CancelShipmentIn(StrictSchema):
    version: int | None = Field(None, ge=1)
    reason: str = Field("", max_length=300)


class DeliveryLineIn(StrictSchema):
    shipment_line_id: Id
    quantity: Decimal = Field(ge=0, max_digits=20, decimal_places=3)


class DeliveryIn(StrictSchema):
    """Multipart form fields of a delivery (the photo is the `photo` file part). Required fields are
    checked by the service, so one answer lists every problem."""

    signer_name: str | None = Field(None, max_length=100)
    signed_at: datetime | None = None
    latitude: Decimal | None = Field(None, ge=-90, le=90, max_digits=9, decimal_places=6)
    longitude: Decimal | None = Field(None, ge=-180, le=180, max_digits=10, decimal_places=6)
    accuracy_m: Decimal | None = Field(None, ge=0, le=100_000, max_digits=9, decimal_places=1)
    note: str | None = Field(None, max_length=500)
    #: JSON list [{"shipment_line_id": 1, "quantity": "7"}] for a partial delivery; default all
    lines: str | None = Field(None, max_length=20_000)
    version: int | None = Field(None, ge=1)


class ShipmentLineOut(Schema):
    id: int
    order_line_id: int
    line_no: int = Field(alias="order_line.line_no")
    item_id: int
    sku: str = Field(alias="item.sku")
    item_name: str = Field(alias="item.name")
    quantity: Decimal
    delivered_quantity: Decimal
    lot_id: int | None
    lot_number: str | None
    expiry_date: date | None
    serial_numbers: list[str]

    @staticmethod
    def resolve_lot_number(obj) -> str | None:
        return obj.lot.lot_number if obj.lot_id else None

    @staticmethod
    def resolve_expiry_date(obj) -> date | None:
        return obj.lot.expiry_date if obj.lot_id else None


class PackageOut(Schema):
    id: int
    number: str
    weight_kg: Decimal | None
    dimensions: str
    tracking_number: str


class ProofOut(Schema):
    signer_name: str
    signed_at: datetime
    latitude: Decimal | None
    longitude: Decimal | None
    accuracy_m: Decimal | None
    note: str
    photo_url: str | None
    captured_by_id: int | None

    @staticmethod
    def resolve_photo_url(obj) -> str | None:
        """Where the photo is served to those who may see the shipment (not a public media URL)."""
        return f"/api/v1/shipments/{obj.shipment_id}/proof/photo" if obj.photo else None


class ShipmentSummaryOut(Schema):
    id: int
    dealer_id: int
    number: str
    order_id: int
    order_number: str = Field(alias="order.number")
    customer_id: int = Field(alias="order.customer_id")
    site_id: int
    site_name: str = Field(alias="site.name")
    state: str
    carrier_id: int | None
    carrier_name: str
    tracking_number: str
    shipped_at: datetime | None
    delivered_at: datetime | None
    version: int
    created_at: datetime


class ShipmentOut(ShipmentSummaryOut):
    notes: str
    cancelled_at: datetime | None
    lines: list[ShipmentLineOut]
    packages: list[PackageOut]
    proof: ProofOut | None

    @staticmethod
    def resolve_lines(obj):
        return list(obj.lines.all())

    @staticmethod
    def resolve_packages(obj):
        return list(obj.packages.all())

    @staticmethod
    def resolve_proof(obj):
        return getattr(obj, "proof", None)


class ShipmentPage(Schema):
    items: list[ShipmentSummaryOut]
    next_before_id: int | None


class PickRowOut(Schema):
    location_id: int | None
    location: str
    item_id: int
    sku: str
    item_name: str
    unit: str
    lot_id: int | None
    lot_number: str
    expiry_date: date | None
    quantity: Decimal
    order_id: int
    order_number: str
    shipment_id: int
    shipment_number: str
    short: bool


class PickListOut(Schema):
    site_id: int
    rows: list[PickRowOut]


class ReturnLineIn(StrictSchema):
    order_line_id: Id
    quantity: Quantity
    reason: str = Field("", max_length=300)
    disposition: ReturnDisposition = ReturnDisposition.RESTOCK
    lot_id: Id | None = None


class ReturnIn(StrictSchema):
    site_id: Id | None = None
    reason: str = Field("", max_length=300)
    #: at least one (checked by the service, after the order's scope)
    lines: list[ReturnLineIn] = Field(default_factory=list, max_length=500)


class ReturnDecisionIn(StrictSchema):
    version: int | None = Field(None, ge=1)
    note: str = Field("", max_length=300)


class ReceiveLineIn(StrictSchema):
    return_line_id: Id
    disposition: ReturnDisposition


class ReceiveIn(StrictSchema):
    version: int | None = Field(None, ge=1)
    lines: list[ReceiveLineIn] | None = Field(None, max_length=500)


class ReleaseIn(StrictSchema):
    return_line_id: Id
    to: ReturnDisposition


class ReturnLineOut(Schema):
    id: int
    order_line_id: int
    line_no: int = Field(alias="order_line.line_no")
    item_id: int
    sku: str = Field(alias="item.sku")
    quantity: Decimal
    reason: str
    disposition: str
    lot_id: int | None
    unit_price: Decimal
    amount: Decimal
    credit_quantity: Decimal


class ReturnSummaryOut(Schema):
    id: int
    dealer_id: int
    number: str
    order_id: int
    order_number: str = Field(alias="order.number")
    customer_id: int
    site_id: int
    state: str
    amount: Decimal
    version: int
    created_at: datetime


class ReturnOut(ReturnSummaryOut):
    reason: str
    decision_note: str
    credit_notes: list[str]
    decided_at: datetime | None
    received_at: datetime | None
    closed_at: datetime | None
    lines: list[ReturnLineOut]

    @staticmethod
    def resolve_lines(obj):
        return list(obj.lines.all())


class ReturnPage(Schema):
    items: list[ReturnSummaryOut]
    next_before_id: int | None
