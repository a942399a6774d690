"""Console pages of finance: customer statement, receivables ageing (table + bar per bucket), record a
payment, invoice a customer's orders. Plain forms; they parse, call one service or selector, render."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qudao.core.errors import QudaoError
from qudao.core.scoping import Actor, get_actor, scoped
from qudao.finance import services
from qudao.finance.policies import BUCKETS
from qudao.finance.selectors_reports import get_customer_statement, get_receivables_ageing
from qudao.finance.states import PaymentMethod
from qudao.parties.models import Customer
from qudao.sales.states import InvoiceBasis

BUCKET_LABELS = {
    "current": _("Not yet due"),
    "d1_30": _("1–30 days"),
    "d31_60": _("31–60 days"),
    "d61_90": _("61–90 days"),
    "d90_plus": _("Over 90 days"),
}
DATE = forms.DateInput(attrs={"type": "date"})


def _actor(request: HttpRequest, perm: str) -> Actor:
    actor = get_actor(request)
    if not actor.has_perm(perm):
        raise PermissionDenied
    return actor


class CustomerForm(forms.Form):
    customer = forms.ModelChoiceField(queryset=Customer.objects.none(), label=_("Customer"))

    def __init__(self, *args, actor: Actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = scoped(Customer.objects.all(), actor).order_by("name")


class StatementForm(CustomerForm):
    date_from = forms.DateField(label=_("From"), widget=DATE)
    date_to = forms.DateField(label=_("To"), widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end comes before the start."))
        return data


def _page(request, template: str, title, **context) -> HttpResponse:
    return render(request, template, {**admin.site.each_context(request), "title": title, **context})


def statement_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request, "finance.view_invoice")
    today = timezone.localdate()
    initial = {"date_from": today.replace(day=1), "date_to": today}
    form = StatementForm(request.GET or None, actor=actor, initial=initial)
    statement = None
    if form.is_valid():
        statement = get_customer_statement(
            actor=actor,
            customer_id=form.cleaned_data["customer"].pk,
            date_from=form.cleaned_data["date_from"],
            date_to=form.cleaned_data["date_to"],
        )
    return _page(request, "finance/statement.html", _("Customer statement"), form=form, statement=statement)


class AgeingForm(forms.Form):
    as_of = forms.DateField(label=_("As of"), required=False, widget=DATE)


def ageing_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request, "finance.view_invoice")
    form = AgeingForm(request.GET or None)
    as_of = (form.cleaned_data.get("as_of") if form.is_valid() else None) or timezone.localdate()
    rows, total = get_receivables_ageing(actor=actor, as_of=as_of)
    biggest = max(total.buckets.values(), default=0) or 1
    bars = [
        {
            "key": key,
            "label": BUCKET_LABELS[key],
            "amount": total.buckets[key],
            "percent": round(float(total.buckets[key] / biggest * 100), 1),  # a bar width, not money
        }
        for key, _low, _high in BUCKETS
    ]
    return _page(
        request,
        "finance/ageing.html",
        _("Receivables ageing"),
        form=form,
        as_of=as_of,
        rows=rows,
        total=total,
        bars=bars,
        labels=[BUCKET_LABELS[key] for key, _l, _h in BUCKETS],
        keys=[key for key, _l, _h in BUCKETS],
    )


class PaymentForm(CustomerForm):
    method = forms.ChoiceField(choices=PaymentMethod.choices, label=_("Method"))
    amount = forms.DecimalField(min_value=0.01, max_digits=18, decimal_places=2, label=_("Amount"))
    payment_date = forms.DateField(label=_("Payment date"), required=False, widget=DATE)
    reference = forms.CharField(max_length=100, required=False, label=_("Reference"))
    note = forms.CharField(max_length=500, required=False, label=_("Note"))
    auto_allocate = forms.BooleanField(
        required=False, initial=True, label=_("Allocate to the oldest open invoices")
    )


def record_payment_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request, "finance.add_payment")
    form = PaymentForm(request.POST or None, actor=actor, initial={"payment_date": timezone.localdate()})
    error = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["customer_id"] = data.pop("customer").pk
        try:
            payment = services.record_payment(actor=actor, data=data)
        except QudaoError as exc:
            error = exc
        else:
            messages.success(request, _("Payment %(number)s recorded.") % {"number": payment.number})
            return redirect(reverse("admin:finance_payment_change", args=[payment.pk]))
    return _page(request, "finance/form.html", _("Record a payment"), form=form, error=error)


class InvoiceOrdersForm(CustomerForm):
    basis = forms.ChoiceField(
        choices=[("", _("Dealer setting")), *InvoiceBasis.choices], required=False, label=_("Invoice from")
    )
    invoice_date = forms.DateField(label=_("Invoice date"), required=False, widget=DATE)
    issue = forms.BooleanField(required=False, initial=True, label=_("Issue at once"))


def invoice_orders_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request, "finance.add_invoice")
    form = InvoiceOrdersForm(request.POST or None, actor=actor)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            invoices = services.invoice_sales_orders(
                actor=actor,
                customer_id=form.cleaned_data["customer"].pk,
                basis=form.cleaned_data["basis"] or None,
                invoice_date=form.cleaned_data["invoice_date"],
                issue=form.cleaned_data["issue"],
            )
        except QudaoError as exc:
            error = exc
        else:
            numbers = ", ".join(inv.number for inv in invoices)
            messages.success(request, _("Invoiced: %(numbers)s.") % {"numbers": numbers})
            return redirect(reverse("admin:finance_invoice_change", args=[invoices[0].pk]))
    return _page(request, "finance/form.html", _("Invoice a customer's orders"), form=form, error=error)
