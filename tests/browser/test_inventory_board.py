"""The inventory board as a person uses it: stock received through the service, filtered, drilled into."""

from __future__ import annotations

from decimal import Decimal

import pytest

from qudao.accounts.models import Role
from qudao.inventory.models import ItemSiteSettings
from tests.catalog.factories import make_item
from tests.factories import make_dealer, make_site, make_user
from tests.inventory.factories import receive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Qudao-test-2026!"


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def test_board_filter_problems_and_drill_down(page, live_server, artifacts):
    from qudao.accounts.services.access import sync_role_groups

    dealer = make_dealer(name="Board Motors")
    site = make_site(dealer, name="Main warehouse")
    sync_role_groups()
    make_user(dealer, role=Role.DEALER_ADMIN, username="keeper", is_staff=True)
    low = make_item(dealer, sku="PAD-01", name="Brake pads")
    fine = make_item(dealer, sku="BULB-01", name="Head lamp bulb")
    receive(site, low, 2, unit_cost=Decimal("30"))
    receive(site, fine, 40, unit_cost=Decimal("3"))
    ItemSiteSettings.objects.create(dealer=dealer, item=low, site=site, safety_stock=Decimal(10))

    sign_in(page, live_server, "keeper")
    # the sidebar leads to the board (selectors, not texts: the console may speak Chinese)
    page.click("a[href='/admin/inventory/board/']")
    page.wait_for_url(f"{live_server.url}/admin/inventory/board/")
    table = page.locator("#board-table")
    assert table.locator("tbody tr").count() == 2
    page.screenshot(path=str(artifacts / "inventory-board.png"), full_page=True)

    page.check("input[name=problems]")
    page.click("#board-filters button[type=submit]")
    page.wait_for_url("**/admin/inventory/board/?*problems=on*")
    rows = page.locator("#board-table tbody tr")
    assert rows.count() == 1
    assert "PAD-01" in rows.first.inner_text()
    assert rows.first.locator(".qb-badge.qb-below").count() == 1
    assert "qb-row-below" in (rows.first.get_attribute("class") or "")
    page.screenshot(path=str(artifacts / "inventory-board-problems.png"), full_page=True)

    page.click("#board-table a:has-text('PAD-01')")
    page.wait_for_selector("#item-title")
    assert "PAD-01 Brake pads" in page.inner_text("#item-title")
    assert page.inner_text("#total-on-hand").strip() == "2"
    assert page.locator("#item-history tbody tr").count() == 1
    page.screenshot(path=str(artifacts / "inventory-board-item.png"), full_page=True)

    # usable on a phone: the page fits, the table scrolls inside its box
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/admin/inventory/board/")
    page.wait_for_selector("#board-table")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, width
    page.screenshot(path=str(artifacts / "inventory-board-390.png"), full_page=True)
