"""Vehicle models and part supersessions."""

from datetime import date
from decimal import Decimal

import pytest

from qudao.catalog import selectors, services
from qudao.catalog.errors import SupersessionCycle
from qudao.catalog.models import ItemKind, Supersession
from qudao.core.errors import DuplicateRecord, ValidationFailed
from tests.catalog.factories import ROOT, make_item, make_part, make_supersession, make_vehicle_model
from tests.factories import make_brand

pytestmark = pytest.mark.django_db


def test_vehicle_model_unique_per_brand_series_year_trim(dealer):
    brand = make_brand()
    make_vehicle_model(dealer, brand=brand, series="Model Y", model_year=2025, trim="长续航")
    make_vehicle_model(dealer, brand=brand, series="Model Y", model_year=2025, trim="")
    with pytest.raises(DuplicateRecord) as exc:
        make_vehicle_model(dealer, brand=brand, series="Model Y", model_year=2025, trim="长续航")
    assert exc.value.details[0]["field"] == "series"


def test_vehicle_model_needs_a_brand_company(dealer, other_dealer):
    with pytest.raises(ValidationFailed) as exc:
        make_vehicle_model(dealer, brand=other_dealer)
    assert exc.value.details[0] == {
        "field": "brand_id",
        "message": exc.value.details[0]["message"],
        "code": "not_a_brand",
    }


def test_vehicle_model_year_and_msrp(dealer):
    with pytest.raises(ValidationFailed):
        make_vehicle_model(dealer, model_year=1900)
    model = make_vehicle_model(dealer, msrp=Decimal("263900.00"))
    model = services.update_vehicle_model(
        actor=ROOT, vehicle_model=model, data={"msrp": Decimal("249900.00")}
    )
    assert model.msrp == Decimal("249900.00")
    assert model.history.count() == 2


@pytest.fixture
def parts(dealer):
    return [make_part(dealer, sku) for sku in ("A-100", "B-200", "C-300", "D-400")]


def test_current_part_follows_the_chain_by_date(parts):
    a, b, c, _d = parts
    make_supersession(a, b, date(2024, 1, 1), factor=2)
    make_supersession(b, c, date(2025, 7, 1))
    assert selectors.resolve_current_part(a, on=date(2023, 12, 31)).item == a
    current, resolution = selectors.resolve_current_part(a, on=date(2024, 3, 1))
    assert (current, resolution.factor, resolution.chain) == (b, Decimal(2), (a.pk, b.pk))
    current, resolution = selectors.resolve_current_part(a, on=date(2025, 7, 1))
    assert (current, resolution.chain) == (c, (a.pk, b.pk, c.pk))


def test_loops_are_refused_whatever_the_dates(parts):
    a, b, c, _d = parts
    make_supersession(a, b, date(2024, 1, 1))
    make_supersession(b, c, date(2024, 6, 1))
    with pytest.raises(SupersessionCycle) as exc:
        make_supersession(c, a, date(2030, 1, 1))
    assert exc.value.details[0]["field"] == "new_item_id"
    with pytest.raises(SupersessionCycle):
        make_supersession(b, a, date(2019, 1, 1))
    assert Supersession.objects.count() == 2


def test_a_part_cannot_supersede_itself(parts):
    with pytest.raises(SupersessionCycle):
        make_supersession(parts[0], parts[0], date(2024, 1, 1))


def test_only_parts_are_superseded(dealer, parts):
    goods = make_item(dealer, kind=ItemKind.GOODS)
    with pytest.raises(ValidationFailed) as exc:
        make_supersession(goods, parts[0], date(2024, 1, 1))
    assert {d["field"]: d["code"] for d in exc.value.details} == {"old_item_id": "not_a_part"}


def test_one_supersession_per_part_and_date(parts):
    a, b, c, _d = parts
    make_supersession(a, b, date(2024, 1, 1))
    with pytest.raises(DuplicateRecord):
        make_supersession(a, c, date(2024, 1, 1))


def test_parts_of_another_dealer_cannot_be_linked(dealer, other_dealer, parts):
    foreign = make_part(other_dealer)
    with pytest.raises(ValidationFailed) as exc:
        make_supersession(parts[0], foreign, date(2024, 1, 1))
    assert exc.value.details[0]["code"] == "other_dealer"


def test_a_superseded_part_must_stay_a_part(parts):
    a, b, *_ = parts
    make_supersession(a, b, date(2024, 1, 1))
    with pytest.raises(ValidationFailed) as exc:
        services.update_item(actor=ROOT, item=b, data={"kind": ItemKind.GOODS})
    assert exc.value.details[0]["field"] == "kind"


def test_editing_a_supersession_does_not_see_itself_as_a_loop(parts):
    a, b, *_ = parts
    supersession = make_supersession(a, b, date(2024, 1, 1))
    supersession.note = "new packaging"
    services.save_supersession(actor=ROOT, supersession=supersession)
    assert Supersession.objects.get(pk=supersession.pk).note == "new packaging"
