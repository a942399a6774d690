"""Stable error codes of finance (rendered by the API as {code, message, details, request_id})."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from qudao.core.errors import QudaoError


class NothingToInvoice(QudaoError):
    code = "nothing_to_invoice"
    status = 409
    message = _("There is nothing left to invoice on these orders.")


class InvoiceNotDraft(QudaoError):
    code = "invoice_not_draft"
    status = 409
    message = _("Only a draft invoice can be issued.")


class InvoiceHasPayments(QudaoError):
    code = "invoice_has_payments"
    status = 409
    message = _("This invoice has payments allocated: reverse them before cancelling it.")


class InvoiceNotOpen(QudaoError):
    code = "invoice_not_open"
    status = 409
    message = _("This invoice is not open (it is a draft, paid or cancelled).")


class CreditExceedsOpen(QudaoError):
    code = "credit_exceeds_open"
    status = 409
    message = _("A credit note cannot exceed what is still open on the invoice or its lines.")


class OverAllocation(QudaoError):
    code = "over_allocation"
    status = 409
    message = _("The allocation exceeds the payment's unallocated amount or an invoice's open amount.")


class PaymentReversed(QudaoError):
    code = "payment_reversed"
    status = 409
    message = _("This payment has been reversed.")


class RebateReversalUnsupported(QudaoError):
    code = "rebate_payment_not_reversible"
    status = 409
    message = _(
        "A payment from the rebate balance cannot be reversed here: issue a rebate credit note instead."
    )


class InvoicingConflict(QudaoError):
    code = "invoicing_conflict"
    status = 409
    message = _("These order lines were invoiced at the same time by someone else. Try again.")
