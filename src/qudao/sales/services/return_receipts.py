"""Receiving an approved return (see services/returns.py for the lifecycle) and finance's answer.

What finance credits: a returned quantity is credited only for the part that had been invoiced when
the goods came back (`credit_quantity`: at most invoiced − what earlier returns of the line already
credited). The rest was never invoiced, so it is taken off what the order line can still be invoiced
for (`selectors_returns.returned_not_invoiced`, read by finance's invoicing): a customer pays, in the
end, for shipped − returned, whichever came first. The split is decided under the order's lock, the
same lock invoicing takes, so an invoice run and a receipt never both count the same units."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from qudao.core.errors import DuplicateRecord, ValidationFailed
from qudao.core.scoping import Actor
from qudao.core.states import transition
from qudao.inventory.models import Location
from qudao.inventory.services import create_location, receive_stock, reserve_stock, scrap_stock
from qudao.org.models import Site
from qudao.sales import pricing_bridge
from qudao.sales.errors_fulfilment import ReturnTooLarge
from qudao.sales.models import ReturnLine, ReturnRequest, SalesOrder, SalesOrderLine
from qudao.sales.services._common import Problems
from qudao.sales.services._fulfilment import ZERO
from qudao.sales.services.allocation import system_actor
from qudao.sales.services.returns import REFERENCE, _announce, _check_version, _lock, _save, _timeline
from qudao.sales.states_fulfilment import ReturnDisposition, ReturnState

QUARANTINE_CODE = "QUARANTINE"
RECEIVED_STATES = (ReturnState.RECEIVED, ReturnState.CREDITED, ReturnState.CLOSED)


def quarantine_bin(site: Site, *, actor: Actor) -> Location:
    """The site's QUARANTINE bin (created the first time a return needs it)."""
    found = Location.objects.filter(site=site, code=QUARANTINE_CODE, is_virtual=False).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return create_location(
                actor=actor, data={"site_id": site.pk, "code": QUARANTINE_CODE, "name": _("Quarantine")}
            )
    except (DuplicateRecord, IntegrityError):  # created at the same moment by another receipt
        return Location.objects.get(site=site, code=QUARANTINE_CODE, is_virtual=False)


def _credit_split(order: SalesOrder, lines: list[ReturnLine]) -> None:
    """credit_quantity of each line: the part of it that had been invoiced and not yet credited."""
    ids = [ln.order_line_id for ln in lines]
    invoiced = dict(SalesOrderLine.objects.filter(pk__in=ids).values_list("pk", "invoiced_quantity"))
    credited = defaultdict(
        Decimal,
        ReturnLine.objects.filter(order_line_id__in=ids, request__state__in=RECEIVED_STATES)
        .values("order_line_id")
        .annotate(total=Sum("credit_quantity"))
        .values_list("order_line_id", "total"),
    )
    for line in lines:
        free = max(invoiced[line.order_line_id] - credited[line.order_line_id], ZERO)
        line.credit_quantity = min(line.quantity, free)
        credited[line.order_line_id] += line.credit_quantity


