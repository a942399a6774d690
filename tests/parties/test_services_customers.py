from datetime import UTC, datetime
from decimal import Decimal

import pytest

from qudao.accounts.models import Role
from qudao.core.errors import DuplicateRecord, InvalidTransition, NotFound, StaleVersion, ValidationFailed
from qudao.core.models import OutboxEvent
from qudao.core.scoping import build_actor
from qudao.parties import errors
from qudao.parties.models import Address, Contact, Customer
from qudao.parties.services import (
    change_customer_status,
    create_customer,
    record_customer_purchase,
    update_customer,
)
from tests.factories import make_channel, make_site, make_user
from tests.parties.conftest import VALID_CREDIT_CODE, VALID_RESIDENT_ID
from tests.parties.factories import make_customer, make_customer_group


def business(**extra):
    return {"kind": "business", "name": "永辉超市福州仓山店", **extra}


def person(**extra):
    return {"kind": "individual", "name": "王小明", **extra}


def codes(error):
    return sorted(d["code"] for d in error.details)


def fields(error):
    return sorted(d["field"] for d in error.details)


class TestCreate:
    def test_codes_are_numbered_per_dealer(self, actor, dealer, other_dealer):
        first = create_customer(actor=actor, data=business())
        second = create_customer(actor=actor, data=business(name="第二家"))
        other = create_customer(actor=build_actor(make_user(other_dealer)), data=business())
        assert (first.code, second.code, other.code) == ("C-000001", "C-000002", "C-000001")
        assert first.version == 1 and first.status == "prospect" and first.business_type == "other"

    def test_numbering_skips_codes_taken_by_hand(self, actor, dealer):
        make_customer(dealer, code="C-000001")
        assert create_customer(actor=actor, data=business()).code == "C-000002"

    def test_given_code_is_kept_and_duplicates_are_409(self, actor):
        assert create_customer(actor=actor, data=business(code="KA-001")).code == "KA-001"
        with pytest.raises(DuplicateRecord) as exc:
            create_customer(actor=actor, data=business(code="KA-001"))
        assert exc.value.status == 409 and fields(exc.value) == ["code"]

    def test_all_fields_are_normalised_and_saved(
        self, actor, dealer, group, channel, regions, sales_rep, site
    ):
        customer = create_customer(
            actor=actor,
            data=business(
                business_type="ka_chain",
                legal_name="永辉超市股份有限公司",
                credit_code=VALID_CREDIT_CODE.lower(),
                mobile="+86 138 0013 8000",
                email="buyer@yonghui.example",
                customer_group_id=group.pk,
                channel_id=channel.pk,
                home_site_id=site.pk,
                sales_rep_id=sales_rep.pk,
                region_id=regions[2].pk,
                credit_limit=Decimal("50000.00"),
                payment_terms_days=30,
                currency="cny",
                tags=[" KA ", "KA", "福州"],
                source="sales_visit",
                status="active",
                notes="月结",
            ),
        )
        customer.refresh_from_db()
        assert customer.credit_code == VALID_CREDIT_CODE
        assert customer.mobile == "13800138000"
        assert customer.currency == "CNY"
        assert customer.tags == ["KA", "福州"]
        assert customer.credit_limit == Decimal("50000.00")
        assert (customer.customer_group, customer.channel, customer.home_site) == (group, channel, site)
        assert customer.status == "active"

    def test_individual_keeps_only_a_masked_document(self, actor):
        customer = create_customer(
            actor=actor, data=person(mobile="13912345678", id_type="resident_id", id_number=VALID_RESIDENT_ID)
        )
        customer.refresh_from_db()
        assert customer.id_number_masked == "110***********002X"
        assert len(customer.id_number_digest) == 64
        stored = [str(v) for v in Customer.objects.filter(pk=customer.pk).values().get().values()]
        assert VALID_RESIDENT_ID not in stored
        history = [str(v) for row in customer.history.values() for v in row.values()]
        assert VALID_RESIDENT_ID not in history

    def test_same_document_twice_at_one_dealer_is_a_duplicate(self, actor):
        create_customer(actor=actor, data=person(id_type="resident_id", id_number=VALID_RESIDENT_ID))
        with pytest.raises(DuplicateRecord) as exc:
            create_customer(actor=actor, data=person(id_type="resident_id", id_number=VALID_RESIDENT_ID))
        assert fields(exc.value) == ["id_number"]

    @pytest.mark.parametrize(
        ("data", "error", "field"),
        [
            (business(mobile="12345"), errors.InvalidPhone, "mobile"),
            (business(credit_code="91350100M000100Y44"), errors.InvalidCreditCode, "credit_code"),
            (business(email="not-an-email"), errors.InvalidEmail, "email"),
            (business(credit_limit=Decimal("-1")), errors.InvalidCreditLimit, "credit_limit"),
            (business(payment_terms_days=366), errors.InvalidPaymentTerms, "payment_terms_days"),
            (business(tags=["x" * 40]), errors.InvalidTags, "tags"),
            (business(code="bad code"), errors.InvalidCode, "code"),
            (business(status="blocked"), errors.InvalidStatus, "status"),
            (person(business_type="fleet"), errors.FieldNotApplicable, "business_type"),
            (person(credit_code=VALID_CREDIT_CODE), errors.FieldNotApplicable, "credit_code"),
            (business(id_type="passport", id_number="E12345678"), errors.FieldNotApplicable, "id_type"),
            (
                person(id_type="resident_id", id_number="110105194912310021"),
                errors.InvalidIdNumber,
                "id_number",
            ),
            (person(id_number="E12345678"), errors.InvalidIdNumber, "id_type"),
            (person(id_type="passport"), errors.InvalidIdNumber, "id_number"),
            (business(currency="RMB1"), ValidationFailed, "currency"),
        ],
    )
    def test_each_rule_has_its_code_and_field(self, actor, data, error, field):
        with pytest.raises(error) as exc:
            create_customer(actor=actor, data=data)
        assert exc.value.status == 422
        assert fields(exc.value) == [field]
        assert Customer.objects.count() == 0

    def test_several_problems_are_reported_together(self, actor):
        with pytest.raises(ValidationFailed) as exc:
            create_customer(actor=actor, data=business(mobile="1", credit_code="X"))
        assert codes(exc.value) == ["invalid_credit_code", "invalid_phone"]

    def test_references_of_another_dealer_are_refused(self, actor, other_dealer):
        data = business(
            customer_group_id=make_customer_group(other_dealer).pk,
            channel_id=make_channel(other_dealer).pk,
            home_site_id=make_site(other_dealer).pk,
            sales_rep_id=make_user(other_dealer, Role.SALES_REP).pk,
            region_id=99_999_999,
        )
        with pytest.raises(ValidationFailed) as exc:
            create_customer(actor=actor, data=data)
        assert fields(exc.value) == [
            "channel_id",
            "customer_group_id",
            "home_site_id",
            "region_id",
            "sales_rep_id",
        ]
        assert codes(exc.value).count("invalid_reference") == 4
        assert "invalid_sales_rep" in codes(exc.value)

    def test_inactive_channel_and_former_rep_are_refused(self, actor, dealer, sales_rep):
        channel = make_channel(dealer, is_active=False)
        sales_rep.memberships.update(is_active=False)
        with pytest.raises(ValidationFailed) as exc:
            create_customer(actor=actor, data=business(channel_id=channel.pk, sales_rep_id=sales_rep.pk))
        assert fields(exc.value) == ["channel_id", "sales_rep_id"]

    def test_site_limited_user_cannot_file_a_customer_under_another_site(self, dealer):
        mine, theirs = make_site(dealer), make_site(dealer)
        actor = build_actor(make_user(dealer, Role.SALES_REP, sites=[mine]))
        with pytest.raises(errors.InvalidReference):
            create_customer(actor=actor, data=business(home_site_id=theirs.pk))
        assert create_customer(actor=actor, data=business(home_site_id=mine.pk)).home_site == mine

    def test_someone_elses_dealer_is_not_found(self, actor, other_dealer):
        with pytest.raises(NotFound):
            create_customer(actor=actor, data=business(dealer_id=other_dealer.pk))

    def test_nested_contacts_and_addresses(self, actor, regions):
        customer = create_customer(
            actor=actor,
            data=business(
                contacts=[
                    {"name": "张经理", "phone": "021-12345678", "is_primary": True},
                    {"name": "李采购"},
                ],
                addresses=[
                    {
                        "kind": "shipping",
                        "line": "仓山区 1 号",
                        "region_id": regions[2].pk,
                        "is_default": True,
                    },
                    {
                        "kind": "billing",
                        "line": "鼓楼区 2 号",
                        "latitude": Decimal("26.1"),
                        "longitude": Decimal("119.3"),
                    },
                ],
            ),
        )
        contacts = list(customer.contacts.order_by("id"))
        assert [c.name for c in contacts] == ["张经理", "李采购"] and contacts[0].is_primary
        shipping = customer.addresses.get(kind="shipping")
        assert (shipping.latitude, shipping.longitude) == (regions[2].latitude, regions[2].longitude)
        assert customer.addresses.get(kind="billing").latitude == Decimal("26.100000")

    def test_nested_problems_roll_everything_back(self, actor):
        with pytest.raises(ValidationFailed) as exc:
            create_customer(
                actor=actor,
                data=business(
                    contacts=[
                        {"name": "A", "is_primary": True},
                        {"name": "B", "phone": "123", "is_primary": True},
                    ],
                    addresses=[{"line": "x", "postal_code": "12"}],
                ),
            )
        assert fields(exc.value) == ["addresses.0.postal_code", "contacts", "contacts.1.phone"]
        assert codes(exc.value) == ["invalid_phone", "invalid_postal_code", "multiple_primary_contacts"]
        assert (Customer.objects.count(), Contact.objects.count(), Address.objects.count()) == (0, 0, 0)

    def test_two_default_addresses_of_one_kind_are_refused(self, actor):
        with pytest.raises(errors.MultipleDefaultAddresses):
            create_customer(
                actor=actor,
                data=business(
                    addresses=[{"line": "a", "is_default": True}, {"line": "b", "is_default": True}]
                ),
            )

    def test_created_event(self, actor, admin_user):
        customer = create_customer(actor=actor, data=business())
        event = OutboxEvent.objects.get(topic="parties.customer.created")
        assert event.payload == {
            "customer_id": customer.pk,
            "code": "C-000001",
            "version": 1,
            "kind": "business",
            "status": "prospect",
        }
        assert (event.dealer_id, event.actor_id) == (customer.dealer_id, admin_user.pk)


