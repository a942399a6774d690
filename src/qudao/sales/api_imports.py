"""Order import API, mounted at /api/v1/orders/import. Endpoints parse, call one service, render."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from qudao.core.api import ErrorOut, StrictSchema, api_actor
from qudao.core.errors import ValidationFailed
from qudao.sales.schemas import Id
from qudao.sales.services.imports import ImportMode, import_orders
from qudao.sales.services.imports_read import MAX_BYTES
from qudao.sales.services.imports_report import build_report

router = Router(tags=["sales: import"])
APP = "sales"
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class ImportIn(StrictSchema):
    mode: ImportMode = ImportMode.ALL_OR_NOTHING
    dry_run: bool = False
    confirm: bool = False
    dealer_id: Id | None = None


FORM_FIELDS = set(ImportIn.model_fields)


class RowErrorOut(Schema):
    row: int
    column: str
    code: str
    message: str


class ImportReportOut(Schema):
    file_name: str
    file_kind: str
    mode: ImportMode
    dry_run: bool
    rows: int
    orders: int
    valid_orders: int
    invalid_orders: int
    orders_created: int
    lines_created: int
    orders_confirmed: int
    orders_on_hold: int
    confirm_errors: list[dict[str, Any]]
    total: str = Field(description="Total (tax incl.) of the valid orders")
    problems: int = Field(description="Number of row problems (the list below stops at 1,000)")
    errors: list[RowErrorOut]
    errors_truncated: bool
    error_report: dict[str, str] | None = Field(
        None, description="Download links of the error report (original rows plus an error column)"
    )
    order_ids: list[int]
    seconds: float


def render_report(report) -> dict[str, Any]:
    data = dict(report.__dict__)
    token = data.pop("report_token")
    data["error_report"] = (
        {fmt: f"/api/v1/orders/import/report?token={token}&format={fmt}" for fmt in ("csv", "xlsx")}
        if token
        else None
    )
    return data


@router.post(
    "",
    response={200: ImportReportOut, 201: ImportReportOut, **ERRORS},
    summary="Import orders from a CSV or Excel file (multipart: `file`, mode, dry_run, confirm)",
)
def import_file(request: HttpRequest, payload: Form[ImportIn], file: File[UploadedFile]):
    """Columns (header row): order_ref, customer, sku, quantity, unit?, ship_to?, requested_date?, notes?,
    channel? — or their Chinese names (订单号, 客户编码, 商品编码, 数量, 单位, 收货地址, 要求到货日期, 备注,
    渠道). CSV in UTF-8 (with or without BOM) or GBK/GB18030, or .xlsx (first sheet).

    Every row is checked and priced before anything is written. `all_or_nothing` (default): any
    problem → nothing is written. `valid_only`: orders with a bad row are skipped entirely, the others
    are written. `dry_run`: check and price only. Orders are written as drafts (source `import`);
    `confirm` confirms each afterwards through the normal confirmation (slower: one order at a time).

    200: the report (nothing written, or a dry run); 201: orders were written. Row problems are listed
    as {row, column, code, message} and downloadable as CSV or XLSX. A file that cannot be read at all
    answers 422 (import_file_unreadable, import_file_encoding, import_file_empty, import_file_headers,
    import_file_too_large)."""
    actor = api_actor(request, app=APP, write=True, perm="sales.add_salesorder")
    unknown = sorted(set(request.POST) - FORM_FIELDS)
    if unknown:  # a typo is an error, as in every JSON body
        raise ValidationFailed(details=[{"field": name, "message": "unknown field"} for name in unknown])
    if file.size is not None and file.size > MAX_BYTES:
        raise ValidationFailed(details=[{"field": "file", "message": f"<= {MAX_BYTES} bytes"}])
    report = import_orders(
        actor=actor,
        name=file.name or "import.csv",
        content=file.read(),
        mode=payload.mode,
        dry_run=payload.dry_run,
        confirm=payload.confirm,
        dealer_id=payload.dealer_id,
    )
    return Status(201 if report.written else 200, render_report(report))


@router.get(
    "/report",
    response={200: None, **ERRORS},
    summary="Download an import's error report (?token=…&format=csv or xlsx)",
)
def download_report(
    request: HttpRequest,
    token: str = Query(..., max_length=80),
    fmt: Literal["csv", "xlsx"] = Query("csv", alias="format"),
):
    actor = api_actor(request, app=APP, perm="sales.add_salesorder")
    name, body, content_type = build_report(actor=actor, token=token, fmt=fmt)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
