"""Helpers shared by the catalog models' validation."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext_lazy as _


def other_dealer_error(owner: Model, related: Model | None) -> ValidationError | None:
    """A catalog row may only point at rows of its own dealer."""
    if related is None or owner.dealer_id is None:
        return None
    if related.dealer_id != owner.dealer_id:
        return ValidationError(_("This record belongs to another dealer."), code="other_dealer")
    return None


def validate_positive(value: Decimal | None) -> None:
    if value is not None and value <= 0:
        raise ValidationError(_("Must be greater than zero."), code="not_positive")


def validate_brand(company: Model | None) -> ValidationError | None:
    if company is not None and not company.is_brand:
        return ValidationError(_("This company is not a brand."), code="not_a_brand")
    return None
