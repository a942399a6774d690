from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from qudao.config.api import api
from qudao.core.views import favicon, healthz

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/inventory/board/", include("qudao.inventory.views_board")),
    path("admin/inventory/transfer-editor/", include("qudao.inventory.views_transfers")),
    path("admin/sales/import/", include("qudao.sales.views_imports")),
    path("inventory/", include("qudao.inventory.urls")),
    path("portal/", include("qudao.portal.urls_portal")),
    path("assistant/", include("qudao.portal.urls_assistant")),
    path("admin/", admin.site.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
