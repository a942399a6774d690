"""Qudao (渠道): an open-source Dealer Management System."""

__version__ = "0.1.0"
