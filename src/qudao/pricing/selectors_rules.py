"""Load every rule that can apply to one basket, in a constant number of queries (independent of the
number of lines): the items, the ship-to region chain, the promotions and coupons with their targets,
the price list tiers of the context's lists, and the floors. Returns pure facts (policies/facts.py).

This is the engine's hot path (a 100-line basket against 10,000 rules in a few milliseconds), so the
queries are plain parameterised SQL over the models' tables: building ten ORM querysets per basket cost
more than running them. Decimals are rebuilt exactly (SQLite hands back floats for numeric columns).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from django.db import connection

from qudao.catalog.models import Category, Item
from qudao.core.money import DEFAULT_CURRENCY
from qudao.org.models import Region
from qudao.pricing.contracts import PricingContext
from qudao.pricing.models import BundleComponent, Coupon, PriceFloor, PriceList, PriceListItem, Promotion
from qudao.pricing.policies.facts import (
    CouponFacts,
    FloorRule,
    ItemFacts,
    PriceCandidate,
    PromotionRule,
    RuleSet,
)

PROMOTION_COLUMNS = (
    "id",
    "code",
    "name",
    "kind",
    "priority",
    "stackable",
    "min_quantity",
    "min_amount",
    "limit_per_order",
    "percent",
    "amount",
    "threshold",
    "repeat",
    "bundle_price",
    "buy_quantity",
    "gift_item_id",
    "gift_quantity",
)
DECIMAL_COLUMNS = {
    "min_quantity",
    "min_amount",
    "percent",
    "amount",
    "threshold",
    "bundle_price",
    "buy_quantity",
    "gift_quantity",
}


def dec(value: Any) -> Decimal | None:
    """A numeric column as an exact Decimal (SQLite returns floats/ints for DECIMAL columns)."""
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def _in(column: str, values: Sequence[Any]) -> tuple[str, list]:
    """`column IN (...)` as SQL and its parameters: one array parameter on PostgreSQL (= ANY(%s), parsed
    and planned once whatever the length), a list of placeholders elsewhere."""
    values = list(values)
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [values]
    if not values:
        return "1 = 0", []
    return f"{column} IN ({', '.join(['%s'] * len(values))})", values


def _fetch(sql: str, params: Sequence[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.fetchall()


def _valid(alias: str) -> str:
    return (
        f"({alias}.valid_from IS NULL OR {alias}.valid_from <= %s) "
        f"AND ({alias}.valid_to IS NULL OR {alias}.valid_to >= %s)"
    )


def region_chain(region_id: int | None) -> dict[int, int]:
    """region id → depth (province 1, city 2, county 3) of the ship-to region and its ancestors."""
    if region_id is None:
        return {}
    table = Region._meta.db_table
    rows = _fetch(
        f"SELECT r.id, r.parent_id, p.parent_id FROM {table} r LEFT JOIN {table} p ON p.id = r.parent_id "  # noqa: S608 (model tables)
        "WHERE r.id = %s",
        [region_id],
    )
    if not rows:
        return {}
    rid, parent, grandparent = rows[0]
    chain = [r for r in (grandparent, parent, rid) if r is not None]
    return {r: depth for depth, r in enumerate(chain, start=1)}


def item_facts(
    item_id: int, sku: str, name: str, tax_rate: Any, list_price: Any, currency: str, path: str | None
) -> ItemFacts:
    """An item as the engine sees it; `path` is its category's materialised path ("/1/7/")."""
    categories = frozenset(int(part) for part in (path or "").strip("/").split("/") if part)
    return ItemFacts(item_id, sku, name, dec(tax_rate), dec(list_price), currency, categories)


#: (dealer id, item facts by id) a caller has just read in this transaction (see `known_items`)
_KNOWN_ITEMS: ContextVar[tuple[int, Mapping[int, ItemFacts]] | None] = ContextVar(
    "pricing_known_items", default=None
)


@contextmanager
def known_items(dealer_id: int, facts: Mapping[int, ItemFacts]) -> Iterator[None]:
    """Item facts the caller has just read (the order center reads its lines' items with their
    category paths): `load_items` takes them instead of reading the same rows again. Items not
    among them (gifts, another dealer's) are read as usual."""
    token = _KNOWN_ITEMS.set((dealer_id, facts))
    try:
        yield
    finally:
        _KNOWN_ITEMS.reset(token)


def load_items(dealer_id: int, item_ids: Iterable[int]) -> dict[int, ItemFacts]:
    ids = sorted(set(item_ids))
    if not ids:
        return {}
    known = _KNOWN_ITEMS.get()
    if known is not None and known[0] == dealer_id and all(i in known[1] for i in ids):
        return {i: known[1][i] for i in ids}
    ids_sql, ids_params = _in("i.id", ids)
    rows = _fetch(
        "SELECT i.id, i.sku, i.name, i.tax_rate, i.list_price, i.currency, c.path "  # noqa: S608 (model tables)
        f"FROM {Item._meta.db_table} i "
        f"LEFT JOIN {Category._meta.db_table} c ON c.id = i.category_id "
        f"WHERE i.dealer_id = %s AND {ids_sql}",
        [dealer_id, *ids_params],
    )
    return {row[0]: item_facts(*row) for row in rows}


