"""The registry of alert kinds: apps declare their kinds with translatable labels and messages.

    register_alert_kind(
        "inventory.below_safety_stock",
        label=_("Below safety stock"),
        template=_("%(item)s at %(site)s: %(available)s available, safety stock %(safety)s."),
    )

Alerts store a `message_key` and `params`; the text is rendered when read, in the reader's
language. A kind may register further messages with `register_alert_message(key, template)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qudao.alerts.policies import format_message

#: alert kinds are dotted names: "<app>.<condition>"
KIND_MAX_LENGTH = 100


@dataclass(frozen=True)
class AlertKind:
    kind: str
    label: Any
    template: Any = None


_KINDS: dict[str, AlertKind] = {}
_MESSAGES: dict[str, Any] = {}


def register_alert_kind(kind: str, label: Any, template: Any = None) -> AlertKind:
    """Declare an alert kind (idempotent for the same declaration). Its template is `kind`'s message."""
    if not kind or len(kind) > KIND_MAX_LENGTH or "." not in kind or kind != kind.strip():
        raise ValueError(f"alert kind {kind!r}: '<app>.<condition>', at most {KIND_MAX_LENGTH} characters")
    entry = AlertKind(kind=kind, label=label, template=template)
    _KINDS[kind] = entry
    if template is not None:
        _MESSAGES[kind] = template
    return entry


def register_alert_message(key: str, template: Any) -> None:
    """A further translatable message template an alert can name in its `message_key`."""
    _MESSAGES[key] = template


def get_alert_kind(kind: str) -> AlertKind | None:
    return _KINDS.get(kind)


def alert_kinds() -> list[AlertKind]:
    return sorted(_KINDS.values(), key=lambda k: k.kind)


def kind_label(kind: str) -> str:
    entry = _KINDS.get(kind)
    return str(entry.label) if entry is not None else kind


def render_message(*, kind: str, message_key: str, params: dict, fallback: str) -> str:
    """The alert's text in the active language; the stored plain message when no template fits."""
    template = _MESSAGES.get(message_key or kind)
    if template is not None:
        text = format_message(str(template), params or {})
        if text is not None:
            return text
    return fallback or kind_label(kind)
