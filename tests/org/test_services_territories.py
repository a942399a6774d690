from decimal import Decimal

import pytest

from qudao.core.errors import DuplicateRecord, ValidationFailed
from qudao.core.models import OutboxEvent
from qudao.org.errors import InUse
from qudao.org.services.territories import (
    check_territory_contains,
    create_territory,
    delete_territory,
    update_territory,
)
from tests.factories import make_dealership
from tests.org.factories import BEIJING_CENTRE, make_territory


def _fields(exc):
    return {d["field"] for d in exc.value.details}


def test_brand_creates_a_territory_of_regions(brand, brand_actor):
    territory = create_territory(
        actor=brand_actor,
        data={"code": "NORTH", "name": "华北大区", "region_codes": ["110000", "120000", "130100"]},
    )
    assert territory.owner_id == brand.pk
    assert sorted(territory.regions.values_list("code", flat=True)) == ["110000", "120000", "130100"]
    event = OutboxEvent.objects.get(topic="org.territory.created")
    assert event.payload == {"territory_id": territory.pk, "owner_id": brand.pk, "code": "NORTH"}
    assert event.dealer_id is None  # a brand's territory is not one dealer's


def test_territory_validation(brand_actor, brand, dealer):
    with pytest.raises(ValidationFailed) as exc:
        create_territory(
            actor=brand_actor,
            data={
                "code": "BAD",
                "name": "bad",
                "region_codes": ["110000", "999999"],
                "polygon": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]},
            },
        )
    assert _fields(exc) == {"region_codes", "polygon"}
    assert "not closed" in next(d["message"] for d in exc.value.details if d["field"] == "polygon")
    with pytest.raises(ValidationFailed) as exc:
        create_territory(actor=brand_actor, data={"owner_id": dealer.pk, "code": "X", "name": "x"})
    assert _fields(exc) == {"owner_id"}
    make_territory(brand, code="DUP")
    with pytest.raises(DuplicateRecord):
        create_territory(actor=brand_actor, data={"code": "DUP", "name": "dup"})


def test_update_territory_polygon_and_regions(brand, brand_actor):
    territory = make_territory(brand, region_codes=("110000",))
    territory = update_territory(
        actor=brand_actor,
        territory=territory,
        data={"polygon": BEIJING_CENTRE, "region_codes": ["110000", "120000"]},
    )
    assert territory.polygon == BEIJING_CENTRE
    assert territory.regions.count() == 2
    assert OutboxEvent.objects.get(topic="org.territory.updated").payload["changed"] == [
        "polygon",
        "region_codes",
    ]
    territory = update_territory(actor=brand_actor, territory=territory, data={"polygon": None})
    assert territory.polygon is None


def test_delete_a_territory_in_use(brand, dealer, brand_actor):
    territory = make_territory(brand)
    make_dealership(brand, dealer, territory=territory)
    with pytest.raises(InUse):
        delete_territory(actor=brand_actor, territory=territory)
    spare = make_territory(brand)
    delete_territory(actor=brand_actor, territory=spare)
    assert OutboxEvent.objects.filter(topic="org.territory.deleted").count() == 1


def test_contains_by_polygon(brand, brand_actor):
    territory = make_territory(brand, polygon=BEIJING_CENTRE)
    inside = check_territory_contains(
        actor=brand_actor, territory=territory, longitude=Decimal("116.40"), latitude=Decimal("39.91")
    )
    assert (inside.inside, inside.method, inside.region_code) == (True, "polygon", None)
    outside = check_territory_contains(
        actor=brand_actor, territory=territory, longitude=Decimal("121.47"), latitude=Decimal("31.23")
    )
    assert outside.inside is False
    # a region is tested by its seat: 东城区 inside, 海淀区 outside
    assert (
        check_territory_contains(actor=brand_actor, territory=territory, region_code="110101").inside is True
    )
    assert (
        check_territory_contains(actor=brand_actor, territory=territory, region_code="110108").inside is False
    )


def test_contains_by_regions_walks_up_the_hierarchy(brand, brand_actor):
    territory = make_territory(brand, region_codes=("110000", "130100"))
    contains = lambda **kw: check_territory_contains(actor=brand_actor, territory=territory, **kw)  # noqa: E731
    assert contains(region_code="110105").inside is True  # 朝阳区 ⊂ 北京市
    assert contains(region_code="130102").inside is True  # 长安区 ⊂ 石家庄市
    assert contains(region_code="130200").inside is False  # 唐山市
    assert contains(region_code="130000").inside is False  # 河北省 is bigger than 石家庄市
    # a point resolves to the district with the nearest seat
    beijing_point = contains(longitude=Decimal("116.44"), latitude=Decimal("39.92"))
    assert (beijing_point.inside, beijing_point.method, beijing_point.region_code) == (
        True,
        "regions",
        "110105",
    )
    shanghai_point = contains(longitude=Decimal("121.48"), latitude=Decimal("31.23"))
    assert shanghai_point.inside is False
    assert shanghai_point.region_code.startswith("31")
    # in the middle of the Pacific there is no district at all
    assert contains(longitude=Decimal("-150"), latitude=Decimal("0")).region_code is None


def test_contains_refuses_bad_input(brand, brand_actor):
    territory = make_territory(brand, region_codes=("110000",))
    with pytest.raises(ValidationFailed) as exc:
        check_territory_contains(actor=brand_actor, territory=territory, region_code="000000")
    assert _fields(exc) == {"region_code"}
    with pytest.raises(ValidationFailed) as exc:
        check_territory_contains(
            actor=brand_actor, territory=territory, longitude=Decimal("190"), latitude=Decimal("95")
        )
    assert _fields(exc) == {"longitude", "latitude"}
    for kwargs in ({}, {"longitude": Decimal("116"), "latitude": Decimal("39"), "region_code": "110105"}):
        with pytest.raises(ValidationFailed) as exc:
            check_territory_contains(actor=brand_actor, territory=territory, **kwargs)
        assert _fields(exc) == {"body"}
    with pytest.raises(ValidationFailed) as exc:
        check_territory_contains(actor=brand_actor, territory=territory, longitude=Decimal("116"))
    assert _fields(exc) == {"latitude"}
