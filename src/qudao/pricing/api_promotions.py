"""Promotions and coupons: /api/v1/pricing/promotions, /coupons (+ bulk generation)."""

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from qudao.core.api import ErrorOut, Paginated, api_actor, order_queryset
from qudao.pricing import selectors
from qudao.pricing.choices import PromotionKind
from qudao.pricing.schemas import (
    CouponGenerateIn,
    CouponIn,
    CouponOut,
    Id,
    PromotionIn,
    PromotionOut,
    PromotionPatch,
)
from qudao.pricing.services import promotions as services

router = Router(tags=["pricing"])
APP = "pricing"
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.get("/promotions", response=list[PromotionOut], summary="List promotions")
@paginate(Paginated)
def list_promotions(
    request: HttpRequest,
    kind: PromotionKind | None = None,
    is_active: bool | None = None,
    ordering: str | None = Query(None, max_length=100),
):
    actor = api_actor(request, app=APP, perm="pricing.view_promotion")
    qs = selectors.list_promotions(actor=actor, kind=kind, is_active=is_active)
    return order_queryset(qs, ordering, {"code", "name", "priority", "kind", "valid_from"}, "priority")


@router.post("/promotions", response={201: PromotionOut, **ERRORS}, summary="Create a promotion")
def create_promotion(request: HttpRequest, payload: PromotionIn):
    actor = api_actor(request, app=APP, write=True, perm="pricing.add_promotion")
    promotion = services.create_promotion(actor=actor, data=payload.model_dump(exclude_none=True))
    return Status(201, selectors.get_promotion(actor=actor, promotion_id=promotion.pk))


@router.get("/promotions/{int:promotion_id}", response={200: PromotionOut, **ERRORS}, summary="One promotion")
def get_promotion(request: HttpRequest, promotion_id: int):
    actor = api_actor(request, app=APP, perm="pricing.view_promotion")
    return selectors.get_promotion(actor=actor, promotion_id=promotion_id)


@router.patch(
    "/promotions/{int:promotion_id}", response={200: PromotionOut, **ERRORS}, summary="Change a promotion"
)
def update_promotion(request: HttpRequest, promotion_id: int, payload: PromotionPatch):
    actor = api_actor(request, app=APP, write=True, perm="pricing.change_promotion")
    services.update_promotion(
        actor=actor, promotion_id=promotion_id, data=payload.model_dump(exclude_unset=True)
    )
    return selectors.get_promotion(actor=actor, promotion_id=promotion_id)


@router.delete("/promotions/{int:promotion_id}", response={204: None, **ERRORS}, summary="Delete a promotion")
def delete_promotion(request: HttpRequest, promotion_id: int):
    actor = api_actor(request, app=APP, write=True, perm="pricing.delete_promotion")
    services.delete_promotion(actor=actor, promotion_id=promotion_id)
    return Status(204, None)


@router.get("/coupons", response=list[CouponOut], summary="List coupons")
@paginate(Paginated)
def list_coupons(request: HttpRequest, promotion_id: Id | None = None, redeemed: bool | None = None):
    actor = api_actor(request, app=APP, perm="pricing.view_coupon")
    return selectors.list_coupons(actor=actor, promotion_id=promotion_id, redeemed=redeemed).order_by(
        "code", "pk"
    )


@router.post("/coupons", response={201: CouponOut, **ERRORS}, summary="Create a coupon")
def create_coupon(request: HttpRequest, payload: CouponIn):
    actor = api_actor(request, app=APP, write=True, perm="pricing.add_coupon")
    return Status(201, services.create_coupon(actor=actor, data=payload.model_dump()))


@router.post(
    "/coupons/generate", response={201: list[CouponOut], **ERRORS}, summary="Generate N single-use coupons"
)
def generate_coupons(request: HttpRequest, payload: CouponGenerateIn):
    actor = api_actor(request, app=APP, write=True, perm="pricing.add_coupon")
    return Status(201, services.generate_coupons(actor=actor, data=payload.model_dump()))


@router.get("/coupons/{int:coupon_id}", response={200: CouponOut, **ERRORS}, summary="One coupon")
def get_coupon(request: HttpRequest, coupon_id: int):
    actor = api_actor(request, app=APP, perm="pricing.view_coupon")
    return selectors.get_coupon(actor=actor, coupon_id=coupon_id)


@router.delete("/coupons/{int:coupon_id}", response={204: None, **ERRORS}, summary="Delete an unused coupon")
def delete_coupon(request: HttpRequest, coupon_id: int):
    actor = api_actor(request, app=APP, write=True, perm="pricing.delete_coupon")
    services.delete_coupon(actor=actor, coupon_id=coupon_id)
    return Status(204, None)
