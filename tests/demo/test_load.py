"""The demo loaded once for this module (seed 2026, scale 1): what is in the database, who sees what."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

import pytest
from django.db import transaction

from qudao.accounts.models import Membership, Role, User
from qudao.catalog.choices import BarcodeKind, ItemKind, Tracking
from qudao.catalog.models import Barcode, Category, Item, ItemUnit, Supersession, UnitOfMeasure, VehicleModel
from qudao.catalog.policies import is_valid_gtin
from qudao.core.models import DocumentSequence
from qudao.core.scoping import build_actor, scoped
from qudao.demo import DEMO_PASSWORD, DemoAlreadyLoaded, load_demo
from qudao.demo.plans import plan_rows, plan_skus, sku_digest
from qudao.demo.vehicles import BRANDS
from qudao.org.models import Channel, Company, Dealership, Site, Territory
from qudao.org.policies import distance_km, validate_credit_code
from qudao.parties.models import Address, Contact, Customer, CustomerGroup
from qudao.parties.policies import validate_contact_phone, validate_mobile
from qudao.parties.services import create_customer
from tests.factories import ApiClient

SEED = 2026
AUTO_BRAND_CODES = [b.code for b in BRANDS]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One load for the whole module, rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        summary = load_demo(seed=SEED)
        yield summary
        transaction.set_rollback(True)


@pytest.fixture
def group(demo, db):
    return Company.objects.get(code="HD-AUTO")


@pytest.fixture
def distributor(demo, db):
    return Company.objects.get(code="HUIMIN")


def actor_of(username: str):
    return build_actor(User.objects.get(username=username))


# --- the auto dealer group -------------------------------------------------------------------------


def test_three_public_car_brands_authorise_the_group_for_their_stores_districts(group):
    brands = Company.objects.filter(code__in=AUTO_BRAND_CODES)
    assert sorted(b.short_name for b in brands) == ["上汽大众", "广汽丰田", "比亚迪"]
    assert all(b.is_brand and b.is_public and not b.is_dealer for b in brands)
    for brand in brands:
        dealership = Dealership.objects.get(brand=brand, dealer=group)
        assert dealership.status == "active" and dealership.valid_to is None
        store_districts = set(
            Site.objects.filter(dealer=group, kind="store", brands=brand).values_list(
                "region__code", flat=True
            )
        )
        assert set(dealership.territory.regions.values_list("code", flat=True)) == store_districts
        assert dealership.territory.owner_id == brand.pk


def test_six_stores_in_three_cities_each_with_its_workshop(group):
    stores = list(Site.objects.filter(dealer=group, kind="store").select_related("region__parent"))
    assert len(stores) == 6
    assert Counter(s.region.parent.code for s in stores) == {"310100": 2, "330100": 2, "320100": 2}
    assert {"310115", "330106", "320106"} <= {s.region.code for s in stores}
    for store in stores:
        workshop = Site.objects.get(dealer=group, code=f"{store.code}-WS")
        assert workshop.kind == "workshop" and workshop.address == store.address
        assert list(workshop.brands.all()) == list(store.brands.all()) and store.brands.count() == 1
        assert abs(store.latitude - store.region.latitude) <= Decimal("0.02")
        assert abs(store.longitude - store.region.longitude) <= Decimal("0.02")
        assert store.address.startswith(("上海市", "浙江省杭州市", "江苏省南京市"))
    assert Counter(s.brands.get().code for s in stores) == dict.fromkeys(AUTO_BRAND_CODES, 2)
    assert set(Channel.objects.filter(dealer=group).values_list("kind", flat=True)) == {"direct", "ecommerce"}


def test_vehicle_models_and_their_vehicles_tracked_by_vin(group):
    models = VehicleModel.objects.filter(dealer=group)
    assert models.count() == sum(len(b.models) for b in BRANDS) == 17
    assert set(models.values_list("powertrain", flat=True)) == {"ice", "hev", "phev", "bev"}
    vehicles = Item.objects.filter(dealer=group, kind=ItemKind.VEHICLE).select_related("vehicle_model")
    assert vehicles.count() == 17
    for item in vehicles:
        assert item.tracking == Tracking.SERIAL and item.brand_id == item.vehicle_model.brand_id
        assert item.list_price == item.vehicle_model.msrp > Decimal(50_000)
        assert item.tax_rate == Decimal("0.1300")
    han = models.get(series="汉")
    assert (han.model_year, han.powertrain, han.msrp) == (2025, "bev", Decimal("209800.00"))


def test_parts_with_oem_numbers_and_supersessions(group):
    parts = Item.objects.filter(dealer=group, kind=ItemKind.PART)
    assert parts.count() > 40 and not parts.filter(brand=None).exists()
    assert parts.filter(sku__regex=r"^\d{5}-[0-9A-Z]{5}$").exists()  # Toyota style
    assert parts.filter(sku__regex=r"^\d{8}-0[01]$").exists()  # BYD style
    supersessions = Supersession.objects.filter(dealer=group).select_related("old_item", "new_item")
    assert supersessions.count() == 5
    for s in supersessions:
        assert s.old_item.kind == s.new_item.kind == ItemKind.PART
        assert s.old_item.name == s.new_item.name and s.old_item.brand_id == s.new_item.brand_id
        assert s.old_item.attributes["替代件号"] == s.new_item.sku and s.note
    assert Barcode.objects.filter(dealer=group, kind=BarcodeKind.CODE128).count() == parts.count() - 5


def test_workshop_services_carry_six_percent_vat(group):
    services = Item.objects.filter(dealer=group, kind=ItemKind.SERVICE)
    assert services.count() == 12
    assert set(services.values_list("tax_rate", flat=True)) == {Decimal("0.0600")}
    assert services.filter(name="四轮定位", list_price=Decimal("200")).exists()
    assert services.filter(base_unit__name="工时", base_unit__decimal_places=1).exists()


def test_categories_are_two_level_trees(group, distributor):
    for dealer, roots, leaves in ((group, 3, 10), (distributor, 4, 19)):
        categories = Category.objects.filter(dealer=dealer)
        assert categories.filter(parent=None).count() == roots
        assert categories.exclude(parent=None).count() == leaves
        assert not categories.filter(parent__parent__isnull=False).exists()
        assert all(c.path == (f"{c.parent.path}{c.pk}/" if c.parent else f"/{c.pk}/") for c in categories)
        assert not Item.objects.filter(dealer=dealer, category__parent=None).exists()


def test_car_buyers_keep_only_a_masked_identity_number(group):
    people = Customer.objects.filter(dealer=group, kind="individual")
    fleets = Customer.objects.filter(dealer=group, kind="business")
    assert people.count() == 60 and fleets.count() == 6
    for person in people:
        assert re.fullmatch(r"\d{3}\*{11}\d{3}[\dX]", person.id_number_masked)
        assert re.fullmatch(r"[0-9a-f]{64}", person.id_number_digest)
        assert validate_mobile(person.mobile) == person.mobile
        assert person.id_type == "resident_id"
    assert len(set(people.values_list("id_number_digest", flat=True))) == 60
    assert set(fleets.values_list("business_type", flat=True)) == {"fleet"}
    assert all(validate_credit_code(code) for code in fleets.values_list("credit_code", flat=True))
    assert set(Customer.objects.filter(dealer=group).values_list("home_site__kind", flat=True)) == {"store"}


# --- the FMCG distributor --------------------------------------------------------------------------


def test_distributor_warehouses_channels_and_brand_dealership(distributor):
    sites = Site.objects.filter(dealer=distributor).select_related("region")
    assert sorted((s.kind, s.region.code) for s in sites) == [
        ("central_warehouse", "320507"),
        ("regional_warehouse", "320583"),
    ]
    kinds = Channel.objects.filter(dealer=distributor).values_list("kind", flat=True)
    assert sorted(kinds) == sorted(["ka", "wholesale", "retail_store", "group_buy", "ecommerce", "social"])
    dealership = Dealership.objects.get(dealer=distributor)
    assert dealership.brand.code == "QINGHE" and dealership.brand.is_brand
    suzhou = set(dealership.territory.regions.values_list("code", flat=True))
    assert "320505" in suzhou and all(code.startswith("3205") for code in suzhou) and len(suzhou) >= 9
    assert Territory.objects.filter(owner=dealership.brand).count() == 1


def test_five_hundred_skus_with_valid_unit_and_case_ean13s(distributor):
    items = Item.objects.filter(dealer=distributor)
    assert items.count() == 500 and set(items.values_list("kind", flat=True)) == {ItemKind.GOODS}
    barcodes = list(Barcode.objects.filter(dealer=distributor).select_related("item", "unit"))
    assert len(barcodes) == 1000
    assert all(b.kind == BarcodeKind.EAN13 and is_valid_gtin(b.code, 13) for b in barcodes)
    assert all(690 <= int(b.code[:3]) <= 699 and b.normalized == "0" + b.code for b in barcodes)
    per_item = Counter(b.item_id for b in barcodes)
    assert set(per_item.values()) == {2}
    assert {b.unit.code for b in barcodes if b.unit_id != b.item.base_unit_id} == {"CS"}


def test_every_sku_has_its_base_unit_and_a_default_case(distributor):
    units = ItemUnit.objects.filter(dealer=distributor).select_related("item", "unit")
    by_item: dict[int, list] = {}
    for row in units:
        by_item.setdefault(row.item_id, []).append(row)
    assert len(by_item) == 500
    for rows in by_item.values():
        base = [r for r in rows if r.unit_id == r.item.base_unit_id]
        assert len(base) == 1 and base[0].factor == 1
        case = next(r for r in rows if r.unit.code == "CS")
        assert case.factor > 1 and case.is_sales_default and case.is_purchase_default
    pallets = [r for r in units if r.unit.code == "PL"]
    assert pallets and all(p.factor > 100 for p in pallets)
    assert UnitOfMeasure.objects.filter(dealer=distributor, code="CS", name="箱").exists()


def test_perishables_are_tracked_by_lot_with_a_shelf_life(distributor):
    items = Item.objects.filter(dealer=distributor)
    perishable = items.filter(has_expiry=True)
    assert perishable.exists() and not perishable.exclude(tracking=Tracking.LOT).exists()
    assert not perishable.filter(shelf_life_days=None).exists()
    household = items.filter(category__parent__code="HOME")
    assert household.exists() and not household.filter(has_expiry=True).exists()
    assert items.filter(brand__code="QINGHE").exists()


def test_the_skus_in_the_database_are_the_planned_ones(distributor):
    """Determinism end to end: what was written is exactly what the seed plans."""
    rows = []
    for item in (
        Item.objects.filter(dealer=distributor).select_related("base_unit").prefetch_related("barcodes")
    ):
        codes = ";".join(sorted(b.code for b in item.barcodes.all()))
        rows.append(
            (
                item.sku,
                item.name,
                item.base_unit.code,
                codes,
                format(item.list_price.quantize(Decimal("0.01")), "f"),
            )
        )
    assert sku_digest(rows) == sku_digest(plan_rows(plan_skus(seed=SEED, count=500)))


def test_two_hundred_business_customers_across_jiangsu_and_shanghai(distributor):
    customers = Customer.objects.filter(dealer=distributor).select_related("region", "home_site")
    assert customers.count() == 200
    assert set(customers.values_list("kind", flat=True)) == {"business"}
    assert sorted(customers.values_list("code", flat=True)) == [f"C-{n:06d}" for n in range(1, 201)]
    assert {c.region.level for c in customers} == {"district"}
    assert {c.region.code[:2] for c in customers} == {"31", "32"}
    assert len({c.region.code[:4] for c in customers}) >= 4
    assert CustomerGroup.objects.filter(dealer=distributor).count() == 5
    assert customers.filter(credit_limit__gt=0).count() > 100
    assert customers.filter(payment_terms_days__gt=0).exists()
    warehouses = list(Site.objects.filter(dealer=distributor))
    for customer in customers:
        address = customer.addresses.get(kind="shipping", is_default=True)
        assert address.region_id == customer.region_id
        assert abs(address.latitude - customer.region.latitude) <= Decimal("0.02")
        assert abs(address.longitude - customer.region.longitude) <= Decimal("0.02")
        nearest = min(
            warehouses,
            key=lambda s: distance_km(
                lat1=address.latitude, lon1=address.longitude, lat2=s.latitude, lon2=s.longitude
            ),
        )
        assert customer.home_site == nearest
        contacts = list(customer.contacts.all())
        assert sum(c.is_primary for c in contacts) == 1
        assert all(validate_contact_phone(c.phone) == c.phone for c in contacts)
        if customer.credit_code:
            validate_credit_code(customer.credit_code)


def test_customers_created_afterwards_continue_the_numbering(distributor):
    assert DocumentSequence.objects.get(dealer=distributor, kind="customer").last_number == 200
    customer = create_customer(
        actor=actor_of("hm.admin"), data={"name": "新开便利店", "business_type": "retail_store"}
    )
    assert customer.code == "C-000201"


def test_every_row_has_its_creation_in_the_audit_trail(demo, db):
    admin = User.objects.get(username="admin")
    for model in (Item, ItemUnit, Barcode, Customer, Contact, Address):
        history = model.history.filter(history_type="+")
        assert history.count() == model.objects.count(), model
    bulk = Customer.history.filter(history_change_reason="演示数据")
    assert bulk.count() == 266 and set(bulk.values_list("history_user", flat=True)) == {admin.pk}


# --- users and what they see -----------------------------------------------------------------------


def test_a_user_for_every_role_with_the_documented_password(demo, db):
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and not admin.memberships.exists()
    users = {u.username: u for u in User.objects.all()}
    assert demo.users[0].username == "admin" and len(demo.users) == len(users) == 21
    for entry in demo.users:
        user = users[entry.username]
        assert entry.password == DEMO_PASSWORD and user.check_password(DEMO_PASSWORD)
        assert user.last_name and user.first_name and user.email.endswith("@example.com")
    assert users["hd.admin"].is_staff and users["qinghe.manager"].is_staff
    assert not users["hm.retailer"].is_staff  # retailers use the portal, not the console
    retailer = Membership.objects.get(user=users["hm.retailer"])
    assert (retailer.company.code, retailer.role) == ("HUIMIN", Role.RETAILER_USER)
    supplier = Membership.objects.get(user=users["hengchi.supplier"])
    assert supplier.company.is_supplier and supplier.company.owner.code == "HD-AUTO"


def test_the_summary_matches_the_database(demo, db):
    assert demo.counts["customers"] == Customer.objects.count() == 266
    assert demo.counts["items"] == Item.objects.count()
    assert demo.counts["barcodes"] == Barcode.objects.count()
    assert demo.counts["item_units"] == ItemUnit.objects.count()
    assert demo.counts["sites"] == Site.objects.count() == 14
    assert demo.counts["users"] == 20 and demo.counts["companies"] == Company.objects.count() == 7
    text = demo.render()
    for entry in demo.users:
        assert entry.username in text
    assert DEMO_PASSWORD in text and "苏州惠民快消品分销有限公司" in text and "华东汽车比亚迪浦东店" in text
    assert demo.seconds > 0 and set(demo.timings) and demo.user("hd.sales").sites == "华东汽车比亚迪浦东店"


def test_the_sales_rep_sees_only_the_customers_of_his_store(group):
    user = User.objects.get(username="hd.sales")
    store = Site.objects.get(dealer=group, code="SH-BYD-01")
    assert list(Membership.objects.get(user=user).sites.all()) == [store]
    visible = scoped(Customer.objects.all(), build_actor(user))
    mine = Customer.objects.filter(home_site=store)
    assert set(visible) == set(mine)
    assert 0 < mine.count() < Customer.objects.filter(dealer=group).count()
    assert set(mine.values_list("sales_rep__username", flat=True)) == {"hd.sales"}
    assert set(scoped(Address.objects.all(), build_actor(user))) == set(
        Address.objects.filter(customer__in=mine)
    )
    # the same through the API, with an API key of the sales rep
    api = ApiClient(user)
    response = api.get("/api/v1/parties/customers", {"page_size": 200})
    assert response.status_code == 200, response.content
    assert {row["code"] for row in response.json()["items"]} == set(mine.values_list("code", flat=True))
    other = Customer.objects.filter(dealer=group).exclude(home_site=store).first()
    assert api.get(f"/api/v1/parties/customers/{other.pk}").status_code == 404


def test_the_brand_manager_sees_the_distributors_rows_and_no_others(distributor, group):
    actor = actor_of("qinghe.manager")
    assert actor.brand_dealer_ids == frozenset({distributor.pk})
    assert scoped(Customer.objects.all(), actor).count() == 200
    assert set(scoped(Customer.objects.all(), actor).values_list("dealer", flat=True)) == {distributor.pk}
    assert scoped(Item.objects.all(), actor).count() == 500
    assert scoped(Site.objects.all(), actor).count() == 2
    assert not scoped(Customer.objects.filter(dealer=group), actor).exists()
    byd = actor_of("byd.manager")
    assert set(scoped(Customer.objects.all(), byd).values_list("dealer", flat=True)) == {group.pk}


def test_a_second_load_is_refused_and_changes_nothing(demo, db):
    before = (Company.objects.count(), User.objects.count(), Item.objects.count())
    with pytest.raises(DemoAlreadyLoaded) as caught:
        load_demo(seed=SEED)
    assert caught.value.code == "demo_already_loaded" and caught.value.status == 409
    assert "HD-AUTO" in caught.value.details["companies"] and "hd.admin" in caught.value.details["usernames"]
    assert (Company.objects.count(), User.objects.count(), Item.objects.count()) == before


def test_the_printed_api_keys_work(demo, client, group, distributor):
    assert [k.username for k in demo.api_keys] == ["hd.admin", "hm.admin"]
    text = demo.render()
    for key, dealer in zip(demo.api_keys, (group, distributor), strict=True):
        assert key.token in text and key.token.startswith("qd_")
        response = client.get("/api/v1/system/me", HTTP_AUTHORIZATION=f"Bearer {key.token}")
        assert response.status_code == 200, response.content
        assert response.json()["dealers"] == [dealer.pk]
