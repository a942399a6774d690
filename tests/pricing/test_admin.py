"""The pricing console: change lists and forms load, rows are scoped, the simulator and the accrual
view price and explain through the same services as the API."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from qudao.pricing.models import PriceList
from qudao.pricing.services import record_rebate_volume
from tests.catalog.factories import ROOT
from tests.factories import make_user
from tests.parties.factories import make_customer
from tests.pricing.factories import D, coupon, floor, item, price_list, program, promotion

pytestmark = pytest.mark.django_db
MODELS = [
    "pricelist",
    "promotion",
    "coupon",
    "pricefloor",
    "rebateprogram",
    "rebatesettlement",
    "rebateledgerentry",
]


@pytest.fixture
def console(client, dealer):
    from qudao.accounts.services.access import sync_role_groups

    sync_role_groups()
    client.force_login(make_user(dealer, is_staff=True))
    return client


@pytest.fixture
def rules(dealer):
    it = item(dealer, "10", sku="SIM-1", name="矿泉水")
    pl = price_list(dealer, tiers=[(it, "9.5"), (it, "9", 10)])
    promo = promotion(dealer, "percent_off", percent="10", items=[it], code="P-SIM")
    coupon(promo, "SIM1")
    floor(dealer, it, "8.5")
    program(dealer)
    return it, pl, promo


@pytest.mark.parametrize("model", MODELS)
def test_changelists_load(console, rules, model):
    assert console.get(reverse(f"admin:pricing_{model}_changelist")).status_code == 200


def test_change_forms_load_and_other_dealers_lists_are_hidden(console, rules, other_dealer):
    _it, pl, promo = rules
    assert console.get(reverse("admin:pricing_pricelist_change", args=[pl.pk])).status_code == 200
    assert console.get(reverse("admin:pricing_promotion_change", args=[promo.pk])).status_code == 200
    assert console.get(reverse("admin:pricing_pricelist_add")).status_code == 200
    foreign = price_list(other_dealer, code="FOREIGN-PL", tiers=[(item(other_dealer), "1")])
    listing = console.get(reverse("admin:pricing_pricelist_changelist")).content.decode()
    assert pl.code in listing and "FOREIGN-PL" not in listing
    assert console.get(reverse("admin:pricing_pricelist_change", args=[foreign.pk])).status_code in (302, 404)


def test_simulator_prices_and_explains(console, rules, dealer):
    it, _pl, _promo = rules
    customer = make_customer(dealer, name="模拟客户")
    url = reverse("admin:pricing_simulator")
    assert console.get(url).status_code == 200
    data = {
        "customer": customer.pk,
        "on": "2026-05-20",
        "coupons": "",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "50",
        "lines-0-item": it.pk,
        "lines-0-quantity": "10",
        "lines-1-item": "",
        "lines-1-quantity": "",
    }
    page = console.post(url, data).content.decode()
    assert 'id="simulator-result"' in page
    assert "SIM-1 矿泉水" in page and "81.00" in page  # 10 × 9 (tier from 10) − 10 %
    assert "P-SIM" in page
    unpriced = item(dealer, None, sku="NOPRICE-SIM")
    page = console.post(url, {**data, "lines-0-item": unpriced.pk}).content.decode()
    assert 'id="simulator-error"' in page and "NOPRICE-SIM" in page


def test_accrual_view(console, rules, dealer):
    customer = make_customer(dealer)
    today = date.today()
    record_rebate_volume(
        actor=ROOT,
        dealer_id=dealer.pk,
        customer_id=customer.pk,
        on=today,
        amount=D(101000),
        source_type="sales.order",
        source_id=1,
    )
    page = console.get(reverse("admin:pricing_accruals"), {"customer": customer.pk}).content.decode()
    assert 'id="accruals"' in page and "2020.00" in page and "101000.00" in page


def test_add_a_price_list_with_tiers_in_the_console(console, dealer):
    it = item(dealer, "10")
    data = {
        "dealer": dealer.pk,
        "code": "CONSOLE-1",
        "name": "控制台价目表",
        "currency": "CNY",
        "scope": "default",
        "priority": "10",
        "is_active": "on",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-item": it.pk,
        "items-0-min_quantity": "0",
        "items-0-unit_price": "9.50",
        "items-1-item": it.pk,
        "items-1-min_quantity": "24",
        "items-1-unit_price": "9.00",
    }
    response = console.post(reverse("admin:pricing_pricelist_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    created = PriceList.objects.get(code="CONSOLE-1")
    assert sorted((t.min_quantity, t.unit_price, t.dealer_id) for t in created.items.all()) == [
        (D(0), D("9.5000"), dealer.pk),
        (D(24), D("9.0000"), dealer.pk),
    ]
