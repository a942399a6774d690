from decimal import Decimal

import pytest

from qudao.core.models import OutboxEvent
from qudao.parties import errors
from qudao.parties.models import Address, Contact
from qudao.parties.services import (
    add_address,
    add_contact,
    delete_address,
    delete_contact,
    update_address,
    update_contact,
)
from tests.parties.factories import make_address, make_contact, make_customer, make_region


@pytest.fixture
def customer(dealer):
    return make_customer(dealer)


class TestContacts:
    def test_add_normalises_and_announces(self, actor, customer):
        contact = add_contact(
            actor=actor,
            customer=customer,
            data={"name": " 张经理 ", "phone": "+86 138 0013 8000", "email": "zhang@example.com"},
        )
        assert (contact.name, contact.phone, contact.dealer_id) == (
            "张经理",
            "13800138000",
            customer.dealer_id,
        )
        event = OutboxEvent.objects.get(topic="parties.customer.updated")
        assert event.payload["changed"] == ["contacts"] and event.payload["contact_id"] == contact.pk

    def test_a_new_primary_takes_over(self, actor, customer):
        first = make_contact(customer, is_primary=True)
        second = add_contact(actor=actor, customer=customer, data={"name": "新主联系人", "is_primary": True})
        first.refresh_from_db()
        assert (first.is_primary, second.is_primary) == (False, True)
        assert first.history.count() == 2  # the demotion is in the audit trail
        third = make_contact(customer)
        update_contact(actor=actor, contact=third, data={"is_primary": True})
        assert list(Contact.objects.filter(customer=customer, is_primary=True)) == [third]

    @pytest.mark.parametrize(
        ("data", "error"),
        [
            ({"name": "A", "phone": "12"}, errors.InvalidPhone),
            ({"name": "A", "email": "x@"}, errors.InvalidEmail),
            ({"name": "  "}, errors.ValidationFailed),
        ],
    )
    def test_bad_contacts(self, actor, customer, data, error):
        with pytest.raises(error):
            add_contact(actor=actor, customer=customer, data=data)
        assert not Contact.objects.exists()

    def test_update_and_delete(self, actor, customer):
        contact = make_contact(customer, title="采购")
        updated = update_contact(
            actor=actor, contact=contact, data={"title": "采购经理", "wechat_id": "wx_zhang"}
        )
        assert (updated.title, updated.wechat_id, updated.name) == ("采购经理", "wx_zhang", contact.name)
        delete_contact(actor=actor, contact=contact)
        assert not Contact.objects.exists()
        assert OutboxEvent.objects.filter(topic="parties.customer.updated").count() == 2

    def test_archived_customer_takes_no_contacts(self, actor, dealer):
        customer = make_customer(dealer, status="archived")
        with pytest.raises(errors.CustomerArchived):
            add_contact(actor=actor, customer=customer, data={"name": "A"})


class TestAddresses:
    def test_coordinates_default_to_the_region(self, actor, customer, regions):
        district = regions[2]
        address = add_address(
            actor=actor,
            customer=customer,
            data={"line": "人民路 1 号", "region_id": district.pk, "postal_code": "350001"},
        )
        assert (address.latitude, address.longitude) == (district.latitude, district.longitude)
        given = add_address(
            actor=actor,
            customer=customer,
            data={
                "line": "x",
                "region_id": district.pk,
                "latitude": Decimal("26.5"),
                "longitude": Decimal("119.5"),
            },
        )
        assert (given.latitude, given.longitude) == (Decimal("26.5"), Decimal("119.5"))

    def test_moving_region_moves_the_coordinates(self, actor, customer, regions):
        address = make_address(customer, region=regions[2], latitude=Decimal("1"), longitude=Decimal("2"))
        elsewhere = make_region(latitude=Decimal("39.9"), longitude=Decimal("116.4"))
        moved = update_address(actor=actor, address=address, data={"region_id": elsewhere.pk})
        assert (moved.latitude, moved.longitude) == (Decimal("39.9"), Decimal("116.4"))
        kept = update_address(actor=actor, address=address, data={"line": "新地址"})
        assert (kept.latitude, kept.line) == (Decimal("39.900000"), "新地址")

    def test_one_default_per_kind(self, actor, customer):
        old = make_address(customer, kind="shipping", is_default=True)
        billing = make_address(customer, kind="billing", is_default=True)
        new = add_address(actor=actor, customer=customer, data={"line": "新仓库", "is_default": True})
        old.refresh_from_db()
        billing.refresh_from_db()
        assert (old.is_default, new.is_default, billing.is_default) == (False, True, True)

    @pytest.mark.parametrize(
        ("data", "error"),
        [
            ({"line": "x", "postal_code": "1234"}, errors.InvalidPostalCode),
            ({"line": "x", "receiver_phone": "555"}, errors.InvalidPhone),
            ({"line": "x", "latitude": Decimal("10")}, errors.ValidationFailed),
            ({"line": "x", "region_id": 99_999_999}, errors.InvalidReference),
            ({"line": ""}, errors.ValidationFailed),
        ],
    )
    def test_bad_addresses(self, actor, customer, data, error):
        with pytest.raises(error):
            add_address(actor=actor, customer=customer, data=data)
        assert not Address.objects.exists()

    def test_delete(self, actor, customer):
        address = make_address(customer)
        delete_address(actor=actor, address=address)
        assert not Address.objects.exists()
