"""The console's transfer editor: drafts written by the transfer services, errors on their rows."""

from decimal import Decimal

import pytest
from django.test import Client

from qudao.inventory.models import Transfer
from qudao.inventory.services.transfers import create_transfer, ship_transfer
from tests.catalog.factories import make_barcode, make_item, make_item_unit, unit
from tests.factories import make_site, make_user
from tests.inventory.factories import ROOT, receive

pytestmark = pytest.mark.django_db
NEW = "/admin/inventory/transfer-editor/new/"


@pytest.fixture
def staff(dealer):
    client = Client()
    client.force_login(make_user(dealer, is_staff=True))
    return client


def _post(client, url, source, target, rows, **extra):
    data = {"from_site": source.pk, "to_site": target.pk, "note": "补货", "rows": len(rows), **extra}
    for n, (code, quantity, lot) in enumerate(rows):
        data.update({f"code-{n}": code, f"quantity-{n}": quantity, f"lot-{n}": lot})
    return client.post(url, data)


def test_a_draft_from_skus_and_a_case_barcode(staff, dealer, site):
    target = make_site(dealer)
    make_item(dealer, sku="COLA-330")
    water = make_item(dealer, sku="WATER-550")
    make_item_unit(water, unit(dealer, "CS"), 24)
    make_barcode(water, "6901234567892", unit_of_measure=unit(dealer, "CS"))
    page = staff.get(NEW)
    assert page.status_code == 200 and 'name="code-0"' in page.content.decode()
    response = _post(
        staff, NEW, site, target, [("COLA-330", "5", ""), ("", "", ""), ("6901234567892", "2", "")]
    )
    transfer = Transfer.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/transfer/{transfer.pk}/change/")
    lines = {line.item.sku: line.quantity for line in transfer.lines.select_related("item")}
    assert lines == {"COLA-330": Decimal(5), "WATER-550": Decimal(48)}  # two cases of 24
    assert (transfer.from_site, transfer.to_site, transfer.note, transfer.state) == (
        site,
        target,
        "补货",
        "draft",
    )


def test_bad_rows_are_shown_on_their_row_and_nothing_is_written(staff, dealer, site):
    target = make_site(dealer)
    make_item(dealer, sku="COLA-330")
    response = _post(staff, NEW, site, target, [("COLA-330", "0", ""), ("NO-SUCH", "1", "")])
    body = response.content.decode()
    assert response.status_code == 200 and not Transfer.objects.exists()
    assert "No item with this SKU or barcode." in body and "qt-row-error" in body
    response = _post(staff, NEW, site, target, [("COLA-330", "-2", "")])
    assert (
        response.status_code == 200
        and not Transfer.objects.exists()
        and "qt-row-error" in response.content.decode()
    )
    response = _post(staff, NEW, site, site, [("COLA-330", "1", "")])  # same site twice
    assert response.status_code == 200 and not Transfer.objects.exists()
    assert 'role="alert"' in response.content.decode()


def test_edit_a_draft_and_only_a_draft(staff, dealer, site):
    target, other_target = make_site(dealer), make_site(dealer)
    item = make_item(dealer, sku="COLA-330")
    receive(site, item, 10)
    transfer = create_transfer(
        actor=ROOT,
        data={
            "from_site_id": site.pk,
            "to_site_id": target.pk,
            "lines": [{"item_id": item.pk, "quantity": 2}],
        },
    )
    url = f"/admin/inventory/transfer-editor/{transfer.pk}/"
    assert 'value="COLA-330"' in staff.get(url).content.decode()
    response = _post(staff, url, site, other_target, [("COLA-330", "3", "")])
    transfer.refresh_from_db()
    assert response.status_code == 302 and transfer.to_site == other_target and transfer.version == 2
    assert [line.quantity for line in transfer.lines.all()] == [Decimal(3)]
    ship_transfer(actor=ROOT, transfer_id=transfer.pk)
    response = staff.get(url)
    assert response.status_code == 302 and response["Location"].endswith("/admin/inventory/transfer/")


def test_another_dealers_transfer_cannot_be_edited(staff, other_dealer):
    source, target = make_site(other_dealer), make_site(other_dealer)
    item = make_item(other_dealer)
    foreign = create_transfer(
        actor=ROOT,
        data={
            "from_site_id": source.pk,
            "to_site_id": target.pk,
            "lines": [{"item_id": item.pk, "quantity": 1}],
        },
    )
    response = staff.get(f"/admin/inventory/transfer-editor/{foreign.pk}/")
    assert response.status_code == 302
    before = foreign.version
    _post(staff, f"/admin/inventory/transfer-editor/{foreign.pk}/", source, target, [(item.sku, "5", "")])
    foreign.refresh_from_db()
    assert foreign.version == before


def test_the_add_button_opens_the_editor(staff):
    response = staff.get("/admin/inventory/transfer/add/")
    assert response.status_code == 302 and response["Location"] == NEW