class TestUpdate:
    def test_update_bumps_version_and_announces_changed_fields(self, actor, dealer):
        customer = make_customer(dealer)
        saved = update_customer(
            actor=actor,
            customer=customer,
            version=1,
            data={"name": "新名称", "mobile": "138 0013 8000", "credit_limit": Decimal("10")},
        )
        assert (saved.version, saved.name, saved.mobile) == (2, "新名称", "13800138000")
        event = OutboxEvent.objects.get(topic="parties.customer.updated")
        assert event.payload["changed"] == ["credit_limit", "mobile", "name"]
        assert event.payload["version"] == 2

    def test_stale_version_is_409_and_changes_nothing(self, actor, dealer):
        customer = make_customer(dealer, name="原名")
        update_customer(actor=actor, customer=customer, version=1, data={"name": "第一次"})
        with pytest.raises(StaleVersion) as exc:
            update_customer(actor=actor, customer=customer, version=1, data={"name": "第二次"})
        assert exc.value.status == 409 and exc.value.code == "stale_version"
        assert exc.value.details == {"current_version": 2, "your_version": 1}
        customer.refresh_from_db()
        assert (customer.name, customer.version) == ("第一次", 2)

    def test_nothing_changed_keeps_the_version(self, actor, dealer):
        customer = make_customer(dealer, name="同名")
        assert update_customer(actor=actor, customer=customer, version=1, data={"name": "同名"}).version == 1
        assert not OutboxEvent.objects.filter(topic="parties.customer.updated").exists()

    def test_unchanged_references_are_not_rechecked(self, actor, dealer, channel):
        customer = make_customer(dealer, channel=channel)
        channel.is_active = False
        channel.save()
        assert update_customer(actor=actor, customer=customer, version=1, data={"notes": "x"}).version == 2
        with pytest.raises(errors.InvalidReference):
            update_customer(actor=actor, customer=customer, version=2, data={"channel_id": channel.pk})

    def test_becoming_an_individual_drops_the_business_type(self, actor, dealer):
        customer = make_customer(dealer, business_type="fleet")
        saved = update_customer(actor=actor, customer=customer, version=1, data={"kind": "individual"})
        assert (saved.kind, saved.business_type) == ("individual", "")

    def test_document_can_be_replaced_and_removed(self, actor, dealer):
        customer = make_customer(dealer, kind="individual")
        saved = update_customer(
            actor=actor, customer=customer, version=1, data={"id_type": "passport", "id_number": "E12345678"}
        )
        assert saved.id_number_masked == "E******78"
        event = OutboxEvent.objects.filter(topic="parties.customer.updated").latest("id")
        assert event.payload["changed"] == ["id_number", "id_type"]
        with pytest.raises(errors.InvalidIdNumber):
            update_customer(actor=actor, customer=customer, version=2, data={"id_type": "resident_id"})
        saved = update_customer(actor=actor, customer=customer, version=2, data={"id_number": None})
        assert (saved.id_type, saved.id_number_masked, saved.id_number_digest) == ("", "", "")

    def test_becoming_a_business_needs_the_document_removed(self, actor):
        customer = create_customer(
            actor=actor, data=person(id_type="resident_id", id_number=VALID_RESIDENT_ID)
        )
        with pytest.raises(errors.FieldNotApplicable):
            update_customer(actor=actor, customer=customer, version=1, data={"kind": "business"})
        saved = update_customer(
            actor=actor, customer=customer, version=1, data={"kind": "business", "id_number": None}
        )
        assert (saved.kind, saved.business_type, saved.id_number_masked) == ("business", "other", "")

    def test_status_and_dealer_are_not_patchable(self, actor, dealer, other_dealer):
        customer = make_customer(dealer)
        with pytest.raises(ValidationFailed) as exc:
            update_customer(
                actor=actor,
                customer=customer,
                version=1,
                data={"status": "blocked", "dealer_id": other_dealer.pk},
            )
        assert fields(exc.value) == ["dealer_id", "status"]

    def test_code_cannot_be_emptied_or_duplicated(self, actor, dealer):
        make_customer(dealer, code="TAKEN")
        customer = make_customer(dealer)
        with pytest.raises(errors.InvalidCode):
            update_customer(actor=actor, customer=customer, version=1, data={"code": None})
        with pytest.raises(DuplicateRecord):
            update_customer(actor=actor, customer=customer, version=1, data={"code": "TAKEN"})

    def test_archived_customers_are_frozen(self, actor, dealer):
        customer = make_customer(dealer, status="archived")
        with pytest.raises(errors.CustomerArchived) as exc:
            update_customer(actor=actor, customer=customer, version=1, data={"name": "x"})
        assert exc.value.status == 409


