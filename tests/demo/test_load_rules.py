"""How `load_demo` behaves: the same seed gives the same data, scale multiplies, bad calls change nothing."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from django.db import transaction

from qudao.accounts.models import User
from qudao.catalog.models import Item
from qudao.demo import DEMO_PASSWORD, DemoAlreadyLoaded, DemoPrerequisiteMissing, DemoScaleInvalid, load_demo
from qudao.org.models import Company, Region, Site
from qudao.parties.models import Customer


def content_digest() -> str:
    """What a person would compare between two loads: SKUs with their barcodes, and customers."""
    skus = [
        [i.sku, i.name, str(i.list_price), sorted(b.code for b in i.barcodes.all())]
        for i in Item.objects.prefetch_related("barcodes").order_by("dealer__code", "sku")
    ]
    customers = list(
        Customer.objects.order_by("dealer__code", "code").values_list(
            "code", "name", "mobile", "credit_code", "id_number_masked", "home_site__code", "region__code"
        )
    )
    payload = json.dumps([skus, customers], ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def load_and_digest(seed: int) -> str:
    with transaction.atomic():
        load_demo(seed=seed)
        digest = content_digest()
        transaction.set_rollback(True)  # the next load starts from an empty database again
    return digest


def test_two_loads_with_the_same_seed_give_the_same_data(db):
    first = load_and_digest(2026)
    assert Company.objects.count() == 0
    assert load_and_digest(2026) == first


def test_scale_multiplies_stores_skus_and_customers_and_an_existing_admin_is_kept(db):
    root = User.objects.create_superuser(username="root", password="Another-pass-2026")  # e.g. by qudao init
    out = io.StringIO()
    summary = load_demo(scale=2, seed=11, stdout=out)
    assert Site.objects.filter(dealer__code="HD-AUTO", kind="store").count() == 12
    assert Item.objects.filter(dealer__code="HUIMIN").count() == 1000
    assert Customer.objects.filter(dealer__code="HUIMIN").count() == 400
    assert Customer.objects.filter(dealer__code="HD-AUTO").count() == 2 * 66
    stores = Site.objects.filter(dealer__code="HD-AUTO", kind="store")
    assert stores.values("name").distinct().count() == 12
    assert set(stores.values_list("region__parent__code", flat=True)) == {"310100", "330100", "320100"}
    # the platform administrator who was there loads the demo; no second one with a public password
    assert not User.objects.filter(username="admin").exists()
    assert summary.users[0].username == "root" and summary.users[0].password != DEMO_PASSWORD
    root.refresh_from_db()
    assert root.check_password("Another-pass-2026")
    assert summary.scale == 2 and summary.counts["customers"] == 532
    progress = out.getvalue()
    assert progress.count("✓") == len(summary.timings) >= 8  # one per step of the loader


@pytest.mark.parametrize("scale", [0, 101, -1, "2", 2.0, True])
def test_a_bad_scale_is_refused_before_anything_is_written(db, scale):
    with pytest.raises(DemoScaleInvalid) as caught:
        load_demo(scale=scale)
    assert caught.value.code == "demo_scale_invalid" and caught.value.status == 422
    assert Company.objects.count() == 0 and User.objects.count() == 0


def test_missing_regions_are_reported_and_nothing_is_half_written(db):
    Region.objects.filter(code="320507").delete()  # the distributor's district
    with pytest.raises(DemoPrerequisiteMissing) as caught:
        load_demo()
    assert caught.value.code == "demo_prerequisite_missing"
    assert caught.value.details == {"region_code": "320507"}
    assert Company.objects.count() == 0 and User.objects.count() == 0 and Site.objects.count() == 0


def test_a_user_named_admin_who_is_not_a_platform_admin_is_a_conflict(db):
    User.objects.create_user(username="admin", password="Someone-else-2026")
    with pytest.raises(DemoAlreadyLoaded) as caught:
        load_demo()
    assert caught.value.details == {"usernames": ["admin"]}
    assert Company.objects.count() == 0 and User.objects.count() == 1


def test_a_taken_demo_username_is_a_conflict(db):
    User.objects.create_user(username="HD.Sales", password="Someone-else-2026")
    with pytest.raises(DemoAlreadyLoaded) as caught:
        load_demo()
    assert caught.value.details == {"companies": [], "usernames": ["HD.Sales"]}
    assert Company.objects.count() == 0
