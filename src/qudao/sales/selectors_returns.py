"""Reads of returns, and the one fact finance's invoicing needs from them."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import F, Prefetch, QuerySet, Sum

from qudao.core.scoping import Actor, get_scoped, scoped
from qudao.sales.models import ReturnLine, ReturnRequest
from qudao.sales.states_fulfilment import ReturnState

RECEIVED_STATES = (ReturnState.RECEIVED, ReturnState.CREDITED, ReturnState.CLOSED)


def list_returns(
    *, actor: Actor, state: str | None = None, order_id: int | None = None, customer_id: int | None = None
) -> QuerySet[ReturnRequest]:
    qs = scoped(ReturnRequest.objects.all(), actor).select_related("order", "customer", "site")
    filters = {"state": state, "order_id": order_id, "customer_id": customer_id}
    return qs.filter(**{k: v for k, v in filters.items() if v is not None}).order_by("-pk")


def get_return(*, actor: Actor, return_id: int) -> ReturnRequest:
    qs = ReturnRequest.objects.select_related("order", "customer", "site").prefetch_related(
        Prefetch(
            "lines", queryset=ReturnLine.objects.select_related("item", "lot", "order_line").order_by("pk")
        )
    )
    return get_scoped(qs, actor, pk=return_id)


def returned_not_invoiced(order_line_ids: Iterable[int]) -> dict[int, Decimal]:
    """Per order line: the returned quantity that had not been invoiced when it came back (so it is
    never invoiced: see services/return_receipts.py)."""
    rows = (
        ReturnLine.objects.filter(order_line_id__in=list(order_line_ids), request__state__in=RECEIVED_STATES)
        .values("order_line_id")
        .annotate(total=Sum(F("quantity") - F("credit_quantity")))
        .values_list("order_line_id", "total")
    )
    return {line_id: total for line_id, total in rows if total}