def _promotion_rows(context: PricingContext, where: str, params: Sequence[Any]) -> list[dict]:
    columns = ", ".join(f"p.{c}" for c in PROMOTION_COLUMNS)
    sql = (
        f"SELECT {columns} FROM {Promotion._meta.db_table} p WHERE p.dealer_id = %s AND p.is_active = %s "  # noqa: S608 (model tables)
        f"AND {_valid('p')} AND (p.channel_id IS NULL OR p.channel_id = %s) "
        f"AND (p.customer_group_id IS NULL OR p.customer_group_id = %s) AND {where}"
    )
    head = [context.dealer_id, True, context.on, context.on, context.channel_id, context.customer_group_id]
    return [dict(zip(PROMOTION_COLUMNS, row, strict=True)) for row in _fetch(sql, head + list(params))]


def _promotion_rules(rows: list[dict]) -> dict[int, PromotionRule]:
    ids = [row["id"] for row in rows]
    items, categories, bundles = defaultdict(set), defaultdict(set), defaultdict(list)
    if ids:
        items_table = Promotion.items.through._meta.db_table
        cats_table = Promotion.categories.through._meta.db_table
        ids_sql, ids_params = _in("promotion_id", ids)
        sql = (
            f"SELECT 'i', promotion_id, item_id, CAST(NULL AS NUMERIC), id FROM {items_table} "  # noqa: S608 (model tables)
            f"WHERE {ids_sql} UNION ALL "
            f"SELECT 'c', promotion_id, category_id, CAST(NULL AS NUMERIC), id FROM {cats_table} "
            f"WHERE {ids_sql} UNION ALL "
            f"SELECT 'b', promotion_id, item_id, quantity, id FROM {BundleComponent._meta.db_table} "
            f"WHERE {ids_sql} ORDER BY 1, 2, 5"
        )
        for kind, pid, target, quantity, _pk in _fetch(sql, ids_params * 3):
            if kind == "i":
                items[pid].add(target)
            elif kind == "c":
                categories[pid].add(target)
            else:
                bundles[pid].append((target, dec(quantity)))
    out = {}
    for row in rows:
        values = {k: (dec(v) if k in DECIMAL_COLUMNS else v) for k, v in row.items()}
        values["stackable"], values["repeat"] = bool(values["stackable"]), bool(values["repeat"])
        out[row["id"]] = PromotionRule(
            **values,
            item_ids=frozenset(items[row["id"]]),
            category_ids=frozenset(categories[row["id"]]),
            bundle=tuple(bundles[row["id"]]),
        )
    return out


def _automatic_promotions(context: PricingContext, items: dict[int, ItemFacts]) -> list[dict]:
    """Active promotions without coupon whose targets can match the basket (or that target everything)."""
    item_ids = sorted(items)
    category_ids = sorted(set().union(*(i.category_ids for i in items.values())))
    items_table = Promotion.items.through._meta.db_table
    cats_table = Promotion.categories.through._meta.db_table
    item_sql, item_params = _in("t.item_id", item_ids)
    category_sql, category_params = _in("t.category_id", category_ids)
    where = (
        "p.requires_coupon = %s AND ("  # noqa: S608 (model tables)
        f"EXISTS (SELECT 1 FROM {items_table} t WHERE t.promotion_id = p.id AND {item_sql}) "
        f"OR EXISTS (SELECT 1 FROM {cats_table} t WHERE t.promotion_id = p.id AND {category_sql}) "
        f"OR (NOT EXISTS (SELECT 1 FROM {items_table} t WHERE t.promotion_id = p.id) "
        f"AND NOT EXISTS (SELECT 1 FROM {cats_table} t WHERE t.promotion_id = p.id)))"
    )
    return _promotion_rows(context, where, [False, *item_params, *category_params])


def _coupon_facts(
    context: PricingContext, rows: list[tuple], promos: dict[int, PromotionRule], automatic: set[int]
) -> list[CouponFacts]:
    """Why each given code can or cannot be used; a coupon of a promotion that applies anyway
    (not coupon-only) is refused as `automatic` rather than applied twice."""
    by_code = {row[1]: row for row in rows}
    out = []
    for code in context.coupon_codes:
        row = by_code.get(code)
        reason = None
        if row is None:
            reason = "unknown"
        else:
            (
                _coupon_id,
                _code,
                promotion_id,
                customer_id,
                valid_from,
                valid_to,
                active,
                redeemed_at,
                promo_active,
            ) = row
            valid_from, valid_to = _date(valid_from), _date(valid_to)
            if redeemed_at is not None:
                reason = "already_used"
            elif not active or not promo_active:
                reason = "inactive"
            elif (valid_from and valid_from > context.on) or (valid_to and valid_to < context.on):
                reason = "expired"
            elif customer_id is not None and customer_id != context.customer_id:
                reason = "other_customer"
            elif promotion_id not in promos:
                reason = "not_applicable"
            elif promotion_id in automatic:
                reason = "automatic"
        out.append(
            CouponFacts(
                code=code,
                coupon_id=row[0] if row else None,
                promotion=None if reason else promos[row[2]],
                rejected=reason,
            )
        )
    return out


