"""Reads of pricing rules for the API and the console: every one starts from `scoped(...)`."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from qudao.core.scoping import Actor, get_scoped, scoped
from qudao.pricing.models import Coupon, PriceFloor, PriceList, PriceListItem, Promotion


def list_price_lists(
    *, actor: Actor, scope: str | None = None, is_active: bool | None = None, search: str = ""
) -> QuerySet:
    qs = scoped(PriceList.objects.all(), actor).prefetch_related("items")
    if scope:
        qs = qs.filter(scope=scope)
    if is_active is not None:
        qs = qs.filter(is_active=is_active)
    if search:
        qs = qs.filter(Q(code__icontains=search) | Q(name__icontains=search))
    return qs


def get_price_list(*, actor: Actor, price_list_id: int) -> PriceList:
    return get_scoped(PriceList.objects.prefetch_related("items"), actor, pk=price_list_id)


def list_price_list_items(*, actor: Actor, price_list_id: int) -> QuerySet:
    price_list = get_price_list(actor=actor, price_list_id=price_list_id)
    return scoped(PriceListItem.objects.filter(price_list=price_list), actor).order_by(
        "item_id", "min_quantity"
    )


def get_price_list_item(*, actor: Actor, price_list_item_id: int) -> PriceListItem:
    return get_scoped(PriceListItem.objects.all(), actor, pk=price_list_item_id)


def list_promotions(*, actor: Actor, kind: str | None = None, is_active: bool | None = None) -> QuerySet:
    qs = scoped(Promotion.objects.all(), actor).prefetch_related("items", "categories", "bundle_components")
    if kind:
        qs = qs.filter(kind=kind)
    if is_active is not None:
        qs = qs.filter(is_active=is_active)
    return qs


def get_promotion(*, actor: Actor, promotion_id: int) -> Promotion:
    return get_scoped(list_promotions(actor=actor), actor, pk=promotion_id)


def list_coupons(*, actor: Actor, promotion_id: int | None = None, redeemed: bool | None = None) -> QuerySet:
    qs = scoped(Coupon.objects.all(), actor)
    if promotion_id:
        qs = qs.filter(promotion_id=promotion_id)
    if redeemed is not None:
        qs = qs.filter(redeemed_at__isnull=not redeemed)
    return qs


def get_coupon(*, actor: Actor, coupon_id: int) -> Coupon:
    return get_scoped(Coupon.objects.all(), actor, pk=coupon_id)


def list_price_floors(*, actor: Actor, item_id: int | None = None) -> QuerySet:
    qs = scoped(PriceFloor.objects.all(), actor)
    if item_id:
        qs = qs.filter(item_id=item_id)
    return qs


def get_price_floor(*, actor: Actor, floor_id: int) -> PriceFloor:
    return get_scoped(PriceFloor.objects.all(), actor, pk=floor_id)
