"""Categories, units, item units, barcodes, vehicle models and supersessions through the API."""

from datetime import date

import pytest
from django.utils import timezone

from qudao.catalog.models import Barcode, Category, ItemUnit, Supersession, UnitOfMeasure
from tests.catalog.factories import (
    make_barcode,
    make_category,
    make_item,
    make_item_unit,
    make_part,
    make_supersession,
    make_unit,
    make_vehicle_model,
    unit,
)
from tests.factories import make_brand

pytestmark = pytest.mark.django_db
URL = "/api/v1/catalog"


def _fields(response) -> dict[str, str]:
    return {d["field"]: d.get("code", d.get("type")) for d in response.json()["details"]}


# --- categories ----------------------------------------------------------------------------------


def test_category_create_list_tree_and_move(api, dealer):
    drinks = api.post(f"{URL}/categories", {"code": "DRINKS", "name": "饮料", "sort_order": 1}).json()
    food = api.post(f"{URL}/categories", {"code": "FOOD", "name": "食品", "sort_order": 0}).json()
    response = api.post(f"{URL}/categories", {"code": "JUICE", "name": "果汁", "parent_id": drinks["id"]})
    assert response.status_code == 201, response.content
    juice = response.json()
    assert (juice["dealer_id"], juice["path"], juice["depth"]) == (
        dealer.pk,
        f"/{drinks['id']}/{juice['id']}/",
        2,
    )

    listed = api.get(f"{URL}/categories", {"ordering": "code"}).json()
    assert [c["code"] for c in listed["items"]] == ["DRINKS", "FOOD", "JUICE"]
    assert [c["code"] for c in api.get(f"{URL}/categories", {"roots_only": True}).json()["items"]] == [
        "DRINKS",
        "FOOD",
    ]
    assert [c["code"] for c in api.get(f"{URL}/categories", {"parent_id": drinks["id"]}).json()["items"]] == [
        "JUICE"
    ]

    tree = api.get(f"{URL}/categories/tree").json()
    assert [(n["code"], [c["code"] for c in n["children"]]) for n in tree] == [
        ("FOOD", []),
        ("DRINKS", ["JUICE"]),
    ]

    moved = api.patch(f"{URL}/categories/{juice['id']}", {"parent_id": food["id"], "name": "鲜果汁"})
    assert moved.status_code == 200, moved.content
    assert (moved.json()["path"], moved.json()["name"]) == (f"/{food['id']}/{juice['id']}/", "鲜果汁")
    to_root = api.patch(f"{URL}/categories/{juice['id']}", {"parent_id": None})
    assert to_root.json()["path"] == f"/{juice['id']}/"
    assert api.get(f"{URL}/categories/{juice['id']}").json()["parent_id"] is None


def test_category_errors(api, dealer, other_dealer):
    parent = make_category(dealer, "DRINKS")
    child = make_category(dealer, "JUICE", parent=parent)
    response = api.patch(f"{URL}/categories/{parent.pk}", {"parent_id": child.pk})
    assert (response.status_code, response.json()["code"]) == (422, "category_cycle")
    assert _fields(response) == {"parent_id": "category_cycle"}
    response = api.post(f"{URL}/categories", {"code": "DRINKS", "name": "again"})
    assert (response.status_code, response.json()["code"]) == (409, "duplicate")
    response = api.post(f"{URL}/categories", {"code": "has space", "name": "x"})
    assert (response.status_code, list(_fields(response))) == (422, ["code"])
    response = api.post(f"{URL}/categories", {"code": "X", "name": "x", "sort_order": -1})
    assert response.status_code == 422
    foreign = make_category(other_dealer)
    response = api.post(f"{URL}/categories", {"code": "X", "name": "x", "parent_id": foreign.pk})
    assert (response.status_code, _fields(response)) == (422, {"parent_id": "unknown"})
    assert api.get(f"{URL}/categories/{foreign.pk}").status_code == 404
    assert api.patch(f"{URL}/categories/{foreign.pk}", {"name": "mine"}).status_code == 404
    assert api.get(f"{URL}/categories/tree", {"root_id": foreign.pk}).status_code == 404
    assert Category.objects.get(pk=foreign.pk).name != "mine"


