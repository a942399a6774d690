"""Order center services: every write to an order goes through one of these."""

from qudao.sales.services.backorders import allocate_arrivals, allocate_order, run_wave
from qudao.sales.services.completion import complete_order
from qudao.sales.services.confirmation import approve_hold, cancel_order, confirm_order
from qudao.sales.services.intake import submit_order
from qudao.sales.services.orders import create_order, update_order

__all__ = [
    "allocate_arrivals",
    "allocate_order",
    "approve_hold",
    "cancel_order",
    "complete_order",
    "confirm_order",
    "create_order",
    "run_wave",
    "submit_order",
    "update_order",
]
