from qudao.core.models import OutboxEvent
from tests.parties.factories import (
    make_address,
    make_contact,
    make_customer,
    make_customer_group,
    make_region,
)

GROUPS = "/api/v1/parties/customer-groups"
CUSTOMERS = "/api/v1/parties/customers"


def error_code(response, status):
    assert response.status_code == status, response.content
    return response.json()["code"]


class TestGroups:
    def test_create_list_get_patch(self, api, dealer, other_dealer):
        response = api.post(GROUPS, {"code": "KA", "name": "重点客户", "description": "大卖场"})
        assert response.status_code == 201, response.content
        group = response.json()
        assert (group["code"], group["dealer_id"]) == ("KA", dealer.pk)
        make_customer_group(other_dealer, code="HIDDEN")
        api.post(GROUPS, {"code": "SMALL", "name": "小店"})
        listed = api.get(GROUPS, {"ordering": "-code"}).json()
        assert [g["code"] for g in listed["items"]] == ["SMALL", "KA"]
        assert [g["code"] for g in api.get(GROUPS, {"search": "重点"}).json()["items"]] == ["KA"]
        assert api.get(f"{GROUPS}/{group['id']}").json()["name"] == "重点客户"
        patched = api.patch(f"{GROUPS}/{group['id']}", {"name": "KA 卖场"})
        assert (patched.status_code, patched.json()["name"], patched.json()["code"]) == (200, "KA 卖场", "KA")

    def test_errors(self, api, dealer, other_dealer):
        make_customer_group(dealer, code="KA")
        assert error_code(api.post(GROUPS, {"code": "KA", "name": "x"}), 409) == "duplicate"
        assert error_code(api.post(GROUPS, {"code": "K A", "name": "x"}), 422) == "invalid_code"
        assert error_code(api.post(GROUPS, {"code": "X" * 33, "name": "x"}), 422) == "validation_error"
        assert error_code(api.post(GROUPS, {"code": "NEW"}), 422) == "validation_error"
        theirs = make_customer_group(other_dealer)
        assert error_code(api.get(f"{GROUPS}/{theirs.pk}"), 404) == "not_found"
        assert error_code(api.patch(f"{GROUPS}/{theirs.pk}", {"name": "x"}), 404) == "not_found"


class TestContacts:
    def test_add_patch_delete(self, api, dealer):
        customer = make_customer(dealer)
        old = make_contact(customer, is_primary=True)
        base = f"{CUSTOMERS}/{customer.pk}/contacts"
        response = api.post(base, {"name": "李采购", "phone": "0591-87654321", "is_primary": True})
        assert response.status_code == 201, response.content
        contact = response.json()
        assert (contact["phone"], contact["is_primary"]) == ("0591-87654321", True)
        old.refresh_from_db()
        assert old.is_primary is False
        response = api.patch(f"{base}/{contact['id']}", {"title": "采购经理"})
        assert (response.status_code, response.json()["title"]) == (200, "采购经理")
        assert api.delete(f"{base}/{contact['id']}").status_code == 204
        assert list(customer.contacts.values_list("pk", flat=True)) == [old.pk]
        assert OutboxEvent.objects.filter(topic="parties.customer.updated").count() == 3

    def test_errors(self, api, dealer):
        customer, other = make_customer(dealer), make_customer(dealer)
        base = f"{CUSTOMERS}/{customer.pk}/contacts"
        assert error_code(api.post(base, {"name": "x", "phone": "123"}), 422) == "invalid_phone"
        assert error_code(api.post(base, {"name": "x", "email": "nope"}), 422) == "invalid_email"
        assert error_code(api.post(base, {"name": ""}), 422) == "validation_error"
        assert error_code(api.post(base, {"name": "x", "fax": "1"}), 422) == "validation_error"
        foreign = make_contact(other)
        assert error_code(api.patch(f"{base}/{foreign.pk}", {"name": "y"}), 404) == "not_found"
        assert error_code(api.delete(f"{base}/{foreign.pk}"), 404) == "not_found"


class TestAddresses:
    def test_add_patch_delete(self, api, dealer):
        customer = make_customer(dealer)
        region = make_region()
        base = f"{CUSTOMERS}/{customer.pk}/addresses"
        response = api.post(
            base,
            {
                "kind": "shipping",
                "line": "五四路 1 号",
                "region_id": region.pk,
                "receiver_name": "王师傅",
                "receiver_phone": "13800138000",
                "is_default": True,
            },
        )
        assert response.status_code == 201, response.content
        address = response.json()
        assert (address["latitude"], address["longitude"]) == ("31.230416", "121.473701")
        response = api.patch(
            f"{base}/{address['id']}", {"postal_code": "350001", "latitude": "26.08", "longitude": "119.30"}
        )
        assert response.status_code == 200, response.content
        assert (response.json()["postal_code"], response.json()["latitude"]) == ("350001", "26.080000")
        assert api.delete(f"{base}/{address['id']}").status_code == 204
        assert not customer.addresses.exists()

    def test_errors(self, api, dealer, other_dealer):
        customer = make_customer(dealer)
        base = f"{CUSTOMERS}/{customer.pk}/addresses"
        assert error_code(api.post(base, {"line": "x", "postal_code": "3500"}), 422) == "invalid_postal_code"
        assert error_code(api.post(base, {"line": "x", "receiver_phone": "1"}), 422) == "invalid_phone"
        assert error_code(api.post(base, {"line": "x", "latitude": "91", "longitude": "0"}), 422) == (
            "validation_error"
        )
        assert error_code(api.post(base, {"line": "x", "region_id": 99_999_999}), 422) == "invalid_reference"
        assert error_code(api.post(base, {"line": "x", "kind": "moon"}), 422) == "validation_error"
        theirs = make_address(make_customer(other_dealer))
        assert error_code(api.patch(f"{base}/{theirs.pk}", {"line": "y"}), 404) == "not_found"
