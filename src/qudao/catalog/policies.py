"""Pure catalog rules: GTIN check digits, unit conversion, supersession chains, item rules.

No database access here: every function takes plain values and is tested without a database.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from django.utils.translation import gettext_lazy as _

from qudao.catalog.choices import BarcodeKind, ItemKind, Tracking
from qudao.core.money import to_decimal
from qudao.core.quantity import QUANTITY_PLACES, quantize_quantity

# --- GTIN (EAN-13, EAN-8, UPC-A, GTIN-14) ----------------------------------------------------------

#: barcode kind → number of digits, for the GS1 numeric kinds
GTIN_LENGTHS: dict[str, int] = {
    BarcodeKind.EAN8: 8,
    BarcodeKind.UPC_A: 12,
    BarcodeKind.EAN13: 13,
    BarcodeKind.GTIN14: 14,
}
_KIND_BY_LENGTH = {length: kind for kind, length in GTIN_LENGTHS.items()}
_DIGITS = re.compile(r"^[0-9]+$")
_INTERNAL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/+-]*$")
BARCODE_MAX_LENGTH = 128


def gtin_check_digit(body: str) -> int:
    """The GS1 check digit of `body` (all digits but the last): weights 3,1,3,… from the right."""
    if not body or not _DIGITS.match(body):
        raise ValueError("a GTIN body is made of digits only")
    total = sum(int(digit) * (3 if position % 2 == 0 else 1) for position, digit in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def is_valid_gtin(code: str, length: int | None = None) -> bool:
    """Digits only, a GS1 length (8, 12, 13, 14, or exactly `length`) and a correct check digit."""
    if not isinstance(code, str) or not _DIGITS.match(code):
        return False
    if length is not None and len(code) != length:
        return False
    if len(code) not in _KIND_BY_LENGTH:
        return False
    return gtin_check_digit(code[:-1]) == int(code[-1])


def complete_gtin(body: str) -> str:
    """Append the check digit: complete_gtin("690123456789") == "6901234567892"."""
    return f"{body}{gtin_check_digit(body)}"


def barcode_error(code: str, kind: str) -> str | None:
    """Why `code` is not a valid barcode of `kind`, or None when it is."""
    if not code:
        return str(_("The code is empty."))
    if len(code) > BARCODE_MAX_LENGTH:
        return str(_("The code is longer than %(max)d characters.") % {"max": BARCODE_MAX_LENGTH})
    if kind in GTIN_LENGTHS:
        length = GTIN_LENGTHS[kind]
        if not _DIGITS.match(code) or len(code) != length:
            return str(
                _("A %(kind)s code has exactly %(length)d digits.")
                % {"kind": BarcodeKind(kind).label, "length": length}
            )
        expected = gtin_check_digit(code[:-1])
        if expected != int(code[-1]):
            return str(
                _("Wrong check digit: a %(kind)s code ending in %(given)s should end in %(expected)d.")
                % {"kind": BarcodeKind(kind).label, "given": code[-1], "expected": expected}
            )
        return None
    if kind == BarcodeKind.CODE128:
        if any(not 32 <= ord(ch) <= 126 for ch in code):
            return str(_("Code 128 holds printable ASCII characters only."))
        return None
    if kind == BarcodeKind.QR:
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in code):
            return str(_("The code contains control characters."))
        return None
    if kind == BarcodeKind.INTERNAL:
        if not _INTERNAL.match(code):
            return str(_("An internal code holds letters, digits and . _ / + - only."))
        return None
    return str(_("Unknown barcode kind “%(kind)s”.") % {"kind": kind})


def detect_barcode_kind(code: str) -> str:
    """The kind of a code entered without one: a GS1 number by its length, else Code 128 / QR."""
    if _DIGITS.match(code or "") and len(code) in _KIND_BY_LENGTH:
        # a GS1 length of digits is meant as a GTIN: a wrong check digit is then reported, not hidden
        return _KIND_BY_LENGTH[len(code)]
    if code and all(32 <= ord(ch) <= 126 for ch in code) and len(code) <= 48:
        return BarcodeKind.CODE128
    return BarcodeKind.QR


def normalize_barcode(code: str, kind: str) -> str:
    """The key a barcode is stored and looked up by: GTINs as 14 digits (a UPC-A scanned as its
    EAN-13 form, with a leading zero, is the same product); other codes as they are."""
    if kind in GTIN_LENGTHS and _DIGITS.match(code or ""):
        return code.zfill(14)
    return code


def barcode_lookup_keys(code: str) -> list[str]:
    """Keys to try for a scanned string: itself, and its GTIN-14 form when it is a valid GTIN."""
    keys = [code]
    if is_valid_gtin(code):
        keys.append(code.zfill(14))
    return list(dict.fromkeys(keys))


# --- Unit conversion -------------------------------------------------------------------------------


def to_base_quantity(quantity: object, *, factor: object, places: int = QUANTITY_PLACES) -> Decimal:
    """Quantity in a unit → quantity in the base unit (× factor), rounded to the base unit's places."""
    factor_d = to_decimal(factor)
    if factor_d <= 0:
        raise ValueError("a unit factor is positive")
    return quantize_quantity(to_decimal(quantity) * factor_d, places)


