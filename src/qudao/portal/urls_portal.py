"""The retailer portal at /portal/."""

from django.urls import path

from qudao.portal import views_common, views_portal

app_name = "portal"

urlpatterns = [
    path("login/", views_common.SignInView.as_view(), name="login"),
    path("logout/", views_common.sign_out, name="logout"),
    path("no-access/", views_portal.no_access, name="no-access"),
    path("", views_portal.catalog, name="catalog"),
    path("store/", views_portal.choose_store, name="store"),
    path("cart/", views_portal.cart, name="cart"),
    path("cart/add/", views_portal.cart_add, name="cart-add"),
    path("cart/set/", views_portal.cart_set, name="cart-set"),
    path("cart/coupons/", views_portal.cart_coupons, name="cart-coupons"),
    path("cart/place/", views_portal.cart_place, name="cart-place"),
    path("orders/", views_portal.orders, name="orders"),
    path("orders/<int:order_id>/", views_portal.order, name="order"),
    path("orders/<int:order_id>/reorder/", views_portal.reorder, name="reorder"),
]
