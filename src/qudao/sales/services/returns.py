"""Returns: request → approval (a manager; or rejection) → receipt → credited (by finance) or closed;
a request or an approved return can be cancelled.

The receipt brings each line back through the stock ledger as a `return` move, with the lot it left
in: `restock` into the site's stock (available again), `quarantine` into the site's QUARANTINE bin
held by a reservation of the return (on hand, never available for sale, until someone releases it),
`scrap` into that bin and straight out to scrap (the ledger shows both moves). The order lines'
returned quantities grow, the customer's rebate volume gets the returned amount as a negative entry
(once per return line), and `sales.return.received` tells finance what to credit."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from qudao.catalog.choices import Tracking
from qudao.core.errors import StaleVersion, ValidationFailed
from qudao.core.events import emit
from qudao.core.money import line_amount
from qudao.core.quantity import quantize_quantity
from qudao.core.scoping import Actor, get_scoped, require_perm, scoped
from qudao.core.sequences import next_code
from qudao.core.states import transition
from qudao.org.models import Site
from qudao.sales.errors_fulfilment import ReturnTooLarge
from qudao.sales.models import ReturnLine, ReturnRequest, SalesOrder, SalesOrderLine, ShipmentLine
from qudao.sales.services._common import Problems, record
from qudao.sales.services._fulfilment import ZERO, lock_writable_order
from qudao.sales.states_fulfilment import ReturnDisposition, ReturnState, ShipmentState

REFERENCE = "sales.return"
OPEN_RETURN_STATES = (ReturnState.REQUESTED, ReturnState.APPROVED)
APPROVE_PERMISSION = "sales.approve_returnrequest"


def _lock(actor: Actor, return_id: Any) -> tuple[SalesOrder, ReturnRequest]:
    found = get_scoped(ReturnRequest.objects.only("pk", "order_id"), actor, for_write=True, pk=return_id)
    order = SalesOrder.objects.select_for_update(of=("self",)).get(pk=found.order_id)
    request = ReturnRequest.objects.select_for_update(of=("self",)).select_related("site").get(pk=found.pk)
    return order, request


def _check_version(request: ReturnRequest, version: Any) -> None:
    if version is not None and int(version) != request.version:
        raise StaleVersion(details={"version": request.version})


def _save(request: ReturnRequest, *fields: str) -> None:
    request.version += 1
    request.save(update_fields=[*fields, "version", "updated_at"])


def _announce(request: ReturnRequest, kind: str, *, actor: Actor, data: dict | None = None) -> None:
    payload = {
        "return_id": request.pk,
        "number": request.number,
        "order_id": request.order_id,
        "customer_id": request.customer_id,
        "state": request.state,
        **(data or {}),
    }
    emit(f"sales.return.{kind}", payload, dealer_id=request.dealer_id, actor_id=actor.user_id)


def _timeline(order: SalesOrder, request: ReturnRequest, kind: str, message: str, *, actor: Actor) -> None:
    record(
        order,
        actor=actor,
        kind=f"return_{kind}",
        message=message,
        data={"return_id": request.pk},
        announce=False,
    )


def _returnable(order: SalesOrder) -> dict[int, Decimal]:
    """Per order line: delivered − returned − what open returns already ask for."""
    lines = SalesOrderLine.objects.filter(order=order).values_list(
        "pk", "delivered_quantity", "returned_quantity"
    )
    asked = dict(
        ReturnLine.objects.filter(request__order=order, request__state__in=OPEN_RETURN_STATES)
        .values("order_line_id")
        .annotate(total=Sum("quantity"))
        .values_list("order_line_id", "total")
    )
    return {pk: delivered - returned - asked.get(pk, ZERO) for pk, delivered, returned in lines}


def _delivered_lots(order: SalesOrder) -> dict[int, set[int | None]]:
    out: dict[int, set[int | None]] = defaultdict(set)
    rows = ShipmentLine.objects.filter(
        shipment__order=order, shipment__state=ShipmentState.DELIVERED, delivered_quantity__gt=0
    ).values_list("order_line_id", "lot_id")
    for line_id, lot_id in rows:
        out[line_id].add(lot_id)
    return out


def _site(actor: Actor, order: SalesOrder, site_id: Any, problems: Problems) -> Site | None:
    if site_id is None:
        last = (
            ShipmentLine.objects.filter(shipment__order=order, shipment__state=ShipmentState.DELIVERED)
            .order_by("-shipment_id")
            .values_list("shipment__site_id", flat=True)
            .first()
        )
        site_id = last or order.site_id
    site = (
        scoped(Site.objects.all(), actor, for_write=True)
        .filter(pk=site_id, dealer_id=order.dealer_id)
        .first()
    )
    if site is None:
        problems.add(ValidationFailed, "site_id", _("Unknown site."))
    return site


def _lines(order: SalesOrder, raw_lines: list[Mapping[str, Any]], problems: Problems) -> list[ReturnLine]:
    lines = {ln.pk: ln for ln in SalesOrderLine.objects.filter(order=order).select_related("item")}
    left = _returnable(order)
    lots = _delivered_lots(order)
    out, seen = [], set()
    if not raw_lines:
        problems.add(ValidationFailed, "lines", _("Give at least one line."))
    for n, raw in enumerate(raw_lines):
        field = f"lines.{n}"
        line = lines.get(raw.get("order_line_id"))
        if line is None or line.pk in seen:
            problems.add(
                ValidationFailed, f"{field}.order_line_id", _("Not a line of this order (or given twice).")
            )
            continue
        seen.add(line.pk)
        try:
            quantity = quantize_quantity(Decimal(str(raw.get("quantity"))))
        except (ArithmeticError, ValueError):
            quantity = ZERO
        disposition = raw.get("disposition") or ReturnDisposition.RESTOCK
        if disposition not in ReturnDisposition.values:
            problems.add(ValidationFailed, f"{field}.disposition", _("Restock, quarantine or scrap."))
        if quantity <= 0:
            problems.add(ValidationFailed, f"{field}.quantity", _("Return a positive quantity."))
            continue
        if quantity > left[line.pk]:
            problems.add(
                ReturnTooLarge,
                f"{field}.quantity",
                _("At most %(left)s of line %(line)s can be returned.")
                % {"left": quantize_quantity(max(left[line.pk], ZERO)), "line": line.line_no},
            )
            continue
        lot_id = _lot(line, raw.get("lot_id"), lots.get(line.pk, set()), f"{field}.lot_id", problems)
        out.append(
            ReturnLine(
                dealer_id=order.dealer_id,
                order_line=line,
                item_id=line.item_id,
                quantity=quantity,
                reason=str(raw.get("reason") or "")[:300],
                disposition=disposition,
                lot_id=lot_id,
                unit_price=line.unit_price,
                amount=line_amount(quantity, line.unit_price),
            )
        )
    return out


def _lot(line: SalesOrderLine, lot_id: Any, delivered: set[int | None], field: str, problems: Problems):
    if line.item.tracking == Tracking.SERIAL:
        problems.add(
            ValidationFailed, field, _("Serial-tracked items are returned through an adjustment for now.")
        )
        return None
    if line.item.tracking != Tracking.LOT:
        return None
    if lot_id is not None:
        if lot_id not in delivered:
            problems.add(ValidationFailed, field, _("This lot was not delivered on this line."))
        return lot_id
    known = [lot for lot in delivered if lot is not None]
    if len(known) == 1:
        return known[0]
    problems.add(ValidationFailed, field, _("Several lots were delivered: choose the one coming back."))
    return None


@transaction.atomic
def request_return(*, actor: Actor, order_id: int, data: Mapping[str, Any]) -> ReturnRequest:
    """A return request: data = {site_id?, reason?, lines: [{order_line_id, quantity, reason?,
    disposition? (restock|quarantine|scrap), lot_id?}]}; each at most delivered − returned − what open
    returns of the line already ask for."""
    order = lock_writable_order(actor, order_id)
    problems = Problems()
    site = _site(actor, order, data.get("site_id"), problems)
    lines = _lines(order, list(data.get("lines") or []), problems)
    problems.raise_if_any()
    now = timezone.now()
    request = ReturnRequest(
        dealer_id=order.dealer_id,
        order=order,
        customer_id=order.customer_id,
        site=site,
        reason=str(data.get("reason") or "")[:300],
        amount=sum((ln.amount for ln in lines), Decimal("0.00")),
        requested_by_id=actor.user_id,
    )
    request.number = next_code(
        dealer_id=order.dealer_id, kind=f"sales_return:{now:%y%m}", prefix=f"RT-{now:%y%m}-"
    )
    request.save()
    for line in lines:
        line.request = request
    ReturnLine.objects.bulk_create(lines)
    message = _("Return %(number)s requested: %(amount)s.") % {
        "number": request.number,
        "amount": request.amount,
    }
    _timeline(order, request, "requested", message, actor=actor)
    _announce(request, "requested", actor=actor, data={"amount": str(request.amount)})
    return request


@transaction.atomic
def approve_return(*, actor: Actor, return_id: int, version: Any = None, note: str = "") -> ReturnRequest:
    require_perm(actor, APPROVE_PERMISSION)
    order, request = _lock(actor, return_id)
    _check_version(request, version)
    transition(request, to=ReturnState.APPROVED)
    _decide(request, actor, note)
    _timeline(
        order, request, "approved", _("Return %(number)s approved.") % {"number": request.number}, actor=actor
    )
    _announce(request, "approved", actor=actor)
    return request


@transaction.atomic
def reject_return(*, actor: Actor, return_id: int, version: Any = None, reason: str = "") -> ReturnRequest:
    require_perm(actor, APPROVE_PERMISSION)
    order, request = _lock(actor, return_id)
    _check_version(request, version)
    transition(request, to=ReturnState.REJECTED)
    _decide(request, actor, reason)
    message = _("Return %(number)s rejected. %(reason)s") % {"number": request.number, "reason": reason}
    _timeline(order, request, "rejected", message, actor=actor)
    _announce(request, "rejected", actor=actor, data={"reason": reason})
    return request


def _decide(request: ReturnRequest, actor: Actor, note: str) -> None:
    request.decided_by_id = actor.user_id
    request.decided_at = timezone.now()
    request.decision_note = note[:300]
    _save(request, "state", "decided_by", "decided_at", "decision_note")


@transaction.atomic
def cancel_return(*, actor: Actor, return_id: int, version: Any = None, reason: str = "") -> ReturnRequest:
    order, request = _lock(actor, return_id)
    _check_version(request, version)
    transition(request, to=ReturnState.CANCELLED)
    request.closed_at = timezone.now()
    request.decision_note = reason[:300] or request.decision_note
    _save(request, "state", "closed_at", "decision_note")
    _timeline(
        order,
        request,
        "cancelled",
        _("Return %(number)s cancelled.") % {"number": request.number},
        actor=actor,
    )
    _announce(request, "cancelled", actor=actor, data={"reason": reason})
    return request
