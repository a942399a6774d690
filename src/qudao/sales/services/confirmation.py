"""Confirmation: lock → price (freeze totals) → price-floor check → credit check → redeem coupons →
allocate → reserve → confirmed. A failed check puts the order on hold; an approval by the right
role continues the confirmation from there. Cancel releases reservations and back-orders."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qudao.catalog.choices import ItemKind
from qudao.core.scoping import Actor, require_perm
from qudao.core.states import transition
from qudao.inventory.errors import NoActiveReservation
from qudao.inventory.services import release_reservations
from qudao.parties.models import Customer
from qudao.sales import credit, pricing_bridge
from qudao.sales.errors import AlreadyShipped, NotDraft, NotOnHold
from qudao.sales.models import SalesOrder, SalesOrderLine, SalesSettings
from qudao.sales.policies.allocation import Plan
from qudao.sales.policies.credit import check_credit
from qudao.sales.services._common import REFERENCE, check_version, lock_order, record, save
from qudao.sales.services.allocation import (
    apply_allocation,
    line_key,
    plan_allocation,
    reserve_allocation,
    summary,
    system_actor,
)
from qudao.sales.services.lines import inputs_from_lines, price_and_write
from qudao.sales.services.shipments import cancel_order_drafts
from qudao.sales.states import HoldReason, OrderSource, OrderState

APPROVAL_PERMISSION = {
    HoldReason.CREDIT: "sales.approve_credit_hold",
    HoldReason.PRICE_FLOOR: "sales.approve_price_exception",
}
TOTAL_FIELDS = (
    "currency",
    "base_total",
    "discount_total",
    "total",
    "tax_total",
    "net_total",
    "applied_coupons",
    "coupon_rejections",
)
CONFIRM_FIELDS = (
    "state",
    "hold_reason",
    "approved_holds",
    "held_at",
    "confirmed_at",
    "allocation_plan",
    "site",
    "has_backorder",
    *TOTAL_FIELDS,
)


@transaction.atomic
def confirm_order(*, actor: Actor, order_id: int, version: Any = None) -> SalesOrder:
    """Confirm a draft (see the module doc). Returns the order: confirmed, or on hold."""
    order = lock_order(actor, order_id)
    check_version(order, version)
    return confirm_locked(order, actor=actor)


def confirm_locked(order: SalesOrder, *, actor: Actor, priced: bool = False) -> SalesOrder:
    """Confirm an order the caller has locked (or just created: `priced` skips pricing it again)."""
    if order.state != OrderState.DRAFT:
        raise NotDraft(details={"state": order.state})
    customer = getattr(order, "_customer_cache", None) or Customer.objects.get(pk=order.customer_id)
    if not priced and not _priced_by_platform(order):
        price_and_write(order, customer, inputs_from_lines(order), replace=True)
    _continue(order, actor=actor, customer=customer)
    return order


def _priced_by_platform(order: SalesOrder) -> bool:
    """A marketplace order whose mapping keeps the platform's prices: the price the buyer paid there is
    the price (the floor and credit checks still apply); pricing it again would change what was sold."""
    if order.source != OrderSource.ECOMMERCE:
        return False
    platform = SalesOrderLine.objects.filter(order=order, price_explanation__source__kind="platform_price")
    return platform.exists()


def hold_for(
    order: SalesOrder,
    lines: list[SalesOrderLine],
    *,
    customer: Customer,
    settings: SalesSettings,
) -> tuple[str, dict[str, Any]] | None:
    """Why the order must wait for an approval (price floor first, then credit), or None. An
    approval already given for a reason is not asked again."""
    approved = set(order.approved_holds or [])
    if HoldReason.PRICE_FLOOR not in approved and any(ln.below_floor for ln in lines):
        return HoldReason.PRICE_FLOOR, {"lines": [ln.line_no for ln in lines if ln.below_floor]}
    if HoldReason.CREDIT not in approved:
        exposure = credit.customer_exposure(
            dealer_id=order.dealer_id, customer_id=order.customer_id, exclude_order_id=order.pk
        )
        check = check_credit(
            limit=customer.credit_limit,
            exposure=exposure + order.total,
            tolerance=settings.credit_tolerance,
            check_zero_limit=settings.check_zero_credit_limit,
        )
        if not check.passes:
            return HoldReason.CREDIT, check.as_dict()
    return None


def redeem_applied_coupons(order: SalesOrder, *, actor: Actor) -> None:
    if order.applied_coupons:
        # only what the price includes: a code the engine did not apply is not used up
        pricing_bridge.redeem_coupons(
            actor=actor,
            dealer_id=order.dealer_id,
            codes=order.applied_coupons,
            customer_id=order.customer_id,
            reference_id=order.pk,
        )


def stocked_needs(lines: list[SalesOrderLine]) -> dict[str, Decimal]:
    """What each stocked line still needs (line key → base quantity)."""
    return {
        line_key(ln): ln.quantity - ln.shipped_quantity - ln.reserved_quantity
        for ln in lines
        if ln.item.kind != ItemKind.SERVICE
    }


def confirmed_entry(order: SalesOrder, plan: Plan) -> tuple[str, Any, dict[str, Any], str]:
    """The timeline entry of a confirmation (kind, message, data, state)."""
    message = _("Order confirmed: %(total)s %(currency)s.") % {
        "total": order.total,
        "currency": order.currency,
    }
    data = {"total": str(order.total), "allocation": summary(plan), "backorder": order.has_backorder}
    return "confirmed", message, data, order.state


def held_message(reason: str) -> str:
    if reason == HoldReason.CREDIT:
        return _("On hold: the credit limit would be exceeded.")
    return _("On hold: some lines are priced below the floor.")


def _continue(order: SalesOrder, *, actor: Actor, customer: Customer) -> None:
    settings = getattr(order, "_settings_cache", None) or SalesSettings.for_dealer(order.dealer_id)
    lines = getattr(order, "_lines_cache", None) or list(
        SalesOrderLine.objects.filter(order=order).select_related("item").order_by("line_no")
    )
    hold = hold_for(order, lines, customer=customer, settings=settings)
    if hold is not None:
        _hold(order, actor, *hold)
        return
    redeem_applied_coupons(order, actor=actor)
    allocation = plan_allocation(order, needs=stocked_needs(lines), lines=lines, settings=settings)
    reserve_allocation(order, allocation, actor=actor)
    apply_allocation(order, allocation, write_lines=True)
    transition(order, to=OrderState.CONFIRMED)
    order.hold_reason = HoldReason.NONE
    order.confirmed_at = timezone.now()
    save(order, *CONFIRM_FIELDS)
    kind, message, data, _state = confirmed_entry(order, allocation.plan)
    record(order, actor=actor, kind=kind, message=message, data=data)


def _hold(order: SalesOrder, actor: Actor, reason: str, data: dict[str, Any]) -> None:
    transition(order, to=OrderState.ON_HOLD)
    order.hold_reason = reason
    order.held_at = timezone.now()
    save(order, *CONFIRM_FIELDS)
    record(order, actor=actor, kind="held", message=held_message(reason), data={"reason": reason, **data})


@transaction.atomic
def approve_hold(*, actor: Actor, order_id: int, version: Any = None, note: str = "") -> SalesOrder:
    """Approve the order's hold (credit: finance; price floor: a manager) and continue confirming."""
    order = lock_order(actor, order_id)
    check_version(order, version)
    if order.state != OrderState.ON_HOLD:
        raise NotOnHold(details={"state": order.state})
    reason = order.hold_reason
    require_perm(actor, APPROVAL_PERMISSION[reason])
    order.approved_holds = sorted({*(order.approved_holds or []), reason})
    order.hold_reason = HoldReason.NONE
    record(
        order,
        actor=actor,
        kind="approved",
        message=_("Hold approved (%(reason)s). %(note)s")
        % {"reason": HoldReason(reason).label, "note": note},
        data={"reason": reason, "note": note},
    )
    _continue(order, actor=actor, customer=Customer.objects.get(pk=order.customer_id))
    return order


