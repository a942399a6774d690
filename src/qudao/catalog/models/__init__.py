"""Catalog models: categories, units of measure, items with their units and barcodes, vehicle models and
part supersessions. Every row belongs to a dealer."""

from qudao.catalog.choices import BarcodeKind, ItemKind, Powertrain, Tracking, UnitKind
from qudao.catalog.models.barcodes import Barcode
from qudao.catalog.models.categories import Category
from qudao.catalog.models.items import Item, ItemUnit
from qudao.catalog.models.supersessions import Supersession
from qudao.catalog.models.units import UnitOfMeasure
from qudao.catalog.models.vehicles import VehicleModel

__all__ = [
    "Barcode",
    "BarcodeKind",
    "Category",
    "Item",
    "ItemKind",
    "ItemUnit",
    "Powertrain",
    "Supersession",
    "Tracking",
    "UnitKind",
    "UnitOfMeasure",
    "VehicleModel",
]
