"""The inventory board page: loads, filters, sorts, pages, colours warnings, and stays within scope."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from qudao.accounts.models import Role
from qudao.catalog.choices import Tracking
from qudao.inventory import health
from qudao.inventory.models import InventoryPolicy, ItemSiteSettings
from qudao.inventory.services import reserve_stock
from tests.catalog.factories import make_category, make_item
from tests.factories import make_brand, make_site, make_user
from tests.inventory.factories import ROOT, receive

pytestmark = pytest.mark.django_db

BOARD = "/admin/inventory/board/"


def login(client, dealer, role=Role.DEALER_ADMIN):
    from qudao.accounts.services.access import sync_role_groups

    sync_role_groups()
    user = make_user(dealer, role=role, is_staff=True)
    client.force_login(user)
    return user


def rows(response):
    return [(r["item__sku"], r["site_id"]) for r in response.context["rows"]]


def test_board_url_and_empty_state(client, dealer):
    login(client, dealer)
    assert reverse("inventory_board") == BOARD
    response = client.get(BOARD)
    assert response.status_code == 200
    assert "No stock yet — receive goods to see them here." in response.content.decode()
    # the sidebar link is there
    assert "Inventory board" in response.content.decode()


def test_board_shows_totals_and_warnings(client, dealer, site):
    login(client, dealer)
    low = make_item(dealer, sku="LOW-1", name="Brake pads")
    over = make_item(dealer, sku="OVER-1", name="Wiper")
    fine = make_item(dealer, sku="FINE-1", name="Bulb")
    out = make_item(dealer, sku="OUT-1", name="Filter")
    for item, qty in ((low, 2), (over, 20), (fine, 5), (out, 3)):
        receive(site, item, qty)
    ItemSiteSettings.objects.create(dealer=dealer, item=low, site=site, safety_stock=Decimal(5))
    ItemSiteSettings.objects.create(dealer=dealer, item=over, site=site, max_level=Decimal(10))
    reserve_stock(
        actor=ROOT,
        data={
            "reference_type": "sales.order",
            "reference_id": 1,
            "lines": [{"item_id": out.pk, "site_id": site.pk, "quantity": 3}],
        },
    )
    response = client.get(BOARD)
    assert response.status_code == 200
    by_sku = {r["item__sku"]: r for r in response.context["rows"]}
    assert set(by_sku) == {"LOW-1", "OVER-1", "FINE-1", "OUT-1"}
    assert by_sku["LOW-1"]["is_below_safety"] and by_sku["LOW-1"]["safety_stock"] == Decimal(5)
    assert by_sku["OVER-1"]["is_over_max"] and not by_sku["OVER-1"]["is_below_safety"]
    assert by_sku["OUT-1"]["is_out"]
    assert by_sku["OUT-1"]["on_hand_total"] == 3 and by_sku["OUT-1"]["reserved_total"] == 3
    assert by_sku["OUT-1"]["available_total"] == 0 and by_sku["OUT-1"]["in_transit"] == 0
    assert not by_sku["FINE-1"]["is_problem"]
    html = response.content.decode()
    assert "qb-row-out" in html and "qb-row-below" in html and "qb-row-over" in html

    problems = client.get(BOARD, {"problems": "on"})
    assert sorted(sku for sku, _site in rows(problems)) == ["LOW-1", "OUT-1", "OVER-1"]


def test_near_expiry_rows_come_from_the_health_job(client, dealer, site):
    login(client, dealer)
    item = make_item(dealer, sku="MILK", tracking=Tracking.LOT, has_expiry=True, shelf_life_days=100)
    today = timezone.localdate()
    receive(
        site,
        item,
        4,
        lot_number="M1",
        production_date=today - timedelta(days=90),
        expiry_date=today + timedelta(days=10),
    )
    assert rows(client.get(BOARD, {"problems": "on"})) == []
    health.evaluate_dealer(dealer.pk)
    response = client.get(BOARD, {"problems": "on"})
    assert rows(response) == [("MILK", site.pk)]
    assert response.context["rows"][0]["near_expiry"] is True


def test_filters_site_category_subtree_brand_and_search(client, dealer, site):
    login(client, dealer)
    second = make_site(dealer, name="North depot")
    parent = make_category(dealer, "ENG")
    child = make_category(dealer, "ENG-OIL", parent=parent)
    other = make_category(dealer, "BODY")
    brand = make_brand(name="Brand A")
    oil = make_item(dealer, sku="OIL", name="Engine oil", category_id=child.pk, brand_id=brand.pk)
    door = make_item(dealer, sku="DOOR", name="Door", category_id=other.pk)
    receive(site, oil, 1)
    receive(second, oil, 2)
    receive(site, door, 1)

    assert sorted(rows(client.get(BOARD, {"site": second.pk}))) == [("OIL", second.pk)]
    assert sorted(sku for sku, _ in rows(client.get(BOARD, {"category": parent.pk}))) == ["OIL", "OIL"]
    assert [sku for sku, _ in rows(client.get(BOARD, {"category": other.pk}))] == ["DOOR"]
    assert sorted(sku for sku, _ in rows(client.get(BOARD, {"brand": brand.pk}))) == ["OIL", "OIL"]
    assert [sku for sku, _ in rows(client.get(BOARD, {"q": "door"}))] == ["DOOR"]
    response = client.get(BOARD, {"q": "nothing-like-this"})
    assert "Nothing matches these filters." in response.content.decode()


def test_sorting_and_paging(client, dealer, site, monkeypatch):
    from qudao.inventory import views_board

    monkeypatch.setattr(views_board, "PAGE_SIZE", 2)
    login(client, dealer)
    for n, qty in enumerate((5, 1, 3)):
        receive(site, make_item(dealer, sku=f"S{n}"), qty)
    first = client.get(BOARD, {"ordering": "-on_hand"})
    assert [r["on_hand_total"] for r in first.context["rows"]] == [5, 3]
    second = client.get(BOARD, {"ordering": "-on_hand", "page": 2})
    assert [r["on_hand_total"] for r in second.context["rows"]] == [1]
    assert [sku for sku, _ in rows(client.get(BOARD, {"ordering": "sku"}))] == ["S0", "S1"]
    # an unknown ordering falls back to the default rather than failing
    assert client.get(BOARD, {"ordering": "password"}).status_code == 200


def test_board_is_scoped_to_the_dealer(client, dealer, other_dealer, site):
    login(client, dealer)
    theirs = make_item(other_dealer, sku="THEIRS")
    receive(make_site(other_dealer), theirs, 5)
    mine = make_item(dealer, sku="MINE")
    receive(site, mine, 1)
    assert [sku for sku, _ in rows(client.get(BOARD))] == ["MINE"]
    assert client.get(reverse("inventory_board_item", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("inventory_board_item", args=[999999])).status_code == 404


def test_item_drill_down_shows_locations_lots_serials_and_history(client, dealer, site):
    login(client, dealer)
    today = timezone.localdate()
    lot_item = make_item(dealer, sku="LOTTED", tracking=Tracking.LOT, has_expiry=True, shelf_life_days=100)
    receive(site, lot_item, 3, lot_number="L-A", expiry_date=today + timedelta(days=10))
    receive(site, lot_item, 2, lot_number="L-B", expiry_date=today + timedelta(days=90))
    response = client.get(reverse("inventory_board_item", args=[lot_item.pk]), {"site": site.pk})
    assert response.status_code == 200
    stock = response.context["stock"]
    assert stock.totals["on_hand"] == 5
    assert [(e["lot"].lot_number, e["on_hand"], e["near"]) for e in stock.lots] == [
        ("L-A", 3, True),
        ("L-B", 2, False),
    ]
    assert len(response.context["history"].object_list) == 2
    html = response.content.decode()
    assert "L-A" in html and "Ledger history" in html

    serial_item = make_item(dealer, sku="CAR", tracking=Tracking.SERIAL)
    receive(site, serial_item, 2, serials=["VIN-1", "VIN-2"])
    response = client.get(reverse("inventory_board_item", args=[serial_item.pk]))
    assert [s.serial_number for s in response.context["stock"].serials] == ["VIN-1", "VIN-2"]


def test_history_is_paginated(client, dealer, site, monkeypatch):
    from qudao.inventory import views_board

    monkeypatch.setattr(views_board, "HISTORY_PAGE_SIZE", 2)
    login(client, dealer)
    item = make_item(dealer)
    for _ in range(3):
        receive(site, item, 1)
    url = reverse("inventory_board_item", args=[item.pk])
    assert len(client.get(url).context["history"].object_list) == 2
    assert len(client.get(url, {"page": 2}).context["history"].object_list) == 1


def test_users_without_stock_permission_are_refused(client, dealer):
    from qudao.accounts.services.access import sync_role_groups

    sync_role_groups()
    user = make_user(is_staff=True)  # staff, but no membership and no permission
    client.force_login(user)
    assert client.get(BOARD).status_code == 403


def test_policy_admin_pages_load(client, dealer):
    login(client, dealer)
    policy = InventoryPolicy.objects.create(dealer=dealer, no_movement_days=40)
    assert client.get(reverse("admin:inventory_inventorypolicy_changelist")).status_code == 200
    assert client.get(reverse("admin:inventory_inventorypolicy_change", args=[policy.pk])).status_code == 200
    assert client.get(reverse("admin:inventory_inventorypolicy_add")).status_code == 200


def test_in_transit_comes_from_open_transfers(client, dealer, site):
    from qudao.inventory.services.transfers import create_transfer, ship_transfer

    login(client, dealer)
    destination = make_site(dealer, name="Branch")
    item = make_item(dealer, sku="MOVING")
    receive(site, item, 5)
    receive(destination, item, 1)
    transfer = create_transfer(
        actor=ROOT,
        data={
            "from_site_id": site.pk,
            "to_site_id": destination.pk,
            "lines": [{"item_id": item.pk, "quantity": 3}],
        },
    )
    ship_transfer(actor=ROOT, transfer_id=transfer.pk)
    by_site = {r["site_id"]: r for r in client.get(BOARD).context["rows"]}
    assert by_site[destination.pk]["in_transit"] == 3
    assert by_site[site.pk]["in_transit"] == 0 and by_site[site.pk]["on_hand_total"] == 2


def test_an_item_planned_for_a_site_but_never_received_shows_as_out_of_stock(client, dealer, site):
    from qudao.inventory.services import reconcile_levels

    login(client, dealer)
    planned = make_item(dealer, sku="PLANNED-1")
    ItemSiteSettings.objects.create(dealer=dealer, item=planned, site=site, safety_stock=Decimal(4))
    ItemSiteSettings.objects.filter(item=planned).update(reorder_point=Decimal(6))  # no second level
    response = client.get(BOARD, {"problems": "on"})
    (row,) = response.context["rows"]
    assert (row["item__sku"], row["site_id"], row["on_hand_total"]) == ("PLANNED-1", site.pk, 0)
    assert row["is_out"] and row["is_problem"]  # out of stock outranks below safety
    assert reconcile_levels(dealer) == []  # an empty level agrees with an empty ledger
    receive(site, planned, 10)
    (row,) = client.get(BOARD).context["rows"]
    assert row["on_hand_total"] == 10 and not row["is_problem"]
