"""Helpers shared by the org services: field errors, model validation, protected deletes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from qudao.core.errors import DuplicateRecord, ValidationFailed
from qudao.org.errors import InUse
from qudao.org.models import Region


class FieldErrors:
    """Collect every field error of a request, then raise them together (422, details per field)."""

    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, field: str, message: Any) -> None:
        self.items.append({"field": field, "message": str(message)})

    def has(self, field: str) -> bool:
        return any(item["field"] == field for item in self.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationFailed(details=self.items)


def validate_instance(
    instance: models.Model,
    *,
    errors: FieldErrors,
    rename: Mapping[str, str] | None = None,
    exclude: Iterable[str] = (),
) -> None:
    """Run the model's own field validation (lengths, choices, validators) into `errors`."""
    rename = rename or {}
    # a field already reported (e.g. an unknown region code) is not reported twice
    skip = set(exclude) | {f.name for f in instance._meta.fields if errors.has(rename.get(f.name, f.name))}
    try:
        instance.full_clean(exclude=sorted(skip), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            for message in messages:
                errors.add(rename.get(field, field), message)


def region_for_code(code: Any, *, errors: FieldErrors, field: str = "region_code") -> Region | None:
    """The region with this 6-digit code, None for an empty value; an unknown code is a field error."""
    if code in (None, ""):
        return None
    region = Region.objects.filter(code=str(code)).select_related("parent__parent").first()
    if region is None:
        errors.add(field, _("There is no region with the code “%(code)s”.") % {"code": code})
    return region


def region_coordinates(region: Region | None) -> tuple[Any, Any] | None:
    """(latitude, longitude) of the region, else of its city, else of its province."""
    while region is not None:
        if region.latitude is not None and region.longitude is not None:
            return region.latitude, region.longitude
        region = region.parent
    return None


def save_unique(instance: models.Model, *, field: str = "code", **save_kwargs: Any) -> None:
    """Save; a unique constraint hit by a concurrent writer is a 409 naming `field`, not a 500."""
    try:
        with transaction.atomic():
            instance.save(**save_kwargs)
    except IntegrityError as exc:
        raise DuplicateRecord(
            details=[{"field": field, "message": _("This value is already used.")}]
        ) from exc


def duplicate(field: str) -> DuplicateRecord:
    return DuplicateRecord(details=[{"field": field, "message": _("This value is already used.")}])


def delete_unless_used(instance: models.Model) -> None:
    """Delete a row nobody references; a protected reference answers 409 `in_use` naming the users."""
    try:
        with transaction.atomic():
            instance.delete()
    except (ProtectedError, RestrictedError) as exc:
        objects = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", ())
        used_by = sorted({str(obj._meta.verbose_name_plural) for obj in objects})
        raise InUse(record=str(instance), used_by=", ".join(used_by), details={"used_by": used_by}) from exc


def changed(instance: models.Model, values: Mapping[str, Any]) -> list[str]:
    """Apply `values` to `instance`; return the names whose value really changed."""
    names = []
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            names.append(name)
    return names
