"""API schemas of finance: <Entity>In (strict), <Entity>Out."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

from qudao.core.api import StrictSchema
from qudao.finance.states import CreditReason, PaymentMethod
from qudao.sales.states import InvoiceBasis

Id = Annotated[int, Field(ge=1, le=9_223_372_036_854_775_807)]
Amount = Annotated[Decimal, Field(gt=0, max_digits=18, decimal_places=2)]
Quantity = Annotated[Decimal, Field(gt=0, max_digits=20, decimal_places=3)]


class InvoiceFromOrdersIn(StrictSchema):
    """Either `order_ids` or `customer_id` (all its confirmed orders)."""

    order_ids: list[Id] | None = Field(None, min_length=1, max_length=500)
    customer_id: Id | None = None
    basis: InvoiceBasis | None = None
    invoice_date: date | None = None
    issue: bool = False


class VersionIn(StrictSchema):
    version: int | None = Field(None, ge=1)


class CancelIn(VersionIn):
    reason: str = Field("", max_length=300)


class CreditLineIn(StrictSchema):
    invoice_line_id: Id
    amount: Amount | None = None
    quantity: Quantity | None = None


class CreditNoteIn(VersionIn):
    """Either `lines` (each with an amount or a quantity) or an `amount` spread over the lines."""

    reason: CreditReason
    credit_date: date | None = None
    note: str = Field("", max_length=500)
    amount: Amount | None = None
    lines: list[CreditLineIn] | None = Field(None, min_length=1, max_length=500)


class AllocationIn(StrictSchema):
    invoice_id: Id
    amount: Amount


class PaymentIn(StrictSchema):
    """Without `allocations` the payment settles the oldest open invoices (unless auto_allocate=false)."""

    customer_id: Id
    method: PaymentMethod
    amount: Amount
    payment_date: date | None = None
    currency: str | None = Field(None, min_length=3, max_length=3)
    reference: str = Field("", max_length=100)
    note: str = Field("", max_length=500)
    allocations: list[AllocationIn] | None = Field(None, min_length=1, max_length=200)
    auto_allocate: bool = True


class AllocateIn(VersionIn):
    allocations: list[AllocationIn] | None = Field(None, min_length=1, max_length=200)


class InvoiceLineOut(Schema):
    id: int
    line_no: int
    sales_order_id: int | None
    sales_order_line_id: int | None
    item_id: int | None
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    tax_rate: Decimal
    tax_amount: Decimal
    net_amount: Decimal
    credited_amount: Decimal


class InvoiceOut(Schema):
    id: int
    number: str
    dealer_id: int
    customer_id: int
    customer_name: str = Field(alias="customer.name")
    currency: str
    state: str
    invoice_date: date
    due_date: date
    basis: str
    net_total: Decimal
    tax_total: Decimal
    total: Decimal
    amount_paid: Decimal
    amount_credited: Decimal
    open_amount: Decimal
    version: int
    issued_at: datetime | None
    cancelled_at: datetime | None


class AllocationOut(Schema):
    id: int
    payment_id: int
    invoice_id: int
    amount: Decimal
    is_reversed: bool


class InvoiceDetailOut(InvoiceOut):
    order_ids: list[int]
    lines: list[InvoiceLineOut]
    allocations: list[AllocationOut]
    credit_note_ids: list[int]

    @staticmethod
    def resolve_order_ids(obj) -> list[int]:
        return [o.pk for o in obj.orders.all()]

    @staticmethod
    def resolve_lines(obj):
        return list(obj.lines.all())

    @staticmethod
    def resolve_allocations(obj):
        return list(obj.allocations.all())

    @staticmethod
    def resolve_credit_note_ids(obj) -> list[int]:
        return [c.pk for c in obj.credit_notes.all()]


class CreditNoteLineOut(Schema):
    id: int
    invoice_line_id: int
    item_id: int | None
    quantity: Decimal
    amount: Decimal
    tax_rate: Decimal
    tax_amount: Decimal
    net_amount: Decimal


class CreditNoteOut(Schema):
    id: int
    number: str
    invoice_id: int
    invoice_number: str = Field(alias="invoice.number")
    customer_id: int
    currency: str
    credit_date: date
    reason: str
    net_total: Decimal
    tax_total: Decimal
    total: Decimal
    note: str


class CreditNoteDetailOut(CreditNoteOut):
    lines: list[CreditNoteLineOut]

    @staticmethod
    def resolve_lines(obj):
        return list(obj.lines.all())


class PaymentOut(Schema):
    id: int
    number: str
    customer_id: int
    customer_name: str = Field(alias="customer.name")
    currency: str
    payment_date: date
    method: str
    amount: Decimal
    allocated_amount: Decimal
    unallocated_amount: Decimal
    reference: str
    state: str
    version: int
    reversed_on: date | None


class PaymentDetailOut(PaymentOut):
    allocations: list[AllocationOut]

    @staticmethod
    def resolve_allocations(obj):
        return list(obj.allocations.all())


class StatementEntryOut(Schema):
    entry_date: date = Field(alias="on")
    kind: str
    number: str
    description: str
    debit: Decimal
    credit: Decimal
    balance: Decimal


class StatementOut(Schema):
    customer_id: int = Field(alias="customer.pk")
    customer_name: str = Field(alias="customer.name")
    date_from: date
    date_to: date
    opening_balance: Decimal
    entries: list[StatementEntryOut]
    closing_balance: Decimal


class AgeingRowOut(Schema):
    customer_id: int | None
    code: str
    name: str
    current: Decimal
    d1_30: Decimal
    d31_60: Decimal
    d61_90: Decimal
    d90_plus: Decimal
    total: Decimal


class AgeingOut(Schema):
    as_of: date
    rows: list[AgeingRowOut]
    total: AgeingRowOut
