from decimal import Decimal

import pytest

from qudao.core.errors import DuplicateRecord, ValidationFailed
from qudao.core.models import OutboxEvent
from qudao.org.errors import InUse, SiteRestricted
from qudao.org.models import Region, Site, SiteKind
from qudao.org.services.sites import create_site, deactivate_site, delete_site, update_site
from tests.factories import make_brand, make_site, make_user
from tests.org.factories import actor_for


def _fields(exc):
    return {d["field"] for d in exc.value.details}


def test_create_site_defaults_coordinates_from_its_region(dealer, dealer_actor, brand):
    site = create_site(
        actor=dealer_actor,
        data={
            "code": "WH-BJ",
            "name": "北京朝阳仓",
            "kind": SiteKind.CENTRAL_WAREHOUSE,
            "region_code": "110105",
            "brand_ids": [brand.pk],
        },
    )
    assert site.dealer_id == dealer.pk
    assert (site.latitude, site.longitude) == (Decimal("39.921506"), Decimal("116.443205"))
    assert list(site.brands.all()) == [brand]
    event = OutboxEvent.objects.get(topic="org.site.created")
    assert event.payload == {
        "site_id": site.pk,
        "dealer_id": dealer.pk,
        "code": "WH-BJ",
        "kind": "central_warehouse",
        "region_code": "110105",
    }
    assert event.dealer_id == dealer.pk


def test_given_coordinates_are_rounded_and_kept(dealer_actor):
    site = create_site(
        actor=dealer_actor,
        data={
            "code": "ST-1",
            "name": "门店",
            "kind": SiteKind.STORE,
            "region_code": "110105",
            "latitude": Decimal("39.90000049"),
            "longitude": Decimal("116.4"),
        },
    )
    assert (site.latitude, site.longitude) == (Decimal("39.900000"), Decimal("116.400000"))


def test_bad_input_lists_every_field(dealer_actor, other_dealer):
    with pytest.raises(ValidationFailed) as exc:
        create_site(
            actor=dealer_actor,
            data={
                "code": "",
                "name": "x" * 121,
                "kind": "garage",
                "region_code": "000001",
                "latitude": Decimal("95"),
                "longitude": Decimal("116"),
                "brand_ids": [other_dealer.pk, 10**9],
            },
        )
    assert _fields(exc) == {"code", "name", "kind", "region_code", "latitude", "brand_ids"}
    assert not Site.objects.exists()


def test_latitude_without_longitude(dealer_actor):
    with pytest.raises(ValidationFailed) as exc:
        create_site(
            actor=dealer_actor,
            data={"code": "A", "name": "a", "kind": SiteKind.STORE, "latitude": Decimal("30")},
        )
    assert _fields(exc) == {"longitude"}


def test_a_site_belongs_to_one_of_my_dealers(dealer_actor, other_dealer, platform_actor, dealer):
    with pytest.raises(ValidationFailed) as exc:
        create_site(
            actor=dealer_actor,
            data={"dealer_id": other_dealer.pk, "code": "A", "name": "a", "kind": SiteKind.STORE},
        )
    assert _fields(exc) == {"dealer_id"}
    brand = make_brand()
    with pytest.raises(ValidationFailed) as exc:
        create_site(
            actor=platform_actor,
            data={"dealer_id": brand.pk, "code": "A", "name": "a", "kind": SiteKind.STORE},
        )
    assert _fields(exc) == {"dealer_id"}
    with pytest.raises(ValidationFailed) as exc:
        create_site(actor=platform_actor, data={"code": "A", "name": "a", "kind": SiteKind.STORE})
    assert _fields(exc) == {"dealer_id"}


def test_a_user_limited_to_some_sites_cannot_add_sites(dealer, site):
    clerk = make_user(dealer, sites=[site])
    with pytest.raises(SiteRestricted):
        create_site(actor=actor_for(clerk), data={"code": "NEW", "name": "n", "kind": SiteKind.STORE})


def test_duplicate_code_per_dealer(dealer, other_dealer, dealer_actor, platform_actor):
    make_site(dealer, code="WH1")
    with pytest.raises(DuplicateRecord):
        create_site(actor=dealer_actor, data={"code": "WH1", "name": "x", "kind": SiteKind.STORE})
    other = create_site(
        actor=platform_actor,
        data={"dealer_id": other_dealer.pk, "code": "WH1", "name": "x", "kind": SiteKind.STORE},
    )
    assert other.code == "WH1"


def test_moving_region_moves_defaulted_coordinates_only(dealer_actor):
    site = create_site(
        actor=dealer_actor, data={"code": "A", "name": "a", "kind": SiteKind.STORE, "region_code": "110105"}
    )
    site = update_site(actor=dealer_actor, site=site, data={"region_code": "310101"})
    huangpu = Region.objects.get(code="310101")
    assert (site.latitude, site.longitude) == (huangpu.latitude, huangpu.longitude)
    assert site.latitude == Decimal("31.231739")
    placed = create_site(
        actor=dealer_actor,
        data={
            "code": "B",
            "name": "b",
            "kind": SiteKind.STORE,
            "region_code": "110105",
            "latitude": Decimal("39.95"),
            "longitude": Decimal("116.5"),
        },
    )
    placed = update_site(actor=dealer_actor, site=placed, data={"region_code": "110108"})
    assert (placed.latitude, placed.longitude) == (Decimal("39.950000"), Decimal("116.500000"))
    assert placed.region.code == "110108"


def test_patch_one_coordinate(dealer_actor):
    site = create_site(
        actor=dealer_actor,
        data={
            "code": "A",
            "name": "a",
            "kind": SiteKind.STORE,
            "latitude": Decimal("30"),
            "longitude": Decimal("120"),
        },
    )
    site = update_site(actor=dealer_actor, site=site, data={"latitude": Decimal("31.5")})
    assert (site.latitude, site.longitude) == (Decimal("31.500000"), Decimal("120.000000"))
    with pytest.raises(ValidationFailed) as exc:
        update_site(actor=dealer_actor, site=site, data={"longitude": None})
    assert _fields(exc) == {"longitude"}
    site = update_site(actor=dealer_actor, site=site, data={"latitude": None, "longitude": None})
    assert site.latitude is None


def test_update_emits_changes_and_deactivation(dealer, dealer_actor):
    site = make_site(dealer)
    brand = make_brand()
    update_site(actor=dealer_actor, site=site, data={"name": "新名字", "brand_ids": [brand.pk]})
    event = OutboxEvent.objects.get(topic="org.site.updated")
    assert event.payload["changed"] == ["name", "brand_ids"]
    deactivate_site(actor=dealer_actor, site=site)
    site.refresh_from_db()
    assert site.is_active is False
    assert OutboxEvent.objects.filter(topic="org.site.deactivated", payload__site_id=site.pk).count() == 1
    with pytest.raises(ValidationFailed):
        update_site(actor=dealer_actor, site=site, data={"dealer_id": dealer.pk + 1000})


def test_delete_site_in_use_by_a_membership_is_409(dealer, dealer_actor):
    site = make_site(dealer)
    make_user(dealer, sites=[site])
    with pytest.raises(InUse) as exc:
        delete_site(actor=dealer_actor, site=site)
    assert exc.value.details == {"used_by": ["memberships"]}
    free = make_site(dealer)
    free_id = free.pk
    delete_site(actor=dealer_actor, site=free)
    assert not Site.objects.filter(pk=free_id).exists()
    assert OutboxEvent.objects.filter(topic="org.site.deleted", payload__site_id=free_id).exists()
