"""Pricing API, mounted at /api/v1/pricing."""

from ninja import Router

router = Router(tags=["pricing"])
