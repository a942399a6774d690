"""Item services: defaults, rules, duplicates, references, events, atomicity."""

from decimal import Decimal

import pytest

from qudao.catalog import services
from qudao.catalog.errors import BaseUnitFixed
from qudao.catalog.models import Item, ItemKind, ItemUnit, Tracking
from qudao.core.errors import DuplicateRecord, PermissionDeniedError, ValidationFailed
from qudao.core.models import OutboxEvent
from qudao.core.scoping import build_actor
from tests.catalog.factories import ROOT, make_category, make_item, make_vehicle_model, unit
from tests.factories import make_brand, make_user

pytestmark = pytest.mark.django_db


def _fields(error) -> dict[str, str]:
    return {d["field"]: d["code"] for d in error.details}


def test_goods_get_13_percent_vat_and_a_base_unit_row(dealer):
    item = make_item(dealer, sku="COLA-330", name="可乐 330ml")
    assert item.tax_rate == Decimal("0.1300")
    assert item.tracking == Tracking.NONE
    rows = list(ItemUnit.objects.filter(item=item))
    assert [(r.unit.code, r.factor, r.dealer_id) for r in rows] == [("EA", Decimal(1), dealer.pk)]


def test_services_get_6_percent_vat(dealer):
    item = make_item(dealer, kind=ItemKind.SERVICE, name="保养工时")
    assert item.tax_rate == Decimal("0.0600")


def test_a_given_tax_rate_is_kept(dealer):
    item = make_item(dealer, tax_rate=Decimal("0.0900"))
    assert Item.objects.get(pk=item.pk).tax_rate == Decimal("0.0900")


def test_vehicle_is_serial_tracked_and_takes_its_models_brand(dealer):
    brand = make_brand(name="比亚迪")
    model = make_vehicle_model(dealer, brand=brand, series="汉", powertrain="bev")
    item = make_item(dealer, kind=ItemKind.VEHICLE, vehicle_model_id=model.pk)
    assert item.tracking == Tracking.SERIAL
    assert item.brand_id == brand.pk


def test_vehicle_with_another_brand_than_its_model_is_refused(dealer):
    model = make_vehicle_model(dealer)
    with pytest.raises(ValidationFailed) as exc:
        make_item(dealer, kind=ItemKind.VEHICLE, vehicle_model_id=model.pk, brand_id=make_brand().pk)
    assert _fields(exc.value) == {"brand_id": "brand_mismatch"}


def test_vehicle_without_model_is_refused(dealer):
    with pytest.raises(ValidationFailed) as exc:
        make_item(dealer, kind=ItemKind.VEHICLE)
    assert _fields(exc.value) == {"vehicle_model_id": "item_rule"}


def test_a_part_with_a_vehicle_model_is_refused(dealer):
    model = make_vehicle_model(dealer)
    with pytest.raises(ValidationFailed) as exc:
        make_item(dealer, kind=ItemKind.PART, vehicle_model_id=model.pk)
    assert "vehicle_model_id" in _fields(exc.value)


def test_service_cannot_be_lot_tracked(dealer):
    with pytest.raises(ValidationFailed) as exc:
        make_item(dealer, kind=ItemKind.SERVICE, tracking=Tracking.LOT)
    assert _fields(exc.value) == {"tracking": "item_rule"}


def test_expiring_item_needs_lot_tracking_and_a_shelf_life(dealer):
    item = make_item(dealer, tracking=Tracking.LOT, has_expiry=True, shelf_life_days=270)
    assert (item.has_expiry, item.shelf_life_days) == (True, 270)
    with pytest.raises(ValidationFailed) as exc:
        make_item(dealer, tracking=Tracking.LOT, has_expiry=True)
    assert _fields(exc.value) == {"shelf_life_days": "item_rule"}
    with pytest.raises(ValidationFailed) as exc:
        make_item(dealer, has_expiry=True, shelf_life_days=30)
    assert _fields(exc.value) == {"tracking": "item_rule"}


def test_attributes_must_be_flat(dealer):
    with pytest.raises(ValidationFailed) as exc:
        make_item(dealer, attributes={"size": {"w": 1}})
    assert _fields(exc.value) == {"attributes": "invalid_attribute"}


def test_duplicate_sku_is_a_409_and_writes_nothing(dealer):
    make_item(dealer, sku="A-1")
    events = OutboxEvent.objects.count()
    with pytest.raises(DuplicateRecord) as exc:
        make_item(dealer, sku="A-1")
    assert _fields(exc.value) == {"sku": "duplicate"}
    assert Item.objects.filter(sku="A-1").count() == 1
    assert OutboxEvent.objects.count() == events


