"""Shipments in the console: drafted from the order list, picked from the printable pick list, shipped
by an action, delivered through the form with a photo; the order page lists its shipments."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from qudao.sales.models import Shipment, ShipmentState
from qudao.sales.services import create_shipment, ship_shipment
from tests.factories import make_user
from tests.inventory.factories import ROOT
from tests.sales.factories import make_world, submit

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff(dealer):
    client = Client()
    client.force_login(make_user(dealer, is_staff=True))
    return client


def test_from_order_list_to_pick_list_to_ship(staff, dealer, other_dealer):
    world = make_world(dealer, items=2)
    order = submit(world, [4, 1])
    response = staff.post(
        "/admin/sales/salesorder/", {"action": "draft_shipments", "_selected_action": [order.pk]}, follow=True
    )
    assert response.status_code == 200
    shipment = Shipment.objects.get(order=order)
    assert shipment.state == ShipmentState.DRAFT

    empty = staff.get("/admin/sales/shipment/pick-list/", {"site": world.hangzhou.pk}).content.decode()
    assert "Nothing to pick" in empty
    page = staff.get("/admin/sales/shipment/pick-list/", {"site": world.shanghai.pk})
    text = page.content.decode()
    assert page.status_code == 200
    assert shipment.number in text and world.items[0].sku in text and "STOCK" in text
    assert "window.print()" in text
    # another dealer's site is not offered and shows nothing
    foreign = make_world(other_dealer, items=1)
    other = staff.get("/admin/sales/shipment/pick-list/", {"site": foreign.shanghai.pk}).content.decode()
    assert f'value="{foreign.shanghai.pk}"' not in other
    assert "Choose the site whose draft shipments" in other

    staff.post("/admin/sales/shipment/", {"action": "ship_selected", "_selected_action": [shipment.pk]})
    shipment.refresh_from_db()
    assert shipment.state == ShipmentState.SHIPPED

    order_page = staff.get(f"/admin/sales/salesorder/{order.pk}/change/").content.decode()
    assert shipment.number in order_page


def test_delivery_form_records_the_proof_with_photo(staff, dealer):
    world = make_world(dealer, items=1)
    order = submit(world, [3])
    shipment = create_shipment(actor=ROOT, order_id=order.pk, data={})
    ship_shipment(actor=ROOT, shipment_id=shipment.pk)
    url = f"/admin/sales/shipment/{shipment.pk}/deliver/"
    assert "Confirm delivery" in staff.get(url).content.decode()
    line = shipment.lines.get()
    bad = staff.post(url, {"signer_name": "王店长", f"line-{line.pk}": "9"})
    assert bad.status_code == 200 and "Deliver from 0 to" in bad.content.decode()
    assert Shipment.objects.get(pk=shipment.pk).state == ShipmentState.SHIPPED
    photo = SimpleUploadedFile("door.png", PNG, content_type="image/png")
    done = staff.post(url, {"signer_name": "王店长", f"line-{line.pk}": "3", "photo": photo})
    assert done.status_code == 302
    shipment.refresh_from_db()
    assert shipment.state == ShipmentState.DELIVERED
    page = staff.get(f"/admin/sales/shipment/{shipment.pk}/change/").content.decode()
    assert "王店长" in page and f"/admin/sales/shipment/{shipment.pk}/proof-photo/" in page
    # a delivered shipment cannot be delivered again
    again = staff.get(url)
    assert again.status_code == 302


def test_shipment_list_is_scoped(staff, dealer, other_dealer):
    mine = create_shipment(actor=ROOT, order_id=submit(make_world(dealer, items=1), [1]).pk, data={})
    theirs = create_shipment(actor=ROOT, order_id=submit(make_world(other_dealer, items=1), [1]).pk, data={})
    text = staff.get("/admin/sales/shipment/").content.decode()
    assert mine.number in text
    assert f"/shipment/{theirs.pk}/" not in text
    assert staff.get(f"/admin/sales/shipment/{theirs.pk}/deliver/").status_code == 404


def test_returns_are_approved_and_received_from_the_console(staff, dealer):
    from qudao.sales.models import ReturnRequest
    from qudao.sales.services import confirm_delivery, request_return

    world = make_world(dealer, items=1)
    order = submit(world, [3])
    shipment = create_shipment(actor=ROOT, order_id=order.pk, data={})
    ship_shipment(actor=ROOT, shipment_id=shipment.pk)
    confirm_delivery(actor=ROOT, shipment_id=shipment.pk, data={"signer_name": "店长"})
    request = request_return(
        actor=ROOT,
        order_id=order.pk,
        data={"lines": [{"order_line_id": order.lines.get().pk, "quantity": 1, "disposition": "quarantine"}]},
    )
    listing = staff.get("/admin/sales/returnrequest/").content.decode()
    assert request.number in listing
    # receiving before the approval is refused on its row
    refused = staff.post(
        "/admin/sales/returnrequest/",
        {"action": "receive_selected", "_selected_action": [request.pk]},
        follow=True,
    ).content.decode()
    assert request.number in refused and ReturnRequest.objects.get().state == "requested"
    for action in ("approve_selected", "receive_selected"):
        staff.post("/admin/sales/returnrequest/", {"action": action, "_selected_action": [request.pk]})
    assert ReturnRequest.objects.get().state == "closed"
    page = staff.get(f"/admin/sales/returnrequest/{request.pk}/change/").content.decode()
    assert "quarantine" in page.lower() or "隔离" in page
    order_page = staff.get(f"/admin/sales/salesorder/{order.pk}/change/").content.decode()
    assert request.number in order_page and shipment.number in order_page
