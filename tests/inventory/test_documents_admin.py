from decimal import Decimal

import pytest
from django.test import Client

from qudao.inventory.models import StocktakeSession, Transfer
from qudao.inventory.services.stocktakes import create_stocktake, record_scan, start_stocktake
from qudao.inventory.services.transfers import create_transfer
from tests.catalog.factories import make_item
from tests.factories import make_site, make_user
from tests.inventory.factories import ROOT, on_hand, receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(dealer):
    client = Client()
    client.force_login(make_user(dealer, is_staff=True))
    return client


def test_transfer_admin_pages_and_actions(staff, dealer, site, other_dealer):
    target = make_site(dealer)
    item = make_item(dealer)
    receive(site, item, 5)
    transfer = create_transfer(
        actor=ROOT,
        data={
            "from_site_id": site.pk,
            "to_site_id": target.pk,
            "lines": [{"item_id": item.pk, "quantity": 2}],
        },
    )
    foreign_site, foreign_target = make_site(other_dealer), make_site(other_dealer)
    foreign_item = make_item(other_dealer)
    foreign = create_transfer(
        actor=ROOT,
        data={
            "from_site_id": foreign_site.pk,
            "to_site_id": foreign_target.pk,
            "lines": [{"item_id": foreign_item.pk, "quantity": 1}],
        },
    )
    page = staff.get("/admin/inventory/transfer/")
    assert page.status_code == 200
    assert (
        transfer.number in page.content.decode() and f"/transfer/{foreign.pk}/" not in page.content.decode()
    )
    change = staff.get(f"/admin/inventory/transfer/{transfer.pk}/change/")
    assert change.status_code == 200 and item.sku in change.content.decode()
    assert staff.get(f"/admin/inventory/transfer/{foreign.pk}/change/").status_code == 302  # not visible
    url = "/admin/inventory/transfer/"
    staff.post(url, {"action": "ship_selected", "_selected_action": [transfer.pk]})
    transfer.refresh_from_db()
    assert transfer.state == "shipped"
    staff.post(url, {"action": "receive_all_selected", "_selected_action": [transfer.pk]})
    transfer.refresh_from_db()
    assert transfer.state == "received" and on_hand(item, target) == Decimal(2)
    response = staff.post(url, {"action": "cancel_selected", "_selected_action": [transfer.pk]}, follow=True)
    assert "cannot go from" in response.content.decode()
    assert Transfer.objects.get(pk=transfer.pk).state == "received"


def test_stocktake_admin_add_start_and_post(staff, dealer, site):
    item = make_item(dealer)
    receive(site, item, 3)
    assert staff.get("/admin/inventory/stocktakesession/add/").status_code == 200
    response = staff.post(
        "/admin/inventory/stocktakesession/add/", {"site": site.pk, "kind": "full", "note": "year end"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    session = StocktakeSession.objects.get()
    assert session.number.startswith("ST-") and session.state == "open" and session.note == "year end"
    url = "/admin/inventory/stocktakesession/"
    page = staff.get(url).content.decode()
    assert session.number in page and f"/inventory/stocktakes/{session.pk}/scan" in page
    assert staff.get(f"{url}{session.pk}/change/").status_code == 200
    staff.post(url, {"action": "start_selected", "_selected_action": [session.pk]})
    session.refresh_from_db()
    assert session.state == "counting"
    staff.post(url, {"action": "post_selected", "_selected_action": [session.pk]})
    session.refresh_from_db()
    assert session.state == "posted" and on_hand(item, site) == Decimal(0)


def test_stocktake_session_created_elsewhere_shows_counts(staff, dealer, site):
    session = create_stocktake(actor=ROOT, data={"site_id": site.pk})
    start_stocktake(actor=ROOT, session_id=session.pk)
    from qudao.catalog.policies import complete_gtin
    from tests.catalog.factories import make_barcode

    item = make_item(dealer)
    code = complete_gtin("694000000001")
    make_barcode(item, code)
    record_scan(actor=ROOT, session_id=session.pk, data={"code": code})
    assert staff.get(f"/admin/inventory/stocktakesession/{session.pk}/change/").status_code == 200
    assert staff.get(f"/admin/inventory/stocktakesession/{session.pk}/history/").status_code == 200
