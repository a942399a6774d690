"""The sales assistant on a phone (390 × 844): find a customer → check stock across warehouses →
order for the customer → (the warehouse ships it) → capture the proof of delivery with a photo and
the browser's position → the order shows delivered."""

from __future__ import annotations

import pytest

from qudao.sales.models import DeliveryProof, SalesOrder, Shipment
from qudao.sales.services import create_shipment, ship_shipment
from qudao.sales.states import DeliveryState, OrderSource
from tests.browser.test_portal import PHONE, no_overflow, phone, sign_in
from tests.factories import make_dealer
from tests.inventory.factories import ROOT, receive
from tests.portal.factories import make_shop, png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HANGZHOU = {"latitude": 30.2741, "longitude": 120.1551, "accuracy": 18}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _ship(order: SalesOrder) -> Shipment:
    shipment = create_shipment(
        actor=ROOT, order_id=order.pk, data={"carrier_name": "顺丰速运", "tracking_number": "SF5550001"}
    )
    return ship_shipment(actor=ROOT, shipment_id=shipment.pk)


def test_a_rep_orders_for_a_store_and_captures_the_delivery(browser, live_server, artifacts, media, tmp_path):
    shop = make_shop(make_dealer(name="华东快消"), items=2)
    item = shop.world.items[0]
    receive(shop.world.hangzhou, item, 7)
    context, page = phone(browser, geolocation=HANGZHOU, permissions=["geolocation"])
    try:
        sign_in(page, live_server, shop.rep.username)
        assert page.url.endswith("/assistant/")
        page.fill("#q", "张记")
        page.click("form[role=search] button[type=submit]")
        page.wait_for_selector(f"#customers a[data-code='{shop.store.code}']")
        no_overflow(page)
        page.screenshot(path=str(artifacts / "assistant-customers-390.png"), full_page=True)
        page.click(f"#customers a[data-code='{shop.store.code}']")
        page.wait_for_selector("#balance")
        no_overflow(page)
        page.screenshot(path=str(artifacts / "assistant-customer-390.png"), full_page=True)

        # stock across warehouses
        page.click(".tabs a[href$='/assistant/stock/']")
        page.fill("#q", item.sku)
        page.click("form[role=search] button[type=submit]")
        page.click(f"#items a[data-sku='{item.sku}']")
        page.wait_for_selector("#stock")
        assert (
            page.locator(f"#stock tr[data-site='{shop.world.shanghai.pk}'] .available").inner_text() == "100"
        )
        assert page.locator(f"#stock tr[data-site='{shop.world.hangzhou.pk}'] .available").inner_text() == "7"
        no_overflow(page)
        page.screenshot(path=str(artifacts / "assistant-stock-390.png"), full_page=True)

        # order for the customer
        page.goto(f"{live_server.url}/assistant/customers/{shop.store.pk}/")
        page.click("#order-for")
        page.locator(f"li[data-sku='{item.sku}'] button.add").click()
        page.wait_for_selector(".message.success")
        page.locator(f"li[data-sku='{item.sku}'] button.add").click()
        page.wait_for_selector(".message.success")
        page.click("#to-cart")
        page.wait_for_selector("#cart-lines")
        assert page.locator("#cart-lines .qty").inner_text() == "2"
        no_overflow(page)
        page.click("#place-order")
        page.wait_for_selector("#timeline")
        order = SalesOrder.objects.get()
        assert order.source == OrderSource.ASSISTANT and order.customer_id == shop.store.pk
        assert order.created_by_id == shop.rep.pk

        # the warehouse ships it; the rep confirms the delivery at the door
        shipment = _ship(order)
        page.click(".tabs a[href$='/assistant/deliveries/']")
        page.click(f"#deliveries a[data-number='{shipment.number}']")
        page.wait_for_selector("#proof-form")
        page.wait_for_selector("#geo-status.ok")
        assert "18" in page.locator("#geo-status").inner_text()
        photo = tmp_path / "signed-note.png"
        photo.write_bytes(png(160, 120))
        page.set_input_files("#photo", str(photo))
        page.wait_for_selector("#photo-preview:not([hidden])")
        page.fill("#signer_name", "张老板")
        no_overflow(page)
        page.screenshot(path=str(artifacts / "assistant-capture-390.png"), full_page=True)
        page.click("#confirm-delivery")
        page.wait_for_selector("#timeline li[data-step='delivered'].done")
        assert "张老板" in page.locator("#timeline li[data-step='delivered']").inner_text()
        page.screenshot(path=str(artifacts / "assistant-delivered-390.png"), full_page=True)
    finally:
        context.close()
    proof = DeliveryProof.objects.get()
    assert proof.signer_name == "张老板" and proof.photo.read().startswith(b"\x89PNG")
    assert float(proof.latitude) == pytest.approx(HANGZHOU["latitude"])
    assert float(proof.accuracy_m) == pytest.approx(18)
    assert SalesOrder.objects.get().delivery_state == DeliveryState.FULL


def test_a_denied_position_is_said_and_the_delivery_still_records(browser, live_server, media):
    shop = make_shop(make_dealer(name="华东快消"), items=1)
    from qudao.portal.models import Cart
    from qudao.portal.services import add_to_cart, place_cart_order

    owner = shop.actor()
    add_to_cart(actor=owner, customer_id=shop.store.pk, item_id=shop.world.items[0].pk, quantity=1)
    order, _ = place_cart_order(
        actor=owner, customer_id=shop.store.pk, token=Cart.objects.get(user=shop.retailer).token
    )
    shipment = _ship(order)
    context, page = phone(browser)  # no geolocation permission: the browser denies it
    try:
        sign_in(page, live_server, shop.rep.username)
        page.goto(f"{live_server.url}/assistant/deliveries/{shipment.pk}/")
        page.wait_for_selector("#geo-status.bad")
        status = page.locator("#geo-status")
        assert status.inner_text().strip() == status.get_attribute("data-denied")  # the denied message
        page.fill("#signer_name", "店员小李")
        page.click("#confirm-delivery")
        page.wait_for_selector("#timeline li[data-step='delivered'].done")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()
    assert DeliveryProof.objects.get().latitude is None
