"""The shipped mapping "generic-marketplace": a generic marketplace order JSON —

    {"order_id": "GM-1001", "shop_id": "SHOP-01", "status": "paid", "paid_at": "2026-12-03T10:00:00+08:00",
     "buyer": {"id": "B-77", "nick": "小王", "message": "请尽快发货"},
     "receiver": {"name": "王小明", "phone": "13800000000", "province": "浙江省", "city": "杭州市",
                  "district": "西湖区", "address": "文三路 90 号"},
     "items": [{"sku": "FMCG-00001", "quantity": 2, "price": "9.90"}]}

Paid (and shipped) orders are taken, unpaid, cancelled and closed ones skipped; the platform's price
is kept; the orders go to one customer (the online-shop customer), per shop overridable in the map.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any

GENERIC_CODE = "generic-marketplace"

GENERIC_MAPPING: dict[str, Any] = {
    "fields": {
        "external_reference": "order_id",
        "status": "status",
        "paid_at": "paid_at",
        "customer": {"path": "shop_id", "map": {}, "default": ""},
        "receiver_name": "receiver.name",
        "receiver_phone": "receiver.phone",
        "province": "receiver.province",
        "city": "receiver.city",
        "district": "receiver.district",
        "ship_line": {
            "join": ["receiver.province", "receiver.city", "receiver.district", "receiver.address"],
            "sep": " ",
        },
        "notes": "buyer.message",
    },
    "lines": {"sku": "items[*].sku", "quantity": "items[*].quantity", "unit_price": "items[*].price"},
    "status": {"accept": ["paid", "shipped"], "skip": ["unpaid", "cancelled", "closed"]},
    "sku_map": {},
    "price": "platform",
}


def generic_mapping(*, customer_code: str, shops: dict[str, str] | None = None) -> dict[str, Any]:
    """The generic mapping, its orders going to `customer_code` (and shop id → code in `shops`)."""
    mapping = deepcopy(GENERIC_MAPPING)
    mapping["fields"]["customer"] = {"path": "shop_id", "map": dict(shops or {}), "default": customer_code}
    return mapping
