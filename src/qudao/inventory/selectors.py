"""Reads of the inventory; every one starts from `scoped(queryset, actor)`."""

from __future__ import annotations

from datetime import date

from django.db.models import DecimalField, ExpressionWrapper, F, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from qudao.catalog.models import Item
from qudao.core.quantity import QuantityField
from qudao.core.scoping import Actor, get_scoped, scoped
from qudao.inventory.models import Location, Reservation, StockLevel, StockMove
from qudao.inventory.selectors_documents import in_transit_expression

_QTY = QuantityField()
_ZERO = Value(0, output_field=DecimalField(max_digits=20, decimal_places=3))


def _available():
    return ExpressionWrapper(F("on_hand") - F("reserved"), output_field=_QTY)


def list_levels(
    *,
    actor: Actor,
    item_id: int | None = None,
    site_id: int | None = None,
    lot_id: int | None = None,
    location_id: int | None = None,
    only_available: bool = False,
) -> QuerySet[StockLevel]:
    """Stock by item, location and lot at the sites the actor sees, with available = on hand − reserved."""
    qs = scoped(StockLevel.objects.filter(is_virtual=False), actor).select_related("item", "location", "lot")
    qs = qs.annotate(available=_available())
    for field, value in (
        ("item_id", item_id),
        ("site_id", site_id),
        ("lot_id", lot_id),
        ("location_id", location_id),
    ):
        if value is not None:
            qs = qs.filter(**{field: value})
    if only_available:
        qs = qs.filter(available__gt=0)
    return qs


def list_site_stock(*, actor: Actor, item_id: int | None = None, site_id: int | None = None) -> QuerySet:
    """One row per (dealer, site, item): on hand, reserved, available, in transit (open transfers)."""
    qs = list_levels(actor=actor, item_id=item_id, site_id=site_id)
    return (
        qs.values("dealer_id", "site_id", "item_id")
        .annotate(
            on_hand_total=Sum("on_hand"),
            reserved_total=Sum("reserved"),
            available_total=Sum(_available()),
            in_transit=in_transit_expression(per_site=True),
        )
        .order_by("dealer_id", "site_id", "item_id")
    )


def list_pool(*, actor: Actor, item_id: int | None = None, dealer_id: int | None = None) -> QuerySet:
    """The group-wide pool: one row per (dealer, item) over every site of the dealer the actor sees
    (a brand user sees its authorised dealers' pools)."""
    qs = list_levels(actor=actor, item_id=item_id)
    if dealer_id is not None:
        qs = qs.filter(dealer_id=dealer_id)
    return (
        qs.values("dealer_id", "item_id")
        .annotate(
            on_hand_total=Coalesce(Sum("on_hand"), _ZERO),
            reserved_total=Coalesce(Sum("reserved"), _ZERO),
            available_total=Coalesce(Sum(_available()), _ZERO),
            in_transit=in_transit_expression(per_site=False),
        )
        .order_by("dealer_id", "item_id")
    )


def list_moves(
    *,
    actor: Actor,
    item_id: int | None = None,
    site_id: int | None = None,
    move_type: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[StockMove]:
    qs = scoped(StockMove.objects.all(), actor)
    if item_id is not None:
        qs = qs.filter(item_id=item_id)
    if site_id is not None:
        qs = qs.filter(site_id=site_id)
    if move_type:
        qs = qs.filter(move_type=move_type)
    if date_from is not None:
        qs = qs.filter(effective_date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(effective_date__lte=date_to)
    return qs


def get_item_history(*, actor: Actor, item_id: int) -> QuerySet[StockMove]:
    """The ledger of one item, newest first (404 when the item is not visible)."""
    item = get_scoped(Item.objects.all(), actor, pk=item_id)
    return list_moves(actor=actor, item_id=item.pk).order_by("-done_at", "-pk")


def list_reservations(
    *,
    actor: Actor,
    item_id: int | None = None,
    reference_type: str | None = None,
    reference_id: int | None = None,
    state: str | None = None,
) -> QuerySet[Reservation]:
    qs = scoped(Reservation.objects.all(), actor)
    for field, value in (
        ("item_id", item_id),
        ("reference_type", reference_type),
        ("reference_id", reference_id),
        ("state", state),
    ):
        if value is not None:
            qs = qs.filter(**{field: value})
    return qs


def list_locations(
    *, actor: Actor, site_id: int | None = None, include_virtual: bool = False
) -> QuerySet[Location]:
    qs = scoped(Location.objects.all(), actor)
    if not include_virtual:
        qs = qs.filter(is_virtual=False)
    if site_id is not None:
        qs = qs.filter(site_id=site_id)
    return qs
