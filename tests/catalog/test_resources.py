"""Excel/CSV import and export with natural keys, through the catalog services."""

from datetime import date

import pytest
import tablib

from qudao.catalog.models import Barcode, Category, Item, ItemUnit, Supersession, UnitOfMeasure, VehicleModel
from qudao.catalog.resources import (
    BarcodeResource,
    CategoryResource,
    ItemResource,
    ItemUnitResource,
    SupersessionResource,
    UnitOfMeasureResource,
    VehicleModelResource,
)
from qudao.core.models import OutboxEvent
from qudao.core.scoping import build_actor
from tests.catalog.factories import ROOT, make_category, make_item, make_part, unit
from tests.factories import make_brand

pytestmark = pytest.mark.django_db


def _import(resource, headers, *rows, dry_run=False):
    dataset = tablib.Dataset(*rows, headers=headers)
    return resource.import_data(dataset, dry_run=dry_run, raise_errors=False)


def _row_errors(result) -> list[str]:
    messages = [str(e.error) for row in result.rows for e in row.errors]
    messages += [str(row.error) for row in result.invalid_rows]
    return messages


def test_import_units_categories_and_items_by_code(dealer, admin_user):
    actor = build_actor(admin_user)
    brand = make_brand(code="BYD")
    result = _import(
        UnitOfMeasureResource(actor=actor),
        ["dealer", "code", "name", "decimal_places", "kind"],
        (dealer.code, "EA", "个", 0, "count"),
        (dealer.code, "KG", "千克", 3, "mass"),
    )
    assert not result.has_errors() and not result.has_validation_errors(), _row_errors(result)
    result = _import(
        CategoryResource(actor=actor),
        ["dealer", "code", "name", "parent", "sort_order"],
        (dealer.code, "DRINKS", "饮料", "", 0),
        (dealer.code, "JUICE", "果汁", "DRINKS", 1),
    )
    assert not result.has_errors() and not result.has_validation_errors(), _row_errors(result)
    juice = Category.objects.get(code="JUICE")
    assert juice.path == f"/{juice.parent_id}/{juice.pk}/"

    headers = [
        "dealer",
        "sku",
        "name",
        "kind",
        "brand",
        "category",
        "base_unit",
        "tracking",
        "has_expiry",
        "shelf_life_days",
        "tax_rate",
        "list_price",
        "currency",
        "attributes",
        "vehicle_model",
        "is_active",
    ]
    result = _import(
        ItemResource(actor=actor),
        headers,
        (
            dealer.code,
            "OJ-1L",
            "橙汁 1L",
            "goods",
            "BYD",
            "JUICE",
            "EA",
            "lot",
            1,
            270,
            "",
            "12.50",
            "CNY",
            '{"volume_ml": 1000}',
            "",
            1,
        ),
        (dealer.code, "RICE", "大米", "goods", "", "", "KG", "none", 0, "", "0.0900", "", "CNY", "", "", 1),
    )
    assert not result.has_errors() and not result.has_validation_errors(), _row_errors(result)
    juice_item = Item.objects.get(sku="OJ-1L")
    assert (juice_item.brand_id, juice_item.category_id, juice_item.base_unit.code) == (
        brand.pk,
        juice.pk,
        "EA",
    )
    assert (str(juice_item.tax_rate), juice_item.shelf_life_days, juice_item.attributes) == (
        "0.1300",
        270,
        {"volume_ml": 1000},
    )
    assert str(Item.objects.get(sku="RICE").tax_rate) == "0.0900"
    assert ItemUnit.objects.filter(item=juice_item, unit__code="EA", factor=1).exists()
    assert OutboxEvent.objects.filter(topic="catalog.item.created").count() == 2


def test_import_refuses_rows_of_another_dealer_and_bad_rows(dealer, other_dealer, admin_user):
    actor = build_actor(admin_user)
    unit(other_dealer, "EA")
    unit(dealer, "EA")
    headers = ["dealer", "sku", "name", "kind", "base_unit", "tracking"]
    result = _import(
        ItemResource(actor=actor), headers, (other_dealer.code, "X-1", "x", "goods", "EA", "none")
    )
    assert result.has_validation_errors()
    result = _import(ItemResource(actor=actor), headers, (dealer.code, "X-2", "x", "goods", "NOPE", "none"))
    assert result.has_errors() or result.has_validation_errors()
    result = _import(ItemResource(actor=actor), headers, (dealer.code, "X-3", "x", "vehicle", "EA", "serial"))
    assert result.has_validation_errors()
    assert not Item.objects.exists()


def test_dry_run_writes_nothing(dealer, admin_user):
    unit(dealer, "EA")
    result = _import(
        ItemResource(actor=build_actor(admin_user)),
        ["dealer", "sku", "name", "kind", "base_unit"],
        (dealer.code, "DRY", "试算", "goods", "EA"),
        dry_run=True,
    )
    assert not result.has_errors() and not result.has_validation_errors(), _row_errors(result)
    assert not Item.objects.exists() and not OutboxEvent.objects.exists()


