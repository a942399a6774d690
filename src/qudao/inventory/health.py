"""Inventory health evaluators: conditions computed per dealer in set-based queries, synced as alerts.

Each evaluator returns {dedupe key: AlertSpec} for every condition that holds now; `sync_alerts`
raises or refreshes those and auto-resolves the dealer's live alerts of that kind that are gone.
The hourly Huey job (tasks.evaluate_inventory_health_task) runs `evaluate_all_dealers`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import DecimalField, Exists, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qudao.alerts.models import Alert
from qudao.alerts.registry import register_alert_kind
from qudao.alerts.services import AlertSpec, SyncResult, sync_alerts
from qudao.alerts.states import LIVE_STATUSES, AlertSeverity
from qudao.core.scoping import Actor
from qudao.inventory.choices import MoveState
from qudao.inventory.health_rules import is_near_expiry, shelf_life_days, shelf_life_left_percent
from qudao.inventory.models import ItemSiteSettings, StockLevel, StockMove
from qudao.inventory.selectors_health import (
    HEALTH_KINDS,
    EffectivePolicy,
    list_stock_ageing,
    policy_for_dealer,
)

logger = logging.getLogger(__name__)

BELOW_SAFETY = "inventory.below_safety_stock"
STOCK_OUT = "inventory.stock_out_with_demand"
OVERSTOCK = "inventory.overstock"
NO_MOVEMENT = "inventory.no_movement"
NEAR_EXPIRY = "inventory.near_expiry"
AGED_STOCK = "inventory.aged_stock"

register_alert_kind(
    BELOW_SAFETY,
    label=_("Below safety stock"),
    template=_("%(item)s at %(site)s: %(available)s available, safety stock %(safety)s."),
)
register_alert_kind(
    STOCK_OUT,
    label=_("Stock-out with open demand"),
    template=_("%(item)s at %(site)s: nothing available, %(reserved)s reserved of %(on_hand)s on hand."),
)
register_alert_kind(
    OVERSTOCK,
    label=_("Overstock"),
    template=_("%(item)s at %(site)s: %(on_hand)s on hand, above the maximum level %(max_level)s."),
)
register_alert_kind(
    NO_MOVEMENT,
    label=_("No movement"),
    template=_("%(item)s at %(site)s: %(on_hand)s on hand and no movement for %(days)s days."),
)
register_alert_kind(
    NEAR_EXPIRY,
    label=_("Near expiry"),
    template=_(
        "%(item)s lot %(lot)s at %(site)s: %(on_hand)s on hand expires on %(expiry)s "
        "(%(left)s%% of shelf life left)."
    ),
)
register_alert_kind(
    AGED_STOCK,
    label=_("Aged stock"),
    template=_("%(item)s at %(site)s: %(quantity)s of %(on_hand)s on hand received over %(days)s days ago."),
)

#: the system evaluates as a platform administrator, always narrowed to one dealer
SYSTEM = Actor(user_id=None, username="inventory-health", is_platform_admin=True)
_QTY = DecimalField(max_digits=20, decimal_places=3)
_ZERO = Value(0, output_field=_QTY)


def _text(value) -> str:
    return format(Decimal(str(value)).normalize(), "f")


def _item_label(row: dict) -> str:
    return f"{row['item__sku']} {row['item__name']}"[:200]


def _key(kind: str, site_id: int, subject_id: int) -> str:
    return f"{kind}:{site_id}:{subject_id}"


def _real_levels(dealer_id: int):
    return StockLevel.objects.filter(dealer_id=dealer_id, is_virtual=False, site__isnull=False)


def _level_sum(field: str):
    """Sum of `field` over the real levels of the outer row's site and item (0 when none)."""
    total = (
        StockLevel.objects.filter(site_id=OuterRef("site_id"), item_id=OuterRef("item_id"), is_virtual=False)
        .order_by()
        .values("item_id")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=_QTY), _ZERO)


def _site_item_rows(qs):
    return (
        qs.values("site_id", "site__name", "item_id", "item__sku", "item__name")
        .annotate(on_hand_total=Sum("on_hand"), reserved_total=Sum("reserved"))
        .order_by()
    )


