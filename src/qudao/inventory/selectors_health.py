"""Reads of inventory health: the dealer's policy, stock ageing (FIFO layers), in transit, problem counts.

Every selector starts from `scoped(queryset, actor)`; the ageing report aggregates in SQL (a window
over the receipts of each site × item), so it stays one query however many levels there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from qudao.alerts.models import Alert
from qudao.alerts.states import LIVE_STATUSES
from qudao.core.quantity import QUANTITY_PLACES
from qudao.core.scoping import Actor, scoped
from qudao.inventory.choices import MoveState
from qudao.inventory.health_rules import BUCKETS, bucket_cutoffs
from qudao.inventory.models import InventoryPolicy, Location, StockLevel, StockMove, TransferLine
from qudao.inventory.selectors_documents import OPEN_TRANSFER_STATES

_ZERO = Value(0, output_field=DecimalField(max_digits=20, decimal_places=3))
_STEP = Decimal(1).scaleb(-QUANTITY_PLACES)

#: the alert kinds the inventory health evaluators raise, in the order they are shown
HEALTH_KINDS = (
    "inventory.stock_out_with_demand",
    "inventory.below_safety_stock",
    "inventory.overstock",
    "inventory.near_expiry",
    "inventory.no_movement",
    "inventory.aged_stock",
)


@dataclass(frozen=True)
class EffectivePolicy:
    """A dealer's thresholds: its InventoryPolicy row, or the defaults when it has none."""

    dealer_id: int
    no_movement_days: int = 30
    near_expiry_percent: int = 30
    evaluate_overstock: bool = True
    ageing_bucket_1_days: int = 30
    ageing_bucket_2_days: int = 60
    ageing_bucket_3_days: int = 90
    is_default: bool = True

    @property
    def edges(self) -> tuple[int, int, int]:
        return (self.ageing_bucket_1_days, self.ageing_bucket_2_days, self.ageing_bucket_3_days)

    @classmethod
    def of(cls, policy: InventoryPolicy) -> EffectivePolicy:
        return cls(
            dealer_id=policy.dealer_id,
            no_movement_days=policy.no_movement_days,
            near_expiry_percent=policy.near_expiry_percent,
            evaluate_overstock=policy.evaluate_overstock,
            ageing_bucket_1_days=policy.ageing_bucket_1_days,
            ageing_bucket_2_days=policy.ageing_bucket_2_days,
            ageing_bucket_3_days=policy.ageing_bucket_3_days,
            is_default=False,
        )


def policy_for_dealer(dealer_id: int) -> EffectivePolicy:
    """The policy the evaluators apply to one dealer (system use: no actor)."""
    policy = InventoryPolicy.objects.filter(dealer_id=dealer_id).first()
    return EffectivePolicy.of(policy) if policy is not None else EffectivePolicy(dealer_id=dealer_id)


def get_inventory_policy(*, actor: Actor, dealer_id: int) -> EffectivePolicy:
    """The policy of a dealer the actor sees (NotFound otherwise: callers check with `require_dealer`)."""
    policy = scoped(InventoryPolicy.objects.all(), actor).filter(dealer_id=dealer_id).first()
    return EffectivePolicy.of(policy) if policy is not None else EffectivePolicy(dealer_id=dealer_id)


#: the part of an arrival still on hand: what is left of the total after the newer arrivals
_ATTRIBUTED = "(CASE WHEN o.qty - a.newer < a.quantity THEN o.qty - a.newer ELSE a.quantity END)"


def _quantity(value) -> Decimal:
    if value is None:
        return Decimal(0)
    return Decimal(str(value)).quantize(_STEP)


def _date_param(value: date):
    return connection.ops.adapt_datefield_value(value)


