"""An online shop's orders arrive from a marketplace as JSON and become e-commerce orders through
the dealer's mapping (the shipped generic-marketplace one), with sample payloads in payloads/."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from qudao.core.scoping import build_actor
from qudao.integrations import services
from qudao.integrations.generic import GENERIC_CODE
from qudao.org.models import Region
from qudao.sales.models import SalesOrder
from qudao.sales.states import OrderSource, OrderState
from tests.catalog.factories import make_item
from tests.factories import ApiClient, make_channel, make_user
from tests.parties.factories import make_customer

pytestmark = pytest.mark.django_db
PAYLOADS = Path(__file__).parent / "payloads"
URL = f"/api/v1/integrations/marketplace/{GENERIC_CODE}/orders"


def payload(name: str):
    return json.loads((PAYLOADS / name).read_text(encoding="utf-8"))


@pytest.fixture
def shop(dealer):
    """An online shop customer, two items, and the generic mapping (platform SKU PLAT-9 is GM-SKU-2)."""
    actor = build_actor(make_user(dealer))
    customer = make_customer(dealer, business_type="retail_store", code="ONLINE-1")
    ningbo = make_customer(dealer, business_type="retail_store", code="ONLINE-NB")
    items = [
        make_item(dealer, sku="GM-SKU-1", list_price=Decimal("12.00"), tax_rate=Decimal("0.13")),
        make_item(dealer, sku="GM-SKU-2", list_price=Decimal("30.00"), tax_rate=Decimal("0.13")),
    ]
    channel = make_channel(dealer, code="TMALL", kind="ecommerce")
    mapping = services.install_generic_mapping(
        actor=actor, customer_code=customer.code, channel_id=channel.pk
    )
    mapping.mapping["sku_map"] = {"PLAT-9": "GM-SKU-2"}
    mapping.mapping["fields"]["customer"]["map"] = {"SHOP-NB": ningbo.code}
    services.save_mapping(actor=actor, data={"mapping": mapping.mapping}, mapping_id=mapping.pk)
    return {"actor": actor, "customer": customer, "ningbo": ningbo, "items": items, "channel": channel}


def test_a_paid_order_becomes_an_ecommerce_draft_at_the_platform_price(api, shop):
    response = api.post(URL, payload("good_order.json"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["existing"], body["skipped"], body["failed"]) == (1, 0, 0, 0)
    result = body["results"][0]
    assert result["status"] == "created" and result["external_reference"] == "GM-20261203-0001"
    order = SalesOrder.objects.get(pk=result["order_id"])
    assert (order.source, order.state, order.customer_id) == (
        OrderSource.ECOMMERCE,
        OrderState.DRAFT,
        shop["customer"].pk,
    )
    assert order.channel_id == shop["channel"].pk and order.notes == "请尽快发货"
    assert (order.receiver_name, order.receiver_phone) == ("王小明", "13800000000")
    assert order.ship_line == "浙江省 杭州市 西湖区 文三路 90 号"
    assert order.ship_region_id == Region.objects.get(code="330106").pk and order.ship_latitude is not None
    lines = list(order.lines.order_by("line_no"))
    # the marketplace's prices, not the list prices (12.00 and 30.00); PLAT-9 is GM-SKU-2
    assert [(ln.item.sku, ln.quantity, ln.unit_price, ln.amount) for ln in lines] == [
        ("GM-SKU-1", Decimal("2.000"), Decimal("9.9000"), Decimal("19.80")),
        ("GM-SKU-2", Decimal("1.000"), Decimal("25.0000"), Decimal("25.00")),
    ]
    assert lines[0].price_explanation["source"]["kind"] == "platform_price"
    assert lines[0].price_explanation["source"]["description"] == "Platform price (Generic marketplace)"
    assert order.total == Decimal("44.80") and order.tax_total == Decimal(
        "5.16"
    )  # 2.28 + 2.88, rounded per line


def test_the_same_platform_order_twice_answers_the_same_order(api, shop):
    first = api.post(URL, payload("good_order.json")).json()["results"][0]
    again = api.post(URL, payload("good_order.json"))
    assert again.status_code == 200
    assert again.json()["results"][0] == {**first, "status": "existing"}
    both = api.post(URL, payload("duplicate.json")).json()
    assert [r["status"] for r in both["results"]] == ["created", "existing"]
    assert both["results"][0]["order_id"] == both["results"][1]["order_id"]
    assert SalesOrder.objects.filter(source=OrderSource.ECOMMERCE).count() == 2


def test_cancelled_orders_are_skipped_and_unknown_skus_are_errors(api, shop):
    skipped = api.post(URL, payload("cancelled.json")).json()["results"][0]
    assert (skipped["status"], skipped["order_id"], skipped["platform_status"]) == (
        "skipped",
        None,
        "cancelled",
    )
    bad = api.post(URL, payload("unknown_sku.json")).json()["results"][0]
    assert bad["status"] == "error" and bad["order_id"] is None
    assert [(e["field"], e["code"]) for e in bad["errors"]] == [("lines.0.sku", "unknown_item")]
    assert not SalesOrder.objects.exists()


def test_a_batch_with_one_bad_order_writes_the_others(api, shop):
    body = api.post(URL, payload("batch_one_bad.json")).json()
    assert [(r["external_reference"], r["status"]) for r in body["results"]] == [
        ("GM-B-1", "created"),
        ("GM-B-2", "error"),
        ("GM-B-3", "created"),
    ]
    assert body["results"][1]["errors"][0]["field"] == "lines.0.quantity"
    ningbo = SalesOrder.objects.get(external_reference="GM-B-3")
    assert ningbo.customer_id == shop["ningbo"].pk  # the shop's own customer, through the value map
    assert ningbo.ship_region_id == Region.objects.get(code="330203").pk


def test_an_api_key_with_sales_write_may_send_orders(admin_user, shop):
    writer = ApiClient(admin_user, scopes=("sales:write",))
    assert writer.post(URL, payload("good_order.json")).json()["created"] == 1
    reader = ApiClient(admin_user, scopes=("sales:read",))
    assert reader.post(URL, payload("good_order.json")).status_code == 403


def test_another_dealer_cannot_use_our_mapping(other_api, shop):
    response = other_api.post(URL, payload("good_order.json"))
    assert response.status_code == 404
    assert not SalesOrder.objects.exists()


@pytest.mark.parametrize("body", [b"not json", b"[]", b"42"])
def test_bodies_that_are_not_orders_are_422(api, shop, body):
    response = api.client.post(URL, body, content_type="application/json", **api._headers())
    assert response.status_code == 422 and response.json()["code"] == "validation_error"


def test_a_mapping_is_checked_when_saved(api, shop, dealer):
    bad = {
        "fields": {"external_reference": "order..id", "status": "items[*].status"},
        "lines": {"sku": "items[*].sku", "quantity": "lines[*].qty"},
        "price": "platform",
        "extra": 1,
    }
    response = api.post(
        "/api/v1/integrations/marketplace/mappings",
        {"code": "bad-one", "name": "Bad", "platform": "jd", "mapping": bad},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_mapping"
    found = {(d["field"], d["code"]) for d in body["details"]}
    assert found == {
        ("mapping.extra", "unknown_key"),
        ("mapping.fields.customer", "required"),
        ("mapping.fields.external_reference", "invalid_source"),
        ("mapping.fields.status", "invalid_source"),
        ("mapping.lines", "several_lists"),
        ("mapping.lines.unit_price", "required"),
    }


def test_trying_a_payload_shows_the_order_without_writing_it(api, shop):
    from qudao.integrations.models import MarketplaceMapping

    mapping = MarketplaceMapping.objects.get(code=GENERIC_CODE)
    response = api.post(
        f"/api/v1/integrations/marketplace/mappings/{mapping.pk}/try", payload("good_order.json")
    )
    assert response.status_code == 200, response.content
    result = response.json()["result"]
    assert result["status"] == "preview" and result["order_id"] is None
    assert result["order"]["total"] == "44.80"
    assert [ln["sku"] for ln in result["order"]["lines"]] == ["GM-SKU-1", "GM-SKU-2"]
    assert result["mapped"]["lines"][1]["platform_sku"] == "PLAT-9"
    assert not SalesOrder.objects.exists()


def test_qudao_prices_when_the_mapping_says_so(api, shop):
    from qudao.integrations.models import MarketplaceMapping

    mapping = MarketplaceMapping.objects.get(code=GENERIC_CODE)
    mapping.mapping["price"] = "qudao"
    services.save_mapping(actor=shop["actor"], data={"mapping": mapping.mapping}, mapping_id=mapping.pk)
    order_id = api.post(URL, payload("good_order.json")).json()["results"][0]["order_id"]
    order = SalesOrder.objects.get(pk=order_id)
    assert order.total == Decimal("54.00")  # 2 × 12.00 + 30.00, the list prices
    assert order.lines.first().price_explanation["source"]["kind"] == "item_list_price"


def test_confirming_a_marketplace_order_keeps_the_platform_price(api, shop):
    from qudao.sales.services import confirm_order
    from tests.inventory.factories import ROOT

    order_id = api.post(URL, payload("good_order.json")).json()["results"][0]["order_id"]
    confirmed = confirm_order(actor=ROOT, order_id=order_id)
    assert confirmed.state in (OrderState.CONFIRMED, OrderState.ON_HOLD)
    lines = list(confirmed.lines.order_by("line_no"))
    assert [ln.unit_price for ln in lines] == [Decimal("9.9000"), Decimal("25.0000")]
    assert lines[0].price_explanation["source"]["kind"] == "platform_price"
    assert confirmed.total == Decimal("44.80")