# --- units ---------------------------------------------------------------------------------------


def test_units(api, dealer, other_dealer):
    response = api.post(f"{URL}/units", {"code": "KG", "name": "千克", "decimal_places": 3, "kind": "mass"})
    assert response.status_code == 201, response.content
    assert (response.json()["code"], response.json()["decimal_places"]) == ("KG", 3)
    api.post(f"{URL}/units", {"code": "EA", "name": "个"})
    make_unit(other_dealer, "PL")
    assert [u["code"] for u in api.get(f"{URL}/units").json()["items"]] == ["EA", "KG"]
    assert [u["code"] for u in api.get(f"{URL}/units", {"kind": "mass"}).json()["items"]] == ["KG"]
    assert api.post(f"{URL}/units", {"code": "KG", "name": "again"}).json()["code"] == "duplicate"
    response = api.post(f"{URL}/units", {"code": "G", "name": "克", "decimal_places": 4})
    assert (response.status_code, list(_fields(response))) == (422, ["decimal_places"])
    assert api.post(f"{URL}/units", {"code": "L", "name": "升", "kind": "area"}).status_code == 422
    assert UnitOfMeasure.objects.filter(dealer=dealer).count() == 2


# --- item units ----------------------------------------------------------------------------------


def test_item_units(api, dealer, other_dealer):
    item = make_item(dealer)
    case = unit(dealer, "CS")
    response = api.post(
        f"{URL}/items/{item.pk}/units", {"unit_id": case.pk, "factor": "24", "is_sales_default": True}
    )
    assert response.status_code == 201, response.content
    row = response.json()
    assert (row["unit_code"], row["factor"], row["is_base"], row["is_sales_default"]) == (
        "CS",
        "24.000000",
        False,
        True,
    )
    response = api.patch(f"{URL}/items/{item.pk}/units/{row['id']}", {"factor": "12.5"})
    assert (response.status_code, response.json()["factor"]) == (200, "12.500000")

    for factor in ("0", "-6", "abc", "1.1234567"):
        response = api.post(
            f"{URL}/items/{item.pk}/units", {"unit_id": unit(dealer, "PK").pk, "factor": factor}
        )
        assert (response.status_code, list(_fields(response))) == (422, ["factor"]), factor
    response = api.post(
        f"{URL}/items/{item.pk}/units", {"unit_id": unit(other_dealer, "PK").pk, "factor": "6"}
    )
    assert (response.status_code, _fields(response)) == (422, {"unit_id": "unknown"})
    response = api.post(f"{URL}/items/{item.pk}/units", {"unit_id": case.pk, "factor": "6"})
    assert (response.status_code, response.json()["code"]) == (409, "duplicate")
    base_row = ItemUnit.objects.get(item=item, unit=item.base_unit)
    response = api.patch(f"{URL}/items/{item.pk}/units/{base_row.pk}", {"factor": "2"})
    assert (response.status_code, response.json()["code"]) == (422, "base_unit_fixed")
    other_item = make_item(dealer)
    assert api.patch(f"{URL}/items/{other_item.pk}/units/{row['id']}", {"factor": "2"}).status_code == 404


# --- barcodes ------------------------------------------------------------------------------------


def test_barcodes_add_lookup_delete(api, dealer):
    item = make_item(dealer, sku="COLA")
    make_item_unit(item, unit(dealer, "CS"), 24)
    response = api.post(f"{URL}/items/{item.pk}/barcodes", {"code": "6901234567892"})
    assert response.status_code == 201, response.content
    assert (response.json()["kind"], response.json()["unit_code"]) == ("ean13", "EA")
    case = api.post(
        f"{URL}/items/{item.pk}/barcodes",
        {"code": "16901234567899", "kind": "gtin14", "unit_id": unit(dealer, "CS").pk},
    ).json()
    api.post(f"{URL}/items/{item.pk}/barcodes", {"code": "PN/4711", "kind": "code128"})

    found = api.get(f"{URL}/barcodes/16901234567899")
    assert found.status_code == 200, found.content
    body = found.json()
    assert (body["item"]["sku"], body["unit_code"], body["factor"]) == ("COLA", "CS", "24.000000")
    assert api.get(f"{URL}/barcodes/6901234567892").json()["factor"] == "1.000000"
    assert api.get(f"{URL}/barcodes/PN/4711").json()["item"]["id"] == item.pk
    missing = api.get(f"{URL}/barcodes/4006381333931")
    assert (missing.status_code, missing.json()["code"]) == (404, "barcode_not_found")

    assert api.delete(f"{URL}/items/{item.pk}/barcodes/{case['id']}").status_code == 204
    assert not Barcode.objects.filter(pk=case["id"]).exists()
    assert api.delete(f"{URL}/items/{item.pk}/barcodes/{case['id']}").status_code == 404


