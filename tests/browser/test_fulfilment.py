"""Fulfilment pages as a warehouse clerk uses them (Playwright + Chromium): the pick list of a site,
then the delivery form on a phone-sized screen with a photo."""

from __future__ import annotations

import pytest

from qudao.accounts.models import Role
from qudao.sales.models import Shipment, ShipmentState
from qudao.sales.services import create_shipment, ship_shipment
from tests.factories import make_dealer, make_user
from tests.inventory.factories import ROOT
from tests.sales.factories import make_world, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Qudao-test-2026!"


def _png() -> bytes:
    """A real 2×2 red PNG (the browser must be able to draw it)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PNG = _png()


def _sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def test_pick_then_deliver_on_a_phone(page, live_server, artifacts, settings, tmp_path):
    from qudao.accounts.services.access import sync_role_groups

    settings.MEDIA_ROOT = tmp_path / "media"
    dealer = make_dealer(name="华东快消")
    world = make_world(dealer, items=2)
    sync_role_groups()
    make_user(dealer, role=Role.DEALER_ADMIN, username="clerk", is_staff=True)
    order = submit(world, [6, 2])
    shipment = create_shipment(actor=ROOT, order_id=order.pk, data={"tracking_number": "SF-88"})

    _sign_in(page, live_server, "clerk")
    page.goto(f"{live_server.url}/admin/sales/shipment/pick-list/")
    assert "Choose" in page.inner_text("#pick-list") or "选择" in page.inner_text("#pick-list")
    page.select_option("select[name=site]", str(world.shanghai.pk))
    page.wait_for_url("**/pick-list/?site=*")
    rows = page.locator("#pick-rows tbody tr")
    assert rows.count() == 2
    assert world.items[0].sku in page.inner_text("#pick-rows")
    page.screenshot(path=str(artifacts / "fulfilment-pick-list.png"), full_page=True)

    ship_shipment(actor=ROOT, shipment_id=shipment.pk)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/admin/sales/shipment/{shipment.pk}/deliver/")
    page.fill("input[name=signer_name]", "王店长")
    page.set_input_files(
        "input[name=photo]", files=[{"name": "door.png", "mimeType": "image/png", "buffer": PNG}]
    )
    width = page.evaluate("document.querySelector('#delivery-form').getBoundingClientRect().width")
    assert width <= 390
    page.screenshot(path=str(artifacts / "fulfilment-deliver-phone.png"), full_page=True)
    page.click("#delivery-form button[type=submit]")
    page.wait_for_url(f"**/admin/sales/shipment/{shipment.pk}/change/")
    assert Shipment.objects.get(pk=shipment.pk).state == ShipmentState.DELIVERED
    photo = page.locator(f"img[src$='/admin/sales/shipment/{shipment.pk}/proof-photo/']")
    assert photo.count() == 1
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=photo.element_handle())
    page.screenshot(path=str(artifacts / "fulfilment-shipment.png"), full_page=True)
