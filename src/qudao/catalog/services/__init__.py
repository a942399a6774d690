"""Catalog services (writes). Each runs in one transaction and obeys the same rules whether it is
called by the API, the console, an import or a background job."""

from qudao.catalog.services.barcodes import add_barcode, delete_barcode, save_barcode
from qudao.catalog.services.categories import create_category, save_category, update_category
from qudao.catalog.services.items import create_item, deactivate_item, save_item, update_item
from qudao.catalog.services.supersessions import create_supersession, save_supersession
from qudao.catalog.services.units import (
    add_item_unit,
    create_unit_of_measure,
    ensure_base_unit,
    save_item_unit,
    save_unit_of_measure,
    update_item_unit,
)
from qudao.catalog.services.vehicles import create_vehicle_model, save_vehicle_model, update_vehicle_model

__all__ = [
    "add_barcode",
    "add_item_unit",
    "create_category",
    "create_item",
    "create_supersession",
    "create_unit_of_measure",
    "create_vehicle_model",
    "deactivate_item",
    "delete_barcode",
    "ensure_base_unit",
    "save_barcode",
    "save_category",
    "save_item",
    "save_item_unit",
    "save_supersession",
    "save_unit_of_measure",
    "save_vehicle_model",
    "update_category",
    "update_item",
    "update_item_unit",
    "update_vehicle_model",
]