def test_barcode_errors(api, dealer):
    item = make_item(dealer)
    response = api.post(f"{URL}/items/{item.pk}/barcodes", {"code": "6901234567891"})
    assert (response.status_code, response.json()["code"]) == (422, "invalid_barcode")
    assert _fields(response) == {"code": "invalid_barcode"}
    response = api.post(f"{URL}/items/{item.pk}/barcodes", {"code": "6901234567892", "kind": "ean8"})
    assert (response.status_code, response.json()["code"]) == (422, "invalid_barcode")
    assert api.post(f"{URL}/items/{item.pk}/barcodes", {"code": "X", "kind": "pdf417"}).status_code == 422
    assert api.post(f"{URL}/items/{item.pk}/barcodes", {"code": "9" * 129}).status_code == 422
    response = api.post(
        f"{URL}/items/{item.pk}/barcodes", {"code": "4006381333931", "unit_id": make_unit(dealer, "PL").pk}
    )
    assert (response.status_code, response.json()["code"]) == (422, "unit_not_convertible")
    make_barcode(make_item(dealer), "4006381333931")
    response = api.post(f"{URL}/items/{item.pk}/barcodes", {"code": "4006381333931"})
    assert (response.status_code, response.json()["code"], _fields(response)) == (
        409,
        "duplicate",
        {"code": "duplicate"},
    )
    assert Barcode.objects.filter(item=item).count() == 0


# --- vehicle models ------------------------------------------------------------------------------


def test_vehicle_models(api, dealer, other_dealer):
    brand = make_brand(name="比亚迪")
    body = {
        "brand_id": brand.pk,
        "series": "汉",
        "model_year": 2025,
        "trim": "EV 荣耀版",
        "powertrain": "bev",
        "msrp": "209800.00",
    }
    response = api.post(f"{URL}/vehicle-models", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["series"], created["msrp"], created["currency"]) == ("汉", "209800.00", "CNY")
    assert api.post(f"{URL}/vehicle-models", body).json()["code"] == "duplicate"
    api.post(f"{URL}/vehicle-models", {**body, "powertrain": "phev", "trim": "DM-i"})
    make_vehicle_model(other_dealer, brand=brand)

    assert api.get(f"{URL}/vehicle-models").json()["count"] == 2
    assert [m["trim"] for m in api.get(f"{URL}/vehicle-models", {"powertrain": "phev"}).json()["items"]] == [
        "DM-i"
    ]
    assert api.get(f"{URL}/vehicle-models", {"brand_id": brand.pk, "model_year": 2024}).json()["count"] == 0

    response = api.patch(f"{URL}/vehicle-models/{created['id']}", {"msrp": "199800", "is_active": False})
    assert (response.status_code, response.json()["msrp"], response.json()["is_active"]) == (
        200,
        "199800.00",
        False,
    )
    for bad in ({"model_year": 1800}, {"powertrain": "steam"}, {"msrp": "-1"}, {"series": ""}):
        response = api.post(f"{URL}/vehicle-models", {**body, **bad})
        assert (response.status_code, list(_fields(response))) == (422, list(bad)), bad
    response = api.post(f"{URL}/vehicle-models", {**body, "brand_id": dealer.pk, "trim": "x"})
    assert (response.status_code, _fields(response)) == (422, {"brand_id": "not_a_brand"})
    response = api.post(f"{URL}/vehicle-models", {**body, "brand_id": 99999999, "trim": "y"})
    assert (response.status_code, _fields(response)) == (422, {"brand_id": "unknown"})
    foreign = make_vehicle_model(other_dealer, series="秦")
    assert api.get(f"{URL}/vehicle-models/{foreign.pk}").status_code == 404
    assert api.patch(f"{URL}/vehicle-models/{foreign.pk}", {"trim": "x"}).status_code == 404


