"""What every inventory service does: resolve the ids of a request inside the actor's write scope,
convert quantities to the base unit, and collect every problem of a request into one error."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _

from qudao.catalog.choices import ItemKind
from qudao.catalog.conversions import unit_factor
from qudao.catalog.errors import UnitNotConvertible
from qudao.catalog.models import Item
from qudao.catalog.policies import to_base_quantity
from qudao.core.errors import QudaoError, ValidationFailed
from qudao.core.quantity import quantize_quantity
from qudao.core.scoping import Actor, scoped
from qudao.inventory.errors import InvalidQuantity, LocationNotInternal, NotStocked
from qudao.inventory.models import Location
from qudao.org.models import Site


@dataclass(frozen=True)
class Reference:
    """The business document (line) that causes a move or holds a reservation."""

    type: str = ""
    id: int | None = None
    line_id: int | None = None
    number: str = ""

    @classmethod
    def of(cls, data: Mapping[str, Any] | None) -> Reference:
        data = data or {}
        return cls(
            type=data.get("reference_type") or "",
            id=data.get("reference_id"),
            line_id=data.get("reference_line_id"),
            number=data.get("document_number") or "",
        )


class Problems:
    """Collects field errors of a request; `raise_first()` raises the most specific one."""

    def __init__(self) -> None:
        self.errors: list[tuple[type[QudaoError], dict[str, Any]]] = []

    def add(self, error: type[QudaoError], field: str, message: str) -> None:
        self.errors.append((error, {"field": field, "code": error.code, "message": str(message)}))

    def raise_if_any(self) -> None:
        if not self.errors:
            return
        kinds = {error for error, _detail in self.errors}
        error = kinds.pop() if len(kinds) == 1 else ValidationFailed
        raise error(details=[detail for _error, detail in self.errors])

    def __bool__(self) -> bool:
        return bool(self.errors)


def _unknown(problems: Problems, field: str) -> None:
    problems.add(ValidationFailed, field, _("No such record, or it is not visible to you."))


def get_writable(
    actor: Actor,
    model: type[Model],
    pk: Any,
    field: str,
    problems: Problems,
    *,
    known: Mapping[int, Any] | None = None,
    **filters: Any,
):
    """The row `pk` if the actor may write it, else None after recording the problem.

    `known` holds rows already fetched in one query for a whole request (their scope checked there).
    """
    if pk is None:
        return None
    if known is not None and not filters:
        row = None if isinstance(pk, bool) else known.get(_as_int(pk))
        if row is None:
            _unknown(problems, field)
        return row
    try:
        row = scoped(model._default_manager.filter(**filters), actor, for_write=True).filter(pk=pk).first()
    except (ValueError, TypeError):
        row = None
    if row is None:
        _unknown(problems, field)
    return row


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def resolve_item(
    actor: Actor, pk: Any, field: str, problems: Problems, *, known: Mapping[int, Item] | None = None
) -> Item | None:
    item = get_writable(actor, Item, pk, field, problems, known=known)
    if item is not None and item.kind == ItemKind.SERVICE:
        problems.add(NotStocked, field, _("Item %(sku)s is a service.") % {"sku": item.sku})
        return None
    return item


def resolve_site(
    actor: Actor,
    pk: Any,
    field: str,
    problems: Problems,
    *,
    dealer_id: int | None,
    known: Mapping[int, Site] | None = None,
) -> Site | None:
    site = get_writable(actor, Site, pk, field, problems, known=known)
    if site is not None and dealer_id is not None and site.dealer_id != dealer_id:
        _unknown(problems, field)
        return None
    return site


def resolve_internal_location(
    actor: Actor, pk: Any, field: str, problems: Problems, *, dealer_id: int | None, site: Site | None = None
) -> Location | None:
    location = get_writable(actor, Location, pk, field, problems)
    if location is None:
        return None
    if dealer_id is not None and location.dealer_id != dealer_id:
        _unknown(problems, field)
        return None
    if location.is_virtual:
        problems.add(LocationNotInternal, field, LocationNotInternal.message)
        return None
    if site is not None and location.site_id != site.pk:
        problems.add(ValidationFailed, field, _("This location is not at the chosen site."))
        return None
    return location


def base_quantity(item: Item, quantity: Any, unit_id: Any, field: str, problems: Problems) -> Decimal | None:
    """The quantity in the item's base unit, or None after recording why it is not valid."""
    try:
        value = Decimal(str(quantity))
    except (InvalidOperation, ValueError, TypeError):
        problems.add(InvalidQuantity, f"{field}.quantity", _("Not a number."))
        return None
    if not value.is_finite() or value <= 0:
        problems.add(InvalidQuantity, f"{field}.quantity", InvalidQuantity.message)
        return None
    try:
        factor = unit_factor(item, unit_id if unit_id is not None else item.base_unit_id).factor
    except UnitNotConvertible:
        problems.add(
            UnitNotConvertible,
            f"{field}.unit_id",
            _("Unit %(unit)s is not a unit of item %(sku)s.") % {"unit": unit_id, "sku": item.sku},
        )
        return None
    base = to_base_quantity(value, factor=factor, places=item.base_unit.decimal_places)
    if base <= 0:
        problems.add(InvalidQuantity, f"{field}.quantity", _("The quantity rounds to zero in the base unit."))
        return None
    return quantize_quantity(base)
