"""Stable error codes of the integrations app."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from qudao.core.errors import QudaoError


class InvalidMapping(QudaoError):
    code = "invalid_mapping"
    status = 422
    message = _("The field mapping is not valid: see the details.")


class MappingInactive(QudaoError):
    code = "mapping_inactive"
    status = 409
    message = _("This marketplace mapping is switched off.")


class TooManyOrders(QudaoError):
    code = "too_many_orders"
    status = 422
    message = _("Send at most %(max)s orders per request.")
