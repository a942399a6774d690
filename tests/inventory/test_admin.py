import pytest
from django.urls import reverse

from qudao.catalog.choices import Tracking
from qudao.inventory.models import ItemSiteSettings, Lot, Serial, StockLevel, StockMove
from qudao.inventory.services import get_default_location
from tests.catalog.factories import make_item
from tests.factories import make_user
from tests.inventory.factories import receive

pytestmark = pytest.mark.django_db

MODELS = ["stocklevel", "stockmove", "reservation", "location", "lot", "serial", "itemsitesettings"]


@pytest.fixture
def console(client, dealer, site):
    user = make_user(dealer, is_staff=True)
    from qudao.accounts.services.access import sync_role_groups

    sync_role_groups()
    client.force_login(user)
    lot_item = make_item(dealer, tracking=Tracking.LOT)
    receive(site, lot_item, 3, lot_number="L-ADMIN")
    serial_item = make_item(dealer, tracking=Tracking.SERIAL)
    receive(site, serial_item, 1, serials=["VIN-ADMIN"])
    ItemSiteSettings.objects.create(dealer=dealer, item=lot_item, site=site, safety_stock=2, reorder_point=3)
    return client


@pytest.mark.parametrize("model", MODELS)
def test_changelists_load(console, model):
    response = console.get(reverse(f"admin:inventory_{model}_changelist"))
    assert response.status_code == 200


def test_change_pages_load(console, site):
    for obj in (
        get_default_location(site),
        Lot.objects.get(),
        Serial.objects.get(),
        ItemSiteSettings.objects.get(),
        StockLevel.objects.filter(is_virtual=False).first(),
        StockMove.objects.first(),
    ):
        url = reverse(f"admin:inventory_{obj._meta.model_name}_change", args=[obj.pk])
        assert console.get(url).status_code == 200, url


def test_ledger_cannot_be_edited(console):
    move = StockMove.objects.first()
    url = reverse("admin:inventory_stockmove_change", args=[move.pk])
    console.post(url, {"quantity": "999"})
    move.refresh_from_db()
    assert move.quantity != 999
    assert console.get(reverse("admin:inventory_stockmove_add")).status_code == 403


def test_levels_list_shows_available(console):
    response = console.get(reverse("admin:inventory_stocklevel_changelist"))
    assert b"L-ADMIN" in response.content


def test_console_shows_only_own_dealers_stock(client, dealer, other_dealer, site):
    from tests.factories import make_site

    other_site = make_site(other_dealer)
    receive(other_site, make_item(other_dealer, sku="THEIRS-9"), 1)
    receive(site, make_item(dealer, sku="MINE-9"), 1)
    from qudao.accounts.services.access import sync_role_groups

    sync_role_groups()
    client.force_login(make_user(dealer, is_staff=True))
    page = client.get(reverse("admin:inventory_stocklevel_changelist")).content.decode()
    assert "MINE-9" in page and "THEIRS-9" not in page
    foreign = StockLevel.objects.get(item__sku="THEIRS-9", is_virtual=False)
    assert client.get(reverse("admin:inventory_stocklevel_change", args=[foreign.pk])).status_code in (
        302,
        404,
    )
