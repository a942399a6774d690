"""The scanning stocktake on a phone: a keyboard-wedge scanner types the code and Enter."""

from __future__ import annotations

from decimal import Decimal

import pytest

from qudao.catalog.policies import complete_gtin
from qudao.inventory.services.stocktakes import create_stocktake, start_stocktake
from tests.browser.test_console import sign_in
from tests.catalog.factories import make_barcode, make_item, make_item_unit, unit
from tests.factories import make_dealer, make_site, make_user
from tests.inventory.factories import ROOT, on_hand, receive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_scan_units_and_a_case_then_post_variances(browser, live_server, artifacts):
    dealer = make_dealer(name="扫码盘点经销商")
    site = make_site(dealer, name="上海中心仓")
    make_user(dealer, username="clerk", is_staff=True)
    item = make_item(dealer, name="Engine oil 1L")
    case = unit(dealer, "CS")
    make_item_unit(item, case, 24)
    each_code, case_code = complete_gtin("693000000001"), complete_gtin("693000000002")
    make_barcode(item, each_code)
    make_barcode(item, case_code, unit_of_measure=case)
    receive(site, item, 20)
    session = create_stocktake(actor=ROOT, data={"site_id": site.pk})
    start_stocktake(actor=ROOT, session_id=session.pk)

    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="en-US", is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page, live_server, "clerk")
        page.goto(f"{live_server.url}/inventory/stocktakes/{session.pk}/scan")
        code = page.locator("#code")
        assert code.evaluate("el => el === document.activeElement")
        counted = page.locator("tr[data-sku] .counted")

        for expected_total, scanned in (("1", each_code), ("2", each_code), ("26", case_code)):
            page.keyboard.type(scanned)
            page.keyboard.press("Enter")
            page.wait_for_function(
                "t => (document.querySelector('tr[data-sku] .counted') || {}).textContent === t",
                arg=expected_total,
            )
            assert code.evaluate("el => el === document.activeElement && el.value === ''")
        assert page.locator(".message.ok").inner_text().startswith("Counted 24")
        assert page.locator("tr[data-sku] .expected").inner_text() == "20"

        page.keyboard.type("4006381333931")
        page.keyboard.press("Enter")
        page.wait_for_selector(".message.error")
        assert "Unknown code 4006381333931" in page.locator(".message.error").inner_text()
        assert counted.inner_text() == "26"
        # nothing overflows a 375 px screen
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.screenshot(path=str(artifacts / "stocktake-scan-375.png"), full_page=True)

        page.click("text=Review variances")
        assert page.locator("tr[data-sku] .variance").inner_text() == "6"
        page.click("#post-variances")
        page.wait_for_selector(".message.ok")
        assert "Posted: 1 adjustments." in page.locator(".message.ok").inner_text()
        page.screenshot(path=str(artifacts / "stocktake-review-375.png"), full_page=True)

        # the board shows the counted quantity (20 in stock before, 26 counted)
        page.goto(f"{live_server.url}/admin/inventory/board/?q={item.sku}")
        row = page.locator(f"#board-table tbody tr[data-item='{item.pk}'][data-site='{site.pk}']")
        assert row.locator("td.qb-num").first.inner_text().strip() == "26"
        page.screenshot(path=str(artifacts / "stocktake-board-375.png"), full_page=True)
    finally:
        context.close()
    assert on_hand(item, site) == Decimal(26)