def test_same_sku_in_another_dealer_is_fine(dealer, other_dealer):
    make_item(dealer, sku="A-1")
    assert make_item(other_dealer, sku="A-1").dealer_id == other_dealer.pk


def test_unknown_references_are_all_reported(dealer, admin_user):
    actor = build_actor(admin_user)
    with pytest.raises(ValidationFailed) as exc:
        services.create_item(
            actor=actor,
            data={"sku": "X", "name": "X", "kind": "goods", "base_unit_id": 999_999, "category_id": 888_888},
        )
    assert _fields(exc.value) == {"category_id": "unknown", "base_unit_id": "unknown"}


def test_another_dealers_category_is_unknown_to_a_dealer_user(dealer, other_dealer, admin_user):
    foreign = make_category(other_dealer)
    actor = build_actor(admin_user)
    with pytest.raises(ValidationFailed) as exc:
        services.create_item(
            actor=actor,
            data={
                "sku": "X",
                "name": "X",
                "kind": "goods",
                "base_unit_id": unit(dealer).pk,
                "category_id": foreign.pk,
            },
        )
    assert _fields(exc.value) == {"category_id": "unknown"}


def test_another_dealers_unit_is_refused_even_for_a_platform_admin(dealer, other_dealer):
    with pytest.raises(ValidationFailed) as exc:
        make_item(dealer, base_unit=unit(other_dealer))
    assert _fields(exc.value) == {"base_unit_id": "other_dealer"}


def test_a_company_that_is_not_a_brand_is_refused(dealer, other_dealer):
    with pytest.raises(ValidationFailed) as exc:
        make_item(dealer, brand_id=other_dealer.pk)
    assert _fields(exc.value) == {"brand_id": "not_a_brand"}


def test_create_and_update_emit_outbox_events(dealer, admin_user):
    actor = build_actor(admin_user)
    item = services.create_item(
        actor=actor, data={"sku": "OJ-1", "name": "橙汁", "kind": "goods", "base_unit_id": unit(dealer).pk}
    )
    created = OutboxEvent.objects.get(topic="catalog.item.created")
    assert created.payload == {"item_id": item.pk, "sku": "OJ-1", "kind": "goods"}
    assert (created.dealer_id, created.actor_id) == (dealer.pk, admin_user.pk)

    services.update_item(actor=actor, item=item, data={"name": "鲜榨橙汁", "list_price": Decimal("12.5000")})
    updated = OutboxEvent.objects.get(topic="catalog.item.updated")
    assert updated.payload == {"item_id": item.pk, "sku": "OJ-1", "changed": ["list_price", "name"]}

    services.update_item(actor=actor, item=item, data={"name": "鲜榨橙汁"})  # no change, no news
    assert OutboxEvent.objects.filter(topic="catalog.item.updated").count() == 1


def test_clearing_the_tax_rate_restores_the_default_of_the_kind(dealer):
    item = make_item(dealer, tax_rate=Decimal("0.0900"))
    item = services.update_item(actor=ROOT, item=item, data={"tax_rate": None})
    assert item.tax_rate == Decimal("0.1300")


def test_the_base_unit_is_fixed(dealer):
    item = make_item(dealer)
    with pytest.raises(BaseUnitFixed):
        services.update_item(actor=ROOT, item=item, data={"base_unit_id": unit(dealer, "KG").pk})
    item.base_unit = unit(dealer, "KG")
    with pytest.raises(BaseUnitFixed):
        services.save_item(actor=ROOT, item=item)


def test_deactivate(dealer):
    item = make_item(dealer)
    services.deactivate_item(actor=ROOT, item=item)
    assert Item.objects.get(pk=item.pk).is_active is False
    assert OutboxEvent.objects.filter(topic="catalog.item.updated").get().payload["changed"] == ["is_active"]


def test_a_brand_user_cannot_write_a_dealers_catalog(dealer):
    brand = make_brand()
    user = make_user(brand, role="brand_manager")
    item = make_item(dealer)
    with pytest.raises(PermissionDeniedError):
        services.update_item(actor=build_actor(user), item=item, data={"name": "x"})


def test_a_null_for_a_required_field_is_a_validation_error(dealer):
    item = make_item(dealer)
    with pytest.raises(ValidationFailed) as exc:
        services.update_item(actor=ROOT, item=item, data={"name": None})
    assert _fields(exc.value) == {"name": "null"}
