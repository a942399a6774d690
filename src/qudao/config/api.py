"""The one NinjaAPI, mounted at /api/v1/. Each app contributes a router from its api.py."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI

from qudao.accounts.auth import ApiKeyAuth, SessionCsrfAuth
from qudao.core.api import install_error_handlers

api = NinjaAPI(
    title="Qudao API",
    version="1",
    description=str(
        _(
            "REST API of Qudao, the Dealer Management System. Authenticate with a session (console) "
            "or `Authorization: Bearer <api key>`. Every error has the body "
            "{code, message, details, request_id}. Lists are paginated (page, page_size ≤ 200)."
        )
    ),
    auth=[ApiKeyAuth(), SessionCsrfAuth()],
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)


def _mount() -> None:
    from qudao.accounts.api import router as accounts_router
    from qudao.alerts.api import router as alerts_router
    from qudao.catalog.api import router as catalog_router
    from qudao.core.routes import router as core_router
    from qudao.finance.api import router as finance_router
    from qudao.integrations.api import router as integrations_router
    from qudao.inventory.api import router as inventory_router
    from qudao.org.api import router as org_router
    from qudao.parties.api import router as parties_router
    from qudao.pricing.api import router as pricing_router
    from qudao.sales.api import router as sales_router
    from qudao.sales.api_fulfilment import router as fulfilment_router
    from qudao.sales.api_imports import router as order_imports_router
    from qudao.sales.api_orders import router as orders_router

    api.add_router("/system", core_router, tags=["system"])
    api.add_router("/org", org_router, tags=["organisation"])
    api.add_router("/accounts", accounts_router, tags=["accounts"])
    api.add_router("/catalog", catalog_router, tags=["catalog"])
    api.add_router("/parties", parties_router, tags=["parties"])
    api.add_router("/inventory", inventory_router, tags=["inventory"])
    api.add_router("/alerts", alerts_router, tags=["alerts"])
    api.add_router("/pricing", pricing_router, tags=["pricing"])
    api.add_router("/sales", sales_router, tags=["sales"])
    api.add_router("/orders/import", order_imports_router, tags=["sales"])
    api.add_router("/orders", orders_router, tags=["sales"])
    # /orders/{id}/shipments, /shipments/…, /sites/{id}/pick-list
    api.add_router("", fulfilment_router, tags=["sales"])
    api.add_router("/finance", finance_router, tags=["finance"])
    api.add_router("/integrations", integrations_router, tags=["integrations"])


_mount()
