"""The cart of a store owner: it lives in the database, is priced live by the pricing engine, and
becomes exactly one order however often "place order" is tapped."""

from __future__ import annotations

import uuid
from decimal import Decimal
from unittest import mock

import pytest

from qudao.accounts.actors import build_actor
from qudao.core.errors import NotFound
from qudao.core.events import OutboxEvent
from qudao.portal import services
from qudao.portal.errors import CartChanged, CartEmpty, ItemNotOrderable, QuantityInvalid
from qudao.portal.models import Cart, CartLine
from qudao.portal.selectors import get_cart_view, get_customer_order, list_customer_orders
from qudao.sales.models import SalesOrder
from qudao.sales.states import OrderSource, OrderState
from tests.catalog.factories import make_item
from tests.factories import make_dealer
from tests.pricing.factories import coupon, promotion

pytestmark = pytest.mark.django_db
D = Decimal


def _fill(shop, actor, quantities=(2, 1)):
    for item, quantity in zip(shop.world.items, quantities, strict=False):
        services.add_to_cart(actor=actor, customer_id=shop.store.pk, item_id=item.pk, quantity=quantity)
    return Cart.objects.get(user=shop.retailer, customer=shop.store)


def test_the_cart_survives_sessions_and_steps_quantities(shop):
    actor = shop.actor()
    first = shop.world.items[0]
    services.add_to_cart(actor=actor, customer_id=shop.store.pk, item_id=first.pk)
    services.add_to_cart(actor=actor, customer_id=shop.store.pk, item_id=first.pk, quantity="2")
    cart = Cart.objects.get(user=shop.retailer, customer=shop.store, source="portal")
    assert CartLine.objects.get(cart=cart).quantity == D("3.000")
    services.set_cart_quantity(actor=shop.actor(), customer_id=shop.store.pk, item_id=first.pk, quantity=1)
    assert CartLine.objects.get(cart=cart).quantity == D("1.000")
    services.set_cart_quantity(actor=actor, customer_id=shop.store.pk, item_id=first.pk, quantity=0)
    assert not CartLine.objects.filter(cart=cart).exists()


@pytest.mark.parametrize("quantity", ["-1", "abc", "1e9", "0.0001", "NaN", "100000"])
def test_nonsense_quantities_are_refused_and_nothing_is_written(shop, quantity):
    with pytest.raises(QuantityInvalid):
        services.add_to_cart(
            actor=shop.actor(), customer_id=shop.store.pk, item_id=shop.world.items[0].pk, quantity=quantity
        )
    assert not CartLine.objects.exists()


def test_foreign_stores_and_items_are_not_found(shop):
    actor = shop.actor()
    with pytest.raises(NotFound):
        services.add_to_cart(actor=actor, customer_id=shop.other_store.pk, item_id=shop.world.items[0].pk)
    foreign_item = make_item(make_dealer(), list_price=D("5"))
    with pytest.raises(ItemNotOrderable):
        services.add_to_cart(actor=actor, customer_id=shop.store.pk, item_id=foreign_item.pk)
    inactive = shop.world.items[2]
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    with pytest.raises(ItemNotOrderable):
        services.add_to_cart(actor=actor, customer_id=shop.store.pk, item_id=inactive.pk)
    assert not CartLine.objects.exists()


def test_the_quote_shows_promotions_coupons_and_tax(shop, dealer):
    first = shop.world.items[0]
    promotion(dealer, "percent_off", percent="10", items=[first], name="春季九折")
    order_coupon = promotion(dealer, "order_amount", amount="20", requires_coupon=True, name="满减券")
    coupon(order_coupon, "SAVE20")
    actor = shop.actor()
    cart = _fill(shop, actor)
    services.set_cart_coupons(actor=actor, customer_id=shop.store.pk, codes="save20, BOGUS")
    cart.refresh_from_db()
    assert cart.coupon_codes == ["SAVE20", "BOGUS"]
    cart.customer = shop.store
    view = get_cart_view(cart=cart)
    # 2 × 113 at 10% off = 203.40, + 113 = 316.40, − 20 coupon = 296.40
    assert view.quote.base_total == D("339.00")
    assert view.quote.total == D("296.40")
    assert view.quote.coupons_applied == ["SAVE20"]
    assert "BOGUS" in view.quote.coupons_rejected
    assert view.quote.tax_total == sum((p.tax_amount for p in view.quote.lines), D(0))
    first_line = next(line for line in view.lines if line.item_id == first.pk)
    assert any(a.kind == "promotion" for a in first_line.priced.adjustments)


