"""Portal and sales-assistant services: every write of a cart, an access or a portal order."""

from qudao.portal.services.access import grant_portal_access, revoke_portal_access
from qudao.portal.services.carts import (
    add_to_cart,
    get_or_create_cart,
    place_cart_order,
    reorder,
    set_cart_coupons,
    set_cart_quantity,
)

__all__ = [
    "add_to_cart",
    "get_or_create_cart",
    "grant_portal_access",
    "place_cart_order",
    "reorder",
    "revoke_portal_access",
    "set_cart_coupons",
    "set_cart_quantity",
]
