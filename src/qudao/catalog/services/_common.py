"""What every catalog service does: check the write scope, resolve ids in a body, validate, refuse
duplicates, and announce changes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ForeignKey, Model
from django.utils.translation import gettext as _

from qudao.catalog.errors import VALIDATION_CODES
from qudao.core.errors import DuplicateRecord, NotFound, PermissionDeniedError, QudaoError, ValidationFailed
from qudao.core.scoping import Actor, require_dealer, scoped

#: fields whose changes are not news (bookkeeping)
_UNTRACKED = frozenset({"created_at", "updated_at"})


def ensure_writable(actor: Actor, dealer_id: int | None) -> None:
    """Only the dealer's own staff (or a platform administrator) change its catalog."""
    if actor.is_platform_admin or (dealer_id is not None and dealer_id in actor.own_dealers):
        return
    raise PermissionDeniedError(
        _("You cannot change the catalog of a company you do not work for."), details={"dealer_id": dealer_id}
    )


def resolve_dealer(actor: Actor, dealer_id: int | None) -> int:
    """The dealer a new row goes to; an id the actor cannot write to is a field error of the body."""
    try:
        return require_dealer(actor, dealer_id)
    except NotFound as exc:
        raise ValidationFailed(
            details=[
                {"field": "dealer_id", "message": _("You do not work for this dealer."), "code": "unknown"}
            ]
        ) from exc


class References:
    """Resolves the ids of a request body within the actor's data scope, collecting every unknown one."""

    def __init__(self, actor: Actor):
        self.actor = actor
        self.errors: list[dict[str, str]] = []

    def get(self, model: type[Model], pk: int | None, field: str, **filters: Any) -> Any:
        if pk is None:
            return None
        obj = scoped(model._default_manager.filter(**filters), self.actor).filter(pk=pk).first()
        if obj is None:
            self.errors.append(
                {
                    "field": field,
                    "message": _("No such record, or it is not visible to you."),
                    "code": "unknown",
                }
            )
        return obj

    def add(self, field: str, message: str, code: str = "invalid") -> None:
        self.errors.append({"field": field, "message": message, "code": code})

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationFailed(details=self.errors)


def api_field_name(model: type[Model], name: str) -> str:
    """How the API names a model field: foreign keys as `<name>_id`."""
    if name == NON_FIELD_ERRORS:
        return name
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:  # a name that is not a field (e.g. from a custom clean): keep it as it is
        return name
    return f"{name}_id" if isinstance(field, ForeignKey) else name


def as_api_error(exc: DjangoValidationError, model: type[Model]) -> QudaoError:
    """A Django ValidationError → the catalog error its code names (else validation_error), with details."""
    error_class: type[QudaoError] = ValidationFailed
    details: list[dict[str, str]] = []
    error_dict = exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.error_list}
    for name, errors in error_dict.items():
        for error in errors:
            code = error.code or "invalid"
            if error_class is ValidationFailed and code in VALIDATION_CODES:
                error_class = VALIDATION_CODES[code]
            details.append(
                {"field": api_field_name(model, name), "message": " ".join(error.messages), "code": code}
            )
    return error_class(details=details)


def validate_instance(instance: Model) -> None:
    """Run the model's field and cross-field rules (clean()); uniqueness is checked by ensure_unique."""
    try:
        instance.full_clean(validate_unique=False, validate_constraints=False)
    except DjangoValidationError as exc:
        raise as_api_error(exc, type(instance)) from exc


def ensure_unique(instance: Model, fields: Iterable[str], *, report_as: str) -> None:
    """409 `duplicate` when another row has the same values for `fields`."""
    lookup = {}
    for name in fields:
        field = instance._meta.get_field(name)
        lookup[field.attname] = getattr(instance, field.attname)
    others = type(instance)._default_manager.filter(**lookup)
    if instance.pk is not None:
        others = others.exclude(pk=instance.pk)
    if others.exists():
        raise DuplicateRecord(
            details=[{"field": report_as, "message": _("This value is already used."), "code": "duplicate"}]
        )


def tracked_values(instance: Model) -> dict[str, Any]:
    return {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if f.attname not in _UNTRACKED
    }


def stored_values(instance: Model) -> dict[str, Any] | None:
    """The row as it is in the database (None for a new one)."""
    if instance.pk is None:
        return None
    names = [f.attname for f in instance._meta.concrete_fields if f.attname not in _UNTRACKED]
    return type(instance)._default_manager.filter(pk=instance.pk).values(*names).first()


def changed_fields(before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> list[str]:
    if before is None:
        return sorted(after)
    return sorted(name for name, value in after.items() if before.get(name) != value)
