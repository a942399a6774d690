"""The pages as a phone uses them (Django's test client): sign in, catalog, cart, order, tracking,
reorder; the assistant's customer, stock, order-for and delivery pages. Foreign ids are 404s, bad
input is a message on the page, never a 500."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from qudao.accounts.models import Role
from qudao.portal.models import Cart, CartLine
from qudao.sales.models import DeliveryProof, SalesOrder, ShipmentState
from qudao.sales.services import create_shipment, ship_shipment
from qudao.sales.states import DeliveryState, OrderSource
from tests.factories import make_dealer, make_user
from tests.inventory.factories import ROOT
from tests.portal.factories import PASSWORD, make_shop, png
from tests.pricing.factories import promotion

pytestmark = pytest.mark.django_db
D = Decimal


def signed_in(username: str) -> Client:
    client = Client()
    response = client.post(reverse("portal:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client


def place(client: Client, shop, quantities=(2, 1)) -> SalesOrder:
    for item, quantity in zip(shop.world.items, quantities, strict=False):
        client.post(reverse("portal:cart-add"), {"item_id": item.pk, "quantity": quantity})
    token = Cart.objects.get(user=shop.retailer).token
    response = client.post(reverse("portal:cart-place"), {"token": token})
    order = SalesOrder.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == reverse("portal:order", args=[order.pk])
    return order


def test_sign_in_sends_retailers_to_their_catalog_and_reps_to_the_assistant(shop):
    page = Client().get(reverse("portal:catalog"))
    assert page.status_code == 302 and page["Location"].startswith(reverse("portal:login"))
    login = Client().get(reverse("portal:login"))
    assert login.status_code == 200 and b'name="password"' in login.content
    bad = Client().post(reverse("portal:login"), {"username": shop.retailer.username, "password": "wrong"})
    assert bad.status_code == 200 and b"message error" in bad.content
    response = Client().post(
        reverse("portal:login"), {"username": shop.retailer.username, "password": PASSWORD}
    )
    assert response["Location"] == reverse("portal:catalog")
    response = Client().post(reverse("portal:login"), {"username": shop.rep.username, "password": PASSWORD})
    assert response["Location"] == reverse("assistant:customers")


def test_the_portal_speaks_chinese_by_default(shop, chinese):
    client = signed_in(shop.retailer.username)
    page = client.get(reverse("portal:catalog"))
    assert '<html lang="zh-hans">' in page.content.decode()


def test_a_retailer_is_not_a_console_user_nor_a_sales_rep(shop):
    client = signed_in(shop.retailer.username)
    assert client.get("/admin/").status_code == 302  # the console sends it to its own login
    assert client.get(reverse("assistant:customers"))["Location"] == reverse("portal:catalog")
    assert client.get(reverse("assistant:customer", args=[shop.store.pk])).status_code == 302


def test_catalog_search_shows_their_price_promotion_and_availability(shop, dealer):
    promotion(dealer, "percent_off", percent="10", items=[shop.world.items[0]], name="春季九折")
    client = signed_in(shop.retailer.username)
    page = client.get(reverse("portal:catalog"), {"q": shop.world.items[0].sku})
    html = page.content.decode()
    assert page.status_code == 200
    assert f'data-sku="{shop.world.items[0].sku}"' in html
    assert f'data-sku="{shop.world.items[1].sku}"' not in html
    assert "¥101.70" in html and "¥113.00" in html and "春季九折" in html
    assert "In stock" in html
    assert "100" not in html.split('id="catalog"')[1].split("</ul>")[0]  # no exact quantity
    empty = client.get(reverse("portal:catalog"), {"q": "no-such-thing"}).content.decode()
    assert "Nothing matches your search" in empty


def test_order_track_and_reorder_through_the_pages(shop):
    client = signed_in(shop.retailer.username)
    order = place(client, shop)
    assert order.source == OrderSource.PORTAL
    detail = client.get(reverse("portal:order", args=[order.pk])).content.decode()
    assert order.number in detail and 'data-step="confirmed"' in detail
    listing = client.get(reverse("portal:orders")).content.decode()
    assert f'data-number="{order.number}"' in listing
    # a double tap: the same token again answers the same order
    token_before = str(Cart.objects.get(user=shop.retailer).token)
    response = client.post(reverse("portal:cart-place"), {"token": token_before})
    assert response.status_code == 302 and SalesOrder.objects.count() == 1
    client.post(reverse("portal:reorder", args=[order.pk]))
    cart = client.get(reverse("portal:cart")).content.decode()
    assert "¥339.00" in cart and 'id="place-order"' in cart


def test_url_tampering_with_other_ids_is_not_found(shop, dealer):
    neighbour = make_shop(make_dealer(), username="other.owner", rep_username="other.rep")
    other_client = signed_in(neighbour.retailer.username)
    foreign_order = place(other_client, neighbour)
    client = signed_in(shop.retailer.username)
    assert client.get(reverse("portal:order", args=[foreign_order.pk])).status_code == 404
    assert client.post(reverse("portal:reorder", args=[foreign_order.pk])).status_code == 404
    assert client.post(reverse("portal:store"), {"customer_id": shop.other_store.pk}).status_code == 404
    assert client.post(reverse("portal:store"), {"customer_id": "abc"}).status_code == 404
    # a foreign item in the cart form is a message, not an error page
    response = client.post(
        reverse("portal:cart-add"), {"item_id": neighbour.world.items[0].pk, "quantity": "1"}, follow=True
    )
    assert response.status_code == 200 and "cannot be ordered here" in response.content.decode()
    response = client.post(
        reverse("portal:cart-set"), {"item_id": shop.world.items[0].pk, "quantity": "-5"}, follow=True
    )
    assert "The quantity must be a number" in response.content.decode()
    assert not CartLine.objects.filter(cart__user=shop.retailer).exists()
    rep = signed_in(shop.rep.username)
    assert rep.get(reverse("assistant:customer", args=[neighbour.store.pk])).status_code == 404
    assert rep.get(reverse("assistant:order", args=[foreign_order.pk])).status_code == 404
    assert rep.get(reverse("assistant:stock", args=[neighbour.world.items[0].pk])).status_code == 404


def test_a_rep_finds_a_customer_checks_stock_and_orders_for_it(shop):
    rep = signed_in(shop.rep.username)
    found = rep.get(reverse("assistant:customers"), {"q": "张记"}).content.decode()
    assert f'data-code="{shop.store.code}"' in found and "My customer" in found
    summary = rep.get(reverse("assistant:customer", args=[shop.store.pk])).content.decode()
    assert 'id="balance"' in summary and "This customer has not ordered yet." in summary
    stock = rep.get(reverse("assistant:stock", args=[shop.world.items[0].pk])).content.decode()
    assert f'data-site="{shop.world.shanghai.pk}"' in stock and ">100<" in stock
    item = shop.world.items[0]
    rep.post(reverse("assistant:cart-add", args=[shop.store.pk]), {"item_id": item.pk, "quantity": "4"})
    cart = Cart.objects.get(user=shop.rep, customer=shop.store)
    assert cart.source == "assistant"
    response = rep.post(reverse("assistant:cart-place", args=[shop.store.pk]), {"token": cart.token})
    order = SalesOrder.objects.get()
    assert response["Location"] == reverse("assistant:order", args=[order.pk])
    assert order.source == OrderSource.ASSISTANT and order.customer == shop.store
    summary = rep.get(reverse("assistant:customer", args=[shop.store.pk])).content.decode()
    assert f'data-number="{order.number}"' in summary
    # the store owner sees the order its rep took
    owner = signed_in(shop.retailer.username)
    assert owner.get(reverse("portal:order", args=[order.pk])).status_code == 200


@pytest.fixture
def shipped(shop, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    owner = signed_in(shop.retailer.username)
    order = place(owner, shop)
    shipment = create_shipment(actor=ROOT, order_id=order.pk, data={"tracking_number": "YT998877"})
    return ship_shipment(actor=ROOT, shipment_id=shipment.pk)


def test_the_rep_captures_the_proof_of_delivery(shop, shipped):
    rep = signed_in(shop.rep.username)
    listing = rep.get(reverse("assistant:deliveries")).content.decode()
    assert f'data-number="{shipped.number}"' in listing
    mine = rep.get(reverse("assistant:deliveries"), {"mine": "1"}).content.decode()
    assert f'data-number="{shipped.number}"' in mine
    colleague = signed_in(
        make_user(shop.world.dealer, Role.SALES_REP, username="colleague", password=PASSWORD).username
    )
    assert (
        f'data-number="{shipped.number}"' in colleague.get(reverse("assistant:deliveries")).content.decode()
    )
    theirs = colleague.get(reverse("assistant:deliveries"), {"mine": "1"}).content.decode()
    assert f'data-number="{shipped.number}"' not in theirs and "Nothing to deliver" in theirs
    url = reverse("assistant:capture", args=[shipped.pk])
    form = rep.get(url).content.decode()
    assert 'capture="environment"' in form and 'accept="image/*"' in form
    # no signer: the field says so, nothing is written
    response = rep.post(url, {"signer_name": "", "signed_at": "2026-05-20T10:00"})
    assert response.status_code == 200 and "Who signed for the goods?" in response.content.decode()
    assert not DeliveryProof.objects.exists()
    response = rep.post(
        url,
        {
            "signer_name": "张老板",
            "signed_at": "2026-05-20T10:30",
            "latitude": "30.284085",
            "longitude": "120.155070",
            "accuracy_m": "15",
            "photo": SimpleUploadedFile("note.png", png(), content_type="image/png"),
        },
    )
    assert response.status_code == 302
    proof = DeliveryProof.objects.get()
    assert proof.signer_name == "张老板" and proof.latitude == D("30.284085") and proof.photo
    assert shipped.__class__.objects.get(pk=shipped.pk).state == ShipmentState.DELIVERED
    assert SalesOrder.objects.get().delivery_state == DeliveryState.FULL
    owner = signed_in(shop.retailer.username)
    detail = owner.get(reverse("portal:order", args=[shipped.order_id])).content.decode()
    assert "signed by 张老板" in detail


def test_a_delivery_without_position_still_records(shop, shipped):
    rep = signed_in(shop.rep.username)
    response = rep.post(reverse("assistant:capture", args=[shipped.pk]), {"signer_name": "店员小李"})
    assert response.status_code == 302
    assert DeliveryProof.objects.get().latitude is None


def test_a_bad_photo_is_refused_on_the_page(shop, shipped):
    rep = signed_in(shop.rep.username)
    response = rep.post(
        reverse("assistant:capture", args=[shipped.pk]),
        {"signer_name": "张老板", "photo": SimpleUploadedFile("x.png", b"not an image")},
    )
    assert response.status_code == 200 and 'class="field-error"' in response.content.decode()
    assert not DeliveryProof.objects.exists()


def test_deliveries_are_not_for_retailers_nor_for_other_dealers(shop, shipped):
    owner = signed_in(shop.retailer.username)
    assert owner.get(reverse("assistant:capture", args=[shipped.pk]))["Location"] == reverse("portal:catalog")
    stranger = make_user(make_dealer(), Role.SALES_REP, username="stranger", password=PASSWORD)
    client = signed_in(stranger.username)
    assert client.get(reverse("assistant:capture", args=[shipped.pk])).status_code == 404
    assert (
        f'data-number="{shipped.number}"' not in client.get(reverse("assistant:deliveries")).content.decode()
    )


def test_a_carton_refused_at_the_door_is_delivered_short(shop, shipped):
    rep = signed_in(shop.rep.username)
    url = reverse("assistant:capture", args=[shipped.pk])
    first, second = shipped.lines.order_by("pk")
    too_many = rep.post(url, {"signer_name": "张老板", f"qty-{first.pk}": "5", f"qty-{second.pk}": "1"})
    assert too_many.status_code == 200 and "Deliver from 0 to 2" in too_many.content.decode()
    assert not DeliveryProof.objects.exists()
    response = rep.post(url, {"signer_name": "张老板", f"qty-{first.pk}": "1", f"qty-{second.pk}": "1"})
    assert response.status_code == 302
    order = SalesOrder.objects.get()
    assert order.delivery_state == DeliveryState.PARTIAL
    assert [ln.delivered_quantity for ln in order.lines.order_by("line_no")] == [D("1.000"), D("1.000")]