def _spec(row: dict, severity: str, params: dict, subject_type="catalog.item", subject_id=None) -> AlertSpec:
    return AlertSpec(
        severity=severity,
        subject_type=subject_type,
        subject_id=subject_id if subject_id is not None else row["item_id"],
        subject_label=_item_label(row),
        params={"item": _item_label(row), "site": row["site__name"], **params},
        site_id=row["site_id"],
        data={"item_id": row["item_id"], "site_id": row["site_id"]},
    )


def evaluate_below_safety(policy: EffectivePolicy, today: date) -> dict[str, AlertSpec]:
    rows = (
        ItemSiteSettings.objects.filter(dealer_id=policy.dealer_id, safety_stock__gt=0)
        .annotate(on_hand_total=_level_sum("on_hand"), reserved_total=_level_sum("reserved"))
        .annotate(available_total=F("on_hand_total") - F("reserved_total"))
        .filter(available_total__lt=F("safety_stock"))
        .values(
            "site_id", "site__name", "item_id", "item__sku", "item__name", "safety_stock", "available_total"
        )
        .order_by()
    )
    out = {}
    for row in rows:
        available = Decimal(row["available_total"])
        severity = AlertSeverity.CRITICAL if available <= 0 else AlertSeverity.WARNING
        params = {"available": _text(available), "safety": _text(row["safety_stock"])}
        out[_key(BELOW_SAFETY, row["site_id"], row["item_id"])] = _spec(row, severity, params)
    return out


def evaluate_stock_out(policy: EffectivePolicy, today: date) -> dict[str, AlertSpec]:
    """Available ≤ 0 while reservations (open demand) hold the stock of the site × item."""
    rows = _site_item_rows(_real_levels(policy.dealer_id)).filter(
        reserved_total__gt=0, on_hand_total__lte=F("reserved_total")
    )
    out = {}
    for row in rows:
        params = {"reserved": _text(row["reserved_total"]), "on_hand": _text(row["on_hand_total"])}
        out[_key(STOCK_OUT, row["site_id"], row["item_id"])] = _spec(row, AlertSeverity.CRITICAL, params)
    return out


def evaluate_overstock(policy: EffectivePolicy, today: date) -> dict[str, AlertSpec]:
    if not policy.evaluate_overstock:
        return {}
    rows = (
        ItemSiteSettings.objects.filter(dealer_id=policy.dealer_id, max_level__isnull=False)
        .annotate(on_hand_total=_level_sum("on_hand"))
        .filter(on_hand_total__gt=F("max_level"))
        .values("site_id", "site__name", "item_id", "item__sku", "item__name", "max_level", "on_hand_total")
        .order_by()
    )
    out = {}
    for row in rows:
        params = {"on_hand": _text(Decimal(row["on_hand_total"])), "max_level": _text(row["max_level"])}
        out[_key(OVERSTOCK, row["site_id"], row["item_id"])] = _spec(row, AlertSeverity.WARNING, params)
    return out


def evaluate_no_movement(policy: EffectivePolicy, today: date) -> dict[str, AlertSpec]:
    cutoff = today - timedelta(days=policy.no_movement_days)
    recent = StockMove.objects.filter(
        site_id=OuterRef("site_id"),
        item_id=OuterRef("item_id"),
        state=MoveState.DONE,
        effective_date__gt=cutoff,
    )
    rows = _site_item_rows(_real_levels(policy.dealer_id).filter(~Exists(recent))).filter(on_hand_total__gt=0)
    out = {}
    for row in rows:
        params = {"on_hand": _text(row["on_hand_total"]), "days": policy.no_movement_days}
        out[_key(NO_MOVEMENT, row["site_id"], row["item_id"])] = _spec(row, AlertSeverity.INFO, params)
    return out


