from qudao.finance.models.invoices import CreditNote, CreditNoteLine, Invoice, InvoiceLine
from qudao.finance.models.payments import Payment, PaymentAllocation

__all__ = ["CreditNote", "CreditNoteLine", "Invoice", "InvoiceLine", "Payment", "PaymentAllocation"]
