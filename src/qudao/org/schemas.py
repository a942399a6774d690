"""API schemas of the organisation app: <Entity>In (create), <Entity>Patch (partial update), <Entity>Out.

Limits mirror the models (max_length, ranges), so a bad value is a 422 naming the field, never a 500.
Patch schemas default every field to "not given"; an explicit null is only accepted where the model
allows it.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Schema

from qudao.core.api import StrictSchema
from qudao.org.models import ChannelKind, DealershipStatus, RegionLevel, SiteKind

RegionCode = Annotated[str, Field(pattern=r"^\d{6}$", description="6-digit division code, e.g. 110105")]
Latitude = Annotated[Decimal, Field(ge=-90, le=90, allow_inf_nan=False)]
Longitude = Annotated[Decimal, Field(ge=-180, le=180, allow_inf_nan=False)]
RoleName = Literal["brand", "dealer", "supplier", "carrier", "financier"]
MAX_REGIONS_PER_TERRITORY = 4000
MAX_BRANDS_PER_SITE = 200


# --- companies -----------------------------------------------------------------------------------


class CompanyIn(StrictSchema):
    code: str = Field(..., min_length=1, max_length=32)
    name: str = Field(..., min_length=1, max_length=200)
    short_name: str = Field("", max_length=60)
    credit_code: str = Field("", max_length=18, description="unified social credit code (GB 32100-2015)")
    is_brand: bool = False
    is_dealer: bool = False
    is_supplier: bool = False
    is_carrier: bool = False
    is_financier: bool = False
    owner_id: int | None = Field(None, description="the dealer registering it (default: yours)")
    is_public: bool = False
    region_code: RegionCode | None = None
    address: str = Field("", max_length=300)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    time_zone: str = Field("Asia/Shanghai", max_length=64)
    currency: str = Field("CNY", min_length=3, max_length=3)
    is_active: bool = True


class CompanyPatch(StrictSchema):
    code: str = Field(None, min_length=1, max_length=32)
    name: str = Field(None, min_length=1, max_length=200)
    short_name: str = Field(None, max_length=60)
    credit_code: str = Field(None, max_length=18)
    is_brand: bool = None
    is_dealer: bool = None
    is_supplier: bool = None
    is_carrier: bool = None
    is_financier: bool = None
    owner_id: int | None = None
    is_public: bool = None
    region_code: RegionCode | None = None
    address: str = Field(None, max_length=300)
    phone: str = Field(None, max_length=40)
    email: str = Field(None, max_length=254)
    time_zone: str = Field(None, max_length=64)
    currency: str = Field(None, min_length=3, max_length=3)
    is_active: bool = None


class CompanyOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    credit_code: str
    roles: list[str]
    is_brand: bool
    is_dealer: bool
    is_supplier: bool
    is_carrier: bool
    is_financier: bool
    owner_id: int | None
    is_public: bool
    region_code: str | None
    address: str
    phone: str
    email: str
    time_zone: str
    currency: str
    is_active: bool
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_region_code(obj: Any) -> str | None:
        return obj.region.code if obj.region_id else None


# --- sites ---------------------------------------------------------------------------------------


class SiteIn(StrictSchema):
    dealer_id: int | None = Field(None, description="default: the only dealer you work for")
    code: str = Field(..., min_length=1, max_length=32)
    name: str = Field(..., min_length=1, max_length=120)
    kind: SiteKind
    region_code: RegionCode | None = None
    address: str = Field("", max_length=300)
    latitude: Latitude | None = Field(None, description="default: the region's seat")
    longitude: Longitude | None = None
    brand_ids: list[int] = Field(default_factory=list, max_length=MAX_BRANDS_PER_SITE)
    is_active: bool = True


class SitePatch(StrictSchema):
    code: str = Field(None, min_length=1, max_length=32)
    name: str = Field(None, min_length=1, max_length=120)
    kind: SiteKind = None
    region_code: RegionCode | None = None
    address: str = Field(None, max_length=300)
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    brand_ids: list[int] = Field(None, max_length=MAX_BRANDS_PER_SITE)
    is_active: bool = None


class SiteOut(Schema):
    id: int
    dealer_id: int
    code: str
    name: str
    kind: str
    region_code: str | None
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    brand_ids: list[int]
    is_active: bool
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_region_code(obj: Any) -> str | None:
        return obj.region.code if obj.region_id else None

    @staticmethod
    def resolve_brand_ids(obj: Any) -> list[int]:
        return sorted(b.pk for b in obj.brands.all())


# --- channels ------------------------------------------------------------------------------------


class ChannelIn(StrictSchema):
    dealer_id: int | None = Field(None, description="default: the only dealer you work for")
    code: str = Field(..., min_length=1, max_length=32)
    name: str = Field(..., min_length=1, max_length=80)
    kind: ChannelKind
    is_active: bool = True


class ChannelPatch(StrictSchema):
    code: str = Field(None, min_length=1, max_length=32)
    name: str = Field(None, min_length=1, max_length=80)
    kind: ChannelKind = None
    is_active: bool = None


class ChannelOut(Schema):
    id: int
    dealer_id: int
    code: str
    name: str
    kind: str
    is_active: bool
    created_at: datetime
    updated_at: datetime


# --- regions -------------------------------------------------------------------------------------


class RegionOut(Schema):
    code: str
    name: str
    level: RegionLevel
    parent_code: str | None
    latitude: Decimal | None
    longitude: Decimal | None
    coordinates_source: str

    @staticmethod
    def resolve_parent_code(obj: Any) -> str | None:
        return obj.parent.code if obj.parent_id else None


# --- territories ---------------------------------------------------------------------------------


class TerritoryIn(StrictSchema):
    owner_id: int | None = Field(None, description="your brand or dealer (default: the only one)")
    code: str = Field(..., min_length=1, max_length=32)
    name: str = Field(..., min_length=1, max_length=120)
    region_codes: list[RegionCode] = Field(default_factory=list, max_length=MAX_REGIONS_PER_TERRITORY)
    polygon: dict[str, Any] | None = Field(None, description="GeoJSON Polygon or MultiPolygon, [lon, lat]")


class TerritoryPatch(StrictSchema):
    code: str = Field(None, min_length=1, max_length=32)
    name: str = Field(None, min_length=1, max_length=120)
    region_codes: list[RegionCode] = Field(None, max_length=MAX_REGIONS_PER_TERRITORY)
    polygon: dict[str, Any] | None = None


class TerritoryOut(Schema):
    id: int
    owner_id: int
    code: str
    name: str
    region_codes: list[str]
    polygon: dict[str, Any] | None
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_region_codes(obj: Any) -> list[str]:
        return sorted(r.code for r in obj.regions.all())


class ContainsIn(StrictSchema):
    """A point (longitude and latitude) or a region code; which one is checked after the territory is
    found, so that someone else's territory answers 404 whatever the body."""

    longitude: Longitude | None = None
    latitude: Latitude | None = None
    region_code: RegionCode | None = None


class ContainsOut(Schema):
    inside: bool
    method: Literal["polygon", "regions"]
    region_code: str | None


# --- dealerships ---------------------------------------------------------------------------------


class DealershipIn(StrictSchema):
    brand_id: int | None = Field(None, description="your brand (default: the only one)")
    dealer_id: int
    dealer_code: str = Field("", max_length=32)
    territory_id: int | None = None
    channel_kinds: list[ChannelKind] = Field(default_factory=list, max_length=len(ChannelKind.values))
    valid_from: date
    valid_to: date | None = None


class DealershipPatch(StrictSchema):
    dealer_code: str = Field(None, max_length=32)
    territory_id: int | None = None
    channel_kinds: list[ChannelKind] = Field(None, max_length=len(ChannelKind.values))
    valid_from: date = None
    valid_to: date | None = None
    status: DealershipStatus = None


class DealershipOut(Schema):
    id: int
    brand_id: int
    dealer_id: int
    dealer_code: str
    territory_id: int | None
    channel_kinds: list[str]
    valid_from: date
    valid_to: date | None
    status: str
    created_at: datetime
    updated_at: datetime
