"""Stock ageing by FIFO receipt layers, the pure health rules, and the per-dealer policy."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from qudao.core.errors import NotFound, PermissionDeniedError, ValidationFailed
from qudao.inventory.health_rules import (
    bucket_of,
    fifo_layers,
    is_near_expiry,
    shelf_life_days,
    shelf_life_left_percent,
)
from qudao.inventory.models import InventoryPolicy
from qudao.inventory.selectors_health import get_inventory_policy, list_stock_ageing, policy_for_dealer
from qudao.inventory.services import issue_stock, receive_stock
from qudao.inventory.services_health import set_inventory_policy
from tests.alerts.factories import actor_for
from tests.catalog.factories import make_item
from tests.factories import make_site, make_user
from tests.inventory.factories import ROOT

TODAY = timezone.localdate()
D = Decimal


def receive(site, item, quantity, days_ago):
    return receive_stock(
        actor=ROOT,
        data={
            "site_id": site.pk,
            "effective_date": TODAY - timedelta(days=days_ago),
            "lines": [{"item_id": item.pk, "quantity": D(quantity)}],
        },
    )


# --- pure rules -------------------------------------------------------------------------------


def test_fifo_layers_attribute_on_hand_to_the_newest_receipts():
    d1, d2, d3 = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)
    receipts = [(d1, D(10)), (d3, D(4)), (d2, D(5))]
    assert fifo_layers(D(7), receipts) == [(d3, D(4)), (d2, D(3))]
    assert fifo_layers(D(19), receipts) == [(d3, D(4)), (d2, D(5)), (d1, D(10))]
    assert fifo_layers(D(0), receipts) == []


def test_bucket_edges_are_inclusive():
    today = date(2026, 6, 30)
    edges = (30, 60, 90)
    assert bucket_of(today, today=today, edges=edges) == "days_0_30"
    assert bucket_of(today - timedelta(days=30), today=today, edges=edges) == "days_0_30"
    assert bucket_of(today - timedelta(days=31), today=today, edges=edges) == "days_31_60"
    assert bucket_of(today - timedelta(days=61), today=today, edges=edges) == "days_61_90"
    assert bucket_of(today - timedelta(days=90), today=today, edges=edges) == "days_61_90"
    assert bucket_of(today - timedelta(days=91), today=today, edges=edges) == "days_over_90"


def test_shelf_life_rules():
    today = date(2026, 6, 30)
    expiry = today + timedelta(days=25)
    assert (
        shelf_life_days(
            expiry_date=expiry, production_date=expiry - timedelta(days=100), item_shelf_life_days=None
        )
        == 100
    )
    assert shelf_life_days(expiry_date=expiry, production_date=None, item_shelf_life_days=50) == 50
    assert shelf_life_days(expiry_date=expiry, production_date=None, item_shelf_life_days=None) is None
    assert shelf_life_left_percent(expiry_date=expiry, total_days=100, today=today) == D("25.0")
    assert shelf_life_left_percent(expiry_date=today, total_days=100, today=today) == 0
    assert shelf_life_left_percent(expiry_date=expiry, total_days=None, today=today) is None
    assert is_near_expiry(expiry_date=expiry, total_days=100, today=today, percent=30)
    assert not is_near_expiry(expiry_date=expiry, total_days=100, today=today, percent=25)
    assert not is_near_expiry(expiry_date=expiry, total_days=None, today=today, percent=30)
    assert is_near_expiry(expiry_date=today - timedelta(days=1), total_days=None, today=today, percent=30)


# --- ageing selector ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_ageing_buckets_with_known_receipts(dealer, site):
    item = make_item(dealer)
    receive(site, item, 10, days_ago=100)  # 90+
    receive(site, item, 5, days_ago=75)  # 61–90
    receive(site, item, 3, days_ago=45)  # 31–60
    receive(site, item, 2, days_ago=5)  # 0–30
    # issue 12: FIFO leaves the most recent 8 = 2 + 3 + 3 of the 75-day-old receipt
    issue_stock(
        actor=ROOT,
        data={
            "reference_type": "sales.order",
            "reference_id": 1,
            "lines": [{"item_id": item.pk, "site_id": site.pk, "quantity": D(12)}],
        },
    )
    [row] = list_stock_ageing(actor=ROOT, site=site.pk, today=TODAY)
    assert row["item_id"] == item.pk and row["site_id"] == site.pk
    assert row["on_hand"] == D(8)
    assert (row["days_0_30"], row["days_31_60"], row["days_61_90"], row["days_over_90"]) == (
        D(2),
        D(3),
        D(3),
        D(0),
    )


@pytest.mark.django_db
def test_ageing_uses_each_dealers_edges_and_sites_are_separate(dealer, other_dealer, site):
    second = make_site(dealer)
    item = make_item(dealer)
    receive(site, item, 4, days_ago=40)
    receive(second, item, 1, days_ago=1)
    rows = list_stock_ageing(actor=ROOT, dealer_id=dealer.pk, today=TODAY)
    by_site = {r["site_id"]: r for r in rows}
    assert by_site[site.pk]["days_31_60"] == D(4) and by_site[second.pk]["days_0_30"] == D(1)

    InventoryPolicy.objects.create(
        dealer=dealer, ageing_bucket_1_days=7, ageing_bucket_2_days=14, ageing_bucket_3_days=21
    )
    [row] = list_stock_ageing(actor=ROOT, site=site.pk, today=TODAY)
    assert row["days_over_90"] == D(4)  # older than 21 days: the last bucket


@pytest.mark.django_db
def test_ageing_is_scoped_to_the_actor(dealer, other_dealer, site):
    other_site = make_site(other_dealer)
    mine, theirs = make_item(dealer), make_item(other_dealer)
    receive(site, mine, 1, days_ago=0)
    receive(other_site, theirs, 1, days_ago=0)
    actor = actor_for(make_user(dealer))
    assert [r["item_id"] for r in list_stock_ageing(actor=actor, today=TODAY)] == [mine.pk]
    assert list_stock_ageing(actor=actor, site=other_site.pk, today=TODAY) == []


# --- policy -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_policy_defaults_then_per_dealer_values(dealer, other_dealer):
    policy = policy_for_dealer(dealer.pk)
    assert (policy.no_movement_days, policy.near_expiry_percent, policy.edges) == (30, 30, (30, 60, 90))
    assert policy.evaluate_overstock is True and policy.is_default is True

    actor = actor_for(make_user(dealer))
    saved = set_inventory_policy(actor=actor, dealer_id=dealer.pk, data={"no_movement_days": 45})
    assert saved.no_movement_days == 45 and saved.near_expiry_percent == 30
    assert get_inventory_policy(actor=actor, dealer_id=dealer.pk).no_movement_days == 45
    assert policy_for_dealer(other_dealer.pk).no_movement_days == 30
    assert saved.history.count() == 1


@pytest.mark.django_db
def test_policy_validation(dealer, other_dealer):
    actor = actor_for(make_user(dealer))
    with pytest.raises(ValidationFailed) as exc:
        set_inventory_policy(
            actor=actor, dealer_id=dealer.pk, data={"ageing_bucket_1_days": 60, "ageing_bucket_2_days": 60}
        )
    assert exc.value.details[0]["field"] == "ageing_bucket_2_days"
    with pytest.raises(ValidationError):
        set_inventory_policy(actor=actor, dealer_id=dealer.pk, data={"near_expiry_percent": 101})
    assert not InventoryPolicy.objects.exists()  # nothing half-written
    with pytest.raises(NotFound):
        set_inventory_policy(actor=actor, dealer_id=other_dealer.pk, data={"no_movement_days": 3})


@pytest.mark.django_db
def test_policy_needs_the_permission(dealer):
    from qudao.accounts.models import Role

    clerk = actor_for(make_user(dealer, role=Role.WAREHOUSE_CLERK))
    with pytest.raises(PermissionDeniedError):
        set_inventory_policy(actor=clerk, dealer_id=dealer.pk, data={"no_movement_days": 3})