class TestStatus:
    def test_lifecycle_through_the_machine(self, actor, dealer):
        customer = make_customer(dealer, status="prospect")
        customer = change_customer_status(actor=actor, customer=customer, to="active")
        customer = change_customer_status(actor=actor, customer=customer, to="blocked", reason="逾期未付款")
        assert (customer.status, customer.status_reason, customer.version) == ("blocked", "逾期未付款", 3)
        event = OutboxEvent.objects.filter(topic="parties.customer.status_changed").latest("id")
        assert event.payload == {
            "customer_id": customer.pk,
            "code": customer.code,
            "version": 3,
            "from": "active",
            "to": "blocked",
            "reason": "逾期未付款",
        }
        customer = change_customer_status(actor=actor, customer=customer, to="active")
        customer = change_customer_status(actor=actor, customer=customer, to="archived")
        assert customer.status == "archived"

    def test_refused_transition_is_409(self, actor, dealer):
        customer = make_customer(dealer, status="prospect")
        with pytest.raises(InvalidTransition) as exc:
            change_customer_status(actor=actor, customer=customer, to="blocked")
        assert exc.value.details["allowed"] == ["active", "archived"]
        customer.refresh_from_db()
        assert (customer.status, customer.version) == ("prospect", 1)

    def test_status_change_with_stale_version(self, actor, dealer):
        customer = make_customer(dealer, status="active", version=4)
        with pytest.raises(StaleVersion):
            change_customer_status(actor=actor, customer=customer, to="blocked", version=3)


def test_purchase_dates_only_move_outwards(dealer):
    customer = make_customer(dealer)
    march, may, april = (datetime(2026, m, 1, tzinfo=UTC) for m in (3, 5, 4))
    for at in (march, may, april):
        record_customer_purchase(customer_id=customer.pk, at=at)
    customer.refresh_from_db()
    assert (customer.first_purchase_at, customer.last_purchase_at) == (march, may)
    assert customer.version == 1
