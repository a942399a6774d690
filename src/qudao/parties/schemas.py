"""API schemas of the customers app. Lengths mirror the model; formats are checked by the services
(so that a bad phone answers `invalid_phone`, a bad credit code `invalid_credit_code`)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import StringConstraints

from qudao.core.api import StrictSchema
from qudao.parties.models import AddressKind, BusinessType, CustomerKind, CustomerSource, IdType
from qudao.parties.states import CustomerStatus

Code = Annotated[str, StringConstraints(min_length=1, max_length=32)]
Tag = Annotated[str, StringConstraints(max_length=32)]
Money = Annotated[Decimal, Field(ge=0, max_digits=20, decimal_places=2)]
Latitude = Annotated[Decimal, Field(ge=-90, le=90, max_digits=9, decimal_places=6)]
Longitude = Annotated[Decimal, Field(ge=-180, le=180, max_digits=9, decimal_places=6)]


# --- customer groups ---------------------------------------------------------------------------------


class CustomerGroupIn(StrictSchema):
    dealer_id: int | None = Field(None, description="Needed only when you work for several dealers.")
    code: Code
    name: str = Field(..., min_length=1, max_length=100)
    description: str = Field("", max_length=500)


class CustomerGroupPatch(StrictSchema):
    code: Code = None
    name: str = Field(None, min_length=1, max_length=100)
    description: str = Field(None, max_length=500)


class CustomerGroupOut(Schema):
    id: int
    dealer_id: int
    code: str
    name: str
    description: str
    created_at: datetime
    updated_at: datetime


# --- contacts and addresses --------------------------------------------------------------------------


class ContactIn(StrictSchema):
    name: str = Field(..., min_length=1, max_length=100)
    title: str = Field("", max_length=100)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    wechat_id: str = Field("", max_length=64)
    is_primary: bool = False


class ContactPatch(StrictSchema):
    name: str = Field(None, min_length=1, max_length=100)
    title: str = Field(None, max_length=100)
    phone: str = Field(None, max_length=40)
    email: str = Field(None, max_length=254)
    wechat_id: str = Field(None, max_length=64)
    is_primary: bool = None


class ContactOut(Schema):
    id: int
    customer_id: int
    name: str
    title: str
    phone: str
    email: str
    wechat_id: str
    is_primary: bool


class AddressIn(StrictSchema):
    kind: AddressKind = AddressKind.SHIPPING
    region_id: int | None = None
    line: str = Field(..., min_length=1, max_length=300)
    postal_code: str = Field("", max_length=6)
    latitude: Latitude | None = Field(None, description="Empty: the region's coordinates.")
    longitude: Longitude | None = None
    receiver_name: str = Field("", max_length=100)
    receiver_phone: str = Field("", max_length=40)
    is_default: bool = False


class AddressPatch(StrictSchema):
    kind: AddressKind = None
    region_id: int | None = None
    line: str = Field(None, min_length=1, max_length=300)
    postal_code: str = Field(None, max_length=6)
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    receiver_name: str = Field(None, max_length=100)
    receiver_phone: str = Field(None, max_length=40)
    is_default: bool = None


class AddressOut(Schema):
    id: int
    customer_id: int
    kind: str
    region_id: int | None
    line: str
    postal_code: str
    latitude: Decimal | None
    longitude: Decimal | None
    receiver_name: str
    receiver_phone: str
    is_default: bool


# --- customers ---------------------------------------------------------------------------------------


class CustomerFields(StrictSchema):
    """Fields shared by create and patch (all optional here; CustomerIn requires some)."""

    code: Code | None = Field(None, description="Empty: numbered C-000123 per dealer.")
    business_type: BusinessType | None = Field(None, description="Businesses only (default: other).")
    legal_name: str = Field("", max_length=200)
    credit_code: str = Field("", max_length=18, description="Unified social credit code (GB 32100-2015).")
    mobile: str = Field(
        "", max_length=20, description="Mainland China mobile; +86 and separators are removed."
    )
    email: str = Field("", max_length=254)
    id_type: IdType | None = Field(None, description="Individuals only.")
    id_number: str | None = Field(
        None, max_length=32, description="Write only: stored masked (110***********002X), never in clear."
    )
    customer_group_id: int | None = None
    channel_id: int | None = None
    home_site_id: int | None = None
    sales_rep_id: int | None = None
    region_id: int | None = None
    credit_limit: Money = Decimal("0")
    payment_terms_days: int = Field(0, ge=0, le=365)
    currency: str = Field("CNY", min_length=3, max_length=3)
    tags: list[Tag] = Field(default_factory=list, max_length=30)
    source: CustomerSource | None = None
    notes: str = Field("", max_length=4000)


class CustomerIn(CustomerFields):
    dealer_id: int | None = Field(None, description="Needed only when you work for several dealers.")
    kind: CustomerKind
    name: str = Field(..., min_length=1, max_length=200)
    status: CustomerStatus = Field(CustomerStatus.PROSPECT, description="prospect or active")
    contacts: list[ContactIn] = Field(default_factory=list, max_length=50)
    addresses: list[AddressIn] = Field(default_factory=list, max_length=50)


class CustomerPatch(CustomerFields):
    """Send only what changes, with the `version` you read (a stale version answers 409)."""

    version: int = Field(..., ge=1)
    kind: CustomerKind = None
    name: str = Field(None, min_length=1, max_length=200)


class CustomerStatusIn(StrictSchema):
    to: CustomerStatus
    reason: str = Field("", max_length=200)
    version: int | None = Field(None, ge=1, description="When given, a stale version answers 409.")


class CustomerOut(Schema):
    id: int
    dealer_id: int
    code: str
    kind: str
    business_type: str
    name: str
    legal_name: str
    credit_code: str
    mobile: str
    email: str
    id_type: str
    id_number_masked: str
    customer_group_id: int | None
    channel_id: int | None
    home_site_id: int | None
    sales_rep_id: int | None
    region_id: int | None
    credit_limit: Decimal
    payment_terms_days: int
    currency: str
    tags: list[str]
    source: str
    status: str
    status_reason: str
    notes: str
    first_purchase_at: datetime | None
    last_purchase_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime


class CustomerCountsOut(Schema):
    contacts: int
    addresses: int
    shipping_addresses: int


class CustomerDetailOut(CustomerOut):
    contacts: list[ContactOut]
    addresses: list[AddressOut]
    counts: CustomerCountsOut
    primary_contact_id: int | None
    default_shipping_address_id: int | None