def _stock_back(request: ReturnRequest, lines: list[ReturnLine], *, actor: Actor) -> None:
    """Every line comes back as a `return` receipt (its lot); quarantine is held, scrap leaves again."""
    bin_ = None
    by_place: dict[str, list[ReturnLine]] = defaultdict(list)
    for line in lines:
        by_place["stock" if line.disposition == ReturnDisposition.RESTOCK else "bin"].append(line)
    if by_place["bin"]:
        bin_ = quarantine_bin(request.site, actor=actor)
    for place, group in by_place.items():
        if not group:
            continue
        receive_stock(
            actor=actor,
            move_type="return",
            data={
                "site_id": request.site_id,
                "location_id": bin_.pk if place == "bin" else None,
                "reference_type": REFERENCE,
                "reference_id": request.pk,
                "document_number": request.number,
                "lines": [
                    {
                        "item_id": ln.item_id,
                        "quantity": ln.quantity,
                        "reference_line_id": ln.pk,
                        **(
                            {"lot_number": ln.lot.lot_number, "expiry_date": ln.lot.expiry_date}
                            if ln.lot_id
                            else {}
                        ),
                    }
                    for ln in group
                ],
            },
        )
    held = [ln for ln in lines if ln.disposition == ReturnDisposition.QUARANTINE]
    if held:
        reserve_stock(
            actor=actor,
            data={
                "reference_type": REFERENCE,
                "reference_id": request.pk,
                "lines": [
                    {
                        "item_id": ln.item_id,
                        "site_id": request.site_id,
                        "location_id": bin_.pk,
                        "lot_id": ln.lot_id,
                        "quantity": ln.quantity,
                        "reference_line_id": ln.pk,
                    }
                    for ln in held
                ],
            },
        )
    for ln in lines:
        if ln.disposition == ReturnDisposition.SCRAP:
            scrap_stock(
                actor=actor,
                data={
                    "item_id": ln.item_id,
                    "location_id": bin_.pk,
                    "lot_id": ln.lot_id,
                    "quantity": ln.quantity,
                    "reason": "damage",
                    "reference_type": REFERENCE,
                    "reference_id": request.pk,
                    "reference_line_id": ln.pk,
                    "document_number": request.number,
                },
            )


def _dispositions(lines: list[ReturnLine], raw: Iterable[Mapping[str, Any]], problems: Problems) -> None:
    """The receiving clerk may change a line's disposition (what the goods turned out to be)."""
    by_id = {ln.pk: ln for ln in lines}
    for n, row in enumerate(raw):
        line = by_id.get(row.get("return_line_id"))
        if line is None:
            problems.add(ValidationFailed, f"lines.{n}.return_line_id", _("Not a line of this return."))
            continue
        if row.get("disposition") not in ReturnDisposition.values:
            problems.add(ValidationFailed, f"lines.{n}.disposition", _("Restock, quarantine or scrap."))
            continue
        line.disposition = row["disposition"]


@transaction.atomic
def receive_return(
    *, actor: Actor, return_id: int, data: Mapping[str, Any] | None = None, version: Any = None
) -> ReturnRequest:
    """The goods of an approved return arrive: data = {lines?: [{return_line_id, disposition}]}."""
    order, request = _lock(actor, return_id)
    _check_version(request, version)
    transition(request, to=ReturnState.RECEIVED)
    lines = list(request.lines.select_related("lot", "order_line").order_by("pk"))
    problems = Problems()
    _dispositions(lines, (data or {}).get("lines") or [], problems)
    for n, line in enumerate(lines):
        ol = line.order_line
        if line.quantity > ol.delivered_quantity - ol.returned_quantity:
            problems.add(ReturnTooLarge, f"lines.{n}.quantity", ReturnTooLarge.message)
    problems.raise_if_any()
    _credit_split(order, lines)
    inventory_actor = system_actor(actor)
    _stock_back(request, lines, actor=inventory_actor)
    on = timezone.localdate()
    for line in lines:
        line.save(update_fields=["disposition", "credit_quantity", "updated_at"])
        SalesOrderLine.objects.filter(pk=line.order_line_id).update(
            returned_quantity=F("returned_quantity") + line.quantity, updated_at=timezone.now()
        )
        if line.amount > 0:
            pricing_bridge.record_rebate_volume(
                actor=inventory_actor,
                dealer_id=request.dealer_id,
                customer_id=request.customer_id,
                on=on,
                amount=-line.amount,
                source_id=request.pk,
                source_line_id=line.pk,
                source_type=REFERENCE,
            )
    request.received_at = timezone.now()
    request.received_by_id = actor.user_id
    to_credit = [ln for ln in lines if ln.credit_quantity > 0]
    fields = ["state", "received_at", "received_by"]
    if not to_credit:
        transition(request, to=ReturnState.CLOSED)  # nothing had been invoiced: nothing to credit
        request.closed_at = request.received_at
        fields.append("closed_at")
    _save(request, *fields)
    message = _("Return %(number)s received at %(site)s.") % {
        "number": request.number,
        "site": request.site.name,
    }
    _timeline(order, request, "received", message, actor=actor)
    _announce(
        request,
        "received",
        actor=actor,
        data={
            "lines": [
                {
                    "return_line_id": ln.pk,
                    "order_line_id": ln.order_line_id,
                    "quantity": str(ln.quantity),
                    "credit_quantity": str(ln.credit_quantity),
                    "unit_price": str(ln.unit_price),
                    "disposition": ln.disposition,
                }
                for ln in lines
            ]
        },
    )
    return request


