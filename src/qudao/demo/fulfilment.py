"""Demo fulfilment of the FMCG distributor, through the fulfilment services: some confirmed orders are
shipped (one of them in two parts), most of those are signed for at the customer's door, and one
delivered order has a return of damaged goods received into quarantine — so the shipments list, the
pick list (the remaining drafts), an order's shipments and the returns page show data."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from qudao.core.errors import QudaoError
from qudao.demo.base import DemoContext
from qudao.sales.models import SalesOrder, SalesOrderLine
from qudao.sales.services import (
    approve_return,
    confirm_delivery,
    create_shipment,
    receive_return,
    request_return,
    ship_shipment,
)
from qudao.sales.services._fulfilment import reserved_sites

SHIPPED = 8
DELIVERED = 6
DRAFTS = 3
SIGNERS = ("王店长", "李经理", "张师傅", "陈女士", "刘先生", "赵主管")
CARRIERS = ("顺丰速运", "京东物流", "德邦快递")


def _ship_all(ctx: DemoContext, order: SalesOrder, rng) -> list:
    shipments = []
    for site_id in reserved_sites(order.pk):
        shipment = create_shipment(
            actor=ctx.actor,
            order_id=order.pk,
            data={
                "site_id": site_id,
                "carrier_name": rng.choice(CARRIERS),
                "tracking_number": f"SF{rng.randint(10**11, 10**12 - 1)}",
                "packages": [{"weight_kg": Decimal(rng.randint(5, 40))}],
            },
        )
        ship_shipment(actor=ctx.actor, shipment_id=shipment.pk)
        shipments.append(shipment)
    return shipments


def load_fmcg_fulfilment(ctx: DemoContext) -> None:
    dealer = ctx.refs.get("fmcg.dealer")
    if dealer is None:
        return
    rng = ctx.rng("fmcg.fulfilment")
    orders = list(
        SalesOrder.objects.filter(dealer=dealer, state="confirmed").order_by("pk")[: SHIPPED + DRAFTS]
    )
    delivered = []
    for n, order in enumerate(orders[:SHIPPED]):
        try:
            if n == 0:  # a partial shipment: half of the first line now, the rest later
                line = SalesOrderLine.objects.filter(order=order).order_by("line_no").first()
                half = (line.reserved_quantity / 2).quantize(Decimal(1))
                if half > 0:
                    first = create_shipment(
                        actor=ctx.actor,
                        order_id=order.pk,
                        data={
                            "lines": [{"order_line_id": line.pk, "quantity": half}],
                            "carrier_name": CARRIERS[0],
                        },
                    )
                    ship_shipment(actor=ctx.actor, shipment_id=first.pk)
                continue
            shipments = _ship_all(ctx, order, rng)
            if n <= DELIVERED:
                for shipment in shipments:
                    confirm_delivery(
                        actor=ctx.actor,
                        shipment_id=shipment.pk,
                        data={
                            "signer_name": rng.choice(SIGNERS),
                            "signed_at": timezone.now() - timedelta(hours=rng.randint(1, 48)),
                            "latitude": order.ship_latitude,
                            "longitude": order.ship_longitude,
                            "accuracy_m": Decimal(rng.randint(5, 30)),
                            "note": "货物完好，已签收",
                        },
                    )
                delivered.append(order)
        except QudaoError:
            continue  # e.g. stock moved by an earlier step: the demo has one shipment fewer
    for order in orders[SHIPPED:]:
        try:
            create_shipment(actor=ctx.actor, order_id=order.pk, data={})  # drafts: the pick list
        except QudaoError:
            continue
    if delivered:
        order = delivered[0]
        line = SalesOrderLine.objects.filter(order=order).order_by("line_no").first()
        request = request_return(
            actor=ctx.actor,
            order_id=order.pk,
            data={
                "reason": "外箱破损",
                "lines": [
                    {
                        "order_line_id": line.pk,
                        "quantity": 1,
                        "disposition": "quarantine",
                        "reason": "外箱破损",
                    }
                ],
            },
        )
        approve_return(actor=ctx.actor, return_id=request.pk, note="照片已核实")
        receive_return(actor=ctx.actor, return_id=request.pk)
