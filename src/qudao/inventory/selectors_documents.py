"""Reads of transfers and stocktakes (each starts from `scoped(queryset, actor)`), and the quantity
in transit per destination site, derived from the open transfers."""

from __future__ import annotations

from django.db.models import DecimalField, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from qudao.core.quantity import QuantityField
from qudao.core.scoping import Actor, get_scoped, scoped
from qudao.inventory.models import StocktakeCount, StocktakeSession, Transfer, TransferLine
from qudao.inventory.states import TransferState

OPEN_TRANSFER_STATES = (TransferState.SHIPPED, TransferState.PARTIALLY_RECEIVED)
_ZERO = Value(0, output_field=DecimalField(max_digits=20, decimal_places=3))


def _open_lines() -> QuerySet[TransferLine]:
    return TransferLine.objects.filter(transfer__state__in=OPEN_TRANSFER_STATES)


def in_transit_expression(*, per_site: bool):
    """Quantity on its way (shipped − received on open transfers) to the row's site (or, for the
    pool, to any site of the row's dealer) for the row's item: an annotation for level aggregates."""
    lines = _open_lines().filter(item_id=OuterRef("item_id"))
    if per_site:
        lines = lines.filter(transfer__to_site_id=OuterRef("site_id"))
    else:
        lines = lines.filter(transfer__dealer_id=OuterRef("dealer_id"))
    total = (
        lines.values("item_id")
        .annotate(total=Sum(F("shipped_quantity") - F("received_quantity")))
        .values("total")[:1]
    )
    return Coalesce(Subquery(total, output_field=QuantityField()), _ZERO)


def list_in_transit(*, actor: Actor, site_id: int | None = None, item_id: int | None = None) -> QuerySet:
    """One row per (destination site, item) of the open transfers the actor sees."""
    qs = scoped(_open_lines(), actor)
    if site_id is not None:
        qs = qs.filter(transfer__to_site_id=site_id)
    if item_id is not None:
        qs = qs.filter(item_id=item_id)
    return (
        qs.values(site_id=F("transfer__to_site_id"), item_id_=F("item_id"))
        .annotate(in_transit=Sum(F("shipped_quantity") - F("received_quantity")))
        .filter(in_transit__gt=0)
        .order_by("site_id", "item_id_")
    )


def list_transfers(
    *,
    actor: Actor,
    state: str | None = None,
    from_site_id: int | None = None,
    to_site_id: int | None = None,
) -> QuerySet[Transfer]:
    qs = scoped(Transfer.objects.select_related("from_site", "to_site"), actor)
    for field, value in (("state", state), ("from_site_id", from_site_id), ("to_site_id", to_site_id)):
        if value is not None:
            qs = qs.filter(**{field: value})
    return qs


def get_transfer(*, actor: Actor, transfer_id: int) -> Transfer:
    return get_scoped(
        Transfer.objects.select_related("from_site", "to_site").prefetch_related(
            "lines__item", "lines__discrepancies"
        ),
        actor,
        pk=transfer_id,
    )


def list_stocktakes(
    *, actor: Actor, state: str | None = None, site_id: int | None = None
) -> QuerySet[StocktakeSession]:
    qs = scoped(StocktakeSession.objects.select_related("site", "zone"), actor)
    if state is not None:
        qs = qs.filter(state=state)
    if site_id is not None:
        qs = qs.filter(site_id=site_id)
    return qs


def get_stocktake(*, actor: Actor, session_id: int) -> StocktakeSession:
    return get_scoped(StocktakeSession.objects.select_related("site", "zone"), actor, pk=session_id)


def list_counts(*, actor: Actor, session_id: int) -> QuerySet[StocktakeCount]:
    session = get_stocktake(actor=actor, session_id=session_id)
    return scoped(StocktakeCount.objects.filter(session=session), actor).select_related(
        "item__base_unit", "location", "lot"
    )