def from_base_quantity(quantity: object, *, factor: object, places: int = QUANTITY_PLACES) -> Decimal:
    """Quantity in the base unit → quantity in a unit (÷ factor), rounded to that unit's places."""
    factor_d = to_decimal(factor)
    if factor_d <= 0:
        raise ValueError("a unit factor is positive")
    return quantize_quantity(to_decimal(quantity) / factor_d, places)


def convert_quantity(
    quantity: object, *, from_factor: object, to_factor: object, places: int = QUANTITY_PLACES
) -> Decimal:
    """Between two units of one item: through the base unit, rounded once at the end."""
    from_d, to_d = to_decimal(from_factor), to_decimal(to_factor)
    if from_d <= 0 or to_d <= 0:
        raise ValueError("a unit factor is positive")
    return quantize_quantity(to_decimal(quantity) * from_d / to_d, places)


# --- Supersession chains ---------------------------------------------------------------------------


class SupersessionEdge(NamedTuple):
    old: int
    new: int
    effective_from: date
    factor: Decimal = Decimal(1)


class Resolution(NamedTuple):
    current: int
    #: how many of `current` replace one of the starting part
    factor: Decimal
    #: the parts followed, starting part first, current part last
    chain: tuple[int, ...]


class SupersessionLoop(ValueError):
    """The stored supersessions loop (they are refused on entry; this guards the resolver)."""


def resolve_supersession(edges: Iterable[SupersessionEdge], start: int, on: date) -> Resolution:
    """Follow the chain from `start` to the part valid `on` that date.

    From each part, the supersession in force is the one with the latest `effective_from` that is
    not after `on`; parts superseded later than `on` are still current.
    """
    by_old: dict[int, list[SupersessionEdge]] = defaultdict(list)
    for edge in edges:
        if edge.effective_from <= on:
            by_old[edge.old].append(edge)
    current, factor, chain = start, Decimal(1), [start]
    seen = {start}
    while by_old.get(current):
        edge = max(by_old[current], key=lambda e: (e.effective_from, e.new))
        current = edge.new
        factor *= to_decimal(edge.factor)
        if current in seen:
            raise SupersessionLoop(f"supersession loop through {current}")
        seen.add(current)
        chain.append(current)
    return Resolution(current=current, factor=factor, chain=tuple(chain))


def creates_cycle(edges: Iterable[tuple[int, int]], old: int, new: int) -> bool:
    """Would adding old → new close a loop? (Dates are ignored: A→B→A is refused whatever the dates.)"""
    if old == new:
        return True
    graph: dict[int, set[int]] = defaultdict(set)
    for edge_old, edge_new in edges:
        graph[edge_old].add(edge_new)
    stack, seen = [new], {new}
    while stack:
        node = stack.pop()
        if node == old:
            return True
        for nxt in graph.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return False


# --- Items -----------------------------------------------------------------------------------------

STANDARD_VAT = Decimal("0.1300")
SERVICE_VAT = Decimal("0.0600")


def default_tax_rate(kind: str) -> Decimal:
    """China VAT: 13% on goods, parts and vehicles; 6% on services."""
    return SERVICE_VAT if kind == ItemKind.SERVICE else STANDARD_VAT


