"""Receivables: invoices from sales orders, credit notes, payments and their allocation, customer
statements and receivables ageing."""
