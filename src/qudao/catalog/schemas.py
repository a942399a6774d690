"""API schemas of the catalog. Inputs are strict (unknown fields refused) and mirror the models' limits."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema

from qudao.catalog.choices import BarcodeKind, ItemKind, Powertrain, Tracking, UnitKind
from qudao.catalog.models import Barcode, Category, ItemUnit, Supersession
from qudao.catalog.models.vehicles import MAX_MODEL_YEAR, MIN_MODEL_YEAR
from qudao.catalog.policies import BARCODE_MAX_LENGTH
from qudao.core.api import StrictSchema

Id = Annotated[int, Field(ge=1, le=9_223_372_036_854_775_807)]
Code = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[^\s]+$")]
Currency = Annotated[str, Field(min_length=3, max_length=3, pattern=r"^[A-Z]{3}$")]
Factor = Annotated[Decimal, Field(gt=0, max_digits=20, decimal_places=6)]
UnitPrice = Annotated[Decimal, Field(ge=0, max_digits=20, decimal_places=4)]
Amount = Annotated[Decimal, Field(ge=0, max_digits=20, decimal_places=2)]
TaxRate = Annotated[Decimal, Field(ge=0, lt=1, max_digits=5, decimal_places=4)]
SortOrder = Annotated[int, Field(ge=0, le=32767)]
ModelYear = Annotated[int, Field(ge=MIN_MODEL_YEAR, le=MAX_MODEL_YEAR)]

# --- categories ----------------------------------------------------------------------------------


class CategoryIn(StrictSchema):
    dealer_id: Id | None = None
    code: Code
    name: str = Field(min_length=1, max_length=120)
    parent_id: Id | None = None
    sort_order: SortOrder = 0


class CategoryPatch(StrictSchema):
    code: Code | None = None
    name: str | None = Field(None, min_length=1, max_length=120)
    parent_id: Id | None = Field(None, description="null moves the category (and its subtree) to the root")
    sort_order: SortOrder | None = None


class CategoryOut(Schema):
    id: int
    dealer_id: int
    code: str
    name: str
    parent_id: int | None
    sort_order: int
    path: str
    depth: int

    @staticmethod
    def resolve_depth(obj: Category) -> int:
        return obj.depth


class CategoryNode(Schema):
    id: int
    dealer_id: int
    code: str
    name: str
    sort_order: int
    path: str
    children: list[CategoryNode]


# --- units ---------------------------------------------------------------------------------------


class UnitOfMeasureIn(StrictSchema):
    dealer_id: Id | None = None
    code: str = Field(min_length=1, max_length=16, pattern=r"^[^\s]+$")
    name: str = Field(min_length=1, max_length=60)
    decimal_places: int = Field(0, ge=0, le=3)
    kind: UnitKind = UnitKind.COUNT


class UnitOfMeasureOut(Schema):
    id: int
    dealer_id: int
    code: str
    name: str
    decimal_places: int
    kind: str


class ItemUnitIn(StrictSchema):
    unit_id: Id
    factor: Factor
    is_purchase_default: bool = False
    is_sales_default: bool = False


class ItemUnitPatch(StrictSchema):
    factor: Factor | None = None
    is_purchase_default: bool | None = None
    is_sales_default: bool | None = None


class ItemUnitOut(Schema):
    id: int
    item_id: int
    unit_id: int
    unit_code: str
    factor: Decimal
    is_base: bool
    is_purchase_default: bool
    is_sales_default: bool

    @staticmethod
    def resolve_unit_code(obj: ItemUnit) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_is_base(obj: ItemUnit) -> bool:
        return obj.is_base


# --- barcodes ------------------------------------------------------------------------------------


class BarcodeIn(StrictSchema):
    code: str = Field(min_length=1, max_length=BARCODE_MAX_LENGTH)
    kind: BarcodeKind | None = Field(None, description="omitted: a GS1 length of digits is that GTIN")
    unit_id: Id | None = Field(None, description="the packaging; omitted: the item's base unit")


class BarcodeOut(Schema):
    id: int
    item_id: int
    unit_id: int
    unit_code: str
    code: str
    kind: str

    @staticmethod
    def resolve_unit_code(obj: Barcode) -> str:
        return obj.unit.code


# --- items ---------------------------------------------------------------------------------------


class ItemIn(StrictSchema):
    dealer_id: Id | None = None
    sku: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    kind: ItemKind
    brand_id: Id | None = None
    category_id: Id | None = None
    base_unit_id: Id
    tracking: Tracking | None = Field(None, description="omitted: serial for a vehicle, none otherwise")
    has_expiry: bool = False
    shelf_life_days: int | None = Field(None, ge=1, le=36500)
    tax_rate: TaxRate | None = Field(None, description="omitted: 0.13, or 0.06 for a service")
    list_price: UnitPrice | None = None
    weight_kg: Decimal | None = Field(None, ge=0, le=1_000_000, decimal_places=3)
    currency: Currency = "CNY"
    attributes: dict[str, Any] = Field(default_factory=dict)
    vehicle_model_id: Id | None = None
    is_active: bool = True


class ItemPatch(StrictSchema):
    sku: str | None = Field(None, min_length=1, max_length=64)
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: ItemKind | None = None
    brand_id: Id | None = None
    category_id: Id | None = None
    tracking: Tracking | None = None
    has_expiry: bool | None = None
    shelf_life_days: int | None = Field(None, ge=1, le=36500)
    tax_rate: TaxRate | None = None
    list_price: UnitPrice | None = None
    weight_kg: Decimal | None = Field(None, ge=0, le=1_000_000, decimal_places=3)
    currency: Currency | None = None
    attributes: dict[str, Any] | None = None
    vehicle_model_id: Id | None = None
    is_active: bool | None = None


class ItemOut(Schema):
    id: int
    dealer_id: int
    sku: str
    name: str
    kind: str
    brand_id: int | None
    category_id: int | None
    base_unit_id: int
    base_unit_code: str
    tracking: str
    has_expiry: bool
    shelf_life_days: int | None
    tax_rate: Decimal
    list_price: Decimal | None
    weight_kg: Decimal | None
    currency: str
    attributes: dict[str, Any]
    vehicle_model_id: int | None
    is_active: bool
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_base_unit_code(obj) -> str:
        return obj.base_unit.code


class ItemDetailOut(ItemOut):
    units: list[ItemUnitOut]
    barcodes: list[BarcodeOut]

    @staticmethod
    def resolve_units(obj) -> list[ItemUnit]:
        return list(obj.units.all())

    @staticmethod
    def resolve_barcodes(obj) -> list[Barcode]:
        return list(obj.barcodes.all())


class BarcodeLookupOut(Schema):
    code: str
    item: ItemOut
    unit_id: int
    unit_code: str
    factor: Decimal = Field(description="base units in one scanned packaging")


# --- vehicle models ------------------------------------------------------------------------------


class VehicleModelIn(StrictSchema):
    dealer_id: Id | None = None
    brand_id: Id
    series: str = Field(min_length=1, max_length=80)
    model_year: ModelYear
    trim: str = Field("", max_length=80)
    powertrain: Powertrain
    msrp: Amount | None = None
    currency: Currency = "CNY"
    is_active: bool = True


class VehicleModelPatch(StrictSchema):
    brand_id: Id | None = None
    series: str | None = Field(None, min_length=1, max_length=80)
    model_year: ModelYear | None = None
    trim: str | None = Field(None, max_length=80)
    powertrain: Powertrain | None = None
    msrp: Amount | None = None
    currency: Currency | None = None
    is_active: bool | None = None


class VehicleModelOut(Schema):
    id: int
    dealer_id: int
    brand_id: int
    series: str
    model_year: int
    trim: str
    powertrain: str
    msrp: Decimal | None
    currency: str
    is_active: bool


# --- supersessions -------------------------------------------------------------------------------


class SupersessionIn(StrictSchema):
    old_item_id: Id
    new_item_id: Id
    effective_from: date
    factor: Factor = Decimal(1)
    note: str = Field("", max_length=500)


class SupersessionOut(Schema):
    id: int
    dealer_id: int
    old_item_id: int
    old_sku: str
    new_item_id: int
    new_sku: str
    effective_from: date
    factor: Decimal
    note: str

    @staticmethod
    def resolve_old_sku(obj: Supersession) -> str:
        return obj.old_item.sku

    @staticmethod
    def resolve_new_sku(obj: Supersession) -> str:
        return obj.new_item.sku


class CurrentPartOut(Schema):
    item_id: int = Field(description="the part asked about")
    on: date
    current: ItemOut = Field(description="the part to use on that date")
    factor: Decimal = Field(description="how many of the current part replace one of the part asked about")
    chain: list[int] = Field(description="ids from the part asked about to the current part")
