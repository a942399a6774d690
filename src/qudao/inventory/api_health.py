"""Inventory health API, added to the inventory router: ageing, current problem counts, the dealer policy.

GET /api/v1/inventory/ageing, GET /api/v1/inventory/health, GET and PUT /api/v1/inventory/policy.
"""

from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from qudao.alerts.registry import kind_label
from qudao.core.api import ErrorOut, Paginated, StrictSchema, api_actor
from qudao.core.errors import NotFound
from qudao.core.scoping import Actor, require_dealer
from qudao.inventory.schemas import Id
from qudao.inventory.selectors_health import (
    EffectivePolicy,
    get_inventory_policy,
    list_health_counts,
    list_stock_ageing,
)
from qudao.inventory.services_health import set_inventory_policy

router = Router()
APP = "inventory"
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
DAYS = {"ge": 1, "le": 3650}


class AgeingOut(Schema):
    dealer_id: int
    site_id: int
    item_id: int
    on_hand: Decimal
    days_0_30: Decimal
    days_31_60: Decimal
    days_61_90: Decimal
    days_over_90: Decimal


class HealthCountOut(Schema):
    kind: str
    label: str
    count: int
    critical: int
    acknowledged: int


class PolicyOut(Schema):
    dealer_id: int
    no_movement_days: int
    near_expiry_percent: int
    evaluate_overstock: bool
    ageing_bucket_1_days: int
    ageing_bucket_2_days: int
    ageing_bucket_3_days: int
    is_default: bool


class PolicyIn(StrictSchema):
    """The whole policy (PUT replaces it); a field left out takes its default."""

    no_movement_days: int = Field(30, **DAYS)
    near_expiry_percent: int = Field(30, ge=1, le=100)
    evaluate_overstock: bool = True
    ageing_bucket_1_days: int = Field(30, **DAYS)
    ageing_bucket_2_days: int = Field(60, **DAYS)
    ageing_bucket_3_days: int = Field(90, **DAYS)


class _Rows(list):
    """A computed list the Paginated class can page (it asks for `count()`)."""

    def count(self, *args) -> int:  # type: ignore[override]
        return len(self) if not args else super().count(*args)


def _policy_out(policy: EffectivePolicy) -> dict:
    return {**vars(policy), "is_default": policy.is_default}


def _readable_dealer(actor: Actor, dealer_id: int | None) -> int:
    if dealer_id is None:
        dealer_id = actor.default_dealer_id()
        if dealer_id is None:
            raise NotFound(details={"dealer_id": "required"})
    if not (actor.is_platform_admin or dealer_id in actor.dealer_ids):
        raise NotFound(details={"dealer_id": dealer_id})
    return dealer_id


@router.get("/ageing", response={200: list[AgeingOut], **ERRORS}, summary="Stock ageing buckets (FIFO)")
@paginate(Paginated)
def stock_ageing(request: HttpRequest, site_id: Id | None = None, item_id: Id | None = None):
    actor = api_actor(request, app=APP, perm="inventory.view_stocklevel")
    return _Rows(list_stock_ageing(actor=actor, site=site_id, item_id=item_id))


@router.get("/health", response={200: list[HealthCountOut], **ERRORS}, summary="Current inventory problems")
def inventory_health(request: HttpRequest, site_id: Id | None = None):
    actor = api_actor(request, app=APP, perm="inventory.view_stocklevel")
    counts = list_health_counts(actor=actor, site_id=site_id)
    return [{**row, "label": kind_label(row["kind"])} for row in counts]


@router.get("/policy", response={200: PolicyOut, **ERRORS}, summary="A dealer's inventory health policy")
def get_policy(request: HttpRequest, dealer_id: Id | None = None):
    actor = api_actor(request, app=APP, perm="inventory.view_inventorypolicy")
    dealer_id = _readable_dealer(actor, dealer_id)
    return _policy_out(get_inventory_policy(actor=actor, dealer_id=dealer_id))


@router.put("/policy", response={200: PolicyOut, **ERRORS}, summary="Set a dealer's inventory health policy")
def put_policy(request: HttpRequest, payload: PolicyIn, dealer_id: Id | None = None):
    actor = api_actor(request, app=APP, write=True, perm="inventory.change_inventorypolicy")
    dealer_id = require_dealer(actor, dealer_id)
    policy = set_inventory_policy(actor=actor, dealer_id=dealer_id, data=payload.model_dump())
    return _policy_out(EffectivePolicy.of(policy))
