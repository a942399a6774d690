from datetime import date

import pytest

from qudao.core.errors import InvalidTransition, ValidationFailed
from qudao.core.models import OutboxEvent
from qudao.org.errors import DealershipOverlap
from qudao.org.models import Dealership, DealershipStatus
from qudao.org.services.dealerships import create_dealership, update_dealership
from tests.factories import make_brand, make_dealer, make_dealership
from tests.org.factories import actor_for, make_territory


def _fields(exc):
    return {d["field"] for d in exc.value.details}


@pytest.fixture
def listed_dealer(db):
    return make_dealer(name="公开经销商", is_public=True)


def test_brand_grants_a_dealership_to_a_listed_dealer(brand, brand_actor, listed_dealer):
    territory = make_territory(brand)
    dealership = create_dealership(
        actor=brand_actor,
        data={
            "dealer_id": listed_dealer.pk,
            "dealer_code": "GW-0001",
            "territory_id": territory.pk,
            "channel_kinds": ["ka", "retail_store"],
            "valid_from": date(2026, 1, 1),
            "valid_to": date(2026, 12, 31),
        },
    )
    assert (dealership.brand_id, dealership.dealer_id) == (brand.pk, listed_dealer.pk)
    assert dealership.status == DealershipStatus.ACTIVE
    assert dealership.channel_kinds == ["ka", "retail_store"]
    event = OutboxEvent.objects.get(topic="org.dealership.created")
    assert event.dealer_id == listed_dealer.pk
    assert event.payload["valid_to"] == "2026-12-31"


def test_dealership_validation(brand, brand_actor, dealer, listed_dealer):
    other_brand = make_brand()
    foreign_territory = make_territory(other_brand)
    with pytest.raises(ValidationFailed) as exc:
        create_dealership(
            actor=brand_actor,
            data={"brand_id": other_brand.pk, "dealer_id": listed_dealer.pk, "valid_from": date(2026, 1, 1)},
        )
    assert _fields(exc) == {"brand_id"}
    with pytest.raises(ValidationFailed) as exc:
        create_dealership(
            actor=brand_actor,
            data={
                "dealer_id": dealer.pk,  # not listed, not authorised: invisible to the brand
                "valid_from": date(2026, 1, 1),
            },
        )
    assert _fields(exc) == {"dealer_id"}
    with pytest.raises(ValidationFailed) as exc:
        create_dealership(
            actor=brand_actor,
            data={
                "dealer_id": other_brand.pk,
                "territory_id": foreign_territory.pk,
                "channel_kinds": ["tv"],
                "valid_from": date(2026, 6, 1),
                "valid_to": date(2026, 5, 31),
            },
        )
    assert _fields(exc) == {"dealer_id", "territory_id", "channel_kinds", "valid_to"}
    assert not Dealership.objects.exists()


def test_no_overlapping_live_dealerships(brand, brand_actor, listed_dealer):
    first = create_dealership(
        actor=brand_actor,
        data={"dealer_id": listed_dealer.pk, "valid_from": date(2025, 1, 1), "valid_to": date(2025, 12, 31)},
    )
    with pytest.raises(DealershipOverlap) as exc:
        create_dealership(
            actor=brand_actor, data={"dealer_id": listed_dealer.pk, "valid_from": date(2025, 12, 31)}
        )
    assert exc.value.details["dealership_id"] == first.pk
    follow_up = create_dealership(
        actor=brand_actor, data={"dealer_id": listed_dealer.pk, "valid_from": date(2026, 1, 1)}
    )
    assert follow_up.valid_to is None
    # extending the first into the second clashes; terminating the second frees the dates
    with pytest.raises(DealershipOverlap):
        update_dealership(actor=brand_actor, dealership=first, data={"valid_to": date(2026, 3, 31)})
    update_dealership(actor=brand_actor, dealership=follow_up, data={"status": DealershipStatus.TERMINATED})
    extended = update_dealership(actor=brand_actor, dealership=first, data={"valid_to": date(2026, 3, 31)})
    assert extended.valid_to == date(2026, 3, 31)


def test_status_follows_the_lifecycle(brand, brand_actor, dealer):
    dealership = make_dealership(brand, dealer)
    suspended = update_dealership(actor=brand_actor, dealership=dealership, data={"status": "suspended"})
    assert suspended.status == DealershipStatus.SUSPENDED
    events = list(
        OutboxEvent.objects.filter(topic__startswith="org.dealership.").values_list("topic", flat=True)
    )
    assert sorted(events) == ["org.dealership.status_changed", "org.dealership.updated"]
    update_dealership(actor=brand_actor, dealership=dealership, data={"status": "terminated"})
    with pytest.raises(InvalidTransition):
        update_dealership(actor=brand_actor, dealership=dealership, data={"status": "active"})
    with pytest.raises(ValidationFailed) as exc:
        update_dealership(actor=brand_actor, dealership=dealership, data={"dealer_id": brand.pk})
    assert _fields(exc) == {"dealer_id"}


def test_suspended_dealership_stops_brand_visibility(brand, brand_user, dealer):
    dealership = make_dealership(brand, dealer)
    assert dealer.pk in actor_for(brand_user).brand_dealer_ids
    update_dealership(actor=actor_for(brand_user), dealership=dealership, data={"status": "suspended"})
    assert dealer.pk not in actor_for(brand_user).brand_dealer_ids
