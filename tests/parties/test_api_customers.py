import pytest

from qudao.accounts.models import Role
from tests.factories import ApiClient, make_channel, make_site, make_user
from tests.parties.conftest import VALID_CREDIT_CODE, VALID_RESIDENT_ID
from tests.parties.factories import make_address, make_contact, make_customer, make_customer_group

URL = "/api/v1/parties/customers"


def fields(response):
    return sorted(d["field"] for d in response.json()["details"])


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert set(body) == {"code", "message", "details", "request_id"} and body["request_id"]
    return body


class TestCreate:
    def test_create_with_contacts_and_addresses(self, api, dealer, group, channel, regions, sales_rep):
        response = api.post(
            URL,
            {
                "kind": "business",
                "name": "永辉超市",
                "business_type": "ka_chain",
                "credit_code": VALID_CREDIT_CODE,
                "customer_group_id": group.pk,
                "channel_id": channel.pk,
                "sales_rep_id": sales_rep.pk,
                "region_id": regions[2].pk,
                "credit_limit": "80000.00",
                "payment_terms_days": 45,
                "tags": ["KA"],
                "status": "active",
                "contacts": [{"name": "张经理", "phone": "13800138000", "is_primary": True}],
                "addresses": [{"line": "仓山区 1 号", "region_id": regions[2].pk, "is_default": True}],
            },
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["code"] == "C-000001" and body["version"] == 1 and body["status"] == "active"
        assert body["credit_limit"] == "80000.00"
        assert body["counts"] == {"contacts": 1, "addresses": 1, "shipping_addresses": 1}
        assert (
            body["contacts"][0]["name"] == "张经理"
            and body["primary_contact_id"] == body["contacts"][0]["id"]
        )
        assert body["addresses"][0]["latitude"] == "31.100000"
        assert body["default_shipping_address_id"] == body["addresses"][0]["id"]

    def test_individual_document_is_write_only(self, api):
        response = api.post(
            URL,
            {
                "kind": "individual",
                "name": "王小明",
                "mobile": "+86 139 1234 5678",
                "id_type": "resident_id",
                "id_number": VALID_RESIDENT_ID,
            },
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["mobile"] == "13912345678" and body["id_number_masked"] == "110***********002X"
        assert "id_number" not in body and VALID_RESIDENT_ID not in response.content.decode()

    @pytest.mark.parametrize(
        ("extra", "code", "field"),
        [
            ({"mobile": "12345678901"}, "invalid_phone", "mobile"),
            ({"credit_code": "91350100M000100Y44"}, "invalid_credit_code", "credit_code"),
            ({"credit_limit": "-1"}, "validation_error", "credit_limit"),
            ({"credit_limit": "1.001"}, "validation_error", "credit_limit"),
            ({"payment_terms_days": 400}, "validation_error", "payment_terms_days"),
            ({"name": "x" * 201}, "validation_error", "name"),
            ({"kind": "robot"}, "validation_error", "kind"),
            ({"colour": "red"}, "validation_error", "colour"),
            ({"credit_limit": "lots"}, "validation_error", "credit_limit"),
            ({"tags": "vip"}, "validation_error", "tags"),
            ({"status": "archived"}, "invalid_status", "status"),
            ({"business_type": "fleet", "kind": "individual"}, "field_not_applicable", "business_type"),
            (
                {"kind": "individual", "id_type": "resident_id", "id_number": "110105194912310021"},
                "invalid_id_number",
                "id_number",
            ),
            ({"contacts": [{"name": "A", "phone": "12"}]}, "invalid_phone", "contacts.0.phone"),
            (
                {"addresses": [{"line": "x", "postal_code": "12345"}]},
                "invalid_postal_code",
                "addresses.0.postal_code",
            ),
        ],
    )
    def test_validation_errors(self, api, extra, code, field):
        response = api.post(URL, {"kind": "business", "name": "测试", **extra})
        assert_error(response, 422, code)
        assert field in fields(response)

    def test_another_dealers_references_name_their_fields(self, api, other_dealer):
        response = api.post(
            URL,
            {
                "kind": "business",
                "name": "测试",
                "channel_id": make_channel(other_dealer).pk,
                "home_site_id": make_site(other_dealer).pk,
                "customer_group_id": make_customer_group(other_dealer).pk,
            },
        )
        assert_error(response, 422, "invalid_reference")
        assert fields(response) == ["channel_id", "customer_group_id", "home_site_id"]

    def test_unknown_dealer_is_404(self, api, other_dealer):
        assert_error(
            api.post(URL, {"kind": "business", "name": "x", "dealer_id": other_dealer.pk}), 404, "not_found"
        )

    def test_duplicate_code_is_409(self, api, dealer):
        make_customer(dealer, code="KA-1")
        body = assert_error(
            api.post(URL, {"kind": "business", "name": "x", "code": "KA-1"}), 409, "duplicate"
        )
        assert body["details"][0]["field"] == "code"


class TestReadAndList:
    def test_list_filters_search_and_pagination(self, api, dealer, other_dealer, group, regions):
        make_customer(dealer, code="A1", customer_group=group, tags=["VIP"], region=regions[2])
        make_customer(dealer, code="B1", kind="individual", mobile="13912345678")
        make_customer(other_dealer, code="A2", tags=["VIP"])
        body = api.get(URL).json()
        assert (body["count"], [c["code"] for c in body["items"]]) == (2, ["A1", "B1"])
        assert [c["code"] for c in api.get(URL, {"tag": "VIP"}).json()["items"]] == ["A1"]
        assert [c["code"] for c in api.get(URL, {"group": group.pk}).json()["items"]] == ["A1"]
        assert [c["code"] for c in api.get(URL, {"region": regions[0].pk}).json()["items"]] == ["A1"]
        assert [c["code"] for c in api.get(URL, {"kind": "individual"}).json()["items"]] == ["B1"]
        assert [c["code"] for c in api.get(URL, {"search": "13912"}).json()["items"]] == ["B1"]
        assert [c["code"] for c in api.get(URL, {"ordering": "-code"}).json()["items"]] == ["B1", "A1"]
        page = api.get(URL, {"page_size": 1, "page": 2}).json()
        assert (page["count"], [c["code"] for c in page["items"]]) == (2, ["B1"])

    @pytest.mark.parametrize(
        "params", [{"ordering": "dealer"}, {"status": "sleeping"}, {"group": "abc"}, {"page_size": 500}]
    )
    def test_bad_list_parameters_are_422(self, api, params):
        assert_error(api.get(URL, params), 422, "validation_error")

    def test_get_with_contacts_and_addresses(self, api, dealer):
        customer = make_customer(dealer)
        make_contact(customer, name="张三", is_primary=True)
        make_address(customer, line="人民路 1 号")
        body = api.get(f"{URL}/{customer.pk}").json()
        assert [c["name"] for c in body["contacts"]] == ["张三"]
        assert [a["line"] for a in body["addresses"]] == ["人民路 1 号"]

    def test_site_limited_user_sees_only_its_sites(self, dealer):
        north, south = make_site(dealer), make_site(dealer)
        make_customer(dealer, code="N", home_site=north)
        hidden = make_customer(dealer, code="S", home_site=south)
        client = ApiClient(make_user(dealer, Role.SALES_REP, sites=[north]))
        assert [c["code"] for c in client.get(URL).json()["items"]] == ["N"]
        assert_error(client.get(f"{URL}/{hidden.pk}"), 404, "not_found")


class TestUpdateAndStatus:
    def test_patch_with_version(self, api, dealer):
        customer = make_customer(dealer, name="旧名")
        response = api.patch(f"{URL}/{customer.pk}", {"version": 1, "name": "新名", "credit_limit": "100.50"})
        assert response.status_code == 200, response.content
        assert (response.json()["name"], response.json()["version"]) == ("新名", 2)
        assert response.json()["credit_limit"] == "100.50"
        stale = assert_error(
            api.patch(f"{URL}/{customer.pk}", {"version": 1, "name": "再改"}), 409, "stale_version"
        )
        assert stale["details"] == {"current_version": 2, "your_version": 1}

    def test_patch_needs_a_version_and_refuses_nulls(self, api, dealer):
        customer = make_customer(dealer)
        assert fields(api.patch(f"{URL}/{customer.pk}", {"name": "x"})) == ["version"]
        assert_error(api.patch(f"{URL}/{customer.pk}", {"version": 1, "name": None}), 422, "validation_error")
        assert_error(
            api.patch(f"{URL}/{customer.pk}", {"version": 1, "status": "blocked"}), 422, "validation_error"
        )

    def test_patch_validation_codes(self, api, dealer, other_dealer):
        customer = make_customer(dealer)
        assert_error(api.patch(f"{URL}/{customer.pk}", {"version": 1, "mobile": "999"}), 422, "invalid_phone")
        body = assert_error(
            api.patch(f"{URL}/{customer.pk}", {"version": 1, "channel_id": make_channel(other_dealer).pk}),
            422,
            "invalid_reference",
        )
        assert body["details"][0]["field"] == "channel_id"

    def test_status_changes(self, api, dealer):
        customer = make_customer(dealer, status="prospect")
        response = api.post(f"{URL}/{customer.pk}/status", {"to": "active"})
        assert response.status_code == 200 and response.json()["status"] == "active"
        body = assert_error(
            api.post(f"{URL}/{customer.pk}/status", {"to": "prospect"}), 409, "invalid_transition"
        )
        assert body["details"]["allowed"] == ["archived", "blocked"]
        response = api.post(f"{URL}/{customer.pk}/status", {"to": "blocked", "reason": "逾期", "version": 2})
        assert response.json()["status_reason"] == "逾期"
        assert_error(
            api.post(f"{URL}/{customer.pk}/status", {"to": "active", "version": 2}), 409, "stale_version"
        )
        assert_error(api.post(f"{URL}/{customer.pk}/status", {"to": "frozen"}), 422, "validation_error")

    def test_archived_customer_cannot_be_patched(self, api, dealer):
        customer = make_customer(dealer, status="archived")
        assert_error(api.patch(f"{URL}/{customer.pk}", {"version": 1, "name": "x"}), 409, "customer_archived")


class TestAccess:
    def test_another_dealers_customer_is_404_everywhere(self, api, other_dealer):
        customer = make_customer(other_dealer)
        contact, address = make_contact(customer), make_address(customer)
        base = f"{URL}/{customer.pk}"
        for response in (
            api.get(base),
            api.patch(base, {"version": 1, "name": "x"}),
            api.post(f"{base}/status", {"to": "blocked"}),
            api.post(f"{base}/contacts", {"name": "x"}),
            api.patch(f"{base}/contacts/{contact.pk}", {"name": "x"}),
            api.delete(f"{base}/contacts/{contact.pk}"),
            api.post(f"{base}/addresses", {"line": "x"}),
            api.patch(f"{base}/addresses/{address.pk}", {"line": "x"}),
            api.delete(f"{base}/addresses/{address.pk}"),
            api.get(f"{URL}/999999999"),
        ):
            assert_error(response, 404, "not_found")
        customer.refresh_from_db()
        assert (customer.version, customer.status) == (1, "active")

    def test_api_key_scopes(self, admin_user, dealer):
        customer = make_customer(dealer)
        read_only = ApiClient(admin_user, scopes=("parties:read",))
        assert read_only.get(URL).status_code == 200
        body = assert_error(read_only.post(URL, {"kind": "business", "name": "x"}), 403, "permission_denied")
        assert body["details"] == {"scope": "parties:write"}
        assert_error(
            read_only.post(f"{URL}/{customer.pk}/status", {"to": "blocked"}), 403, "permission_denied"
        )
        other_app = ApiClient(admin_user, scopes=("catalog:read",))
        assert_error(other_app.get(URL), 403, "permission_denied")

    def test_role_without_permission(self, dealer):
        clerk = ApiClient(make_user(dealer, Role.WAREHOUSE_CLERK))
        body = assert_error(clerk.get(URL), 403, "permission_denied")
        assert body["details"] == {"permission": "parties.view_customer"}
        finance = ApiClient(make_user(dealer, Role.FINANCE))
        customer = make_customer(dealer)
        assert finance.get(f"{URL}/{customer.pk}").status_code == 200
        body = assert_error(
            finance.post(f"{URL}/{customer.pk}/contacts", {"name": "x"}), 403, "permission_denied"
        )
        assert body["details"] == {"permission": "parties.add_contact"}

    def test_anonymous_is_401(self, client, db):
        assert_error(client.get(URL), 401, "not_authenticated")