@transaction.atomic
def cancel_order(*, actor: Actor, order_id: int, version: Any = None, reason: str = "") -> SalesOrder:
    """Cancel an order that has not shipped: its reservations are released, back-orders dropped."""
    order = lock_order(actor, order_id)
    check_version(order, version)
    lines = SalesOrderLine.objects.filter(order=order)
    if lines.filter(shipped_quantity__gt=0).exists():
        raise AlreadyShipped()
    transition(order, to=OrderState.CANCELLED)
    cancel_order_drafts(order, actor=actor)  # its draft shipments go with it
    released = Decimal(0)
    if lines.filter(reserved_quantity__gt=0).exists():
        try:
            done = release_reservations(
                actor=system_actor(actor), data={"reference_type": REFERENCE, "reference_id": order.pk}
            )
            released = sum((r.quantity for r in done), Decimal(0))
        except NoActiveReservation:
            pass
    lines.update(reserved_quantity=0, backordered_quantity=0, updated_at=timezone.now())
    order.hold_reason = HoldReason.NONE
    order.has_backorder = False
    order.cancelled_at = timezone.now()
    save(order, "state", "hold_reason", "has_backorder", "cancelled_at")
    record(
        order,
        actor=actor,
        kind="cancelled",
        message=_("Order cancelled. %(reason)s") % {"reason": reason},
        data={"reason": reason, "released": str(released)},
    )
    return order