def test_reimporting_an_export_updates_in_place(dealer):
    make_item(
        dealer,
        sku="RT-1",
        name="往返",
        category_id=make_category(dealer, "CAT-A").pk,
        brand_id=make_brand().pk,
    )
    exported = ItemResource(actor=ROOT).export(Item.objects.all())
    assert exported.dict[0]["category"] == "CAT-A" and exported.dict[0]["base_unit"] == "EA"
    rows = exported.dict
    rows[0]["name"] = "往返（改）"
    dataset = tablib.Dataset(headers=exported.headers)
    for row in rows:
        dataset.append([row[h] for h in exported.headers])
    result = ItemResource(actor=ROOT).import_data(dataset, raise_errors=False)
    assert not result.has_errors() and not result.has_validation_errors(), _row_errors(result)
    assert list(Item.objects.values_list("sku", "name")) == [("RT-1", "往返（改）")]
    assert OutboxEvent.objects.get(topic="catalog.item.updated").payload["changed"] == ["name"]


def test_vehicle_models_barcodes_and_supersessions(dealer):
    brand = make_brand(code="TSL")
    result = _import(
        VehicleModelResource(actor=ROOT),
        ["dealer", "brand", "series", "model_year", "trim", "powertrain", "msrp"],
        (dealer.code, "TSL", "Model Y", 2025, "长续航", "bev", "263900.00"),
    )
    assert not result.has_errors() and not result.has_validation_errors(), _row_errors(result)
    model = VehicleModel.objects.get()
    assert (model.brand_id, str(model.msrp)) == (brand.pk, "263900.00")
    unit(dealer, "EA")
    result = _import(
        ItemResource(actor=ROOT),
        ["dealer", "sku", "name", "kind", "base_unit", "tracking", "vehicle_model"],
        (dealer.code, "MY-LR", "Model Y 长续航", "vehicle", "EA", "serial", "TSL | Model Y | 2025 | 长续航"),
    )
    assert not result.has_errors() and not result.has_validation_errors(), _row_errors(result)
    vehicle = Item.objects.get(sku="MY-LR")
    assert vehicle.vehicle_model_id == model.pk
    assert (
        ItemResource(actor=ROOT).export(Item.objects.filter(pk=vehicle.pk)).dict[0]["vehicle_model"]
        == "TSL | Model Y | 2025 | 长续航"
    )

    result = _import(
        BarcodeResource(actor=ROOT),
        ["dealer", "code", "kind", "item", "unit"],
        (dealer.code, "6901234567892", "ean13", "MY-LR", "EA"),
        (dealer.code, "6901234567891", "ean13", "MY-LR", "EA"),
    )
    assert result.has_validation_errors()  # the second row's check digit is wrong
    assert not Barcode.objects.exists()  # an import with errors is not saved

    old, new = make_part(dealer, "OLD"), make_part(dealer, "NEW")
    result = _import(
        SupersessionResource(actor=ROOT),
        ["dealer", "old_item", "new_item", "effective_from", "factor"],
        (dealer.code, "OLD", "NEW", "2024-01-01", "1"),
    )
    assert not result.has_errors() and not result.has_validation_errors(), _row_errors(result)
    assert Supersession.objects.get().effective_from == date(2024, 1, 1)
    result = _import(
        SupersessionResource(actor=ROOT),
        ["dealer", "old_item", "new_item", "effective_from", "factor"],
        (dealer.code, "NEW", "OLD", "2025-01-01", "1"),
    )
    assert result.has_validation_errors()  # a loop
    assert (old.pk, new.pk) == tuple(Supersession.objects.values_list("old_item_id", "new_item_id").get())
    assert UnitOfMeasure.objects.filter(dealer=dealer).count() == 1


def test_import_pack_sizes(dealer):
    item = make_item(dealer, sku="COLA")
    unit(dealer, "PK")
    unit(dealer, "CS")
    headers = ["dealer", "item", "unit", "factor", "is_purchase_default", "is_sales_default"]
    result = _import(
        ItemUnitResource(actor=ROOT),
        headers,
        (dealer.code, "COLA", "PK", "6", 0, 1),
        (dealer.code, "COLA", "CS", "24", 1, 0),
    )
    assert not result.has_errors() and not result.has_validation_errors(), _row_errors(result)
    assert sorted(
        ItemUnit.objects.filter(item=item).values_list("unit__code", "factor", "is_purchase_default")
    ) == [("CS", 24, True), ("EA", 1, False), ("PK", 6, False)]
    # a new purchase default takes over from the old one
    result = _import(ItemUnitResource(actor=ROOT), headers, (dealer.code, "COLA", "PK", "6", 1, 1))
    assert not result.has_errors() and not result.has_validation_errors(), _row_errors(result)
    assert list(
        ItemUnit.objects.filter(item=item, is_purchase_default=True).values_list("unit__code", flat=True)
    ) == ["PK"]
    result = _import(ItemUnitResource(actor=ROOT), headers, (dealer.code, "COLA", "EA", "2", 0, 0))
    assert result.has_validation_errors()  # the base unit holds exactly one
    assert ItemUnit.objects.get(item=item, unit__code="EA").factor == 1