def evaluate_near_expiry(policy: EffectivePolicy, today: date) -> dict[str, AlertSpec]:
    rows = (
        _real_levels(policy.dealer_id)
        .filter(lot__isnull=False, lot__expiry_date__isnull=False)
        .values(
            "site_id",
            "site__name",
            "item_id",
            "item__sku",
            "item__name",
            "item__shelf_life_days",
            "lot_id",
            "lot__lot_number",
            "lot__expiry_date",
            "lot__production_date",
        )
        .annotate(on_hand_total=Sum("on_hand"))
        .filter(on_hand_total__gt=0)
        .order_by()
    )
    out = {}
    for row in rows:
        total = shelf_life_days(
            expiry_date=row["lot__expiry_date"],
            production_date=row["lot__production_date"],
            item_shelf_life_days=row["item__shelf_life_days"],
        )
        expiry = row["lot__expiry_date"]
        if not is_near_expiry(
            expiry_date=expiry, total_days=total, today=today, percent=policy.near_expiry_percent
        ):
            continue
        left = shelf_life_left_percent(expiry_date=expiry, total_days=total, today=today)
        severity = AlertSeverity.CRITICAL if expiry <= today else AlertSeverity.WARNING
        params = {
            "lot": row["lot__lot_number"],
            "on_hand": _text(row["on_hand_total"]),
            "expiry": expiry.isoformat(),
            "left": _text(left),
        }
        spec = _spec(row, severity, params)
        out[_key(NEAR_EXPIRY, row["site_id"], row["lot_id"])] = AlertSpec(
            **{**vars(spec), "data": {**spec.data, "lot_id": row["lot_id"]}}
        )
    return out


def evaluate_aged_stock(policy: EffectivePolicy, today: date) -> dict[str, AlertSpec]:
    rows = list_stock_ageing(actor=SYSTEM, dealer_id=policy.dealer_id, edges=policy.edges, today=today)
    aged = [r for r in rows if r["days_over_90"] > 0]
    if not aged:
        return {}
    labels = {
        (r["site_id"], r["item_id"]): r
        for r in _site_item_rows(
            _real_levels(policy.dealer_id).filter(item_id__in=sorted({r["item_id"] for r in aged}))
        )
    }
    out = {}
    for row in aged:
        label = labels[(row["site_id"], row["item_id"])]
        params = {
            "quantity": _text(row["days_over_90"]),
            "on_hand": _text(row["on_hand"]),
            "days": policy.ageing_bucket_3_days,
        }
        out[_key(AGED_STOCK, row["site_id"], row["item_id"])] = _spec(label, AlertSeverity.WARNING, params)
    return out


EVALUATORS: dict[str, Callable[[EffectivePolicy, date], dict[str, AlertSpec]]] = {
    STOCK_OUT: evaluate_stock_out,
    BELOW_SAFETY: evaluate_below_safety,
    OVERSTOCK: evaluate_overstock,
    NEAR_EXPIRY: evaluate_near_expiry,
    NO_MOVEMENT: evaluate_no_movement,
    AGED_STOCK: evaluate_aged_stock,
}
assert set(EVALUATORS) == set(HEALTH_KINDS)


def evaluate_dealer(dealer_id: int, *, today: date | None = None) -> dict[str, SyncResult]:
    """Evaluate every health condition of one dealer and sync its alerts (one transaction per kind)."""
    today = today or timezone.localdate()
    policy = policy_for_dealer(dealer_id)
    return {
        kind: sync_alerts(dealer_id=dealer_id, kind=kind, active=evaluator(policy, today))
        for kind, evaluator in EVALUATORS.items()
    }


def dealers_to_evaluate() -> list[int]:
    """Dealers with stock, stock settings, or live health alerts (which may need resolving)."""
    ids = set(StockLevel.objects.filter(is_virtual=False).values_list("dealer_id", flat=True).distinct())
    ids |= set(ItemSiteSettings.objects.values_list("dealer_id", flat=True).distinct())
    ids |= set(
        Alert.objects.filter(Q(kind__in=HEALTH_KINDS), status__in=LIVE_STATUSES)
        .values_list("dealer_id", flat=True)
        .distinct()
    )
    return sorted(ids)


def evaluate_all_dealers(*, today: date | None = None) -> dict[int, dict[str, SyncResult]]:
    """The periodic job's body: every dealer, each evaluated on its own (one failing does not stop others)."""
    results = {}
    for dealer_id in dealers_to_evaluate():
        try:
            results[dealer_id] = evaluate_dealer(dealer_id, today=today)
        except Exception:
            logger.exception("inventory health evaluation failed for dealer %s", dealer_id)
    return results
