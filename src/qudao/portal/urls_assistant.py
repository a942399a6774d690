"""The sales assistant at /assistant/."""

from django.urls import path

from qudao.portal import views_assistant as views

app_name = "assistant"

urlpatterns = [
    path("", views.customers, name="customers"),
    path("customers/<int:customer_id>/", views.customer, name="customer"),
    path("customers/<int:customer_id>/order/", views.catalog, name="catalog"),
    path("customers/<int:customer_id>/cart/", views.cart, name="cart"),
    path("customers/<int:customer_id>/cart/add/", views.cart_add, name="cart-add"),
    path("customers/<int:customer_id>/cart/set/", views.cart_set, name="cart-set"),
    path("customers/<int:customer_id>/cart/coupons/", views.cart_coupons, name="cart-coupons"),
    path("customers/<int:customer_id>/cart/place/", views.cart_place, name="cart-place"),
    path("orders/<int:order_id>/", views.order, name="order"),
    path("orders/<int:order_id>/reorder/", views.reorder, name="reorder"),
    path("stock/", views.stock_search, name="stock-search"),
    path("stock/<int:item_id>/", views.stock, name="stock"),
    path("deliveries/", views.deliveries, name="deliveries"),
    path("deliveries/<int:shipment_id>/", views.capture, name="capture"),
]
