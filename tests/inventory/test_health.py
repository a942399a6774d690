"""Inventory health evaluators: each kind is raised when its condition holds and resolves by itself."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from qudao.alerts.models import Alert
from qudao.alerts.registry import kind_label
from qudao.alerts.states import AlertResolution, AlertStatus
from qudao.catalog.choices import Tracking
from qudao.inventory import health
from qudao.inventory.models import InventoryPolicy, ItemSiteSettings
from qudao.inventory.services import issue_stock, receive_stock, release_reservations, reserve_stock
from qudao.inventory.tasks import evaluate_inventory_health_task
from tests.catalog.factories import make_item
from tests.factories import make_site
from tests.inventory.factories import ROOT

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
ORDER = {"reference_type": "sales.order", "reference_id": 7}


def live(kind, dealer):
    return list(
        Alert.objects.filter(
            kind=kind, dealer=dealer, status__in=(AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)
        )
    )


def settings_for(item, site, **values):
    return ItemSiteSettings.objects.create(dealer_id=site.dealer_id, item=item, site=site, **values)


def receive(site, item, quantity, *, effective_date=None, **line):
    data = {"site_id": site.pk, "lines": [{"item_id": item.pk, "quantity": Decimal(quantity), **line}]}
    if effective_date is not None:
        data["effective_date"] = effective_date
    return receive_stock(actor=ROOT, data=data)


def evaluate(dealer, today=TODAY):
    return health.evaluate_dealer(dealer.pk, today=today)


def test_every_kind_is_registered_with_a_label():
    assert kind_label(health.BELOW_SAFETY) == "Below safety stock"
    assert kind_label(health.STOCK_OUT) == "Stock-out with open demand"
    assert kind_label(health.OVERSTOCK) == "Overstock"
    assert kind_label(health.NO_MOVEMENT) == "No movement"
    assert kind_label(health.NEAR_EXPIRY) == "Near expiry"
    assert kind_label(health.AGED_STOCK) == "Aged stock"


def test_below_safety_stock_raises_then_resolves_when_stock_arrives(dealer, site):
    item = make_item(dealer, sku="OIL-5W30", name="Engine oil")
    settings_for(item, site, safety_stock=Decimal(10))
    receive(site, item, 4, effective_date=TODAY)
    result = evaluate(dealer)
    assert result[health.BELOW_SAFETY].raised == 1
    [alert] = live(health.BELOW_SAFETY, dealer)
    assert alert.severity == "warning"
    assert alert.site_id == site.pk and alert.subject_id == str(item.pk)
    assert alert.params["available"] == "4" and alert.params["safety"] == "10"
    assert alert.params["item"] == "OIL-5W30 Engine oil"
    assert alert.text == f"OIL-5W30 Engine oil at {site.name}: 4 available, safety stock 10."

    # evaluated again: refreshed, not duplicated
    result = evaluate(dealer)
    assert result[health.BELOW_SAFETY].refreshed == 1 and len(live(health.BELOW_SAFETY, dealer)) == 1

    receive(site, item, 6, effective_date=TODAY)
    result = evaluate(dealer)
    assert result[health.BELOW_SAFETY].resolved == 1
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RESOLVED and alert.resolution == AlertResolution.AUTO


def test_no_stock_at_all_below_safety_is_critical(dealer, site):
    item = make_item(dealer)
    settings_for(item, site, safety_stock=Decimal(2))
    evaluate(dealer)
    [alert] = live(health.BELOW_SAFETY, dealer)
    assert alert.severity == "critical" and alert.params["available"] == "0"


def test_stock_out_with_demand_raises_and_resolves_when_released(dealer, site):
    item = make_item(dealer)
    receive(site, item, 3, effective_date=TODAY)
    reserve_stock(
        actor=ROOT, data={**ORDER, "lines": [{"item_id": item.pk, "site_id": site.pk, "quantity": 2}]}
    )
    evaluate(dealer)
    assert live(health.STOCK_OUT, dealer) == []  # 1 still available

    reserve_stock(
        actor=ROOT,
        data={
            "reference_type": "sales.order",
            "reference_id": 8,
            "lines": [{"item_id": item.pk, "site_id": site.pk, "quantity": 1}],
        },
    )
    evaluate(dealer)
    [alert] = live(health.STOCK_OUT, dealer)
    assert alert.severity == "critical"
    assert alert.params["reserved"] == "3" and alert.params["on_hand"] == "3"

    release_reservations(actor=ROOT, data=ORDER)
    result = evaluate(dealer)
    assert result[health.STOCK_OUT].resolved == 1 and live(health.STOCK_OUT, dealer) == []


def test_overstock_raises_and_can_be_switched_off_per_dealer(dealer, site):
    item = make_item(dealer)
    settings_for(item, site, max_level=Decimal(5))
    receive(site, item, 8, effective_date=TODAY)
    evaluate(dealer)
    [alert] = live(health.OVERSTOCK, dealer)
    assert alert.params["on_hand"] == "8" and alert.params["max_level"] == "5"

    InventoryPolicy.objects.create(dealer=dealer, evaluate_overstock=False)
    result = evaluate(dealer)
    assert result[health.OVERSTOCK].resolved == 1 and live(health.OVERSTOCK, dealer) == []


def test_overstock_resolves_when_stock_is_issued(dealer, site):
    item = make_item(dealer)
    settings_for(item, site, max_level=Decimal(5))
    receive(site, item, 8, effective_date=TODAY)
    evaluate(dealer)
    assert len(live(health.OVERSTOCK, dealer)) == 1
    issue_stock(
        actor=ROOT, data={**ORDER, "lines": [{"item_id": item.pk, "site_id": site.pk, "quantity": 3}]}
    )
    evaluate(dealer)
    assert live(health.OVERSTOCK, dealer) == []


def test_no_movement_uses_the_dealers_days(dealer, site):
    item = make_item(dealer)
    receive(site, item, 2, effective_date=TODAY - timedelta(days=20))
    evaluate(dealer)
    assert live(health.NO_MOVEMENT, dealer) == []  # 20 days < default 30

    policy = InventoryPolicy.objects.create(dealer=dealer, no_movement_days=15)
    evaluate(dealer)
    [alert] = live(health.NO_MOVEMENT, dealer)
    assert alert.params["days"] == 15 and alert.params["on_hand"] == "2"

    policy.no_movement_days = 30
    policy.save()
    evaluate(dealer)
    assert live(health.NO_MOVEMENT, dealer) == []


def test_no_movement_resolves_after_a_move(dealer, site):
    item = make_item(dealer)
    receive(site, item, 2, effective_date=TODAY - timedelta(days=45))
    evaluate(dealer)
    assert len(live(health.NO_MOVEMENT, dealer)) == 1
    receive(site, item, 1, effective_date=TODAY)
    evaluate(dealer)
    assert live(health.NO_MOVEMENT, dealer) == []


def test_near_expiry_by_percent_of_shelf_life(dealer, site):
    item = make_item(dealer, tracking=Tracking.LOT, has_expiry=True, shelf_life_days=100)
    # 100 days of shelf life, 20 left → 20 % < 30 %
    receive(
        site,
        item,
        5,
        lot_number="L-OLD",
        production_date=TODAY - timedelta(days=80),
        expiry_date=TODAY + timedelta(days=20),
        effective_date=TODAY,
    )
    # 100 days of shelf life, 50 left → 50 %: fine
    receive(
        site,
        item,
        5,
        lot_number="L-NEW",
        production_date=TODAY - timedelta(days=50),
        expiry_date=TODAY + timedelta(days=50),
        effective_date=TODAY,
    )
    evaluate(dealer)
    [alert] = live(health.NEAR_EXPIRY, dealer)
    assert alert.params["lot"] == "L-OLD" and alert.params["left"] == "20"
    assert alert.severity == "warning"

    # a stricter dealer: 60 % → the second lot too
    InventoryPolicy.objects.create(dealer=dealer, near_expiry_percent=60)
    evaluate(dealer)
    assert sorted(a.params["lot"] for a in live(health.NEAR_EXPIRY, dealer)) == ["L-NEW", "L-OLD"]

    # the old lot is sold out: its alert resolves
    issue_stock(
        actor=ROOT,
        data={**ORDER, "lines": [{"item_id": item.pk, "site_id": site.pk, "quantity": 5}]},
    )  # FEFO takes the earliest expiry
    evaluate(dealer)
    assert [a.params["lot"] for a in live(health.NEAR_EXPIRY, dealer)] == ["L-NEW"]


def test_expired_lot_is_critical(dealer, site):
    item = make_item(dealer, tracking=Tracking.LOT, has_expiry=True, shelf_life_days=10)
    receive(
        site,
        item,
        1,
        lot_number="GONE",
        expiry_date=TODAY - timedelta(days=1),
        effective_date=TODAY - timedelta(days=11),
    )
    evaluate(dealer)
    [alert] = live(health.NEAR_EXPIRY, dealer)
    assert alert.severity == "critical" and alert.params["left"] == "0"


def test_aged_stock_raises_for_the_oldest_bucket_and_resolves_when_sold(dealer, site):
    item = make_item(dealer)
    receive(site, item, 4, effective_date=TODAY - timedelta(days=120))
    receive(site, item, 6, effective_date=TODAY - timedelta(days=10))
    evaluate(dealer)
    [alert] = live(health.AGED_STOCK, dealer)
    assert alert.params["quantity"] == "4" and alert.params["on_hand"] == "10"

    # selling 4 leaves the 6 most recently received: nothing aged any more
    issue_stock(
        actor=ROOT, data={**ORDER, "lines": [{"item_id": item.pk, "site_id": site.pk, "quantity": 4}]}
    )
    evaluate(dealer)
    assert live(health.AGED_STOCK, dealer) == []


def test_dealers_are_evaluated_separately(dealer, other_dealer, site):
    other_site = make_site(other_dealer)
    mine, theirs = make_item(dealer), make_item(other_dealer)
    settings_for(mine, site, safety_stock=Decimal(5))
    settings_for(theirs, other_site, safety_stock=Decimal(5))
    receive(other_site, theirs, 9, effective_date=TODAY)
    evaluate(dealer)
    assert len(live(health.BELOW_SAFETY, dealer)) == 1
    assert live(health.BELOW_SAFETY, other_dealer) == []
    assert health.dealers_to_evaluate() == sorted([dealer.pk, other_dealer.pk])


def test_periodic_task_evaluates_every_dealer(dealer, site):
    item = make_item(dealer)
    settings_for(item, site, safety_stock=Decimal(5))
    assert evaluate_inventory_health_task.call_local() == 1
    assert len(live(health.BELOW_SAFETY, dealer)) == 1
    assert evaluate_inventory_health_task.task_class.__name__  # registered with Huey


def test_evaluation_is_a_fixed_number_of_queries(dealer, site, django_assert_max_num_queries):
    """Set-based: the evaluation queries do not grow with the number of levels without problems."""
    items = [make_item(dealer) for _ in range(12)]
    for item in items:
        receive(site, item, 3, effective_date=TODAY)
        settings_for(item, site, safety_stock=Decimal(1), max_level=Decimal(10))
    with django_assert_max_num_queries(30):
        evaluate(dealer)
