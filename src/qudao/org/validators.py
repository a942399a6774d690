"""Model-field validators: the pure policies, raised as Django ValidationError (for forms and imports)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from qudao.org import policies


def validate_credit_code(value: str) -> None:
    if not value:
        return
    try:
        policies.validate_credit_code(value)
    except policies.PolicyError as exc:
        raise ValidationError(exc.message, code="invalid_credit_code") from exc


def validate_polygon(value: Any) -> None:
    if value in (None, ""):
        return
    try:
        policies.validate_polygon(value)
    except policies.PolicyError as exc:
        raise ValidationError(exc.message, code="invalid_polygon") from exc


def validate_channel_kinds(value: Any) -> None:
    from qudao.org.models import ChannelKind

    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("Give a list of channel kinds."), code="invalid_channel_kinds")
    unknown = sorted(set(value) - set(ChannelKind.values))
    if unknown:
        raise ValidationError(
            _("Unknown channel kinds: %(kinds)s.") % {"kinds": ", ".join(unknown)},
            code="invalid_channel_kinds",
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("A channel kind is listed twice."), code="invalid_channel_kinds")
