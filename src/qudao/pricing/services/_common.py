"""What the pricing services share: resolving ids inside the actor's scope and one error per request."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model
from django.utils.translation import gettext as _

from qudao.core.errors import DuplicateRecord, NotFound, StaleVersion, ValidationFailed
from qudao.core.scoping import Actor, get_scoped, scoped


class Problems:
    def __init__(self) -> None:
        self.details: list[dict[str, str]] = []

    def add(self, field: str, message: str, code: str = ValidationFailed.code) -> None:
        self.details.append({"field": field, "code": code, "message": str(message)})

    def extend(self, pairs, prefix: str = "") -> None:
        for field, message in pairs:
            self.add(f"{prefix}{field}", message)

    def raise_if_any(self) -> None:
        if self.details:
            raise ValidationFailed(details=self.details)


def resolve(
    actor: Actor, model: type[Model], pk: Any, field: str, problems: Problems, *, dealer_id: int | None
) -> Model | None:
    """The row `pk` of `model` if the actor may read it and it belongs to `dealer_id`; else a problem."""
    if pk is None:
        return None
    qs = scoped(model._default_manager.all(), actor)
    if dealer_id is not None and hasattr(model, "dealer_id"):
        qs = qs.filter(dealer_id=dealer_id)
    row = qs.filter(pk=pk).first()
    if row is None:
        problems.add(field, _("No such record, or it is not visible to you."))
    return row


def writable(actor: Actor, model: type[Model], pk: Any, **related: Any) -> Model:
    """The row to change (404 outside the write scope), locked."""
    found = get_scoped(model._default_manager.all(), actor, for_write=True, pk=pk)
    qs = model._default_manager.select_for_update(of=("self",))
    if related:
        qs = qs.select_related(*related)
    return qs.get(pk=found.pk)


def check_version(obj: Model, version: Any) -> None:
    if version is not None and int(version) != obj.version:
        raise StaleVersion(details={"version": obj.version})


def check_code_free(model: type[Model], dealer_id: int, code: str, exclude_pk: int | None = None) -> None:
    qs = model._default_manager.filter(dealer_id=dealer_id, code=code)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise DuplicateRecord(details=[{"field": "code", "code": DuplicateRecord.code, "message": code}])


def full_clean(obj: Model, problems: Problems, prefix: str = "", exclude: tuple[str, ...] = ()) -> None:
    """Model validation (field validators and check constraints) as field problems."""
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False)
    except DjangoValidationError as exc:
        for field, messages in exc.message_dict.items():
            for message in messages:
                problems.add(
                    f"{prefix}{field}" if field != "__all__" else prefix.rstrip(".") or "__all__", message
                )


def apply(obj: Model, data: Mapping[str, Any], fields: tuple[str, ...]) -> None:
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])


def not_found() -> NotFound:
    return NotFound()