def list_stock_ageing(
    *,
    actor: Actor,
    site: int | None = None,
    item_id: int | None = None,
    dealer_id: int | None = None,
    edges: tuple[int, int, int] | None = None,
    today: date | None = None,
) -> list[dict]:
    """On hand per site × item split into ageing buckets by receipt age (FIFO layers, newest first).

    Stock arrives at a site by a done move from a virtual location (supplier, customer return,
    inventory found, in transit) into one of its internal locations; the quantity on hand is
    attributed to the most recent arrivals first. Buckets: ≤ edge1, ≤ edge2, ≤ edge3, older.
    `edges` default to the policy of the row's dealer.
    """
    today = today or timezone.localdate()
    levels = scoped(StockLevel.objects.filter(is_virtual=False, site__isnull=False), actor)
    if site is not None:
        levels = levels.filter(site_id=site)
    if item_id is not None:
        levels = levels.filter(item_id=item_id)
    if dealer_id is not None:
        levels = levels.filter(dealer_id=dealer_id)
    on_hand_sql, on_hand_params = (
        levels.values("dealer_id", "site_id", "item_id")
        .annotate(qty=Sum("on_hand"))
        .filter(qty__gt=0)
        .order_by()
        .query.sql_with_params()
    )
    dealer_edges: dict[int, tuple[int, int, int]] = {}
    if edges is None:
        dealer_ids = set(levels.order_by().values_list("dealer_id", flat=True).distinct())
        dealer_edges = {d: policy_for_dealer(d).edges for d in dealer_ids}
    cases, params = [], []
    # one CASE per bucket and per distinct edge set: a dealer's edges decide its rows' buckets
    edge_sets = sorted(set(dealer_edges.values())) if edges is None else [edges]
    for n, name in enumerate(BUCKETS):
        parts = []
        for edge_set in edge_sets:
            cutoffs = bucket_cutoffs(today, edge_set)
            dealers = [d for d, e in dealer_edges.items() if e == edge_set] if edges is None else None
            if n == 0:
                cond, cond_params = "a.effective_date >= %s", [cutoffs[0]]
            elif n < len(BUCKETS) - 1:
                cond = "a.effective_date < %s AND a.effective_date >= %s"
                cond_params = [cutoffs[n - 1], cutoffs[n]]
            else:
                cond, cond_params = "a.effective_date < %s", [cutoffs[2]]
            if dealers is not None:
                cond = f"o.dealer_id IN ({', '.join(['%s'] * len(dealers))}) AND {cond}"
                cond_params = [*dealers, *cond_params]
            parts.append((cond, [_date_param(p) if isinstance(p, date) else p for p in cond_params]))
        if not parts:
            cases.append(f"0 AS {name}")
            continue
        when = " ".join(f"WHEN {cond} THEN {_ATTRIBUTED}" for cond, _p in parts)
        cases.append(f"COALESCE(SUM(CASE {when} ELSE 0 END), 0) AS {name}")
        for _cond, p in parts:
            params.extend(p)
    move, location = StockMove._meta.db_table, Location._meta.db_table
    narrow, narrow_params = "", []
    for column, value in (("site_id", site), ("item_id", item_id), ("dealer_id", dealer_id)):
        if value is not None:
            narrow += f" AND m.{column} = %s"
            narrow_params.append(value)
    # table names come from the models, every value is a parameter; the CASEs are built above.
    # One join between the on-hand totals and the arrivals ranked newest first per site × item.
    sql = f"""
        WITH onhand AS ({on_hand_sql}),
        arrivals AS (
            SELECT m.site_id, m.item_id, m.effective_date, m.quantity,
                   SUM(m.quantity) OVER (
                       PARTITION BY m.site_id, m.item_id
                       ORDER BY m.effective_date DESC, m.id DESC
                       ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
                   ) - m.quantity AS newer
            FROM {move} m
            JOIN {location} dst ON dst.id = m.to_location_id
            JOIN {location} src ON src.id = m.from_location_id
            WHERE m.state = %s AND dst.is_virtual = %s AND src.is_virtual = %s
              AND m.site_id IS NOT NULL AND m.dealer_id IN (SELECT DISTINCT dealer_id FROM onhand){narrow}
        )
        SELECT o.dealer_id, o.site_id, o.item_id, o.qty, {", ".join(cases)}
        FROM onhand o
        LEFT JOIN arrivals a ON a.site_id = o.site_id AND a.item_id = o.item_id AND a.newer < o.qty
        GROUP BY o.dealer_id, o.site_id, o.item_id, o.qty
        ORDER BY o.site_id, o.item_id
    """  # noqa: S608
    all_params = [*on_hand_params, MoveState.DONE, False, True, *narrow_params, *params]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # the grouped CTEs' row estimates are poor: a nested loop over them is quadratic
            cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute(sql, all_params)
        rows = cursor.fetchall()
    out = []
    for dealer, site_id, item, qty, *buckets in rows:
        row = {"dealer_id": dealer, "site_id": site_id, "item_id": item, "on_hand": _quantity(qty)}
        row.update({name: _quantity(value) for name, value in zip(BUCKETS, buckets, strict=True)})
        out.append(row)
    return out


def in_transit_quantities(*, dealer_ids, site_ids=None, item_ids=None) -> dict[tuple[int, int], Decimal]:
    """Quantity on its way to each (destination site, item): shipped − received on open transfers."""
    lines = TransferLine.objects.filter(
        transfer__dealer_id__in=list(dealer_ids), transfer__state__in=OPEN_TRANSFER_STATES
    )
    if site_ids is not None:
        lines = lines.filter(transfer__to_site_id__in=list(site_ids))
    if item_ids is not None:
        lines = lines.filter(item_id__in=list(item_ids))
    rows = (
        lines.values("item_id", to_site=F("transfer__to_site_id"))
        .annotate(qty=Sum(F("shipped_quantity") - F("received_quantity")))
        .order_by()
    )
    return {(r["to_site"], r["item_id"]): r["qty"] for r in rows}


def list_health_counts(*, actor: Actor, site_id: int | None = None) -> list[dict]:
    """Current (live) inventory problems per kind at what the actor sees: open and acknowledged alerts."""
    qs = scoped(Alert.objects.filter(kind__in=HEALTH_KINDS, status__in=LIVE_STATUSES), actor)
    if site_id is not None:
        qs = qs.filter(site_id=site_id)
    counts = {
        r["kind"]: r
        for r in qs.values("kind")
        .annotate(
            total=Count("pk"),
            critical=Count("pk", filter=Q(severity="critical")),
            acknowledged=Count("pk", filter=Q(status="acknowledged")),
        )
        .order_by()
    }
    return [
        {
            "kind": kind,
            "count": counts.get(kind, {}).get("total", 0),
            "critical": counts.get(kind, {}).get("critical", 0),
            "acknowledged": counts.get(kind, {}).get("acknowledged", 0),
        }
        for kind in HEALTH_KINDS
    ]


def site_item_totals(levels: QuerySet) -> QuerySet:
    """Group levels by (dealer, site, item) with on hand, reserved and available totals."""
    return (
        levels.values("dealer_id", "site_id", "item_id")
        .annotate(
            on_hand_total=Coalesce(Sum("on_hand"), _ZERO),
            reserved_total=Coalesce(Sum("reserved"), _ZERO),
        )
        .annotate(available_total=F("on_hand_total") - F("reserved_total"))
        .order_by()
    )
