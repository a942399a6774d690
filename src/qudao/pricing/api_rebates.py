"""Rebate programs, settlement, a customer's accruals and balance; and the quote endpoint."""

from dataclasses import asdict

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from qudao.core.api import ErrorOut, Paginated, api_actor
from qudao.pricing import selectors_rebates as selectors
from qudao.pricing.schemas_rebates import (
    AccrualOut,
    QuoteIn,
    QuoteOut,
    RebateBalanceOut,
    RebateProgramIn,
    RebateProgramOut,
    RebateProgramPatch,
    SettleIn,
    SettlementRunOut,
)
from qudao.pricing.services import quote_basket
from qudao.pricing.services import rebates as services

router = Router(tags=["pricing"])
APP = "pricing"
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.get("/rebate-programs", response=list[RebateProgramOut], summary="List rebate programs")
@paginate(Paginated)
def list_rebate_programs(request: HttpRequest):
    actor = api_actor(request, app=APP, perm="pricing.view_rebateprogram")
    return selectors.list_rebate_programs(actor=actor).order_by("code", "pk")


@router.post(
    "/rebate-programs", response={201: RebateProgramOut, **ERRORS}, summary="Create a rebate program"
)
def create_rebate_program(request: HttpRequest, payload: RebateProgramIn):
    actor = api_actor(request, app=APP, write=True, perm="pricing.add_rebateprogram")
    program = services.create_rebate_program(actor=actor, data=payload.model_dump())
    return Status(201, selectors.get_rebate_program(actor=actor, program_id=program.pk))


@router.get(
    "/rebate-programs/{int:rebate_program_id}",
    response={200: RebateProgramOut, **ERRORS},
    summary="One program",
)
def get_rebate_program(request: HttpRequest, rebate_program_id: int):
    actor = api_actor(request, app=APP, perm="pricing.view_rebateprogram")
    return selectors.get_rebate_program(actor=actor, program_id=rebate_program_id)


@router.patch(
    "/rebate-programs/{int:rebate_program_id}",
    response={200: RebateProgramOut, **ERRORS},
    summary="Change a program",
)
def update_rebate_program(request: HttpRequest, rebate_program_id: int, payload: RebateProgramPatch):
    actor = api_actor(request, app=APP, write=True, perm="pricing.change_rebateprogram")
    services.update_rebate_program(
        actor=actor, program_id=rebate_program_id, data=payload.model_dump(exclude_unset=True)
    )
    return selectors.get_rebate_program(actor=actor, program_id=rebate_program_id)


@router.post(
    "/rebate-programs/{int:rebate_program_id}/settle",
    response={201: SettlementRunOut, **ERRORS},
    summary="Settle an ended period (once)",
)
def settle_rebate_period(request: HttpRequest, rebate_program_id: int, payload: SettleIn):
    actor = api_actor(request, app=APP, write=True, perm="pricing.add_rebatesettlementrun")
    run = services.settle_rebate_period(
        actor=actor, program_id=rebate_program_id, period_start=payload.period_start
    )
    return Status(201, run)


@router.get(
    "/customers/{int:customer_id}/rebate-accruals",
    response={200: list[AccrualOut], **ERRORS},
    summary="A customer's rebate accruals in the current periods",
)
def list_customer_accruals(request: HttpRequest, customer_id: int):
    actor = api_actor(request, app=APP, perm="pricing.view_rebateprogram")
    return [
        {
            "program_id": view.program.pk,
            "program_code": view.program.code,
            "program_name": view.program.name,
            "period_start": view.period_start,
            "period_end": view.period_end,
            **{k: v for k, v in asdict(view.accrual).items() if k != "amount"},
            "accrued": view.accrual.amount,
        }
        for view in selectors.list_customer_accruals(actor=actor, customer_id=customer_id)
    ]


@router.get(
    "/customers/{int:customer_id}/rebate-balance",
    response={200: RebateBalanceOut, **ERRORS},
    summary="A customer's rebate balance and its last 50 entries",
)
def get_rebate_balance(request: HttpRequest, customer_id: int):
    actor = api_actor(request, app=APP, perm="pricing.view_rebatebalance")
    customer, balance, entries = selectors.get_rebate_balance(actor=actor, customer_id=customer_id)
    return {"customer_id": customer.pk, "balance": balance or 0, "entries": list(entries[:50])}


@router.post(
    "/quote", response={200: QuoteOut, **ERRORS}, summary="Price a basket for a customer (writes nothing)"
)
def quote(request: HttpRequest, payload: QuoteIn):
    actor = api_actor(request, app=APP, perm="pricing.view_pricelist")
    basket = quote_basket(actor=actor, data=payload.model_dump())
    lines = [{**asdict(line), "discount": line.discount} for line in basket.lines]
    return {
        "customer_id": basket.context.customer_id,
        "currency": basket.currency,
        "on": basket.context.on,
        "lines": lines,
        "base_total": basket.base_total,
        "discount_total": basket.discount_total,
        "total": basket.total,
        "tax_total": basket.tax_total,
        "net_total": basket.net_total,
        "below_floor": basket.below_floor,
        "coupons_applied": basket.coupons_applied,
        "coupons_rejected": basket.coupons_rejected,
    }
