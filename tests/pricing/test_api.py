"""The pricing API: CRUD with validation, scope (another dealer's rows answer 404), the quote."""

from __future__ import annotations

import pytest

from qudao.pricing.models import Coupon, PriceList, PriceListItem, Promotion
from tests.catalog.factories import make_item_unit, unit
from tests.factories import make_channel
from tests.parties.factories import make_customer, make_customer_group
from tests.pricing.factories import coupon, item, price_list, promotion

pytestmark = pytest.mark.django_db
URL = "/api/v1/pricing"


def test_price_list_crud_with_tiers(api, dealer):
    group = make_customer_group(dealer)
    it = item(dealer)
    body = {
        "code": "KA-2026",
        "name": "KA价目表",
        "scope": "customer_group",
        "customer_group_id": group.pk,
        "items": [
            {"item_id": it.pk, "unit_price": "10.5"},
            {"item_id": it.pk, "min_quantity": "100", "unit_price": "9.8"},
        ],
    }
    response = api.post(f"{URL}/price-lists", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["scope"], created["item_count"], created["version"]) == ("customer_group", 2, 1)
    pk = created["id"]
    assert api.post(f"{URL}/price-lists", body).json()["code"] == "duplicate"
    tiers = api.get(f"{URL}/price-lists/{pk}/items").json()
    assert [(t["min_quantity"], t["unit_price"]) for t in tiers["items"]] == [
        ("0.000", "10.5000"),
        ("100.000", "9.8000"),
    ]
    response = api.patch(f"{URL}/price-lists/{pk}", {"version": 1, "name": "KA 2026"})
    assert response.status_code == 200 and response.json()["version"] == 2
    stale = api.patch(f"{URL}/price-lists/{pk}", {"version": 1, "name": "x"})
    assert (stale.status_code, stale.json()["code"]) == (409, "stale_version")
    response = api.post(
        f"{URL}/price-lists/{pk}/items", {"item_id": it.pk, "min_quantity": "100", "unit_price": "9.5"}
    )
    assert response.status_code == 201
    assert PriceListItem.objects.get(price_list_id=pk, min_quantity=100).unit_price == 9.5
    tier_id = response.json()["id"]
    assert (
        api.patch(f"{URL}/price-list-items/{tier_id}", {"unit_price": "9.4"}).json()["unit_price"] == "9.4000"
    )
    assert api.delete(f"{URL}/price-list-items/{tier_id}").status_code == 204
    assert api.delete(f"{URL}/price-lists/{pk}").status_code == 204
    assert not PriceList.objects.filter(pk=pk).exists()


def test_price_list_validation_collects_every_problem(api, dealer, other_dealer):
    foreign_item = item(other_dealer)
    response = api.post(
        f"{URL}/price-lists",
        {
            "code": "BAD",
            "name": "x",
            "scope": "channel",
            "customer_group_id": 999999,
            "valid_from": "2026-05-01",
            "valid_to": "2026-04-01",
            "items": [{"item_id": foreign_item.pk, "unit_price": "1"}],
        },
    )
    assert response.status_code == 422
    fields = {d["field"] for d in response.json()["details"]}
    assert {"channel_id", "customer_group_id", "valid_to", "items.0.item_id"} <= fields
    assert not PriceList.objects.exists()
    unknown = api.post(f"{URL}/price-lists", {"code": "X", "name": "x", "scope": "default", "colour": "red"})
    assert unknown.status_code == 422
    negative = api.post(
        f"{URL}/price-lists",
        {
            "code": "X",
            "name": "x",
            "scope": "default",
            "items": [{"item_id": item(dealer).pk, "unit_price": "-1"}],
        },
    )
    assert negative.status_code == 422


def test_another_dealers_rules_answer_404(api, other_api, dealer):
    it = item(dealer)
    pl = price_list(dealer, tiers=[(it, "5")])
    promo = promotion(dealer, "percent_off", percent="10")
    c = coupon(promo, "MINE1")
    for path in (
        f"/price-lists/{pl.pk}",
        f"/promotions/{promo.pk}",
        f"/coupons/{c.pk}",
        f"/price-lists/{pl.pk}/items",
    ):
        assert other_api.get(URL + path).status_code == 404
    assert other_api.patch(f"{URL}/price-lists/{pl.pk}", {"version": 1, "name": "x"}).status_code == 404
    assert other_api.delete(f"{URL}/promotions/{promo.pk}").status_code == 404
    assert other_api.get(f"{URL}/price-lists").json()["count"] == 0
    response = other_api.post(f"{URL}/coupons", {"promotion_id": promo.pk, "code": "STEAL"})
    assert response.status_code == 422 and not Coupon.objects.filter(code="STEAL").exists()


def test_promotion_api_and_kind_rules(api, dealer):
    a, b = item(dealer), item(dealer)
    missing = api.post(f"{URL}/promotions", {"code": "B1", "name": "套餐", "kind": "bundle"})
    assert missing.status_code == 422
    assert {d["field"] for d in missing.json()["details"]} == {"bundle_price", "bundle"}
    response = api.post(
        f"{URL}/promotions",
        {
            "code": "B1",
            "name": "套餐",
            "kind": "bundle",
            "bundle_price": "15",
            "bundle": [{"item_id": a.pk, "quantity": "1"}, {"item_id": b.pk, "quantity": "2"}],
        },
    )
    assert response.status_code == 201, response.content
    out = response.json()
    assert [(p["item_id"], p["quantity"]) for p in out["bundle"]] == [(a.pk, "1.000"), (b.pk, "2.000")]
    response = api.patch(f"{URL}/promotions/{out['id']}", {"version": 1, "priority": 3, "stackable": False})
    assert response.status_code == 200 and response.json()["priority"] == 3
    gen = api.post(f"{URL}/coupons/generate", {"promotion_id": out["id"], "count": 25, "prefix": "SPRING"})
    assert gen.status_code == 201 and len(gen.json()) == 25
    assert Coupon.objects.filter(code__startswith="SPRING-").count() == 25
    assert api.delete(f"{URL}/promotions/{out['id']}").json()["code"] == "pricing_rule_in_use"
    assert Promotion.objects.filter(pk=out["id"]).exists()


