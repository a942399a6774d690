"""THE story of issue 4, told through the services a store owner, a warehouse, a sales rep and the
finance team use: a small store orders in the portal, the order is allocated and shipped, the rep
captures the signed note at the door, finance invoices and records the payment, and the store's
rebate accrues for the quarter."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qudao.accounts.actors import build_actor
from qudao.finance.services import invoice_sales_orders, record_payment
from qudao.inventory.models import StockLevel
from qudao.portal import services as portal
from qudao.portal.models import Cart
from qudao.portal.selectors import get_customer_order, order_timeline
from qudao.pricing.selectors_rebates import list_customer_accruals
from qudao.sales.models import DeliveryProof, ShipmentState
from qudao.sales.services import confirm_delivery, create_shipment, ship_shipment
from qudao.sales.states import DeliveryState, InvoiceState, OrderSource, OrderState, PaymentState
from tests.inventory.factories import ROOT
from tests.portal.factories import png
from tests.pricing.factories import program, promotion

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_a_small_store_orders_in_the_portal_and_earns_its_rebate(shop, dealer, media):
    world = shop.world
    rebate = program(dealer, tiers=(("200", "0.02"), ("5000", "0.03")), period="quarter")
    promotion(dealer, "percent_off", percent="10", items=[world.items[0]], name="春季九折")
    retailer = shop.actor()

    # the store owner fills the cart on the phone and places the order
    portal.add_to_cart(actor=retailer, customer_id=shop.store.pk, item_id=world.items[0].pk, quantity=3)
    portal.add_to_cart(actor=retailer, customer_id=shop.store.pk, item_id=world.items[1].pk, quantity=1)
    cart = Cart.objects.get(user=shop.retailer)
    order, created = portal.place_cart_order(actor=retailer, customer_id=shop.store.pk, token=cart.token)
    assert created and order.source == OrderSource.PORTAL
    # priced with its promotion: 3 × 113 × 0.9 = 305.10, + 113 = 418.10
    assert order.total == D("418.10")

    # confirmed and allocated: the only stock is in Shanghai, reserved there
    assert order.state == OrderState.CONFIRMED
    assert order.site_id == world.shanghai.pk
    reserved = StockLevel.objects.filter(item=world.items[0], site=world.shanghai).get().reserved
    assert reserved == D("3.000")

    # the warehouse ships it with a carrier and tracking number
    shipment = create_shipment(
        actor=ROOT,
        order_id=order.pk,
        data={"site_id": world.shanghai.pk, "carrier_name": "顺丰速运", "tracking_number": "SF1234567890"},
    )
    shipment = ship_shipment(actor=ROOT, shipment_id=shipment.pk)
    assert shipment.state == ShipmentState.SHIPPED
    steps = {s.key: s for s in order_timeline(get_customer_order(actor=retailer, order_id=order.pk))}
    assert steps["shipped"].done and "SF1234567890" in steps["shipped"].detail
    assert not steps["delivered"].done

    # the sales rep captures the proof at the door: photo, signer, time and place
    rep = build_actor(shop.rep)
    signed_at = timezone.now().replace(microsecond=0)
    confirm_delivery(
        actor=rep,
        shipment_id=shipment.pk,
        data={
            "signer_name": "张老板",
            "signed_at": signed_at,
            "latitude": D("30.284085"),
            "longitude": D("120.155070"),
            "accuracy_m": D("12.5"),
            "photo": SimpleUploadedFile("note.png", png(), content_type="image/png"),
        },
    )
    proof = DeliveryProof.objects.get(shipment=shipment)
    assert (proof.signer_name, proof.signed_at, proof.captured_by_id) == ("张老板", signed_at, shop.rep.pk)
    assert proof.photo.read().startswith(b"\x89PNG")
    order.refresh_from_db()
    assert order.delivery_state == DeliveryState.FULL
    steps = {s.key: s for s in order_timeline(get_customer_order(actor=retailer, order_id=order.pk))}
    assert steps["delivered"].done and "张老板" in steps["delivered"].detail

    # finance invoices what was shipped and records the store's bank transfer
    finance = ROOT
    (invoice,) = invoice_sales_orders(actor=finance, order_ids=[order.pk], issue=True)
    assert invoice.total == D("418.10")
    payment = record_payment(
        actor=finance,
        data={"customer_id": shop.store.pk, "method": "bank", "amount": D("418.10"), "reference": "网银转账"},
    )
    assert payment.amount == D("418.10")
    order.refresh_from_db()
    assert (order.invoice_state, order.payment_state) == (InvoiceState.FULL, PaymentState.FULL)

    # the delivered order counts toward the quarter's rebate: 2% of 418.10
    (accrual,) = [
        a for a in list_customer_accruals(actor=ROOT, customer_id=shop.store.pk) if a.program == rebate
    ]
    assert accrual.accrual.volume == D("418.10")
    assert accrual.accrual.rate == D("0.02")
    assert accrual.accrual.amount == D("8.36")
