"""Stable error codes of the order center (rendered as {code, message, details, request_id})."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from qudao.core.errors import QudaoError


class IdempotencyKeyReused(QudaoError):
    code = "idempotency_key_reused"
    status = 409
    message = _("This Idempotency-Key was already used with a different request body.")


class InvalidIdempotencyKey(QudaoError):
    code = "invalid_idempotency_key"
    status = 422
    message = _("The Idempotency-Key header must be 1 to 200 visible characters.")


class DuplicateExternalReference(QudaoError):
    code = "duplicate_external_reference"
    status = 409
    message = _("An order with this external reference already exists for this source.")


class NotOnHold(QudaoError):
    code = "not_on_hold"
    status = 409
    message = _("This order is not on hold.")


class NothingToAllocate(QudaoError):
    code = "nothing_to_allocate"
    status = 409
    message = _("This order has no back-ordered quantity to allocate.")


class AlreadyShipped(QudaoError):
    code = "already_shipped"
    status = 409
    message = _("Part of this order has shipped: it can no longer be cancelled (return it instead).")


class NotDraft(QudaoError):
    code = "not_draft"
    status = 409
    message = _("Only a draft order can be confirmed; an order on hold needs an approval.")


class NotDelivered(QudaoError):
    code = "not_delivered"
    status = 409
    message = _("Some lines are not fully delivered yet: the order cannot be completed.")
