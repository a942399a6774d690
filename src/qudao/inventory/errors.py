"""Stable error codes of the inventory (rendered by the API as {code, message, details, request_id})."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from qudao.core.errors import QudaoError


class InsufficientStock(QudaoError):
    """One error for a whole request: `details` lists every short line with requested and available."""

    code = "insufficient_stock"
    status = 409
    message = _("Not enough stock is available for some lines.")


class SerialInStock(QudaoError):
    code = "serial_in_stock"
    status = 409
    message = _("This serial number (VIN) is already in stock.")


class SerialNotAvailable(QudaoError):
    code = "serial_not_available"
    status = 409
    message = _("This serial number (VIN) is not available at this site.")


class LotRequired(QudaoError):
    code = "lot_required"
    status = 422
    message = _("This item is tracked by lot: give the lot number.")


class SerialRequired(QudaoError):
    code = "serial_required"
    status = 422
    message = _("This item is tracked by serial number: give one serial number per unit.")


class InvalidQuantity(QudaoError):
    code = "invalid_quantity"
    status = 422
    message = _("The quantity must be greater than zero.")


class NotStocked(QudaoError):
    code = "not_stocked"
    status = 422
    message = _("Services are not kept in stock.")


class LocationNotInternal(QudaoError):
    code = "location_not_internal"
    status = 422
    message = _("Stock can only be kept at a bin or zone of a site, not at a virtual location.")


class NoActiveReservation(QudaoError):
    code = "no_active_reservation"
    status = 404
    message = _("No active reservation matches this reference.")


class SameSite(QudaoError):
    code = "same_site"
    status = 422
    message = _("A transfer goes from one site to another: choose two different sites.")


class ExceedsInTransit(QudaoError):
    code = "exceeds_in_transit"
    status = 422
    message = _("More is being received than is in transit on this line.")


class UnknownBarcode(QudaoError):
    code = "unknown_barcode"
    status = 422
    message = _("This code matches no item or serial number of this dealer.")


class SerialAlreadyCounted(QudaoError):
    code = "serial_already_counted"
    status = 409
    message = _("This serial number (VIN) has already been counted in this stocktake.")


class LocationOutsideCount(QudaoError):
    code = "location_outside_count"
    status = 422
    message = _("This location is not part of the stocktake's site or zone.")
