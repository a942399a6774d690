from decimal import Decimal

import pytest
from django.test import Client

from qudao.catalog.policies import complete_gtin
from qudao.inventory.services.stocktakes import create_stocktake, start_stocktake
from tests.catalog.factories import make_barcode, make_item
from tests.factories import make_site, make_user
from tests.inventory.factories import ROOT, on_hand, receive

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_scan_page_records_scans_and_shows_errors_inline(dealer, site, admin_user):
    item = make_item(dealer, name="机油滤清器")
    code = complete_gtin("692000000001")
    make_barcode(item, code)
    receive(site, item, 5)
    session = create_stocktake(actor=ROOT, data={"site_id": site.pk})
    client = _client(admin_user)
    page = client.get(f"/inventory/stocktakes/{session.pk}/scan")
    assert page.status_code == 200 and "Start counting" in page.content.decode()
    client.post(f"/inventory/stocktakes/{session.pk}/start")
    page = client.get(f"/inventory/stocktakes/{session.pk}/scan").content.decode()
    assert 'name="code"' in page and "autofocus" in page
    response = client.post(f"/inventory/stocktakes/{session.pk}/scan", {"code": code, "quantity": "2"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Counted 2 × 机油滤清器" in html and 'class="num counted">2<' in html
    assert 'class="num expected">5<' in html
    response = client.post(f"/inventory/stocktakes/{session.pk}/scan", {"code": "NOPE"})
    assert "Unknown code NOPE" in response.content.decode()

    review = client.get(f"/inventory/stocktakes/{session.pk}/review").content.decode()
    assert 'class="num variance">-3<' in review
    posted = client.post(f"/inventory/stocktakes/{session.pk}/review").content.decode()
    assert "Posted: 1 adjustments." in posted
    assert on_hand(item, site) == Decimal(2)


def test_blind_count_hides_expected(dealer, site, admin_user):
    item = make_item(dealer)
    code = complete_gtin("692000000002")
    make_barcode(item, code)
    receive(site, item, 5)
    session = create_stocktake(actor=ROOT, data={"site_id": site.pk, "blind": True})
    start_stocktake(actor=ROOT, session_id=session.pk)
    html = (
        _client(admin_user).post(f"/inventory/stocktakes/{session.pk}/scan", {"code": code}).content.decode()
    )
    assert 'class="num counted">1<' in html and "expected" not in html.split("<tbody>")[1]


def test_pages_are_scoped_and_need_login(dealer, site, other_dealer):
    session = create_stocktake(actor=ROOT, data={"site_id": site.pk})
    assert Client().get(f"/inventory/stocktakes/{session.pk}/scan").status_code == 302
    outsider = _client(make_user(other_dealer))
    assert outsider.get(f"/inventory/stocktakes/{session.pk}/scan").status_code == 404
    assert outsider.post(f"/inventory/stocktakes/{session.pk}/scan", {"code": "x"}).status_code == 404
    assert outsider.post(f"/inventory/stocktakes/{session.pk}/review").status_code == 404
    other_site = make_site(dealer)
    limited = _client(make_user(dealer, sites=[other_site]))
    assert limited.get(f"/inventory/stocktakes/{session.pk}/review").status_code == 404
