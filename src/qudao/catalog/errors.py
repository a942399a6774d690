"""Stable error codes of the catalog (rendered by the API as {code, message, details, request_id})."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from qudao.core.errors import DuplicateRecord, QudaoError


class InvalidBarcode(QudaoError):
    code = "invalid_barcode"
    status = 422
    message = _("The barcode is not valid (wrong length, characters or check digit).")


class UnitNotConvertible(QudaoError):
    code = "unit_not_convertible"
    status = 422
    message = _("This unit is not one of the item's units: add it with its factor first.")


class CategoryCycle(QudaoError):
    code = "category_cycle"
    status = 422
    message = _("A category cannot be moved under itself or one of its subcategories.")


class SupersessionCycle(QudaoError):
    code = "supersession_cycle"
    status = 422
    message = _("This supersession would make a loop of part numbers.")


class BarcodeNotFound(QudaoError):
    code = "barcode_not_found"
    status = 404
    message = _("No item has this barcode.")


class BaseUnitFixed(QudaoError):
    code = "base_unit_fixed"
    status = 422
    message = _("The base unit of an item holds exactly one base unit and cannot be changed.")


#: Django validation codes raised by the models' clean() → the specific API error they become
VALIDATION_CODES: dict[str, type[QudaoError]] = {
    "invalid_barcode": InvalidBarcode,
    "unit_not_convertible": UnitNotConvertible,
    "category_cycle": CategoryCycle,
    "supersession_cycle": SupersessionCycle,
    "base_factor": BaseUnitFixed,
    "duplicate": DuplicateRecord,
}
