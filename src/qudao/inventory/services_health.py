"""Writes of inventory health: a dealer's policy (thresholds of the evaluators and the ageing report)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from qudao.core.errors import ValidationFailed
from qudao.core.scoping import Actor, require_dealer, require_perm
from qudao.inventory.health_rules import ageing_edges_valid
from qudao.inventory.models import InventoryPolicy

POLICY_FIELDS = (
    "no_movement_days",
    "near_expiry_percent",
    "evaluate_overstock",
    "ageing_bucket_1_days",
    "ageing_bucket_2_days",
    "ageing_bucket_3_days",
)


@transaction.atomic
def set_inventory_policy(*, actor: Actor, dealer_id: int, data: Mapping[str, Any]) -> InventoryPolicy:
    """Create or replace the dealer's policy; fields not given keep their current (or default) value."""
    require_perm(actor, "inventory.change_inventorypolicy")
    dealer_id = require_dealer(actor, dealer_id)
    policy = InventoryPolicy.objects.select_for_update().filter(dealer_id=dealer_id).first()
    if policy is None:
        policy = InventoryPolicy(dealer_id=dealer_id)
    unknown = sorted(set(data) - set(POLICY_FIELDS))
    if unknown:
        raise ValidationFailed(details=[{"field": name, "message": _("Unknown field.")} for name in unknown])
    for name, value in data.items():
        setattr(policy, name, value)
    edges = (policy.ageing_bucket_1_days, policy.ageing_bucket_2_days, policy.ageing_bucket_3_days)
    if not ageing_edges_valid(edges):
        raise ValidationFailed(
            _("The ageing bucket edges must increase: first < second < third."),
            details=[
                {"field": "ageing_bucket_2_days", "message": _("Must be greater than the first edge.")},
                {"field": "ageing_bucket_3_days", "message": _("Must be greater than the second edge.")},
            ],
        )
    policy.full_clean(exclude=["dealer"])
    policy.save()
    return policy
