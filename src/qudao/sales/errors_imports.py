"""Stable error codes of the order import (file-level errors answer 422; row-level problems are listed
in the import report with one of the ROW_CODES)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from qudao.core.errors import QudaoError


class ImportFileUnreadable(QudaoError):
    code = "import_file_unreadable"
    status = 422
    message = _("The file is neither a CSV file nor an Excel workbook (.xlsx).")


class ImportFileEncoding(QudaoError):
    code = "import_file_encoding"
    status = 422
    message = _("The CSV file is neither UTF-8 nor GBK/GB18030 text.")


class ImportFileEmpty(QudaoError):
    code = "import_file_empty"
    status = 422
    message = _("The file has no order lines.")


class ImportFileHeaders(QudaoError):
    code = "import_file_headers"
    status = 422
    message = _("The header row does not have the columns an order import needs.")


class ImportFileTooLarge(QudaoError):
    code = "import_file_too_large"
    status = 422
    message = _("The file has too many lines for one import.")


class ImportConflict(QudaoError):
    code = "import_conflict"
    status = 409
    message = _("Another import wrote some of these orders meanwhile; nothing was written. Try again.")


#: codes of the row problems in an import report
ROW_CODES = (
    "missing_value",
    "value_too_long",
    "unknown_customer",
    "unknown_item",
    "inactive_item",
    "unknown_unit",
    "unit_not_convertible",
    "invalid_quantity",
    "invalid_date",
    "unknown_address",
    "unknown_channel",
    "order_ref_conflict",
    "duplicate_order_ref",
    "too_many_lines",
    "no_price",
)
