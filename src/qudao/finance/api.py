"""Finance API, mounted at /api/v1/finance: invoices, credit notes, payments, statement, ageing.
Endpoints parse, call one service or selector, render."""

from datetime import date

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from qudao.core.api import api_actor
from qudao.core.errors import ValidationFailed
from qudao.finance import api_documents
from qudao.finance.api_documents import ERRORS
from qudao.finance.schemas import AgeingOut, Id, StatementOut
from qudao.finance.selectors_reports import get_customer_statement, get_receivables_ageing

router = Router(tags=["finance"])
router.add_router("/invoices", api_documents.invoices)
router.add_router("/credit-notes", api_documents.credit_notes)
router.add_router("/payments", api_documents.payments)
APP = "finance"


@router.get("/statement", response={200: StatementOut, **ERRORS}, summary="Customer statement")
def statement(request: HttpRequest, customer_id: Id, date_from: date, date_to: date):
    actor = api_actor_read(request)
    if date_to < date_from:
        raise ValidationFailed(
            details=[{"field": "date_to", "code": "validation_error", "message": ">= date_from"}]
        )
    return get_customer_statement(actor=actor, customer_id=customer_id, date_from=date_from, date_to=date_to)


def _row(row) -> dict:
    return {
        "customer_id": row.customer_id,
        "code": row.code,
        "name": str(row.name),
        **row.buckets,
        "total": row.total,
    }


@router.get("/ageing", response={200: AgeingOut, **ERRORS}, summary="Receivables ageing as of a date")
def ageing(request: HttpRequest, as_of: date | None = None, customer_id: Id | None = None):
    actor = api_actor_read(request)
    on = as_of or timezone.localdate()
    rows, total = get_receivables_ageing(actor=actor, as_of=on, customer_id=customer_id)
    return {"as_of": on, "rows": [_row(r) for r in rows], "total": _row(total)}


def api_actor_read(request: HttpRequest):
    return api_actor(request, app=APP, perm="finance.view_invoice")
