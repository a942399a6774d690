"""Stable error codes of the portal and the sales assistant."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from qudao.core.errors import QudaoError


class NotARetailer(QudaoError):
    code = "portal_not_a_retailer"
    status = 422
    message = _("This user is not a retailer user of the customer's dealer.")


class CartEmpty(QudaoError):
    code = "portal_cart_empty"
    status = 422
    message = _("The cart is empty: add at least one item.")


class CartChanged(QudaoError):
    code = "portal_cart_changed"
    status = 409
    message = _("The cart changed since this page was shown: check it and place the order again.")


class QuantityInvalid(QudaoError):
    code = "portal_quantity_invalid"
    status = 422
    message = _("The quantity must be a number from 0 to 99999.")


class ItemNotOrderable(QudaoError):
    code = "portal_item_not_orderable"
    status = 422
    message = _("This item cannot be ordered here.")
