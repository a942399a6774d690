"""Sales API, mounted at /api/v1/sales."""

from ninja import Router

router = Router(tags=["sales"])
