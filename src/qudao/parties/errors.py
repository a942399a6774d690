"""Stable error codes of the customers app (details name the offending fields)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from qudao.core.errors import Conflict, QudaoError, ValidationFailed

__all__ = [
    "CustomerArchived",
    "FieldNotApplicable",
    "InvalidCode",
    "InvalidCreditCode",
    "InvalidCreditLimit",
    "InvalidEmail",
    "InvalidIdNumber",
    "InvalidPaymentTerms",
    "InvalidPhone",
    "InvalidPostalCode",
    "InvalidReference",
    "InvalidSalesRep",
    "InvalidStatus",
    "InvalidTags",
    "MultipleDefaultAddresses",
    "MultiplePrimaryContacts",
    "ValidationFailed",
]


class InvalidPhone(QudaoError):
    code = "invalid_phone"
    status = 422
    message = _("The phone number is not valid.")


class InvalidCreditCode(QudaoError):
    code = "invalid_credit_code"
    status = 422
    message = _("The unified social credit code is not valid.")


class InvalidIdNumber(QudaoError):
    code = "invalid_id_number"
    status = 422
    message = _("The identity document number is not valid.")


class InvalidEmail(QudaoError):
    code = "invalid_email"
    status = 422
    message = _("The e-mail address is not valid.")


class InvalidPostalCode(QudaoError):
    code = "invalid_postal_code"
    status = 422
    message = _("The postal code is not valid.")


class InvalidCode(QudaoError):
    code = "invalid_code"
    status = 422
    message = _("A code has 1 to 32 letters, digits and . _ - / and starts with a letter or digit.")


class InvalidCreditLimit(QudaoError):
    code = "invalid_credit_limit"
    status = 422
    message = _("The credit limit cannot be negative.")


class InvalidPaymentTerms(QudaoError):
    code = "invalid_payment_terms"
    status = 422
    message = _("Payment terms are between 0 and 365 days.")


class InvalidTags(QudaoError):
    code = "invalid_tags"
    status = 422
    message = _("The tags are not valid.")


class InvalidStatus(QudaoError):
    code = "invalid_status"
    status = 422
    message = _("A new customer is either a prospect or active.")


class InvalidReference(QudaoError):
    code = "invalid_reference"
    status = 422
    message = _("A referenced record does not exist, is inactive or belongs to another dealer.")


class InvalidSalesRep(QudaoError):
    code = "invalid_sales_rep"
    status = 422
    message = _("The sales representative must be an active member of the customer's dealer.")


class FieldNotApplicable(QudaoError):
    code = "field_not_applicable"
    status = 422
    message = _("This field does not apply to this kind of customer.")


class MultiplePrimaryContacts(QudaoError):
    code = "multiple_primary_contacts"
    status = 422
    message = _("Only one contact can be the primary contact.")


class MultipleDefaultAddresses(QudaoError):
    code = "multiple_default_addresses"
    status = 422
    message = _("Only one address of each kind can be the default.")


class CustomerArchived(Conflict):
    code = "customer_archived"
    status = 409
    message = _("The customer is archived: it can no longer be changed.")