def default_tracking(kind: str) -> str:
    """A vehicle is tracked by its VIN; everything else is untracked unless asked."""
    return Tracking.SERIAL if kind == ItemKind.VEHICLE else Tracking.NONE


def item_rule_errors(
    *, kind: str, tracking: str, has_expiry: bool, shelf_life_days: int | None, has_vehicle_model: bool
) -> dict[str, str]:
    """field → why the combination of kind, tracking, expiry and vehicle model is not allowed."""
    errors: dict[str, str] = {}
    if kind == ItemKind.VEHICLE:
        if tracking != Tracking.SERIAL:
            errors["tracking"] = str(_("A vehicle is tracked by serial number (VIN)."))
        if not has_vehicle_model:
            errors["vehicle_model"] = str(_("A vehicle needs a vehicle model."))
    elif has_vehicle_model:
        errors["vehicle_model"] = str(_("Only a vehicle has a vehicle model."))
    if kind == ItemKind.SERVICE:
        if tracking != Tracking.NONE:
            errors["tracking"] = str(_("A service is not tracked by lot or serial."))
        if has_expiry:
            errors["has_expiry"] = str(_("A service does not expire."))
    if has_expiry:
        if tracking != Tracking.LOT and "tracking" not in errors:
            errors["tracking"] = str(
                _("An item that expires is tracked by lot (each lot has its expiry date).")
            )
        if shelf_life_days is None or shelf_life_days <= 0:
            errors["shelf_life_days"] = str(_("An item that expires needs a shelf life of at least one day."))
    elif shelf_life_days is not None:
        errors["shelf_life_days"] = str(_("A shelf life is only kept for items that expire."))
    return errors


ATTRIBUTE_MAX_KEYS = 50
ATTRIBUTE_KEY_MAX_LENGTH = 64
ATTRIBUTE_VALUE_MAX_LENGTH = 500


def attribute_errors(value: Any) -> list[tuple[str, str]]:
    """(key, problem) for each reason `value` is not a flat dict of str → str / number / bool."""
    if not isinstance(value, Mapping):
        return [("", str(_("Attributes are an object of name → value.")))]
    problems: list[tuple[str, str]] = []
    if len(value) > ATTRIBUTE_MAX_KEYS:
        problems.append(("", str(_("At most %(max)d attributes.") % {"max": ATTRIBUTE_MAX_KEYS})))
    for key, item in value.items():
        name = str(key)
        if not isinstance(key, str) or not key.strip():
            problems.append((name, str(_("An attribute name is a non-empty text."))))
            continue
        if len(key) > ATTRIBUTE_KEY_MAX_LENGTH:
            problems.append(
                (
                    name,
                    str(
                        _("An attribute name has at most %(max)d characters.")
                        % {"max": ATTRIBUTE_KEY_MAX_LENGTH}
                    ),
                )
            )
        if isinstance(item, int):  # bool included (it is an int)
            continue
        if isinstance(item, float):
            if not math.isfinite(item):
                problems.append((name, str(_("A number attribute must be finite."))))
            continue
        if isinstance(item, str):
            if len(item) > ATTRIBUTE_VALUE_MAX_LENGTH:
                problems.append(
                    (
                        name,
                        str(
                            _("A text attribute has at most %(max)d characters.")
                            % {"max": ATTRIBUTE_VALUE_MAX_LENGTH}
                        ),
                    )
                )
            continue
        problems.append((name, str(_("An attribute value is a text, a number or true/false."))))
    return problems


# --- Category tree ---------------------------------------------------------------------------------

MAX_CATEGORY_DEPTH = 10


def category_path(parent_path: str | None, pk: int) -> str:
    """The materialised path of a category: its ancestors' ids and its own, e.g. "/12/37/"."""
    return f"{parent_path or '/'}{pk}/"


def path_depth(path: str) -> int:
    """1 for a root ("/12/"), 2 for its child, …"""
    return path.strip("/").count("/") + 1 if path.strip("/") else 0


def is_within(path: str, ancestor_path: str) -> bool:
    """Is the category at `path` the one at `ancestor_path` or below it?"""
    return bool(ancestor_path) and path.startswith(ancestor_path)