# --- supersessions -------------------------------------------------------------------------------


def test_supersessions_and_current_part(api, dealer):
    a, b, c = (make_part(dealer, sku) for sku in ("A-100", "B-200", "C-300"))
    response = api.post(
        f"{URL}/supersessions",
        {
            "old_item_id": a.pk,
            "new_item_id": b.pk,
            "effective_from": "2024-01-01",
            "factor": "2",
            "note": "改型",
        },
    )
    assert response.status_code == 201, response.content
    assert (response.json()["old_sku"], response.json()["new_sku"], response.json()["factor"]) == (
        "A-100",
        "B-200",
        "2.000000",
    )
    make_supersession(b, c, date(2025, 7, 1))

    listed = api.get(f"{URL}/supersessions", {"item_id": b.pk}).json()
    assert [(s["old_sku"], s["new_sku"]) for s in listed["items"]] == [("A-100", "B-200"), ("B-200", "C-300")]

    response = api.get(f"{URL}/items/{a.pk}/current-part", {"on": "2024-06-30"})
    assert response.status_code == 200, response.content
    assert (response.json()["current"]["sku"], response.json()["factor"], response.json()["chain"]) == (
        "B-200",
        "2.000000",
        [a.pk, b.pk],
    )
    assert (
        api.get(f"{URL}/items/{a.pk}/current-part", {"on": "2023-01-01"}).json()["current"]["sku"] == "A-100"
    )
    today = api.get(f"{URL}/items/{a.pk}/current-part").json()
    assert today["on"] == timezone.localdate().isoformat() and today["current"]["sku"] == "C-300"
    assert api.get(f"{URL}/items/{a.pk}/current-part", {"on": "2024-13-01"}).status_code == 422


def test_supersession_errors(api, dealer, other_dealer):
    a, b = make_part(dealer, "A"), make_part(dealer, "B")
    make_supersession(a, b, date(2024, 1, 1))
    response = api.post(
        f"{URL}/supersessions", {"old_item_id": b.pk, "new_item_id": a.pk, "effective_from": "2030-01-01"}
    )
    assert (response.status_code, response.json()["code"]) == (422, "supersession_cycle")
    assert _fields(response) == {"new_item_id": "supersession_cycle"}
    response = api.post(
        f"{URL}/supersessions", {"old_item_id": a.pk, "new_item_id": a.pk, "effective_from": "2030-01-01"}
    )
    assert response.json()["code"] == "supersession_cycle"
    goods = make_item(dealer)
    response = api.post(
        f"{URL}/supersessions", {"old_item_id": goods.pk, "new_item_id": b.pk, "effective_from": "2030-01-01"}
    )
    assert (response.status_code, _fields(response)) == (422, {"old_item_id": "not_a_part"})
    foreign = make_part(other_dealer)
    response = api.post(
        f"{URL}/supersessions",
        {"old_item_id": b.pk, "new_item_id": foreign.pk, "effective_from": "2030-01-01"},
    )
    assert (response.status_code, _fields(response)) == (422, {"new_item_id": "unknown"})
    for bad in ({"factor": "0"}, {"effective_from": "soon"}, {"note": "n" * 501}):
        body = {
            "old_item_id": b.pk,
            "new_item_id": make_part(dealer).pk,
            "effective_from": "2030-01-01",
            **bad,
        }
        response = api.post(f"{URL}/supersessions", body)
        assert (response.status_code, list(_fields(response))) == (422, list(bad)), bad
    response = api.post(
        f"{URL}/supersessions",
        {"old_item_id": a.pk, "new_item_id": make_part(dealer).pk, "effective_from": "2024-01-01"},
    )
    assert (response.status_code, response.json()["code"]) == (409, "duplicate")
    assert Supersession.objects.count() == 1
