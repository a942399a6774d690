"""API of inventory health: ageing, current problem counts, and the per-dealer policy."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from qudao.inventory import health
from qudao.inventory.models import InventoryPolicy, ItemSiteSettings
from qudao.inventory.services import receive_stock
from tests.catalog.factories import make_item
from tests.factories import ApiClient, make_site, make_user
from tests.inventory.factories import ROOT

pytestmark = pytest.mark.django_db

BASE = "/api/v1/inventory"
TODAY = timezone.localdate()


def receive(site, item, quantity, days_ago=0):
    receive_stock(
        actor=ROOT,
        data={
            "site_id": site.pk,
            "effective_date": TODAY - timedelta(days=days_ago),
            "lines": [{"item_id": item.pk, "quantity": Decimal(quantity)}],
        },
    )


def test_ageing_lists_buckets_and_filters(api, dealer, site, other_dealer):
    item = make_item(dealer)
    receive(site, item, 3, days_ago=100)
    receive(site, item, 2, days_ago=40)
    receive(make_site(other_dealer), make_item(other_dealer), 9)
    response = api.get(f"{BASE}/ageing")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 1
    [row] = body["items"]
    assert row["item_id"] == item.pk and row["site_id"] == site.pk
    assert Decimal(row["on_hand"]) == 5
    assert Decimal(row["days_31_60"]) == 2 and Decimal(row["days_over_90"]) == 3
    assert Decimal(row["days_0_30"]) == 0 and Decimal(row["days_61_90"]) == 0
    assert api.get(f"{BASE}/ageing", {"item_id": item.pk + 1000}).json()["count"] == 0


def test_ageing_validates_its_parameters(api):
    response = api.get(f"{BASE}/ageing", {"site_id": "abc"})
    assert response.status_code == 422 and response.json()["code"] == "validation_error"
    response = api.get(f"{BASE}/ageing", {"site_id": 0})
    assert response.status_code == 422


def test_health_counts_current_problems(api, other_api, dealer, site):
    low = make_item(dealer)
    ItemSiteSettings.objects.create(dealer=dealer, item=low, site=site, safety_stock=Decimal(5))
    health.evaluate_dealer(dealer.pk)
    response = api.get(f"{BASE}/health")
    assert response.status_code == 200
    counts = {row["kind"]: row for row in response.json()}
    assert counts["inventory.below_safety_stock"]["count"] == 1
    assert counts["inventory.below_safety_stock"]["critical"] == 1
    assert counts["inventory.below_safety_stock"]["label"] == "Below safety stock"
    assert counts["inventory.overstock"]["count"] == 0
    assert len(counts) == 6
    # another dealer sees none of these
    theirs = {row["kind"]: row["count"] for row in other_api.get(f"{BASE}/health").json()}
    assert theirs["inventory.below_safety_stock"] == 0


def test_policy_get_defaults_then_put(api, dealer):
    response = api.get(f"{BASE}/policy")
    assert response.status_code == 200
    assert response.json() == {
        "dealer_id": dealer.pk,
        "no_movement_days": 30,
        "near_expiry_percent": 30,
        "evaluate_overstock": True,
        "ageing_bucket_1_days": 30,
        "ageing_bucket_2_days": 60,
        "ageing_bucket_3_days": 90,
        "is_default": True,
    }
    response = api.put(
        f"{BASE}/policy?dealer_id={dealer.pk}",
        {"no_movement_days": 45, "near_expiry_percent": 20, "evaluate_overstock": False},
    )
    assert response.status_code == 200, response.content
    assert response.json()["no_movement_days"] == 45 and response.json()["is_default"] is False
    assert InventoryPolicy.objects.get(dealer=dealer).near_expiry_percent == 20
    assert api.get(f"{BASE}/policy").json()["evaluate_overstock"] is False


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"no_movement_days": 0}, "no_movement_days"),
        ({"near_expiry_percent": 101}, "near_expiry_percent"),
        ({"no_movement_days": "many"}, "no_movement_days"),
        ({"colour": "red"}, "colour"),
        ({"ageing_bucket_1_days": 60, "ageing_bucket_2_days": 50}, "ageing_bucket_2_days"),
    ],
)
def test_policy_put_validation(api, dealer, body, field):
    response = api.put(f"{BASE}/policy", body)
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "validation_error"
    assert field in str(response.json()["details"])
    assert not InventoryPolicy.objects.exists()


def test_policy_of_another_dealer_is_not_found(api, other_dealer):
    assert api.get(f"{BASE}/policy", {"dealer_id": other_dealer.pk}).status_code == 404
    response = api.put(f"{BASE}/policy?dealer_id={other_dealer.pk}", {"no_movement_days": 5})
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert not InventoryPolicy.objects.exists()


def test_api_key_scope_and_role_are_enforced(dealer):
    reader = ApiClient(make_user(dealer), scopes=("inventory:read",))
    assert reader.get(f"{BASE}/ageing").status_code == 200
    assert reader.get(f"{BASE}/policy").status_code == 200
    response = reader.put(f"{BASE}/policy", {"no_movement_days": 5})
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    other_scope = ApiClient(make_user(dealer), scopes=("catalog:read",))
    assert other_scope.get(f"{BASE}/health").status_code == 403
    from qudao.accounts.models import Role

    clerk = ApiClient(make_user(dealer, role=Role.WAREHOUSE_CLERK))
    assert clerk.put(f"{BASE}/policy", {"no_movement_days": 5}).status_code == 403
