"""Reads of the inventory board: stock by site × item with warnings, and one item's drill-down.

The board aggregates in SQL (GROUP BY site, item over the real levels the actor sees) and pages
on the server; safety stock and maximum level come from ItemSiteSettings through correlated
subqueries on its unique (item, site) index, near expiry from the live alerts of the hourly job.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import (
    CharField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from qudao.alerts.models import Alert
from qudao.alerts.states import LIVE_STATUSES
from qudao.catalog.models import Category, Item
from qudao.core.scoping import Actor, get_scoped, scoped
from qudao.inventory.choices import SerialStatus
from qudao.inventory.health_rules import shelf_life_days, shelf_life_left_percent
from qudao.inventory.models import Serial, StockLevel
from qudao.inventory.selectors_health import in_transit_quantities, policy_for_dealer

_QTY = DecimalField(max_digits=20, decimal_places=3)
_ZERO = Value(Decimal(0), output_field=_QTY)

#: ?ordering= keys of the board → the expressions they sort by
BOARD_ORDERING = {
    "site": "site__name",
    "sku": "item__sku",
    "name": "item__name",
    "on_hand": "on_hand_total",
    "reserved": "reserved_total",
    "available": "available_total",
    "safety_stock": "safety_stock",
}
DEFAULT_ORDERING = ("site__name", "item__sku")


@dataclass(frozen=True)
class BoardFilters:
    site_id: int | None = None
    category: Category | None = None
    brand_id: int | None = None
    search: str = ""
    only_problems: bool = False
    ordering: str = ""


def _with_settings(levels: QuerySet) -> QuerySet:
    """Join each level to its item × site settings (one hash join, not a subquery per group)."""
    return levels.annotate(
        settings=FilteredRelation(
            "item__site_settings", condition=Q(item__site_settings__site_id=F("site_id"))
        )
    )


def _near_expiry():
    return Exists(
        Alert.objects.filter(
            dealer_id=OuterRef("dealer_id"),
            kind="inventory.near_expiry",
            status__in=LIVE_STATUSES,
            site_id=OuterRef("site_id"),
            subject_id=Cast(OuterRef("item_id"), output_field=CharField()),
        )
    )


def problem_q() -> Q:
    """A board row has a problem: out of stock, below safety stock, above the maximum, or near expiry."""
    return (
        Q(available_total__lte=0)
        | Q(safety_stock__gt=0, available_total__lt=F("safety_stock"))
        | Q(max_level__isnull=False, on_hand_total__gt=F("max_level"))
        | Q(near_expiry=True)
    )


def _filtered_levels(actor: Actor, filters: BoardFilters) -> QuerySet:
    levels = scoped(StockLevel.objects.filter(is_virtual=False, site__isnull=False), actor)
    if filters.site_id is not None:
        levels = levels.filter(site_id=filters.site_id)
    if filters.category is not None:
        levels = levels.filter(
            item__category__dealer_id=filters.category.dealer_id,
            item__category__path__startswith=filters.category.path,
        )
    if filters.brand_id is not None:
        levels = levels.filter(item__brand_id=filters.brand_id)
    if filters.search:
        levels = levels.filter(
            Q(item__sku__icontains=filters.search) | Q(item__name__icontains=filters.search)
        )
    return levels


def count_board(*, actor: Actor, filters: BoardFilters) -> int:
    """How many board rows: distinct (site, item) pairs, without the totals and warnings unless the
    problems filter needs them (a fraction of the grouped query's cost at 100,000 levels)."""
    if filters.only_problems:
        return list_board(actor=actor, filters=filters).count()
    return _filtered_levels(actor, filters).values("site_id", "item_id").distinct().count()


def list_board(*, actor: Actor, filters: BoardFilters) -> QuerySet:
    """One row per (site, item) the actor sees, with totals, settings and warning flags."""
    levels = _filtered_levels(actor, filters)
    rows = (
        _with_settings(levels)
        .values(
            "dealer_id",
            "site_id",
            "site__name",
            "item_id",
            "item__sku",
            "item__name",
            "settings__safety_stock",
            "settings__max_level",
        )
        .annotate(
            on_hand_total=Coalesce(Sum("on_hand"), _ZERO),
            reserved_total=Coalesce(Sum("reserved"), _ZERO),
        )
        .annotate(
            available_total=ExpressionWrapper(F("on_hand_total") - F("reserved_total"), output_field=_QTY),
            safety_stock=Coalesce(F("settings__safety_stock"), _ZERO),
            max_level=F("settings__max_level"),
            near_expiry=_near_expiry(),
        )
    )
    if filters.only_problems:
        rows = rows.filter(problem_q())
    return rows.order_by(*_ordering(filters.ordering), "site_id", "item_id")


def has_stock(*, actor: Actor) -> bool:
    """Does the actor see any real stock row at all (else the board shows its empty state)?"""
    return scoped(StockLevel.objects.filter(is_virtual=False), actor).exists()


def _ordering(ordering: str) -> tuple[str, ...]:
    name = ordering.removeprefix("-")
    if name not in BOARD_ORDERING:
        return DEFAULT_ORDERING
    return (f"{'-' if ordering.startswith('-') else ''}{BOARD_ORDERING[name]}",)


def decorate_rows(rows: list[dict]) -> list[dict]:
    """Add in transit and the warning flags to one page of board rows (a few dozen: plain Python)."""
    if not rows:
        return rows
    transit = in_transit_quantities(
        dealer_ids={r["dealer_id"] for r in rows},
        site_ids={r["site_id"] for r in rows},
        item_ids={r["item_id"] for r in rows},
    )
    for row in rows:
        row["in_transit"] = transit.get((row["site_id"], row["item_id"]), Decimal(0))
        available, safety, maximum = row["available_total"], row["safety_stock"], row["max_level"]
        row["is_out"] = available <= 0
        row["is_below_safety"] = not row["is_out"] and safety > 0 and available < safety
        row["is_over_max"] = maximum is not None and row["on_hand_total"] > maximum
        row["is_problem"] = (
            row["is_out"] or row["is_below_safety"] or row["is_over_max"] or row["near_expiry"]
        )
    return rows


@dataclass(frozen=True)
class ItemStock:
    item: Item
    levels: list
    lots: list[dict]
    serials: QuerySet
    history: QuerySet
    totals: dict


def get_item_stock(*, actor: Actor, item_id: int, site_id: int | None = None, today: date | None = None):
    """One item's stock by location, lot (with expiry and shelf life left) and serial; NotFound if unseen."""
    from qudao.inventory.selectors import get_item_history, list_levels

    item = get_scoped(Item.objects.all(), actor, pk=item_id)
    today = today or timezone.localdate()
    levels = list(
        list_levels(actor=actor, item_id=item.pk, site_id=site_id)
        .select_related("site", "location", "lot")
        .order_by("site__name", "location__code", "lot__expiry_date", "pk")
    )
    percent = policy_for_dealer(item.dealer_id).near_expiry_percent
    lots: dict[int, dict] = {}
    for level in levels:
        if level.lot is None:
            continue
        entry = lots.setdefault(level.lot_id, {"lot": level.lot, "on_hand": Decimal(0), "left": None})
        entry["on_hand"] += level.on_hand
    for entry in lots.values():
        lot = entry["lot"]
        if lot.expiry_date is not None:
            total = shelf_life_days(
                expiry_date=lot.expiry_date,
                production_date=lot.production_date,
                item_shelf_life_days=item.shelf_life_days,
            )
            entry["left"] = shelf_life_left_percent(
                expiry_date=lot.expiry_date, total_days=total, today=today
            )
            entry["near"] = entry["left"] is not None and entry["left"] < percent
    serials = scoped(
        Serial.objects.filter(item=item, status__in=(SerialStatus.IN_STOCK, SerialStatus.RESERVED)), actor
    ).select_related("site", "location", "lot")
    if site_id is not None:
        serials = serials.filter(site_id=site_id)
    history = get_item_history(actor=actor, item_id=item.pk).select_related(
        "site", "from_location", "to_location", "lot", "serial", "actor"
    )
    if site_id is not None:
        history = history.filter(site_id=site_id)
    totals = {
        "on_hand": sum((lv.on_hand for lv in levels), Decimal(0)),
        "reserved": sum((lv.reserved for lv in levels), Decimal(0)),
    }
    totals["available"] = totals["on_hand"] - totals["reserved"]
    return ItemStock(
        item=item,
        levels=levels,
        lots=sorted(lots.values(), key=lambda e: (e["lot"].expiry_date or date.max, e["lot"].lot_number)),
        serials=serials.order_by("serial_number"),
        history=history,
        totals=totals,
    )
