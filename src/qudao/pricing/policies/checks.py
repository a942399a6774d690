"""Which fields a price list or a promotion needs, by its kind: pure checks returning field problems."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from qudao.pricing.choices import PriceListScope, PromotionKind

SCOPE_TARGET = {
    PriceListScope.CHANNEL: "channel_id",
    PriceListScope.CUSTOMER_GROUP: "customer_group_id",
    PriceListScope.REGION: "region_id",
    PriceListScope.CUSTOMER: "customer_id",
}
TARGET_FIELDS = tuple(SCOPE_TARGET.values())

#: kind → fields it needs
PROMOTION_NEEDS = {
    PromotionKind.PERCENT_OFF: ("percent",),
    PromotionKind.ORDER_PERCENT: ("percent",),
    PromotionKind.AMOUNT_OFF: ("amount",),
    PromotionKind.ORDER_AMOUNT: ("amount",),
    PromotionKind.SPEND_SAVE: ("threshold", "amount"),
    PromotionKind.BUNDLE: ("bundle_price", "bundle"),
    PromotionKind.BUY_GET: ("buy_quantity", "gift_quantity"),
}


def price_list_problems(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """A list's scope names exactly its target: a channel list a channel, a default list nothing."""
    problems = []
    target = SCOPE_TARGET.get(data.get("scope"))
    for name in TARGET_FIELDS:
        if name == target and not data.get(name):
            problems.append((name, _("Required for a list of this kind.")))
        elif name != target and data.get(name):
            problems.append((name, _("Only a list of the matching kind names this.")))
    if data.get("valid_from") and data.get("valid_to") and data["valid_to"] < data["valid_from"]:
        problems.append(("valid_to", _("The end is before the start.")))
    return problems


def promotion_problems(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    problems = []
    kind = data.get("kind")
    for name in PROMOTION_NEEDS.get(kind, ()):
        if data.get(name) in (None, [], ""):
            problems.append((name, _("Required for a promotion of this kind.")))
    if kind == PromotionKind.BUNDLE and data.get("bundle") is not None:
        ids = [part["item_id"] for part in data["bundle"]]
        if len(set(ids)) != len(ids):
            problems.append(("bundle", _("Name each item once.")))
    if kind != PromotionKind.BUNDLE and data.get("bundle"):
        problems.append(("bundle", _("Only bundle promotions have components.")))
    if data.get("valid_from") and data.get("valid_to") and data["valid_to"] < data["valid_from"]:
        problems.append(("valid_to", _("The end is before the start.")))
    return problems
