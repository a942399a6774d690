"""Stable error codes of fulfilment and returns."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from qudao.core.errors import QudaoError


class OrderNotOpen(QudaoError):
    code = "order_not_open"
    status = 409
    message = _("Only a confirmed order that is not done or cancelled can ship.")


class NothingToShip(QudaoError):
    code = "nothing_to_ship"
    status = 409
    message = _("Nothing is left to ship from this site for this order.")


class OverShipment(QudaoError):
    code = "over_shipment"
    status = 422
    message = _("More than is left to ship on the order line.")


class InvalidPhoto(QudaoError):
    code = "invalid_photo"
    status = 422
    message = _("The photo must be a JPEG, PNG or WebP image of at most 10 MB.")


class ReturnTooLarge(QudaoError):
    code = "return_too_large"
    status = 422
    message = _("More than was delivered and not yet returned.")
