"""Inventory: locations, lots, serials, the stock ledger, levels, reservations and reconciliation."""
