"""The retailer portal on a phone (390 × 844): sign in → search → add to cart → step the quantity →
order → see it in my orders → reorder. Nothing overflows the screen."""

from __future__ import annotations

import pytest

from qudao.sales.models import SalesOrder
from qudao.sales.states import OrderSource, OrderState
from tests.factories import make_dealer
from tests.portal.factories import PASSWORD, make_shop
from tests.pricing.factories import promotion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def phone(browser, **extra):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True, **extra)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def no_overflow(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/portal/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_a_store_owner_orders_tracks_and_reorders(browser, live_server, artifacts):
    shop = make_shop(make_dealer(name="华东快消"), items=3)
    first, second = shop.world.items[:2]
    first.name, second.name = "农夫山泉 550ml×24", "康师傅红烧牛肉面 5连包"
    first.save(update_fields=["name"])
    second.save(update_fields=["name"])
    promotion(shop.world.dealer, "percent_off", percent="10", items=[first], name="春季九折")
    context, page = phone(browser)
    try:
        sign_in(page, live_server, shop.retailer.username)
        assert page.url.endswith("/portal/")
        page.wait_for_selector(f"li[data-sku='{first.sku}']")
        no_overflow(page)
        page.screenshot(path=str(artifacts / "portal-catalog-390.png"), full_page=True)

        page.fill("#q", "农夫")
        page.click("form[role=search] button[type=submit]")
        page.wait_for_selector(f"li[data-sku='{first.sku}']")
        assert page.locator(f"li[data-sku='{second.sku}']").count() == 0
        card = page.locator(f"li[data-sku='{first.sku}']")
        assert "¥101.70" in card.inner_text() and "春季九折" in card.inner_text()
        card.locator("button.add").click()
        page.wait_for_selector(".message.success")
        assert page.locator("#tab-cart .count").inner_text() == "1"

        page.click("#tab-cart")
        page.wait_for_selector("#cart-lines")
        page.locator(f"#cart-lines li[data-sku='{first.sku}'] button.plus").click()
        page.wait_for_function("document.querySelector('#cart-lines .qty').textContent === '2'")
        assert page.locator("#total").inner_text() == "¥203.40"
        no_overflow(page)
        page.screenshot(path=str(artifacts / "portal-cart-390.png"), full_page=True)

        page.click("#place-order")
        page.wait_for_selector("#timeline")
        order = SalesOrder.objects.get()
        assert order.source == OrderSource.PORTAL and order.state == OrderState.CONFIRMED
        assert order.number in page.locator("h1").inner_text()
        assert page.locator("#timeline li[data-step='confirmed'].done").count() == 1
        no_overflow(page)
        page.screenshot(path=str(artifacts / "portal-order-390.png"), full_page=True)

        page.click(".tabs a[href$='/portal/orders/']")
        page.wait_for_selector(f"#orders a[data-number='{order.number}']")
        no_overflow(page)
        page.click(f"#orders a[data-number='{order.number}']")
        page.click("#reorder")
        page.wait_for_selector("#cart-lines")
        assert page.locator("#cart-lines .qty").inner_text() == "2"
        assert SalesOrder.objects.count() == 1
        page.screenshot(path=str(artifacts / "portal-reorder-390.png"), full_page=True)
    finally:
        context.close()