def _date(value: Any):
    from datetime import date

    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def load_rules(context: PricingContext, item_ids: Iterable[int]) -> RuleSet:
    """Every fact the engine needs for a basket of these items in this context."""
    dealer_id = context.dealer_id
    items = load_items(dealer_id, item_ids)
    chain = region_chain(context.region_id)
    promo_rows = _automatic_promotions(context, items) if items else []
    automatic_ids = [row["id"] for row in promo_rows]
    coupon_rows: list[tuple] = []
    if context.coupon_codes:
        codes = list(context.coupon_codes)
        coupon_rows = _fetch(
            "SELECT c.id, c.code, c.promotion_id, c.customer_id, c.valid_from, c.valid_to, c.is_active, "  # noqa: S608 (model tables)
            f"c.redeemed_at, p.is_active FROM {Coupon._meta.db_table} c "
            f"JOIN {Promotion._meta.db_table} p ON p.id = c.promotion_id "
            f"WHERE c.dealer_id = %s AND {_in('c.code', codes)[0]}",
            [dealer_id, *_in("c.code", codes)[1]],
        )
        wanted = sorted({row[2] for row in coupon_rows} - set(automatic_ids))
        if wanted:
            promo_rows += _promotion_rows(context, *_in("p.id", wanted))
    promos = _promotion_rules(promo_rows)
    gift_ids = {p.gift_item_id for p in promos.values() if p.gift_item_id} - set(items)
    if gift_ids:
        items.update(load_items(dealer_id, gift_ids))
    return RuleSet(
        items=items,
        prices=_price_candidates(context, items, chain),
        promotions=[promos[pid] for pid in automatic_ids],
        floors=_floors(context, items, chain),
        coupons=_coupon_facts(context, coupon_rows, promos, set(automatic_ids)),
        currency=next((i.currency for i in items.values()), DEFAULT_CURRENCY),
    )


def _price_candidates(context: PricingContext, items: dict[int, ItemFacts], chain: dict[int, int]):
    if not items:
        return {}
    scopes, params = ["pl.scope = %s"], ["default"]
    for scope, column, value in (
        ("customer", "customer_id", context.customer_id),
        ("customer_group", "customer_group_id", context.customer_group_id),
        ("channel", "channel_id", context.channel_id),
    ):
        if value:
            scopes.append(f"(pl.scope = %s AND pl.{column} = %s)")
            params += [scope, value]
    if chain:
        region_sql, region_params = _in("pl.region_id", list(chain))
        scopes.append(f"(pl.scope = %s AND {region_sql})")
        params += ["region", *region_params]
    ids = sorted(items)
    rows = _fetch(
        "SELECT pli.price_list_id, pl.code, pl.scope, pl.priority, pl.region_id, pl.currency, pli.item_id, "  # noqa: S608 (model tables)
        f"pli.min_quantity, pli.unit_price FROM {PriceListItem._meta.db_table} pli "
        f"JOIN {PriceList._meta.db_table} pl ON pl.id = pli.price_list_id "
        f"WHERE pl.dealer_id = %s AND pl.is_active = %s AND {_valid('pl')} AND ({' OR '.join(scopes)}) "
        f"AND {_in('pli.item_id', ids)[0]}",
        [context.dealer_id, True, context.on, context.on, *params, *_in("pli.item_id", ids)[1]],
    )
    out: dict[int, list[PriceCandidate]] = defaultdict(list)
    for list_id, code, scope, priority, region_id, currency, item_id, min_qty, price in rows:
        if currency != items[item_id].currency:
            continue
        out[item_id].append(
            PriceCandidate(
                list_id, code, scope, priority, item_id, dec(min_qty), dec(price), chain.get(region_id, 0)
            )
        )
    return out


def _floors(context: PricingContext, items: dict[int, ItemFacts], chain: dict[int, int]):
    if not items:
        return {}
    ids, regions = sorted(items), list(chain)
    rows = _fetch(
        f"SELECT f.id, f.item_id, f.floor_price, f.region_id FROM {PriceFloor._meta.db_table} f "  # noqa: S608 (model tables)
        f"WHERE f.dealer_id = %s AND f.is_active = %s AND {_valid('f')} "
        f"AND (f.region_id IS NULL OR {_in('f.region_id', regions)[0]}) AND {_in('f.item_id', ids)[0]}",
        [
            context.dealer_id,
            True,
            context.on,
            context.on,
            *_in("f.region_id", regions)[1],
            *_in("f.item_id", ids)[1],
        ],
    )
    out: dict[int, list[FloorRule]] = defaultdict(list)
    for fid, item_id, price, region_id in rows:
        out[item_id].append(FloorRule(fid, item_id, dec(price), chain.get(region_id, 0) if region_id else 0))
    return out