def test_quote_prices_a_basket_in_any_unit(api, dealer):
    channel = make_channel(dealer)
    customer = make_customer(dealer, channel=channel)
    it = item(dealer, "3.00")
    case = unit(dealer, "CASE")
    make_item_unit(it, case, 24)
    price_list(dealer, scope="channel", channel_id=channel.pk, tiers=[(it, "2.80"), (it, "2.50", 48)])
    promotion(dealer, "spend_save", threshold="100", amount="10", code="MJ100")
    response = api.post(
        f"{URL}/quote",
        {"customer_id": customer.pk, "lines": [{"item_id": it.pk, "quantity": "2", "unit_id": case.pk}]},
    )
    assert response.status_code == 200, response.content
    data = response.json()
    line = data["lines"][0]
    assert (line["quantity"], line["source"]["kind"], line["source"]["unit_price"]) == (
        "48",
        "channel_price_list",
        "2.5000",
    )
    assert (line["base_amount"], line["amount"], data["total"]) == ("120.00", "110.00", "110.00")
    assert line["adjustments"][0]["rule_code"] == "MJ100"
    assert data["tax_total"] == "12.65" and data["net_total"] == "97.35"


def test_quote_errors(api, other_api, dealer):
    customer = make_customer(dealer)
    unpriced = item(dealer, None)
    assert api.post(f"{URL}/quote", {"customer_id": customer.pk, "lines": []}).status_code == 422
    response = api.post(
        f"{URL}/quote", {"customer_id": customer.pk, "lines": [{"item_id": unpriced.pk, "quantity": "1"}]}
    )
    assert (response.status_code, response.json()["code"]) == (422, "no_price")
    bad_qty = api.post(
        f"{URL}/quote", {"customer_id": customer.pk, "lines": [{"item_id": unpriced.pk, "quantity": "0"}]}
    )
    assert bad_qty.status_code == 422
    wrong_unit = api.post(
        f"{URL}/quote",
        {
            "customer_id": customer.pk,
            "lines": [{"item_id": item(dealer).pk, "quantity": "1", "unit_id": unit(dealer, "BOX").pk}],
        },
    )
    assert wrong_unit.status_code == 422 and wrong_unit.json()["details"][0]["field"] == "lines.0.unit_id"
    assert (
        other_api.post(
            f"{URL}/quote", {"customer_id": customer.pk, "lines": [{"item_id": unpriced.pk, "quantity": "1"}]}
        ).status_code
        == 404
    )


def test_floors_api(api, dealer):
    it = item(dealer)
    response = api.post(f"{URL}/floors", {"item_id": it.pk, "floor_price": "8.5"})
    assert response.status_code == 201
    pk = response.json()["id"]
    assert api.patch(f"{URL}/floors/{pk}", {"floor_price": "8.6"}).json()["floor_price"] == "8.6000"
    assert api.get(f"{URL}/floors", {"item_id": it.pk}).json()["count"] == 1
    assert (
        api.post(f"{URL}/floors", {"item_id": it.pk, "floor_price": "1", "region_id": 999999999}).status_code
        == 422
    )
    assert api.delete(f"{URL}/floors/{pk}").status_code == 204


def test_bad_promotion_and_program_input_is_422_never_500(api, dealer):
    cases = [
        {"code": "X1", "name": "x", "kind": "percent_off", "percent": "120"},
        {"code": "X1", "name": "x", "kind": "percent_off"},
        {"code": "X1", "name": "x", "kind": "nonsense"},
        {"code": "X1", "name": "x", "kind": "amount_off", "amount": "1", "item_ids": [999999999]},
        {"code": "X1", "name": "x", "kind": "amount_off", "amount": "1.001"},
        {"code": "X1", "name": "x", "kind": "buy_get", "buy_quantity": "0", "gift_quantity": "1"},
    ]
    for body in cases:
        response = api.post(f"{URL}/promotions", body)
        assert response.status_code == 422, (body, response.content)
    assert not Promotion.objects.exists()
    assert api.get(f"{URL}/promotions", {"ordering": "colour"}).status_code == 422


def test_rebate_program_versions_and_settling_twice(api, dealer):
    body = {
        "code": "M1",
        "name": "月返",
        "period": "month",
        "valid_from": "2026-01-01",
        "tiers": [{"threshold": "1000", "rate": "0.01"}],
    }
    pk = api.post(f"{URL}/rebate-programs", body).json()["id"]
    assert api.patch(f"{URL}/rebate-programs/{pk}", {"version": 1, "name": "月度返利"}).status_code == 200
    stale = api.patch(f"{URL}/rebate-programs/{pk}", {"version": 1, "name": "x"})
    assert (stale.status_code, stale.json()["code"]) == (409, "stale_version")
    first = api.post(f"{URL}/rebate-programs/{pk}/settle", {"period_start": "2026-01-01"})
    assert first.status_code == 201 and first.json()["total"] == "0.00"
    again = api.post(f"{URL}/rebate-programs/{pk}/settle", {"period_start": "2026-01-01"})
    assert (again.status_code, again.json()["code"]) == (409, "period_already_settled")
    unaligned = api.post(f"{URL}/rebate-programs/{pk}/settle", {"period_start": "2026-02-03"})
    assert unaligned.status_code == 422
