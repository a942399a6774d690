"""The catalog console: pages load, lists are scoped, saves go through the services."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from qudao.catalog.models import Barcode, Category, Item, ItemUnit
from qudao.core.models import OutboxEvent
from tests.catalog.factories import (
    make_barcode,
    make_category,
    make_item,
    make_item_unit,
    make_part,
    make_supersession,
    make_vehicle_model,
    unit,
)
from tests.factories import make_user

pytestmark = pytest.mark.django_db

MODELS = ("item", "category", "unitofmeasure", "itemunit", "barcode", "vehiclemodel", "supersession")


@pytest.fixture
def superuser():
    return make_user(is_superuser=True, is_staff=True)


@pytest.fixture
def catalog(dealer):
    """One row of every catalog model."""
    category = make_category(dealer, "DRINKS", name="饮料")
    item = make_item(dealer, sku="COLA-330", name="可乐", category_id=category.pk)
    make_item_unit(item, unit(dealer, "CS"), 24)
    barcode = make_barcode(item, "6901234567892")
    model = make_vehicle_model(dealer, series="海豹")
    old, new = make_part(dealer, "P-OLD"), make_part(dealer, "P-NEW")
    supersession = make_supersession(old, new, date(2024, 1, 1))
    return {
        "item": item,
        "category": category,
        "unitofmeasure": item.base_unit,
        "barcode": barcode,
        "itemunit": ItemUnit.objects.get(item=item, unit__code="CS"),
        "vehiclemodel": model,
        "supersession": supersession,
    }


@pytest.mark.parametrize("model", MODELS)
def test_changelist_change_add_and_history_pages_load(client, superuser, catalog, model):
    client.force_login(superuser)
    obj = catalog[model]
    changelist = client.get(reverse(f"admin:catalog_{model}_changelist"))
    assert changelist.status_code == 200
    assert str(obj).split(" ")[0] in changelist.content.decode()
    assert client.get(reverse(f"admin:catalog_{model}_change", args=[obj.pk])).status_code == 200
    assert client.get(reverse(f"admin:catalog_{model}_add")).status_code == 200
    assert client.get(reverse(f"admin:catalog_{model}_history", args=[obj.pk])).status_code == 200
    assert client.get(reverse(f"admin:catalog_{model}_import")).status_code == 200
    assert client.get(reverse(f"admin:catalog_{model}_export")).status_code == 200


def test_item_search_by_barcode_and_filters(client, superuser, catalog, dealer):
    client.force_login(superuser)
    make_item(dealer, sku="OTHER-1", name="别的")
    url = reverse("admin:catalog_item_changelist")
    page = client.get(url, {"q": "6901234567892"}).content.decode()
    assert "COLA-330" in page and "OTHER-1" not in page
    page = client.get(url, {"kind__exact": "part"}).content.decode()
    assert "P-OLD" in page and "COLA-330" not in page
    page = client.get(url, {"category__id__exact": catalog["category"].pk}).content.decode()
    assert "COLA-330" in page and "P-OLD" not in page


def _staff_of(dealer, *codenames):
    user = make_user(dealer, is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="catalog", codename__in=codenames)
    )
    return user


def test_a_dealer_sees_only_its_own_items(client, dealer, other_dealer):
    make_item(dealer, sku="MINE-1")
    foreign = make_item(other_dealer, sku="THEIRS-1")
    client.force_login(_staff_of(dealer, "view_item", "change_item"))
    page = client.get(reverse("admin:catalog_item_changelist")).content.decode()
    assert "MINE-1" in page and "THEIRS-1" not in page
    assert client.get(reverse("admin:catalog_item_change", args=[foreign.pk])).status_code in (302, 404)


def _item_form(dealer, **overrides):
    data = {
        "dealer": dealer.pk,
        "sku": "ADM-1",
        "name": "控制台商品",
        "kind": "goods",
        "brand": "",
        "category": "",
        "vehicle_model": "",
        "is_active": "on",
        "base_unit": unit(dealer, "EA").pk,
        "tracking": "none",
        "shelf_life_days": "",
        "list_price": "9.90",
        "currency": "CNY",
        "tax_rate": "",
        "attributes": "{}",
        "units-TOTAL_FORMS": "1",
        "units-INITIAL_FORMS": "0",
        "units-MIN_NUM_FORMS": "0",
        "units-MAX_NUM_FORMS": "1000",
        "units-0-unit": unit(dealer, "CS").pk,
        "units-0-factor": "12",
        "units-0-is_purchase_default": "on",
        "barcodes-TOTAL_FORMS": "1",
        "barcodes-INITIAL_FORMS": "0",
        "barcodes-MIN_NUM_FORMS": "0",
        "barcodes-MAX_NUM_FORMS": "1000",
        "barcodes-0-code": "16901234567899",
        "barcodes-0-kind": "gtin14",
        "barcodes-0-unit": unit(dealer, "CS").pk,
    }
    data.update(overrides)
    return data


def test_adding_an_item_in_the_console_uses_the_services(client, dealer):
    user = _staff_of(
        dealer,
        "view_item",
        "add_item",
        "change_item",
        "view_itemunit",
        "add_itemunit",
        "change_itemunit",
        "view_barcode",
        "add_barcode",
        "change_barcode",
        "view_unitofmeasure",
    )
    client.force_login(user)
    response = client.post(reverse("admin:catalog_item_add"), _item_form(dealer))
    assert response.status_code == 302, response.content.decode()[-3000:]
    item = Item.objects.get(sku="ADM-1")
    assert str(item.tax_rate) == "0.1300"  # default by kind, as through the API
    assert sorted(ItemUnit.objects.filter(item=item).values_list("unit__code", "factor")) == [
        ("CS", 12),
        ("EA", 1),
    ]
    barcode = Barcode.objects.get(item=item)
    assert (barcode.unit.code, barcode.normalized, barcode.dealer_id) == ("CS", "16901234567899", dealer.pk)
    event = OutboxEvent.objects.get(topic="catalog.item.created")
    assert (event.payload["item_id"], event.actor_id) == (item.pk, user.pk)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"barcodes-0-code": "16901234567890"}, "Wrong check digit"),
        ({"kind": "vehicle", "tracking": "serial"}, "A vehicle needs a vehicle model."),
        ({"units-0-unit": "EA"}, "The base unit&#x27;s row is created with the item"),
        ({"barcodes-0-unit": "PL"}, "Add this unit to the item"),
        ({"attributes": '{"size": {"w": 1}}'}, "An attribute value is a text, a number or true/false."),
        ({"has_expiry": "on", "tracking": "lot"}, "An item that expires needs a shelf life"),
    ],
)
def test_console_form_errors_are_shown_not_raised(client, superuser, dealer, overrides, message):
    client.force_login(superuser)
    overrides = {
        key: unit(dealer, value).pk if key.endswith("-unit") else value for key, value in overrides.items()
    }
    response = client.post(
        reverse("admin:catalog_item_add"), _item_form(dealer, **overrides), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Item.objects.filter(sku="ADM-1").exists()
    # the same form without the mistake is saved
    response = client.post(reverse("admin:catalog_item_add"), _item_form(dealer), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302


def test_category_saved_in_the_console_gets_its_path(client, superuser, dealer):
    client.force_login(superuser)
    parent = make_category(dealer, "DRINKS")
    response = client.post(
        reverse("admin:catalog_category_add"),
        {"dealer": dealer.pk, "code": "JUICE", "name": "果汁", "parent": parent.pk, "sort_order": "0"},
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    child = Category.objects.get(code="JUICE")
    assert child.path == f"/{parent.pk}/{child.pk}/"
    response = client.post(
        reverse("admin:catalog_category_change", args=[parent.pk]),
        {"dealer": dealer.pk, "code": "DRINKS", "name": "饮料", "parent": child.pk, "sort_order": "0"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200  # a loop: shown as a form error
    assert "cannot be moved under itself" in response.content.decode()
    assert Category.objects.get(pk=parent.pk).parent_id is None


def test_deactivate_action(client, superuser, dealer):
    client.force_login(superuser)
    item = make_item(dealer)
    response = client.post(
        reverse("admin:catalog_item_changelist"), {"action": "deactivate", "_selected_action": [item.pk]}
    )
    assert response.status_code == 302
    assert Item.objects.get(pk=item.pk).is_active is False


def test_moving_the_purchase_default_in_one_submission(client, superuser, dealer):
    client.force_login(superuser)
    item = make_item(dealer, sku="MOVE-1")
    case = make_item_unit(item, unit(dealer, "CS"), 24, is_purchase_default=True)
    base_row = ItemUnit.objects.get(item=item, unit=item.base_unit)
    data = {
        "dealer": dealer.pk,
        "sku": "MOVE-1",
        "name": item.name,
        "kind": "goods",
        "brand": "",
        "category": "",
        "vehicle_model": "",
        "is_active": "on",
        "tracking": "none",
        "shelf_life_days": "",
        "list_price": "",
        "currency": "CNY",
        "tax_rate": "0.1300",
        "attributes": "{}",
        "units-TOTAL_FORMS": "3",
        "units-INITIAL_FORMS": "2",
        "units-MIN_NUM_FORMS": "0",
        "units-MAX_NUM_FORMS": "1000",
        "units-0-id": base_row.pk,
        "units-0-item": item.pk,
        "units-0-unit": base_row.unit_id,
        "units-0-factor": "1",
        "units-1-id": case.pk,
        "units-1-item": item.pk,
        "units-1-unit": case.unit_id,
        "units-1-factor": "24",
        "units-2-item": item.pk,
        "units-2-unit": unit(dealer, "PK").pk,
        "units-2-factor": "6",
        "units-2-is_purchase_default": "on",
        "barcodes-TOTAL_FORMS": "0",
        "barcodes-INITIAL_FORMS": "0",
        "barcodes-MIN_NUM_FORMS": "0",
        "barcodes-MAX_NUM_FORMS": "1000",
    }
    response = client.post(reverse("admin:catalog_item_change", args=[item.pk]), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert list(
        ItemUnit.objects.filter(item=item, is_purchase_default=True).values_list("unit__code", flat=True)
    ) == ["PK"]
