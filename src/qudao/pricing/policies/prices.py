"""Which base price applies to a line, and which floor: pure rules over the loaded facts."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _

from qudao.core.money import quantize_unit_price
from qudao.pricing.contracts import PriceSource
from qudao.pricing.policies.facts import SOURCE_KIND, FloorRule, ItemFacts, PriceCandidate


def resolve_base_price(
    item: ItemFacts, quantity: Decimal, candidates: Iterable[PriceCandidate]
) -> PriceSource | None:
    """The most specific applicable list wins — customer > customer group > channel > region (the
    deepest region of the ship-to's chain) > default — ties by priority (lower first), then id; inside
    the list, the tier with the greatest minimum quantity ≤ quantity. A list whose tiers all start
    above the quantity does not apply. Nothing: the item's list price; no list price either: None."""
    best: dict[int, PriceCandidate] = {}
    for candidate in candidates:
        if candidate.min_quantity > quantity:
            continue
        current = best.get(candidate.price_list_id)
        if current is None or candidate.min_quantity > current.min_quantity:
            best[candidate.price_list_id] = candidate
    if best:
        chosen = min(best.values(), key=lambda c: c.sort_key)
        tiered = chosen.min_quantity > 0
        description = (
            _("%(list)s, from %(quantity)s units")
            % {"list": chosen.price_list_code, "quantity": chosen.min_quantity}
            if tiered
            else str(chosen.price_list_code)
        )
        return PriceSource(
            kind=SOURCE_KIND[chosen.scope],
            unit_price=quantize_unit_price(chosen.unit_price),
            price_list_id=chosen.price_list_id,
            price_list_code=chosen.price_list_code,
            tier_min_quantity=chosen.min_quantity if tiered else None,
            description=description,
        )
    if item.list_price is not None:
        return PriceSource(
            kind="item_list_price",
            unit_price=quantize_unit_price(item.list_price),
            description=_("List price of the item"),
        )
    return None


def resolve_floor(floors: Iterable[FloorRule]) -> Decimal | None:
    """The most specific floor of the item for the ship-to region (county > city > province >
    everywhere); several at the same level: the highest floor."""
    chosen = max(floors, key=lambda f: (f.region_depth, f.floor_price, f.id), default=None)
    return None if chosen is None else quantize_unit_price(chosen.floor_price)
