"""A KA chain orders through the API: priced with its group's tier price, shipped from the nearest
warehouse that has everything, reserved, confirmed — and the order tells the whole story."""

from decimal import Decimal

import pytest

from qudao.core.models import OutboxEvent
from qudao.pricing.services.price_lists import create_price_list
from tests.inventory.factories import ROOT, reserved
from tests.parties.factories import make_address, make_customer, make_customer_group
from tests.sales.factories import NANJING, make_world

pytestmark = pytest.mark.django_db


def test_ka_chain_orders_by_api_and_gets_its_tier_price_from_the_nearest_warehouse(api, dealer):
    # given a dealer with warehouses in Shanghai, Hangzhou and Nanjing; tea at ¥113 list price,
    world = make_world(dealer, items=2, stock={"shanghai": 100, "nanjing": 100, "hangzhou": 1})
    tea, water = world.items
    # a KA group price list: tea ¥100, ¥95 from 50 bottles
    ka = make_customer_group(dealer, code="KA", name="KA 连锁")
    create_price_list(
        actor=ROOT,
        data={
            "dealer_id": dealer.pk,
            "code": "KA-2026",
            "name": "KA 价格表",
            "scope": "customer_group",
            "customer_group_id": ka.pk,
            "items": [
                {"item_id": tea.pk, "min_quantity": Decimal("0"), "unit_price": Decimal("100")},
                {"item_id": tea.pk, "min_quantity": Decimal("50"), "unit_price": Decimal("95")},
            ],
        },
    )
    # and a supermarket chain in Nanjing, member of the KA group
    chain = make_customer(dealer, business_type="ka_chain", customer_group=ka, name="苏果超市")
    make_address(chain, latitude=NANJING[0], longitude=NANJING[1], receiver_name="王经理", is_default=True)

    # when it orders 60 tea and 10 water through the API with an idempotency key
    response = api.post(
        "/api/v1/orders",
        {
            "customer_id": chain.pk,
            "external_reference": "SG-PO-8812",
            "lines": [
                {"item_id": tea.pk, "quantity": "60"},
                {"item_id": water.pk, "quantity": "10"},
            ],
            "confirm": True,
        },
        HTTP_IDEMPOTENCY_KEY="SG-PO-8812",
    )
    assert response.status_code == 201, response.content
    order = response.json()

    # then the tea is priced at the group's ¥95 tier, the water at its list price, explained
    tea_line, water_line = order["lines"]
    assert (tea_line["unit_price"], tea_line["amount"]) == ("95.0000", "5700.00")
    assert tea_line["price_explanation"]["source"]["price_list_code"] == "KA-2026"
    assert Decimal(tea_line["price_explanation"]["source"]["tier_min_quantity"]) == 50
    assert (water_line["amount"], water_line["price_explanation"]["source"]["kind"]) == (
        "1130.00",
        "item_list_price",
    )
    assert (order["total"], order["tax_total"]) == ("6830.00", "785.75")
    # KA customers are served first when stock is short
    assert order["priority"] == 30
    # Nanjing is next door and has everything: one shipment from there, and the plan says why
    assert order["state"] == "confirmed" and order["site_id"] == world.nanjing.pk
    run = order["allocation_plan"]["runs"][0]
    assert run["strategy"] == "one_site"
    assert [c["site_id"] for c in run["candidates"]][:2] == [world.nanjing.pk, world.shanghai.pk]
    assert Decimal(run["candidates"][0]["distance_km"]) < 5
    assert reserved(tea, world.nanjing) == 60 and reserved(tea, world.shanghai) == 0
    assert [e["kind"] for e in order["timeline"]] == ["created", "confirmed"]
    assert OutboxEvent.objects.filter(topic="sales.order.confirmed", payload__order_id=order["id"]).exists()

    # and a retry of the same request returns the same order, nothing reserved twice
    again = api.post(
        "/api/v1/orders",
        {
            "customer_id": chain.pk,
            "external_reference": "SG-PO-8812",
            "lines": [
                {"item_id": tea.pk, "quantity": "60"},
                {"item_id": water.pk, "quantity": "10"},
            ],
            "confirm": True,
        },
        HTTP_IDEMPOTENCY_KEY="SG-PO-8812",
    )
    assert again.status_code == 200 and again.json()["id"] == order["id"]
    assert reserved(tea) == 60
