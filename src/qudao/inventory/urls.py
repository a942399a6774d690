"""Inventory pages outside the console: the phone-sized stocktake scanning and review."""

from django.urls import path

from qudao.inventory import views

app_name = "inventory"

urlpatterns = [
    path("stocktakes/<int:session_id>/scan", views.scan, name="stocktake-scan"),
    path("stocktakes/<int:session_id>/start", views.start, name="stocktake-start"),
    path("stocktakes/<int:session_id>/review", views.review, name="stocktake-review"),
]
