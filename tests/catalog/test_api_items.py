"""Items API: happy paths, every validation error with its code, data scopes, API-key scopes."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qudao.catalog.models import Item, ItemKind
from qudao.core.models import OutboxEvent
from tests.catalog.factories import (
    make_barcode,
    make_category,
    make_item,
    make_item_unit,
    make_supersession,
    make_unit,
    make_vehicle_model,
    unit,
)
from tests.factories import ApiClient, make_brand, make_dealership, make_user

pytestmark = pytest.mark.django_db
URL = "/api/v1/catalog"


def _fields(response) -> dict[str, str]:
    return {d["field"]: d.get("code", d.get("type")) for d in response.json()["details"]}


@pytest.fixture
def each(dealer):
    return unit(dealer, "EA")


def test_create_item_with_defaults(api, dealer, each):
    response = api.post(
        f"{URL}/items",
        {
            "sku": "COLA-330",
            "name": "可乐 330ml",
            "kind": "goods",
            "base_unit_id": each.pk,
            "attributes": {"volume_ml": 330},
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["dealer_id"] == dealer.pk
    assert (body["sku"], body["kind"], body["tracking"], body["tax_rate"]) == (
        "COLA-330",
        "goods",
        "none",
        "0.1300",
    )
    assert body["base_unit_code"] == "EA" and body["attributes"] == {"volume_ml": 330}
    assert [(u["unit_code"], u["factor"], u["is_base"]) for u in body["units"]] == [("EA", "1.000000", True)]
    assert body["barcodes"] == []
    assert OutboxEvent.objects.filter(topic="catalog.item.created", payload__item_id=body["id"]).count() == 1


def test_create_service_and_vehicle(api, dealer, each):
    service = api.post(
        f"{URL}/items",
        {"sku": "LAB-1", "name": "保养工时", "kind": "service", "base_unit_id": unit(dealer, "H").pk},
    )
    assert (service.status_code, service.json()["tax_rate"]) == (201, "0.0600")
    model = make_vehicle_model(dealer)
    vehicle = api.post(
        f"{URL}/items",
        {
            "sku": "MY-2025",
            "name": "Model Y 2025",
            "kind": "vehicle",
            "base_unit_id": each.pk,
            "vehicle_model_id": model.pk,
        },
    )
    assert vehicle.status_code == 201, vehicle.content
    assert (vehicle.json()["tracking"], vehicle.json()["brand_id"]) == ("serial", model.brand_id)


def test_vehicle_without_model_is_422(api, each):
    response = api.post(f"{URL}/items", {"sku": "V", "name": "V", "kind": "vehicle", "base_unit_id": each.pk})
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert _fields(response) == {"vehicle_model_id": "item_rule"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "car"}, "kind"),
        ({"sku": "x" * 65}, "sku"),
        ({"sku": ""}, "sku"),
        ({"name": "n" * 201}, "name"),
        ({"tax_rate": "abc"}, "tax_rate"),
        ({"tax_rate": "1.5"}, "tax_rate"),
        ({"tax_rate": "0.12345"}, "tax_rate"),
        ({"list_price": "-1"}, "list_price"),
        ({"shelf_life_days": 0}, "shelf_life_days"),
        ({"currency": "yuan"}, "currency"),
        ({"base_unit_id": "one"}, "base_unit_id"),
        ({"base_unit_id": 0}, "base_unit_id"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_input_is_422_naming_the_field(api, each, change, field):
    body = {"sku": "S", "name": "N", "kind": "goods", "base_unit_id": each.pk, **change}
    response = api.post(f"{URL}/items", body)
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "validation_error"
    assert field in _fields(response)
    assert not Item.objects.exists()


def test_attributes_must_be_flat(api, each):
    response = api.post(
        f"{URL}/items",
        {"sku": "S", "name": "N", "kind": "goods", "base_unit_id": each.pk, "attributes": {"dims": {"w": 1}}},
    )
    assert response.status_code == 422
    assert _fields(response) == {"attributes": "invalid_attribute"}


def test_unknown_and_foreign_ids_in_the_body_are_422(api, other_dealer, each):
    foreign_category = make_category(other_dealer)
    response = api.post(
        f"{URL}/items",
        {
            "sku": "S",
            "name": "N",
            "kind": "goods",
            "base_unit_id": 987654,
            "category_id": foreign_category.pk,
            "brand_id": 876543,
        },
    )
    assert response.status_code == 422
    assert _fields(response) == {"base_unit_id": "unknown", "category_id": "unknown", "brand_id": "unknown"}
    response = api.post(
        f"{URL}/items", {"sku": "S", "name": "N", "kind": "goods", "base_unit_id": unit(other_dealer).pk}
    )
    assert (response.status_code, _fields(response)) == (422, {"base_unit_id": "unknown"})
    response = api.post(
        f"{URL}/items",
        {"sku": "S", "name": "N", "kind": "goods", "base_unit_id": each.pk, "dealer_id": other_dealer.pk},
    )
    assert (response.status_code, _fields(response)) == (422, {"dealer_id": "unknown"})


def test_a_company_that_is_not_a_brand_is_422(api, other_dealer, each):
    response = api.post(
        f"{URL}/items",
        {"sku": "S", "name": "N", "kind": "goods", "base_unit_id": each.pk, "brand_id": make_brand().pk},
    )
    assert response.status_code == 201
    response = api.post(
        f"{URL}/items",
        {
            "sku": "S2",
            "name": "N",
            "kind": "goods",
            "base_unit_id": each.pk,
            "brand_id": api.user.memberships.get().company_id,
        },
    )
    assert (response.status_code, _fields(response)) == (422, {"brand_id": "not_a_brand"})


def test_duplicate_sku_is_409(api, dealer, each):
    make_item(dealer, sku="DUP")
    response = api.post(f"{URL}/items", {"sku": "DUP", "name": "N", "kind": "goods", "base_unit_id": each.pk})
    assert response.status_code == 409
    assert response.json()["code"] == "duplicate" and _fields(response) == {"sku": "duplicate"}


def test_get_item_with_units_and_barcodes(api, dealer):
    item = make_item(dealer, sku="COLA")
    make_item_unit(item, unit(dealer, "CS"), 24)
    make_barcode(item, "6901234567892")
    response = api.get(f"{URL}/items/{item.pk}")
    assert response.status_code == 200
    body = response.json()
    assert [(u["unit_code"], u["factor"]) for u in body["units"]] == [("EA", "1.000000"), ("CS", "24.000000")]
    assert [(b["code"], b["kind"], b["unit_code"]) for b in body["barcodes"]] == [
        ("6901234567892", "ean13", "EA")
    ]


def test_list_filters_search_and_ordering(api, dealer, other_dealer):
    brand = make_brand()
    drinks = make_category(dealer, "DRINKS")
    juice = make_category(dealer, "JUICE", parent=drinks)
    cola = make_item(dealer, sku="B-COLA", name="可乐", category_id=drinks.pk, brand_id=brand.pk)
    orange = make_item(dealer, sku="A-OJ", name="橙汁", category_id=juice.pk)
    part = make_item(dealer, sku="C-FILTER", name="机油滤清器", kind=ItemKind.PART)
    make_barcode(orange, "4006381333931")
    make_item(other_dealer, sku="Z-FOREIGN")

    def skus(**params):
        response = api.get(f"{URL}/items", params)
        assert response.status_code == 200, response.content
        return [row["sku"] for row in response.json()["items"]]

    assert skus() == ["A-OJ", "B-COLA", "C-FILTER"]
    assert skus(ordering="-sku") == ["C-FILTER", "B-COLA", "A-OJ"]
    assert skus(kind="part") == ["C-FILTER"]
    assert skus(brand_id=brand.pk) == ["B-COLA"]
    assert skus(category_id=drinks.pk) == ["A-OJ", "B-COLA"]
    assert skus(category_id=juice.pk) == ["A-OJ"]
    assert skus(q="可乐") == ["B-COLA"]
    assert skus(q="filter") == ["C-FILTER"]
    assert skus(q="4006381333931") == ["A-OJ"]
    api.post(f"{URL}/items/{part.pk}/deactivate")
    assert skus(is_active="false") == ["C-FILTER"]
    assert skus(is_active="true") == ["A-OJ", "B-COLA"]
    page = api.get(f"{URL}/items", {"page_size": 2, "page": 2}).json()
    assert (page["count"], page["page"], [r["sku"] for r in page["items"]]) == (3, 2, ["C-FILTER"])
    assert cola.pk != orange.pk


def test_list_refuses_bad_filters(api, other_dealer):
    assert _fields(api.get(f"{URL}/items", {"ordering": "dealer"})) == {"ordering": None}
    assert api.get(f"{URL}/items", {"kind": "car"}).status_code == 422
    assert api.get(f"{URL}/items", {"page_size": 1000}).status_code == 422
    assert api.get(f"{URL}/items", {"q": "x" * 129}).status_code == 422
    assert api.get(f"{URL}/items", {"brand_id": "9" * 25}).status_code == 422
    assert api.get(f"{URL}/supersessions", {"item_id": 0}).status_code == 422
    foreign = make_category(other_dealer)
    response = api.get(f"{URL}/items", {"category_id": foreign.pk})
    assert (response.status_code, _fields(response)) == (422, {"category_id": "unknown"})


def test_list_items_query_count(api, dealer, django_assert_max_num_queries):
    for _ in range(5):
        make_item(dealer)
    with django_assert_max_num_queries(12):
        response = api.get(f"{URL}/items")
    assert len(response.json()["items"]) == 5


def test_patch_item(api, dealer):
    item = make_item(dealer, sku="P-1", name="旧名")
    response = api.patch(f"{URL}/items/{item.pk}", {"name": "新名", "list_price": "12.5"})
    assert response.status_code == 200, response.content
    assert (response.json()["name"], response.json()["list_price"]) == ("新名", "12.5000")
    event = OutboxEvent.objects.get(topic="catalog.item.updated")
    assert event.payload["changed"] == ["list_price", "name"]
    assert api.patch(f"{URL}/items/{item.pk}", {"base_unit_id": 1}).status_code == 422  # not patchable
    assert api.patch(f"{URL}/items/{item.pk}", {"name": None}).status_code == 422
    make_item(dealer, sku="P-2")
    assert api.patch(f"{URL}/items/{item.pk}", {"sku": "P-2"}).json()["code"] == "duplicate"


def test_deactivate(api, dealer):
    item = make_item(dealer)
    response = api.post(f"{URL}/items/{item.pk}/deactivate")
    assert (response.status_code, response.json()["is_active"]) == (200, False)


def test_another_dealers_item_is_404_everywhere(api, other_dealer):
    item = make_item(other_dealer)
    row = make_item_unit(item, make_unit(other_dealer, "CS"), 12)
    barcode = make_barcode(item, "6901234567892")
    for response in (
        api.get(f"{URL}/items/{item.pk}"),
        api.patch(f"{URL}/items/{item.pk}", {"name": "mine"}),
        api.post(f"{URL}/items/{item.pk}/deactivate"),
        api.post(f"{URL}/items/{item.pk}/units", {"unit_id": row.unit_id, "factor": "6"}),
        api.patch(f"{URL}/items/{item.pk}/units/{row.pk}", {"factor": "6"}),
        api.post(f"{URL}/items/{item.pk}/barcodes", {"code": "4006381333931"}),
        api.delete(f"{URL}/items/{item.pk}/barcodes/{barcode.pk}"),
        api.get(f"{URL}/items/{item.pk}/current-part"),
        api.get(f"{URL}/barcodes/6901234567892"),
        api.get(f"{URL}/items/99999999999999999999"),
    ):
        assert response.status_code == 404, response.content
        assert response.json()["code"] in {"not_found", "barcode_not_found"}
    assert Item.objects.get(pk=item.pk).is_active is True


def test_api_key_scopes_and_role_permissions(admin_user, dealer, each):
    read_only = ApiClient(admin_user, scopes=("catalog:read",))
    assert read_only.get(f"{URL}/items").status_code == 200
    response = read_only.post(
        f"{URL}/items", {"sku": "S", "name": "N", "kind": "goods", "base_unit_id": each.pk}
    )
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert response.json()["details"] == {"scope": "catalog:write"}
    assert ApiClient(admin_user, scopes=("parties:read",)).get(f"{URL}/items").status_code == 403

    technician = ApiClient(make_user(dealer, role="technician"))
    assert technician.get(f"{URL}/items").status_code == 200
    response = technician.post(
        f"{URL}/items", {"sku": "S", "name": "N", "kind": "goods", "base_unit_id": each.pk}
    )
    assert (response.status_code, response.json()["details"]) == (403, {"permission": "catalog.add_item"})
    assert not Item.objects.exists()


def test_anonymous_is_401(client, db):
    response = client.get(f"{URL}/items")
    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")


def test_item_list_and_detail_do_not_grow_with_rows(api, dealer):
    def queries(path):
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(path).status_code == 200
        return len(ctx.captured_queries)

    item = make_item(dealer)
    make_item_unit(item, unit(dealer, "CS"), 24)
    make_barcode(item, "6901234567892")
    queries(f"{URL}/items")  # warm up: the first call of a key also records its use
    few_list, few_detail = queries(f"{URL}/items"), queries(f"{URL}/items/{item.pk}")
    for n in range(6):
        make_item(dealer)
        make_item_unit(item, make_unit(dealer, f"U{n}"), n + 2)
    make_barcode(item, "4006381333931")
    assert queries(f"{URL}/items") == few_list
    assert queries(f"{URL}/items/{item.pk}") == few_detail


def test_a_brand_reads_its_dealers_catalog_but_does_not_write_it(dealer, other_dealer):
    brand = make_brand()
    make_dealership(brand, dealer)
    item = make_item(dealer, sku="AUTHORISED")
    make_item(other_dealer, sku="NOT-AUTHORISED")
    brand_api = ApiClient(make_user(brand, role="brand_manager"))
    assert [row["sku"] for row in brand_api.get(f"{URL}/items").json()["items"]] == ["AUTHORISED"]
    assert brand_api.get(f"{URL}/items/{item.pk}").status_code == 200
    assert brand_api.patch(f"{URL}/items/{item.pk}", {"name": "brand edit"}).status_code == 404
    assert Item.objects.get(pk=item.pk).name != "brand edit"


def test_lists_show_only_the_callers_dealer(api, dealer, other_dealer):
    for owner in (dealer, other_dealer):
        make_category(owner, f"C-{owner.pk}")
        make_vehicle_model(owner)
        old, new = make_item(owner, kind=ItemKind.PART), make_item(owner, kind=ItemKind.PART)
        make_supersession(old, new, date(2024, 1, 1))
    for path in ("categories", "units", "vehicle-models", "supersessions", "items"):
        rows = api.get(f"{URL}/{path}").json()["items"]
        assert rows and {row["dealer_id"] for row in rows} == {dealer.pk}, path
    assert {n["dealer_id"] for n in api.get(f"{URL}/categories/tree").json()} == {dealer.pk}
