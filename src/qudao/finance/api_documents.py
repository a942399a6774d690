"""Finance API routers of the documents: invoices, credit notes, payments."""

from datetime import date

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from qudao.core.api import ErrorOut, Paginated, api_actor, order_queryset
from qudao.finance import selectors, services
from qudao.finance.schemas import (
    AllocateIn,
    CancelIn,
    CreditNoteDetailOut,
    CreditNoteIn,
    CreditNoteOut,
    Id,
    InvoiceDetailOut,
    InvoiceFromOrdersIn,
    InvoiceOut,
    PaymentDetailOut,
    PaymentIn,
    PaymentOut,
    VersionIn,
)
from qudao.finance.states import InvoiceState, PaymentMethod, PaymentState

APP = "finance"
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
invoices = Router(tags=["finance: invoices"])
credit_notes = Router(tags=["finance: credit notes"])
payments = Router(tags=["finance: payments"])


def _invoice(actor, invoice_id: int):
    return selectors.get_invoice(actor=actor, invoice_id=invoice_id)


@invoices.get("", response=list[InvoiceOut], summary="List invoices")
@paginate(Paginated)
def list_invoices(
    request: HttpRequest,
    state: InvoiceState | None = None,
    customer_id: Id | None = None,
    order_id: Id | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    overdue_on: date | None = None,
    ordering: str | None = Query(None, max_length=100),
):
    actor = api_actor(request, app=APP, perm="finance.view_invoice")
    qs = selectors.list_invoices(
        actor=actor,
        state=state,
        customer_id=customer_id,
        order_id=order_id,
        date_from=date_from,
        date_to=date_to,
        overdue_on=overdue_on,
    )
    return order_queryset(qs, ordering, {"invoice_date", "due_date", "number", "total", "open_amount"}, "-id")


@invoices.post("", response={201: list[InvoiceOut], **ERRORS}, summary="Invoice sales orders")
def create_invoices(request: HttpRequest, payload: InvoiceFromOrdersIn):
    """Invoices what is left to invoice on the orders (shipped or ordered quantities): one invoice per
    customer. `issue: true` issues them at once."""
    actor = api_actor(request, app=APP, write=True, perm="finance.add_invoice")
    done = services.invoice_sales_orders(actor=actor, **payload.model_dump())
    return Status(201, [_invoice(actor, inv.pk) for inv in done])


@invoices.get("/{int:invoice_id}", response={200: InvoiceDetailOut, **ERRORS}, summary="One invoice")
def get_invoice(request: HttpRequest, invoice_id: int):
    actor = api_actor(request, app=APP, perm="finance.view_invoice")
    return _invoice(actor, invoice_id)


@invoices.post("/{int:invoice_id}/issue", response={200: InvoiceDetailOut, **ERRORS}, summary="Issue a draft")
def issue_invoice(request: HttpRequest, invoice_id: int, payload: VersionIn):
    actor = api_actor(request, app=APP, write=True, perm="finance.issue_invoice")
    services.issue_invoice(actor=actor, invoice_id=invoice_id, version=payload.version)
    return _invoice(actor, invoice_id)


@invoices.post("/{int:invoice_id}/cancel", response={200: InvoiceDetailOut, **ERRORS}, summary="Cancel")
def cancel_invoice(request: HttpRequest, invoice_id: int, payload: CancelIn):
    """A draft is cancelled; an unpaid issued invoice is reversed by a credit note for what is open."""
    actor = api_actor(request, app=APP, write=True, perm="finance.cancel_invoice")
    services.cancel_invoice(
        actor=actor, invoice_id=invoice_id, version=payload.version, reason=payload.reason
    )
    return _invoice(actor, invoice_id)


@invoices.post(
    "/{int:invoice_id}/credit-notes",
    response={201: CreditNoteDetailOut, **ERRORS},
    summary="Credit an invoice",
)
def credit_invoice(request: HttpRequest, invoice_id: int, payload: CreditNoteIn):
    actor = api_actor(request, app=APP, write=True, perm="finance.add_creditnote")
    data = payload.model_dump(exclude={"version"})
    data["reason"] = payload.reason.value
    if payload.lines is not None:
        data["lines"] = [line.model_dump() for line in payload.lines]
    note = services.create_credit_note(actor=actor, invoice_id=invoice_id, data=data, version=payload.version)
    return Status(201, selectors.get_credit_note(actor=actor, credit_note_id=note.pk))


@credit_notes.get("", response=list[CreditNoteOut], summary="List credit notes")
@paginate(Paginated)
def list_credit_notes(request: HttpRequest, customer_id: Id | None = None, invoice_id: Id | None = None):
    actor = api_actor(request, app=APP, perm="finance.view_creditnote")
    return selectors.list_credit_notes(actor=actor, customer_id=customer_id, invoice_id=invoice_id).order_by(
        "-id"
    )


@credit_notes.get(
    "/{int:credit_note_id}", response={200: CreditNoteDetailOut, **ERRORS}, summary="One credit note"
)
def get_credit_note(request: HttpRequest, credit_note_id: int):
    actor = api_actor(request, app=APP, perm="finance.view_creditnote")
    return selectors.get_credit_note(actor=actor, credit_note_id=credit_note_id)


@payments.get("", response=list[PaymentOut], summary="List payments")
@paginate(Paginated)
def list_payments(
    request: HttpRequest,
    customer_id: Id | None = None,
    state: PaymentState | None = None,
    method: PaymentMethod | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
):
    actor = api_actor(request, app=APP, perm="finance.view_payment")
    return selectors.list_payments(
        actor=actor, customer_id=customer_id, state=state, method=method, date_from=date_from, date_to=date_to
    ).order_by("-id")


@payments.post("", response={201: PaymentDetailOut, **ERRORS}, summary="Record a payment")
def record_payment(request: HttpRequest, payload: PaymentIn):
    actor = api_actor(request, app=APP, write=True, perm="finance.add_payment")
    data = payload.model_dump()
    data["method"] = payload.method.value
    payment = services.record_payment(actor=actor, data=data)
    return Status(201, selectors.get_payment(actor=actor, payment_id=payment.pk))


@payments.get("/{int:payment_id}", response={200: PaymentDetailOut, **ERRORS}, summary="One payment")
def get_payment(request: HttpRequest, payment_id: int):
    actor = api_actor(request, app=APP, perm="finance.view_payment")
    return selectors.get_payment(actor=actor, payment_id=payment_id)


@payments.post("/{int:payment_id}/allocate", response={200: PaymentDetailOut, **ERRORS}, summary="Allocate")
def allocate_payment(request: HttpRequest, payment_id: int, payload: AllocateIn):
    """Allocate what is left: to the given invoices, or (no allocations) to the oldest open ones."""
    actor = api_actor(request, app=APP, write=True, perm="finance.change_payment")
    allocations = [a.model_dump() for a in payload.allocations] if payload.allocations is not None else None
    services.allocate_payment(
        actor=actor, payment_id=payment_id, allocations=allocations, version=payload.version
    )
    return selectors.get_payment(actor=actor, payment_id=payment_id)


@payments.post("/{int:payment_id}/reverse", response={200: PaymentDetailOut, **ERRORS}, summary="Reverse")
def reverse_payment(request: HttpRequest, payment_id: int, payload: CancelIn):
    actor = api_actor(request, app=APP, write=True, perm="finance.reverse_payment")
    services.reverse_payment(
        actor=actor, payment_id=payment_id, reason=payload.reason, version=payload.version
    )
    return selectors.get_payment(actor=actor, payment_id=payment_id)