def test_placing_the_order_twice_makes_one_order(shop):
    actor = shop.actor()
    cart = _fill(shop, actor)
    token = cart.token
    order, created = services.place_cart_order(actor=actor, customer_id=shop.store.pk, token=token)
    again, created_again = services.place_cart_order(actor=actor, customer_id=shop.store.pk, token=token)
    assert (created, created_again) == (True, False)
    assert again.pk == order.pk
    assert SalesOrder.objects.count() == 1
    order.refresh_from_db()
    assert order.source == OrderSource.PORTAL
    assert order.state == OrderState.CONFIRMED
    assert order.created_by_id == shop.retailer.pk
    assert [(ln.item_id, ln.quantity) for ln in order.lines.order_by("line_no")] == [
        (shop.world.items[0].pk, D("2.000")),
        (shop.world.items[1].pk, D("1.000")),
    ]
    cart.refresh_from_db()
    assert cart.token != token
    assert not CartLine.objects.filter(cart=cart).exists()
    assert OutboxEvent.objects.filter(topic="portal.cart.ordered").count() == 1
    # an empty cart, and a token never shown, are refused
    with pytest.raises(CartEmpty):
        services.place_cart_order(actor=actor, customer_id=shop.store.pk, token=cart.token)
    with pytest.raises(CartChanged):
        services.place_cart_order(actor=actor, customer_id=shop.store.pk, token=uuid.uuid4())


def test_an_order_over_the_credit_limit_waits_for_approval(shop):
    shop.store.credit_limit = D("100.00")
    shop.store.save(update_fields=["credit_limit"])
    actor = shop.actor()
    cart = _fill(shop, actor)
    order, _ = services.place_cart_order(actor=actor, customer_id=shop.store.pk, token=cart.token)
    assert order.state == OrderState.ON_HOLD
    assert order.hold_reason == "credit"


def test_a_failed_order_keeps_the_cart(shop, dealer):
    actor = shop.actor()
    unpriced = make_item(dealer, list_price=None)
    cart = _fill(shop, actor, (1,))
    CartLine.objects.create(dealer=dealer, cart=cart, item=unpriced, quantity=D(1))
    with pytest.raises(Exception) as caught:
        services.place_cart_order(actor=actor, customer_id=shop.store.pk, token=cart.token)
    assert getattr(caught.value, "status", 500) == 422
    assert SalesOrder.objects.count() == 0
    assert CartLine.objects.filter(cart=cart).count() == 2
    assert Cart.objects.get(pk=cart.pk).token == cart.token


def test_reorder_puts_the_past_lines_into_the_cart_at_todays_prices(shop, dealer):
    actor = shop.actor()
    cart = _fill(shop, actor)
    order, _ = services.place_cart_order(actor=actor, customer_id=shop.store.pk, token=cart.token)
    gone = shop.world.items[1]
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    promotion(dealer, "percent_off", percent="50", items=[shop.world.items[0]])
    cart, added, skipped = services.reorder(actor=actor, order_id=order.pk)
    assert (added, skipped) == (1, [gone.sku])
    cart.customer = shop.store
    view = get_cart_view(cart=cart)
    assert view.quote.total == D("113.00")  # 2 × 113 at today's 50% off, not the price paid
    assert order.total == D("339.00")


def test_the_retailer_sees_only_its_stores_orders(shop):
    rep = build_actor(shop.rep)
    services.add_to_cart(actor=rep, customer_id=shop.other_store.pk, item_id=shop.world.items[0].pk)
    rep_cart = Cart.objects.get(user=shop.rep)
    assert rep_cart.source == "assistant"
    neighbour, _ = services.place_cart_order(actor=rep, customer_id=shop.other_store.pk, token=rep_cart.token)
    assert neighbour.source == OrderSource.ASSISTANT
    actor = shop.actor()
    cart = _fill(shop, actor)
    mine, _ = services.place_cart_order(actor=actor, customer_id=shop.store.pk, token=cart.token)
    assert list(list_customer_orders(actor=actor)) == [mine]
    with pytest.raises(NotFound):
        get_customer_order(actor=actor, order_id=neighbour.pk)
    with pytest.raises(NotFound):
        services.reorder(actor=actor, order_id=neighbour.pk)
    assert {o.pk for o in list_customer_orders(actor=rep)} == {mine.pk, neighbour.pk}


def test_the_catalog_prices_a_page_in_one_pricing_call(shop, dealer):
    from qudao.portal.selectors_catalog import list_catalog
    from qudao.sales import pricing_bridge

    promotion(dealer, "percent_off", percent="10", items=[shop.world.items[0]], name="九折")
    real = pricing_bridge.price_basket
    with mock.patch.object(pricing_bridge, "price_basket", side_effect=real) as spy:
        page = list_catalog(actor=shop.actor(), customer=shop.store)
    assert spy.call_count == 1
    by_item = {e.item.pk: e for e in page.entries}
    assert by_item[shop.world.items[0].pk].price.unit_price == D("101.7000")
    assert by_item[shop.world.items[0].pk].price.promotions
    assert by_item[shop.world.items[1].pk].price.unit_price == D("113.0000")
    assert not by_item[shop.world.items[1].pk].price.promotions
    assert {e.availability for e in page.entries} == {"in_stock"}


def test_the_catalog_page_costs_the_same_queries_for_5_or_20_items(shop, dealer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from qudao.portal.selectors_catalog import list_catalog

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            page = list_catalog(actor=shop.actor(), customer=shop.store)
        return len(captured), len(page.entries)

    few, n_few = queries()
    for _ in range(17):
        make_item(dealer, list_price=D("9.90"))
    many, n_many = queries()
    assert (n_few, n_many) == (3, 20)
    assert many == few
