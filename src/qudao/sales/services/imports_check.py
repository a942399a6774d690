"""Checking every row of an order import before anything is written: customers, items (SKU or
barcode: a case barcode means cases), units, quantities, dates, ship-to addresses and channels are
resolved in a few queries for the whole file; rows are grouped into orders by `order_ref`, and an
order whose rows disagree (customer, ship-to, channel, date) or whose reference was already imported
is refused. Each problem names its row, column and a stable code (errors_imports.ROW_CODES)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from qudao.catalog.models import Barcode, Item, ItemUnit, UnitOfMeasure
from qudao.catalog.policies import barcode_lookup_keys
from qudao.core.quantity import quantize_quantity
from qudao.core.scoping import Actor, scoped
from qudao.org.models import Channel
from qudao.parties.models import Address, Customer
from qudao.sales.models import SalesOrder
from qudao.sales.services.imports_read import COLUMNS, ImportFile
from qudao.sales.services.lines import MAX_LINES
from qudao.sales.states import OrderSource

MAX_REF, MAX_NOTES = 100, 2000
MAX_QUANTITY = Decimal("1000000000000")
THOUSAND = Decimal("0.001")
_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$")
EXCEL_EPOCH = date(1899, 12, 30)
CHUNK = 2000


@dataclass
class Problem:
    row: int
    column: str
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "code": self.code, "message": self.message}


@dataclass
class LinePlan:
    row: int
    item: Item
    unit_id: int
    quantity_entered: Decimal
    quantity: Decimal


@dataclass
class OrderPlan:
    ref: str
    customer: Customer
    first_row: int
    ship_to_id: int | None = None
    channel_id: int | None = None
    requested_date: date | None = None
    notes: str = ""
    lines: list[LinePlan] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    bad: bool = False


def _chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def parse_date(text: str) -> date | None:
    """ISO (2026-12-01, 2026/12/01, with or without a time), 20261201, or an Excel serial day."""
    text = text.strip()
    match = _DATE.match(text)
    if match:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    if text.isdigit() and len(text) == 8:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    if text.isdigit() and 1 <= int(text) <= 2958465:
        return EXCEL_EPOCH + timedelta(days=int(text))
    raise ValueError(text)


def parse_quantity(text: str) -> Decimal | None:
    """A positive quantity with at most 3 decimal places, else None."""
    try:
        value = Decimal(text.replace(",", "").strip())
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite() or value <= 0 or value >= MAX_QUANTITY:
        return None
    if value.as_tuple().exponent < -3 and value != value.quantize(THOUSAND):
        return None
    return value


class Lookups:
    """Everything the rows name, resolved in a few queries for the whole file."""

    def __init__(self, actor: Actor, dealer_id: int, file: ImportFile) -> None:
        index = file.index
        self.dealer_id = dealer_id
        codes = {"customer": set(), "sku": set(), "channel": set(), "ship_to": set()}
        for _n, cells in file.rows:
            for column in codes:
                position = index.get(column)
                if position is not None and position < len(cells) and cells[position]:
                    codes[column].add(cells[position])
        customers = scoped(Customer.objects.all(), actor, for_write=True).filter(dealer_id=dealer_id)
        self.customers: dict[str, Customer] = {}
        for chunk in _chunks(sorted(codes["customer"])):
            self.customers.update((c.code, c) for c in customers.filter(code__in=chunk))
        items = scoped(Item.objects.select_related("base_unit"), actor, for_write=True).filter(
            dealer_id=dealer_id
        )
        #: code → (item, unit id or None for the base unit)
        self.codes: dict[str, tuple[Item, int | None]] = {}
        for chunk in _chunks(sorted(codes["sku"])):
            self.codes.update((i.sku, (i, None)) for i in items.filter(sku__in=chunk))
        missing = {c: barcode_lookup_keys(c) for c in codes["sku"] if c not in self.codes}
        keys = sorted({k for ks in missing.values() for k in ks})
        by_key: dict[str, tuple[int, int]] = {}
        for chunk in _chunks(keys):
            rows = Barcode.objects.filter(dealer_id=dealer_id, normalized__in=chunk)
            by_key.update((b[0], (b[1], b[2])) for b in rows.values_list("normalized", "item_id", "unit_id"))
        found_ids = {v[0] for v in by_key.values()}
        barcode_items = {i.pk: i for i in items.filter(pk__in=sorted(found_ids))} if found_ids else {}
        for code, ks in missing.items():
            hit = next((by_key[k] for k in ks if k in by_key), None)
            if hit is not None and hit[0] in barcode_items:
                self.codes[code] = (barcode_items[hit[0]], hit[1])
        self.units = {
            u.code.lower(): u.pk
            for u in scoped(UnitOfMeasure.objects.all(), actor).filter(dealer_id=dealer_id)
        }
        item_ids = sorted({item.pk for item, _u in self.codes.values()})
        self.factors: dict[tuple[int, int], Decimal] = {}
        for chunk in _chunks(item_ids):
            self.factors.update(
                ((i, u), f)
                for i, u, f in ItemUnit.objects.filter(item_id__in=chunk).values_list(
                    "item_id", "unit_id", "factor"
                )
            )
        self.channels = {
            c.code: c.pk
            for c in Channel.objects.filter(dealer_id=dealer_id, code__in=sorted(codes["channel"]))
        }
        address_ids = sorted({int(v) for v in codes["ship_to"] if v.isdigit() and len(v) < 19})
        self.addresses: dict[int, int] = {}
        for chunk in _chunks(address_ids):
            self.addresses.update(
                Address.objects.filter(dealer_id=dealer_id, pk__in=chunk).values_list("pk", "customer_id")
            )

    def already_imported(self, refs: list[str]) -> set[str]:
        out: set[str] = set()
        for chunk in _chunks(sorted(refs)):
            out.update(
                SalesOrder.objects.filter(
                    dealer_id=self.dealer_id, source=OrderSource.IMPORT, external_reference__in=chunk
                ).values_list("external_reference", flat=True)
            )
        return out


def check_rows(actor: Actor, dealer_id: int, file: ImportFile) -> tuple[list[OrderPlan], list[Problem]]:
    """Every row checked; the orders (in file order) with `bad` set on those with any problem."""
    look = Lookups(actor, dealer_id, file)
    index = file.index
    problems: list[Problem] = []
    orders: dict[str, OrderPlan] = {}
    width = max(index.values()) + 1
    # a missing column reads the empty cell appended at the end of every row (position -1)
    at = [index.get(column, -1) for column in COLUMNS]

    def add(row: int, column: str, code: str, message: str) -> None:
        problems.append(Problem(row, column, code, message))

    for row, raw in file.rows:
        cells = raw + [""] * (width - len(raw) + 1)
        ref, code, sku, quantity, unit_code, ship_text, date_text, notes, channel_code = (
            cells[i] for i in at
        )
        before = len(problems)
        for column, value in (("order_ref", ref), ("customer", code), ("sku", sku)):
            if not value:
                add(row, column, "missing_value", _("A value is required."))
        if len(ref) > MAX_REF:
            add(row, "order_ref", "value_too_long", _("At most %(max)s characters.") % {"max": MAX_REF})
            ref = ""
        customer = look.customers.get(code) if code else None
        if code and customer is None:
            add(row, "customer", "unknown_customer", _("No customer with code %(code)s.") % {"code": code})
        line = _line(look, row, sku, quantity, unit_code, add)
        ship_to = _ship_to(look, row, ship_text, customer, add)
        channel = _channel(look, row, channel_code, add)
        requested = _requested(row, date_text, add)
        if len(notes) > MAX_NOTES:
            add(row, "notes", "value_too_long", _("At most %(max)s characters.") % {"max": MAX_NOTES})
        if not ref:
            continue
        order = orders.get(ref)
        if order is None:
            if customer is None:
                # an order without its customer cannot be built: remember it as bad
                order = orders[ref] = OrderPlan(ref, None, row, bad=True)  # type: ignore[arg-type]
            else:
                order = orders[ref] = OrderPlan(
                    ref, customer, row, ship_to, channel, requested, notes[:MAX_NOTES]
                )
        else:
            _agree(order, row, customer, ship_to, channel, requested, add)
            if notes and not order.notes:
                order.notes = notes[:MAX_NOTES]
        order.rows.append(row)
        if line is not None:
            order.lines.append(line)
        if len(problems) > before:
            order.bad = True
    for order in orders.values():
        if len(order.rows) > MAX_LINES:
            add(
                order.first_row,
                "order_ref",
                "too_many_lines",
                _("An order has at most %(max)s lines.") % {"max": MAX_LINES},
            )
            order.bad = True
    for ref in sorted(look.already_imported(list(orders))):
        order = orders[ref]
        add(
            order.first_row,
            "order_ref",
            "duplicate_order_ref",
            _("Order %(ref)s was already imported.") % {"ref": ref},
        )
        order.bad = True
    problems.sort(key=lambda p: p.row)
    return list(orders.values()), problems


def _line(look: Lookups, row: int, sku: str, text: str, unit_code: str, add) -> LinePlan | None:
    found = look.codes.get(sku) if sku else None
    if sku and found is None:
        add(row, "sku", "unknown_item", _("No item with SKU or barcode %(code)s.") % {"code": sku})
    entered = parse_quantity(text) if text else None
    if entered is None:
        add(
            row,
            "quantity",
            "missing_value" if not text else "invalid_quantity",
            _("A value is required.")
            if not text
            else _("The quantity must be a number greater than zero, with at most 3 decimal places."),
        )
    if found is None:
        return None
    item, unit_id = found
    if not item.is_active:
        add(row, "sku", "inactive_item", _("Item %(sku)s is not active.") % {"sku": item.sku})
        return None
    if unit_code:
        given = look.units.get(unit_code.lower())
        if given is None:
            add(row, "unit", "unknown_unit", _("No unit with code %(code)s.") % {"code": unit_code})
            return None
        if unit_id is not None and given != unit_id:
            add(
                row,
                "unit",
                "unit_not_convertible",
                _("The barcode stands for another unit than %(code)s.") % {"code": unit_code},
            )
            return None
        unit_id = given
    unit_id = unit_id or item.base_unit_id
    factor = Decimal(1) if unit_id == item.base_unit_id else look.factors.get((item.pk, unit_id))
    if factor is None:
        add(
            row,
            "unit",
            "unit_not_convertible",
            _("Unit %(unit)s is not a unit of item %(sku)s.")
            % {"unit": unit_code or unit_id, "sku": item.sku},
        )
        return None
    if entered is None:
        return None
    base = quantize_quantity(entered * factor, item.base_unit.decimal_places)
    if base <= 0:
        add(row, "quantity", "invalid_quantity", _("The quantity rounds to zero in the base unit."))
        return None
    return LinePlan(row, item, unit_id, quantize_quantity(entered), quantize_quantity(base))


def _ship_to(look: Lookups, row: int, text: str, customer, add) -> int | None:
    if not text:
        return None
    address_id = int(text) if text.isdigit() and len(text) < 19 else None
    owner = look.addresses.get(address_id) if address_id is not None else None
    if owner is None or (customer is not None and owner != customer.pk):
        add(
            row,
            "ship_to",
            "unknown_address",
            _("Address %(id)s is not one of the customer's.") % {"id": text},
        )
        return None
    return address_id


def _channel(look: Lookups, row: int, text: str, add) -> int | None:
    if not text:
        return None
    channel_id = look.channels.get(text)
    if channel_id is None:
        add(row, "channel", "unknown_channel", _("No channel with code %(code)s.") % {"code": text})
    return channel_id


def _requested(row: int, text: str, add) -> date | None:
    if not text:
        return None
    try:
        return parse_date(text)
    except ValueError:
        add(row, "requested_date", "invalid_date", _("Not a date: write it as 2026-12-31."))
        return None


def _agree(order: OrderPlan, row, customer, ship_to, channel, requested, add) -> None:
    """The rows of one order must name the same customer, ship-to, channel and date."""
    if customer is not None and order.customer is not None and customer.pk != order.customer.pk:
        add(
            row,
            "customer",
            "order_ref_conflict",
            _("Row %(first)s of order %(ref)s names another customer.")
            % {"first": order.first_row, "ref": order.ref},
        )
    for column, value, attr in (
        ("ship_to", ship_to, "ship_to_id"),
        ("channel", channel, "channel_id"),
        ("requested_date", requested, "requested_date"),
    ):
        if value is None:
            continue
        current = getattr(order, attr)
        if current is None:
            setattr(order, attr, value)
        elif current != value:
            add(
                row,
                column,
                "order_ref_conflict",
                _("The rows of order %(ref)s disagree on this column.") % {"ref": order.ref},
            )
