"""Inventory services: every write to stock goes through one of these (each atomic)."""

from qudao.inventory.services.adjustments import adjust_stock, scrap_stock
from qudao.inventory.services.issues import issue_stock
from qudao.inventory.services.locations import create_location, get_default_location, get_virtual_location
from qudao.inventory.services.receipts import get_or_create_lot, receive_stock
from qudao.inventory.services.reconciliation import Mismatch, reconcile_levels, report_mismatches
from qudao.inventory.services.reservations import release_reservations, reserve_stock

__all__ = [
    "Mismatch",
    "adjust_stock",
    "create_location",
    "get_default_location",
    "get_or_create_lot",
    "get_virtual_location",
    "issue_stock",
    "receive_stock",
    "reconcile_levels",
    "release_reservations",
    "report_mismatches",
    "reserve_stock",
    "scrap_stock",
]
