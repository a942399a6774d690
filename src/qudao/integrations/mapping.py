"""Marketplace field mappings (pure rules, no ORM): where each Qudao order field is in a platform's
order JSON, checked when the mapping is saved and applied to each payload.

A *source* says where a value comes from:
    "receiver.phone"                         a dotted path (list items by index: "items[0].sku")
    {"const": "C-ONLINE"}                    a constant
    {"path": "shop_id", "map": {"S1": "C-001"}, "default": "C-999"}   a value map (with a default)
    {"join": ["receiver.province", "receiver.city", "receiver.address"], "sep": " "}

Line fields use one list wildcard, the same in each: "items[*].sku", "items[*].quantity". A mapping:

    {"fields": {"external_reference": src, "customer": src (a customer code), "status": src,
                "receiver_name": src, "receiver_phone": src, "ship_line": src, "region_code": src,
                "province": src, "city": src, "district": src, "notes": src, "paid_at": src},
     "lines": {"sku": src, "quantity": src, "unit_price": src},
     "status": {"accept": ["paid"], "skip": ["cancelled"]},
     "sku_map": {"PLATFORM-SKU": "QUDAO-SKU"},
     "price": "platform" | "qudao"}

`price: "platform"` keeps the marketplace's unit price (tax-inclusive, per unit sold) as the line price;
"qudao" prices the lines with the pricing engine like any order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

MISSING = object()
_SEGMENT = re.compile(r"^([^\s.\[\]]+)((?:\[(?:\d+|\*)\])*)$")
_INDEX = re.compile(r"\[(\d+|\*)\]")
ORDER_FIELDS = (
    "external_reference",
    "customer",
    "status",
    "receiver_name",
    "receiver_phone",
    "ship_line",
    "region_code",
    "province",
    "city",
    "district",
    "notes",
    "paid_at",
)
REQUIRED_ORDER_FIELDS = ("external_reference", "customer")
LINE_FIELDS = ("sku", "quantity", "unit_price")
REQUIRED_LINE_FIELDS = ("sku", "quantity")
PRICE_MODES = ("platform", "qudao")
MAX_PATH = 200


class MappingInvalid(ValueError):
    def __init__(self, problems: list[dict[str, str]]):
        super().__init__(problems)
        self.problems = problems


def parse_path(path: Any) -> list[tuple[str, list[str]]]:
    """ "a.b[0].c[*]" → [("a", []), ("b", ["0"]), ("c", ["*"])]; ValueError when malformed."""
    if not isinstance(path, str) or not path or len(path) > MAX_PATH:
        raise ValueError(path)
    out = []
    for segment in path.split("."):
        match = _SEGMENT.match(segment)
        if not match:
            raise ValueError(path)
        out.append((match.group(1), _INDEX.findall(match.group(2))))
    return out


def wildcards(path: str) -> int:
    return sum(index.count("*") for _name, indexes in parse_path(path) for index in indexes)


def _walk(value: Any, steps: list[tuple[str, list[str]]]) -> Any:
    if not steps:
        return value
    (name, indexes), rest = steps[0], steps[1:]
    if not isinstance(value, dict) or name not in value:
        return MISSING
    return _index(value[name], indexes, rest)


def _index(value: Any, indexes: list[str], rest: list[tuple[str, list[str]]]) -> Any:
    if not indexes:
        return _walk(value, rest)
    index, more = indexes[0], indexes[1:]
    if not isinstance(value, list):
        return MISSING
    if index == "*":
        return [_index(element, more, rest) for element in value]
    n = int(index)
    return _index(value[n], more, rest) if n < len(value) else MISSING


def _sources(source: Any) -> list[str]:
    """The paths a source reads."""
    if isinstance(source, str):
        return [source]
    if isinstance(source, dict) and "path" in source:
        return [source["path"]]
    if isinstance(source, dict) and "join" in source:
        return [p for part in source["join"] for p in _sources(part)]
    return []


def check_source(source: Any, name: str, problems: list[dict[str, str]], *, line: bool = False) -> None:
    def bad(message: str) -> None:
        problems.append({"field": name, "code": "invalid_source", "message": message})

    if isinstance(source, dict):
        keys = set(source)
        if keys == {"const"}:
            return
        if "join" in source:
            if not keys <= {"join", "sep"} or not isinstance(source["join"], list) or not source["join"]:
                bad(_('A join is {"join": [sources], "sep": " "}.'))
                return
            if not isinstance(source.get("sep", ""), str):
                bad(_("The separator of a join is text."))
            for n, part in enumerate(source["join"]):
                check_source(part, f"{name}.join.{n}", problems, line=line)
            return
        if "path" not in source or not keys <= {"path", "map", "default"}:
            bad(_('A source is a path, {"const": value}, {"path", "map", "default"} or {"join", "sep"}.'))
            return
        if "map" in source and not isinstance(source["map"], dict):
            bad(_("A value map is an object: platform value → Qudao value."))
            return
    elif not isinstance(source, str):
        bad(_('A source is a path, {"const": value}, {"path", "map", "default"} or {"join", "sep"}.'))
        return
    for path in _sources(source):
        try:
            count = wildcards(path)
        except ValueError:
            bad(_("“%(path)s” is not a path like order.items[*].sku.") % {"path": str(path)[:MAX_PATH]})
            continue
        if line and count != 1:
            bad(_("A line field reads one list: one [*] in “%(path)s”.") % {"path": path})
        if not line and count:
            bad(_("An order field reads one value: no [*] in “%(path)s”.") % {"path": path})


def check_mapping(mapping: Any) -> None:
    """Raise MappingInvalid listing every problem of a mapping (paths, required targets, shapes)."""
    problems: list[dict[str, str]] = []

    def bad(name: str, code: str, message: str) -> None:
        problems.append({"field": name, "code": code, "message": message})

    if not isinstance(mapping, dict):
        raise MappingInvalid(
            [{"field": "mapping", "code": "invalid", "message": _("A mapping is a JSON object.")}]
        )
    for key in sorted(set(mapping) - {"fields", "lines", "status", "sku_map", "price"}):
        bad(key, "unknown_key", _("Unknown key."))
    fields = mapping.get("fields")
    lines = mapping.get("lines")
    for group, value, known, required in (
        ("fields", fields, ORDER_FIELDS, REQUIRED_ORDER_FIELDS),
        ("lines", lines, LINE_FIELDS, REQUIRED_LINE_FIELDS),
    ):
        if not isinstance(value, dict):
            bad(group, "required", _("Required: an object of target field → source."))
            continue
        for target in sorted(set(value) - set(known)):
            bad(f"{group}.{target}", "unknown_target", _("Not a field Qudao can fill."))
        for target in required:
            if target not in value:
                bad(f"{group}.{target}", "required", _("This target must be mapped."))
        for target in known:
            if target in value:
                check_source(value[target], f"{group}.{target}", problems, line=group == "lines")
    if isinstance(lines, dict):
        roots = {_wildcard_root(p) for src in lines.values() for p in _sources(src) if _safe_count(p) == 1}
        if len(roots) > 1:
            bad("lines", "several_lists", _("Every line field must read the same list."))
    status = mapping.get("status", {})
    if not isinstance(status, dict) or not set(status) <= {"accept", "skip"}:
        bad("status", "invalid", _('Status rules are {"accept": [values], "skip": [values]}.'))
    else:
        for key in ("accept", "skip"):
            if not isinstance(status.get(key, []), list):
                bad(f"status.{key}", "invalid", _("A list of platform status values."))
        if status and isinstance(fields, dict) and "status" not in fields:
            bad("fields.status", "required", _("Status rules need the status field mapped."))
    sku_map = mapping.get("sku_map", {})
    if not isinstance(sku_map, dict) or not all(isinstance(v, str) and v for v in sku_map.values()):
        bad("sku_map", "invalid", _("An object: platform SKU → Qudao SKU."))
    price = mapping.get("price", "qudao")
    if price not in PRICE_MODES:
        bad("price", "invalid", _("Either “platform” (keep the marketplace's price) or “qudao”."))
    if price == "platform" and isinstance(lines, dict) and "unit_price" not in lines:
        bad("lines.unit_price", "required", _("The platform's price needs lines.unit_price mapped."))
    if problems:
        raise MappingInvalid(problems)


def _safe_count(path: str) -> int:
    try:
        return wildcards(path)
    except ValueError:
        return -1


def _wildcard_root(path: str) -> str:
    return path.split("[*]", 1)[0]


def read(source: Any, payload: Any) -> Any:
    """The value of a source in a payload (MISSING when absent); a line source gives a list."""
    if isinstance(source, str):
        return _walk(payload, parse_path(source))
    if "const" in source:
        return source["const"]
    if "join" in source:
        parts = [read(part, payload) for part in source["join"]]
        if any(isinstance(p, list) for p in parts):
            return MISSING
        text = [str(p) for p in parts if p is not MISSING and p is not None and str(p) != ""]
        return source.get("sep", "").join(text) if text else MISSING
    value = _walk(payload, parse_path(source["path"]))
    mapping = source.get("map")
    if mapping is None:
        return value
    if isinstance(value, list):
        return [_mapped(v, mapping, source) for v in value]
    return _mapped(value, mapping, source)


def _mapped(value: Any, mapping: dict, source: dict) -> Any:
    key = "" if value is MISSING or value is None else str(value)
    if key in mapping:
        return mapping[key]
    return source.get("default", MISSING)


@dataclass
class MappedLine:
    n: int
    sku: str
    platform_sku: str
    quantity: Decimal | None
    unit_price: Decimal | None


@dataclass
class MappedOrder:
    """A payload read through a mapping: text and numbers only; the service resolves the codes."""

    external_reference: str = ""
    customer_code: str = ""
    status: str = ""
    #: "accept" | "skip"
    decision: str = "accept"
    values: dict[str, str] = field(default_factory=dict)
    lines: list[MappedLine] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)

    def error(self, name: str, code: str, message: str) -> None:
        self.errors.append({"field": name, "code": code, "message": message})


def _text(value: Any) -> str:
    if value is MISSING or value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _number(value: Any) -> Decimal | None:
    if value is MISSING or value is None or isinstance(value, bool | dict | list):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def apply_mapping(mapping: dict, payload: Any) -> MappedOrder:
    """Read one platform order through a (checked) mapping."""
    out = MappedOrder()
    if not isinstance(payload, dict):
        out.error("payload", "invalid_payload", _("An order is a JSON object."))
        return out
    fields = mapping["fields"]
    for name in ORDER_FIELDS:
        if name in fields:
            out.values[name] = _text(read(fields[name], payload))
    out.external_reference = out.values.pop("external_reference", "")
    out.customer_code = out.values.pop("customer", "")
    out.status = out.values.pop("status", "")
    if not out.external_reference:
        out.error("external_reference", "missing_value", _("The platform order id is missing."))
    elif len(out.external_reference) > 100:
        out.error("external_reference", "value_too_long", _("At most %(max)s characters.") % {"max": 100})
    rules = mapping.get("status") or {}
    if rules:
        if out.status in [str(v) for v in rules.get("skip", [])]:
            out.decision = "skip"
        elif out.status not in [str(v) for v in rules.get("accept", [])]:
            out.error(
                "status",
                "unknown_status",
                _("Status “%(status)s” is neither accepted nor skipped.") % {"status": out.status},
            )
    if out.decision == "skip":
        return out
    if not out.customer_code:
        out.error("customer", "missing_value", _("No customer for this order (see the customer rule)."))
    _read_lines(mapping, payload, out)
    return out


def _read_lines(mapping: dict, payload: dict, out: MappedOrder) -> None:
    spec = mapping["lines"]
    columns = {name: read(spec[name], payload) for name in LINE_FIELDS if name in spec}
    lengths = {len(v) for v in columns.values() if isinstance(v, list)}
    if not lengths or max(lengths) == 0:
        out.error("lines", "missing_value", _("The order has no items."))
        return
    if len(lengths) > 1:
        out.error("lines", "invalid_payload", _("The item fields do not line up."))
        return
    count = lengths.pop()
    sku_map = mapping.get("sku_map") or {}
    platform_price = mapping.get("price") == "platform"
    for n in range(count):
        cell = {k: (v[n] if isinstance(v, list) else v) for k, v in columns.items()}
        platform_sku = _text(cell.get("sku"))
        quantity = _number(cell.get("quantity"))
        price = _number(cell.get("unit_price")) if "unit_price" in cell else None
        if not platform_sku:
            out.error(f"lines.{n}.sku", "missing_value", _("The item has no SKU."))
        if quantity is None or quantity <= 0:
            out.error(
                f"lines.{n}.quantity",
                "invalid_quantity",
                _("The quantity must be a number greater than zero."),
            )
        if platform_price and (price is None or price < 0):
            out.error(
                f"lines.{n}.unit_price", "invalid_price", _("The platform price must be a number, 0 or more.")
            )
        out.lines.append(
            MappedLine(n, sku_map.get(platform_sku, platform_sku), platform_sku, quantity, price)
        )
