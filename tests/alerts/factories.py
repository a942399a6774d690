"""Factories of the alerts app's tests: test alert kinds and alerts raised through the service."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from qudao.accounts.actors import build_actor
from qudao.alerts.models import Alert
from qudao.alerts.registry import register_alert_kind, register_alert_message
from qudao.alerts.services import raise_alert
from qudao.core.scoping import Actor

LOW_STOCK = "testing.low_stock"
OVERSTOCK = "testing.overstock"

register_alert_kind(
    LOW_STOCK,
    label=_("Low stock (test)"),
    template=_("%(item)s: %(available)s available, safety stock %(safety)s."),
)
register_alert_kind(OVERSTOCK, label=_("Overstock (test)"))
register_alert_message("testing.low_stock.zero", _("%(item)s is out of stock."))


def make_alert(dealer, *, dedupe_key: str = "item:1@site:1", **fields: Any) -> Alert:
    values: dict[str, Any] = {
        "kind": LOW_STOCK,
        "severity": "warning",
        "subject_type": "catalog.item",
        "subject_id": "1",
        "subject_label": "可口可乐 330ml",
        "params": {"item": "可口可乐 330ml", "available": "3", "safety": "10"},
    }
    values.update(fields)
    return raise_alert(dealer_id=dealer.pk, dedupe_key=dedupe_key, **values)


def actor_for(user) -> Actor:
    return build_actor(user)
