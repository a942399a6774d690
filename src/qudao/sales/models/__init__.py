from qudao.sales.models.fulfilment import DeliveryProof, Shipment, ShipmentLine, ShipmentPackage
from qudao.sales.models.orders import SalesOrder, SalesOrderLine
from qudao.sales.models.returns import ReturnLine, ReturnRequest
from qudao.sales.models.support import OrderEvent, OrderIdempotencyKey, SalesSettings
from qudao.sales.states_fulfilment import ShipmentState

__all__ = [
    "DeliveryProof",
    "OrderEvent",
    "OrderIdempotencyKey",
    "ReturnLine",
    "ReturnRequest",
    "SalesOrder",
    "SalesOrderLine",
    "SalesSettings",
    "Shipment",
    "ShipmentLine",
    "ShipmentPackage",
    "ShipmentState",
]
