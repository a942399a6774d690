"""Inventory models, one module per entity group."""

from qudao.inventory.choices import (
    AdjustmentReason,
    LocationKind,
    MoveState,
    MoveType,
    ReservationState,
    SerialStatus,
)
from qudao.inventory.models.levels import Reservation, StockLevel
from qudao.inventory.models.locations import Location
from qudao.inventory.models.moves import StockMove
from qudao.inventory.models.planning import ItemSiteCost, ItemSiteSettings
from qudao.inventory.models.policy import InventoryPolicy
from qudao.inventory.models.stocktakes import (
    StocktakeCount,
    StocktakeKind,
    StocktakeSession,
    StocktakeSnapshot,
)
from qudao.inventory.models.tracking import Lot, Serial
from qudao.inventory.models.transfers import DiscrepancyKind, Transfer, TransferDiscrepancy, TransferLine

__all__ = [
    "AdjustmentReason",
    "DiscrepancyKind",
    "InventoryPolicy",
    "ItemSiteCost",
    "ItemSiteSettings",
    "Location",
    "LocationKind",
    "Lot",
    "MoveState",
    "MoveType",
    "Reservation",
    "ReservationState",
    "Serial",
    "SerialStatus",
    "StockLevel",
    "StockMove",
    "StocktakeCount",
    "StocktakeKind",
    "StocktakeSession",
    "StocktakeSnapshot",
    "Transfer",
    "TransferDiscrepancy",
    "TransferLine",
]
