from qudao.sales.models.orders import SalesOrder, SalesOrderLine
from qudao.sales.models.support import OrderEvent, OrderIdempotencyKey, SalesSettings

__all__ = ["OrderEvent", "OrderIdempotencyKey", "SalesOrder", "SalesOrderLine", "SalesSettings"]
