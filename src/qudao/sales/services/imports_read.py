"""Reading an order import file: CSV (UTF-8 with or without BOM, or GBK/GB18030 as Chinese Excel
saves it) or an Excel workbook (.xlsx, first sheet). The header row names the columns, in English or
in Chinese (HEADER_ALIASES); the result is the header and the data rows as lists of text (dates of a
workbook as ISO dates), each with its row number in the file (the header is row 1)."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _

from qudao.sales.errors_imports import (
    ImportFileEmpty,
    ImportFileEncoding,
    ImportFileHeaders,
    ImportFileTooLarge,
    ImportFileUnreadable,
)

#: order lines one import takes at most (100,000 lines import in a few seconds)
MAX_ROWS = 200_000
#: bytes one import file may have at most
MAX_BYTES = 64 * 1024 * 1024

COLUMNS = (
    "order_ref",
    "customer",
    "sku",
    "quantity",
    "unit",
    "ship_to",
    "requested_date",
    "notes",
    "channel",
)
REQUIRED = ("order_ref", "customer", "sku", "quantity")

#: accepted header texts (compared case-insensitively, spaces and underscores ignored) → column
HEADER_ALIASES = {
    "orderref": "order_ref",
    "order": "order_ref",
    "订单号": "order_ref",
    "订单编号": "order_ref",
    "外部单号": "order_ref",
    "customer": "customer",
    "customercode": "customer",
    "客户": "customer",
    "客户编码": "customer",
    "客户代码": "customer",
    "sku": "sku",
    "barcode": "sku",
    "商品": "sku",
    "商品编码": "sku",
    "sku/条码": "sku",
    "条码": "sku",
    "quantity": "quantity",
    "qty": "quantity",
    "数量": "quantity",
    "unit": "unit",
    "单位": "unit",
    "shipto": "ship_to",
    "收货地址": "ship_to",
    "收货地址id": "ship_to",
    "requesteddate": "requested_date",
    "要求到货日期": "requested_date",
    "交货日期": "requested_date",
    "notes": "notes",
    "note": "notes",
    "备注": "notes",
    "channel": "channel",
    "渠道": "channel",
    "渠道编码": "channel",
}

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass
class ImportFile:
    kind: str  # "csv" | "xlsx"
    #: the header as it was written (for the error report)
    header: list[str]
    #: column name → index in a row
    index: dict[str, int]
    #: (row number in the file, cells as text)
    rows: list[tuple[int, list[str]]]


def header_key(text: str) -> str:
    return "".join(str(text or "").split()).replace("_", "").replace("-", "").lower()


def read_import_file(*, name: str, content: bytes) -> ImportFile:
    """Parse the file into rows (raises the file-level import errors)."""
    if len(content) > MAX_BYTES:
        raise ImportFileTooLarge(details={"max_bytes": MAX_BYTES})
    lower = (name or "").lower()
    if content.startswith(XLS_MAGIC) or lower.endswith(".xls"):
        raise ImportFileUnreadable(
            _("Old Excel files (.xls) cannot be read: save the sheet as .xlsx or CSV."),
            details={"file": name},
        )
    if content.startswith(XLSX_MAGIC) or lower.endswith((".xlsx", ".xlsm")):
        kind, raw_rows = "xlsx", _xlsx_rows(content, name)
    else:
        kind, raw_rows = "csv", _csv_rows(content, name)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for number, cells in raw_rows:
        if header is None:
            if any(cells):
                header = cells
            continue
        if not any(cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileTooLarge(
                _("The file has more than %(max)s lines: split it into several imports.") % {"max": MAX_ROWS},
                details={"max_rows": MAX_ROWS},
            )
        rows.append((number, cells))
    if header is None:
        raise ImportFileEmpty(details={"file": name})
    index = _header_index(header)
    if not rows:
        raise ImportFileEmpty(details={"file": name})
    return ImportFile(kind, header, index, rows)


def _header_index(header: list[str]) -> dict[str, int]:
    index: dict[str, int] = {}
    problems = []
    for position, text in enumerate(header):
        column = HEADER_ALIASES.get(header_key(text))
        if column is None:
            if str(text or "").strip():
                problems.append(
                    {"column": str(text), "code": "unknown_column", "message": _("Unknown column.")}
                )
            continue
        if column in index:
            problems.append(
                {"column": str(text), "code": "duplicate_column", "message": _("Column given twice.")}
            )
        index[column] = position
    for column in REQUIRED:
        if column not in index:
            problems.append(
                {"column": column, "code": "missing_column", "message": _("This column is required.")}
            )
    if problems:
        raise ImportFileHeaders(
            _("The header row must name the columns %(columns)s (see the import page for the Chinese names).")
            % {"columns": ", ".join(COLUMNS)},
            details=problems,
        )
    return index


def decode_csv(content: bytes) -> str:
    """UTF-8 (a BOM is dropped), else GB18030 (a superset of GBK); NUL bytes mean a binary file."""
    if b"\x00" in content[:65536]:
        raise ImportFileUnreadable(details={"reason": "binary"})
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ImportFileEncoding(details={"byte_offset": exc.start}) from None


def _csv_rows(content: bytes, name: str):
    text = decode_csv(content)
    sample = text[:4096]
    delimiter = ","
    first_line = sample.split("\n", 1)[0]
    if first_line.count("\t") > first_line.count(",") and first_line.count("\t") > 0:
        delimiter = "\t"
    elif first_line.count(";") > first_line.count(",") and first_line.count(";") > 0:
        delimiter = ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [(n, [c.strip() for c in cells]) for n, cells in enumerate(reader, start=1)]
    except csv.Error as exc:
        raise ImportFileUnreadable(details={"file": name, "reason": str(exc)}) from None


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_rows(content: bytes, name: str):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise ImportFileUnreadable(details={"file": name, "reason": type(exc).__name__}) from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise ImportFileEmpty(details={"file": name})
        out = []
        for n, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell(v) for v in values]
            while cells and not cells[-1]:
                cells.pop()
            out.append((n, cells))
            if len(out) > MAX_ROWS + 1000:  # blank rows aside, this is too many already
                break
        return out
    finally:
        workbook.close()
