"""Order center services: every write to an order goes through one of these."""

from qudao.sales.services.backorders import allocate_arrivals, allocate_order, run_wave
from qudao.sales.services.completion import complete_order
from qudao.sales.services.confirmation import approve_hold, cancel_order, confirm_order
from qudao.sales.services.deliveries import confirm_delivery
from qudao.sales.services.intake import submit_order
from qudao.sales.services.orders import create_order, update_order
from qudao.sales.services.return_receipts import mark_return_credited, receive_return, release_quarantine
from qudao.sales.services.returns import approve_return, cancel_return, reject_return, request_return
from qudao.sales.services.shipments import cancel_shipment, create_shipment, ship_shipment

__all__ = [
    "allocate_arrivals",
    "allocate_order",
    "approve_hold",
    "approve_return",
    "cancel_order",
    "cancel_return",
    "cancel_shipment",
    "complete_order",
    "confirm_delivery",
    "confirm_order",
    "create_order",
    "create_shipment",
    "mark_return_credited",
    "receive_return",
    "reject_return",
    "release_quarantine",
    "request_return",
    "run_wave",
    "ship_shipment",
    "submit_order",
    "update_order",
]
