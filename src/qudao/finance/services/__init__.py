"""Finance services: every write to invoices, credit notes and payments goes through one of these."""

from qudao.finance.services.credit_notes import create_credit_note
from qudao.finance.services.invoicing import cancel_invoice, invoice_sales_orders, issue_invoice
from qudao.finance.services.payments import allocate_payment, record_payment, reverse_payment

__all__ = [
    "allocate_payment",
    "cancel_invoice",
    "create_credit_note",
    "invoice_sales_orders",
    "issue_invoice",
    "record_payment",
    "reverse_payment",
]
