"""What every finance service shares: collecting field problems, locking documents in the actor's
write scope, version checks, numbers, and announcing changes (outbox)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Model
from django.utils import timezone

from qudao.core.errors import QudaoError, StaleVersion, ValidationFailed
from qudao.core.events import emit
from qudao.core.money import to_decimal
from qudao.core.scoping import Actor, get_scoped
from qudao.core.sequences import next_code


class Problems:
    """Collects field errors of a request; raises one error listing all of them."""

    def __init__(self) -> None:
        self.errors: list[tuple[type[QudaoError], dict[str, Any]]] = []

    def add(self, field: str, message: Any, error: type[QudaoError] = ValidationFailed) -> None:
        self.errors.append((error, {"field": field, "code": error.code, "message": str(message)}))

    def raise_if_any(self) -> None:
        if not self.errors:
            return
        kinds = {error for error, _detail in self.errors}
        error = kinds.pop() if len(kinds) == 1 else ValidationFailed
        raise error(details=[detail for _error, detail in self.errors])

    def __bool__(self) -> bool:
        return bool(self.errors)


def lock(actor: Actor, model: type[Model], pk: Any) -> Any:
    """The row (404 outside the actor's write scope), locked until the transaction ends."""
    found = get_scoped(model.objects.only("pk"), actor, for_write=True, pk=pk)
    return model.objects.select_for_update().get(pk=found.pk)


def check_version(obj: Any, version: Any) -> None:
    if version is not None and int(version) != obj.version:
        raise StaleVersion(details={"version": obj.version})


def save(obj: Any, *fields: str) -> None:
    obj.version += 1
    obj.save(update_fields=[*fields, "version", "updated_at"])


def assign_number(dealer_id: int, kind: str, prefix: str) -> str:
    month = timezone.localdate()
    return next_code(dealer_id=dealer_id, kind=f"{kind}:{month:%y%m}", prefix=f"{prefix}-{month:%y%m}-")


def announce(topic: str, obj: Any, actor: Actor, **data: Any) -> None:
    payload = {"id": obj.pk, "number": obj.number, "state": getattr(obj, "state", ""), **data}
    emit(f"finance.{topic}", payload, dealer_id=obj.dealer_id, actor_id=actor.user_id)


def money(value: Any) -> Decimal | None:
    """A Decimal amount with at most 2 places, or None when it is not one."""
    try:
        result = to_decimal(value)
    except (TypeError, ValueError):
        return None
    if not result.is_finite() or result.as_tuple().exponent < -2:  # type: ignore[operator]
        return None
    return result


def as_date(value: Any, default: date) -> date:
    return value if isinstance(value, date) else default