@transaction.atomic
def mark_return_credited(
    *, actor: Actor, return_id: int, credit_notes: list[str], note: str = ""
) -> ReturnRequest:
    """Finance has written the credit notes of a received return (called by finance's subscriber)."""
    order, request = _lock(system_actor(actor), return_id)
    transition(request, to=ReturnState.CREDITED)
    request.credit_notes = sorted({*request.credit_notes, *credit_notes})
    request.closed_at = timezone.now()
    if note:
        request.decision_note = note[:300]
    _save(request, "state", "credit_notes", "closed_at", "decision_note")
    message = _("Return %(number)s credited: %(notes)s. %(note)s") % {
        "number": request.number,
        "notes": ", ".join(request.credit_notes) or "—",
        "note": note,
    }
    _timeline(order, request, "credited", message, actor=actor)
    _announce(request, "credited", actor=actor, data={"credit_notes": request.credit_notes})
    return request


@transaction.atomic
def release_quarantine(*, actor: Actor, return_id: int, return_line_id: int, to: str) -> ReturnLine:
    """Inspection of a quarantined line is done: `restock` drops the return's hold (the goods become
    available where they lie, in the QUARANTINE bin, until someone moves them) or `scrap` drops the hold
    and scraps them (the ledger shows the scrap)."""
    from qudao.inventory.services import release_reservations

    order, request = _lock(actor, return_id)
    problems = Problems()
    line = request.lines.filter(pk=return_line_id).first()
    if request.state not in RECEIVED_STATES:
        problems.add(ValidationFailed, "return_id", _("The goods of this return have not been received."))
    if line is None or line.disposition != ReturnDisposition.QUARANTINE:
        problems.add(ValidationFailed, "return_line_id", _("Not a quarantined line of this return."))
    if to not in (ReturnDisposition.RESTOCK, ReturnDisposition.SCRAP):
        problems.add(ValidationFailed, "to", _("Release to stock or to scrap."))
    problems.raise_if_any()
    inventory_actor = system_actor(actor)
    release_reservations(
        actor=inventory_actor,
        data={"reference_type": REFERENCE, "reference_id": request.pk, "reference_line_id": line.pk},
    )
    if to == ReturnDisposition.SCRAP:
        scrap_stock(
            actor=inventory_actor,
            data={
                "item_id": line.item_id,
                "location_id": quarantine_bin(request.site, actor=inventory_actor).pk,
                "lot_id": line.lot_id,
                "quantity": line.quantity,
                "reason": "damage",
                "reference_type": REFERENCE,
                "reference_id": request.pk,
                "reference_line_id": line.pk,
                "document_number": request.number,
            },
        )
    line.disposition = to
    line.save(update_fields=["disposition", "updated_at"])
    _save(request)
    label = ReturnDisposition(to).label
    message = _("Return %(number)s: quarantined goods released (%(to)s).") % {
        "number": request.number,
        "to": label,
    }
    _timeline(order, request, "released", message, actor=actor)
    _announce(request, "quarantine_released", actor=actor, data={"return_line_id": line.pk, "to": to})
    return line
