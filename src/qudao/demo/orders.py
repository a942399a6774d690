"""Demo orders and receivables of the FMCG distributor, through the order center and finance
services: confirmed orders priced by the customers' lists and promotions, allocated to the nearest
warehouse and reserved, a few drafts, one cancelled; invoices for half of the confirmed orders
(ordered quantities: fulfilment comes later) and payments for some of them — so the order center,
an order's price explanation and allocation plan, the statement and the ageing report show data."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from qudao.core.errors import QudaoError
from qudao.demo.base import DemoContext
from qudao.finance.services import invoice_sales_orders, record_payment
from qudao.inventory.models import StockLevel
from qudao.parties.models import Customer
from qudao.sales.services import cancel_order, submit_order

ORDERS = 36
DRAFTS = 4


def load_fmcg_orders(ctx: DemoContext) -> None:
    dealer = ctx.refs["fmcg.dealer"]
    rng = ctx.rng("fmcg.orders")
    customers = list(
        Customer.objects.filter(dealer=dealer, kind="business", status="active").order_by("code")[:30]
    )
    plenty = list(
        StockLevel.objects.filter(
            dealer=dealer, is_virtual=False, item__list_price__isnull=False, on_hand__gte=F("reserved") + 60
        )
        .values_list("item_id", flat=True)
        .distinct()
        .order_by("item_id")[:150]
    )
    if not customers or not plenty:
        return
    confirmed = []
    for n in range(ORDERS + DRAFTS):
        customer = customers[n % len(customers)]
        lines = [
            {"item_id": item, "quantity": rng.choice((6, 12, 12, 24, 48))}
            for item in rng.sample(plenty, rng.randint(2, 6))
        ]
        data = {
            "customer_id": customer.pk,
            "source": rng.choice(("console", "api", "ecommerce", "portal")),
            "external_reference": f"DEMO-{n + 1:04d}",
            "lines": lines,
        }
        try:
            order, _created = submit_order(actor=ctx.actor, data=data, confirm=n < ORDERS)
        except QudaoError:
            continue  # e.g. stock taken by the orders before: the demo simply has one order fewer
        if n < ORDERS and order.state in ("confirmed", "processing"):
            confirmed.append(order)
    if confirmed:
        cancel_order(actor=ctx.actor, order_id=confirmed.pop().pk)
    today = timezone.localdate()
    invoiced = confirmed[: len(confirmed) // 2]
    for n, order in enumerate(invoiced):
        (invoice,) = invoice_sales_orders(
            actor=ctx.actor,
            order_ids=[order.pk],
            basis="ordered",
            invoice_date=today - timedelta(days=5 + 9 * n),
            issue=True,
        )
        if n % 3 == 0:  # paid in full
            amount = invoice.total
        elif n % 3 == 1:  # paid in part
            amount = (invoice.total / 2).quantize(Decimal("0.01"))
        else:
            continue
        record_payment(
            actor=ctx.actor,
            data={
                "customer_id": order.customer_id,
                "method": "bank",
                "amount": str(amount),
                "payment_date": today - timedelta(days=n),
                "reference": f"银行回单 {n + 1:04d}",
            },
        )
