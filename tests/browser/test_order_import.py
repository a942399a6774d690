"""The import page as a back-office clerk uses it: upload the week's file, check it, read the problem,
import the valid orders (Playwright + Chromium)."""

from __future__ import annotations

import pytest

from qudao.sales.models import SalesOrder
from tests.factories import make_dealer, make_user
from tests.sales.factories import make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Qudao-test-2026!"


def test_check_then_import_the_valid_orders(page, live_server, artifacts, chinese, tmp_path):
    world = make_world(make_dealer(name="华东快消"), items=2, price="12.50")
    make_user(world.dealer, username="clerk", is_staff=True)
    a, b = world.items
    file = tmp_path / "本周订单.csv"
    rows = [
        f"W-1,{world.customer.code},{a.sku},4",
        f"W-1,{world.customer.code},{b.sku},2",
        f"W-2,{world.customer.code},NOPE,1",
    ]
    file.write_bytes(("订单号,客户编码,商品编码,数量\n" + "\n".join(rows) + "\n").encode("gbk"))

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "clerk")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    page.click("a[href='/admin/sales/import/']")  # the sidebar link under the order center
    page.wait_for_selector("#import-form")
    page.set_input_files("input[name=file]", str(file))
    page.check("input[name=mode][value=valid_only]")
    page.click("button[value=check]")
    page.wait_for_selector("#import-report")
    assert "NOPE" in page.inner_text("#import-problems")  # (translations are merged later)
    assert page.locator("#report-csv").is_visible()
    page.screenshot(path=str(artifacts / "order-import-check-zh.png"), full_page=True)
    assert not SalesOrder.objects.exists()

    page.click("#import-now")
    page.wait_for_selector("#import-report a[href*='source__exact=import']")
    page.screenshot(path=str(artifacts / "order-import-done-zh.png"), full_page=True)
    order = SalesOrder.objects.get()
    assert order.external_reference == "W-1" and order.lines.count() == 2
