"""The catalog as a store owner browses it: a scanned barcode, a category (with its sub-categories),
pages of twenty, out-of-stock items that cannot be added, and a held order said honestly."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from qudao.catalog.policies import complete_gtin
from qudao.portal.models import Cart
from qudao.sales.models import SalesOrder
from tests.catalog.factories import make_barcode, make_category, make_item
from tests.inventory.factories import receive
from tests.portal.test_views import signed_in

pytestmark = pytest.mark.django_db
D = Decimal


def test_a_scanned_barcode_finds_the_item(shop):
    item = shop.world.items[1]
    code = complete_gtin("690123456789")
    make_barcode(item, code)
    html = signed_in(shop.retailer.username).get(reverse("portal:catalog"), {"q": code}).content.decode()
    assert f'data-sku="{item.sku}"' in html
    assert f'data-sku="{shop.world.items[0].sku}"' not in html


def test_a_category_shows_its_subcategories_items(shop, dealer):
    drinks = make_category(dealer, name="饮料")
    water = make_category(dealer, name="饮用水", parent=drinks)
    snacks = make_category(dealer, name="零食")
    in_water = make_item(dealer, name="矿泉水", category_id=water.pk, list_price=D("2"))
    in_snacks = make_item(dealer, name="薯片", category_id=snacks.pk, list_price=D("6"))
    client = signed_in(shop.retailer.username)
    html = client.get(reverse("portal:catalog"), {"category": drinks.pk}).content.decode()
    assert f'data-sku="{in_water.sku}"' in html and f'data-sku="{in_snacks.sku}"' not in html
    assert "饮料" in html and "零食" in html  # the category filter lists them
    # an unknown category is simply no filter, never an error
    assert client.get(reverse("portal:catalog"), {"category": "999999"}).status_code == 200


def test_pages_of_twenty_and_out_of_stock_items(shop, dealer):
    for n in range(22):
        make_item(dealer, name=f"Z 商品 {n:02d}", list_price=D("3.50"))
    client = signed_in(shop.retailer.username)
    first = client.get(reverse("portal:catalog")).content.decode()
    assert first.count('class="card item"') == 20 and "Page 1 of 2" in first
    second = client.get(reverse("portal:catalog"), {"page": 2}).content.decode()
    assert second.count('class="card item"') == 5 and "Page 2 of 2" in second
    assert "Out of stock" in second and "Currently unavailable" in second
    # beyond the last page: the last page
    assert client.get(reverse("portal:catalog"), {"page": "99"}).status_code == 200


def test_low_stock_is_said_without_the_quantity(shop, dealer):
    scarce = make_item(dealer, name="限量礼盒", list_price=D("88"))
    receive(shop.world.shanghai, scarce, 4)
    html = signed_in(shop.retailer.username).get(reverse("portal:catalog"), {"q": "限量"}).content.decode()
    assert "Low stock" in html
    assert ">4<" not in html and " 4 " not in html


def test_an_order_over_the_credit_limit_is_said_to_await_approval(shop):
    shop.store.credit_limit = D("50.00")
    shop.store.save(update_fields=["credit_limit"])
    client = signed_in(shop.retailer.username)
    client.post(reverse("portal:cart-add"), {"item_id": shop.world.items[0].pk, "quantity": "1"})
    token = Cart.objects.get(user=shop.retailer).token
    page = client.post(reverse("portal:cart-place"), {"token": token}, follow=True).content.decode()
    order = SalesOrder.objects.get()
    assert order.state == "on_hold"
    assert "awaiting approval" in page and 'data-step="held"' in page
    listing = client.get(reverse("portal:orders")).content.decode()
    assert "Awaiting approval" in listing
