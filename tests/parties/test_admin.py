import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from qudao.accounts.models import User
from qudao.core.models import OutboxEvent
from qudao.parties.models import Contact, Customer, CustomerGroup
from tests.factories import make_user
from tests.parties.conftest import VALID_RESIDENT_ID
from tests.parties.factories import make_address, make_contact, make_customer, make_customer_group


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(username="root", password="Qudao-test-2026!")


@pytest.fixture
def staff(dealer):
    """A dealer employee allowed into the console with the customers' permissions."""
    user = make_user(dealer, is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="parties"))
    return user


def form_errors(response):
    context = response.context
    return (context["adminform"].form.errors, [f.formset.errors for f in context["inline_admin_formsets"]])


def customer_form(customer=None, **fields):
    data = {
        "dealer": customer.dealer_id if customer else "",
        "code": "",
        "kind": "business",
        "business_type": "",
        "name": "",
        "legal_name": "",
        "credit_code": "",
        "mobile": "",
        "email": "",
        "id_type": "",
        "id_number": "",
        "customer_group": "",
        "channel": "",
        "home_site": "",
        "sales_rep": "",
        "region": "",
        "source": "",
        "tags": "[]",
        "credit_limit": "0",
        "payment_terms_days": "0",
        "currency": "CNY",
        "notes": "",
        "expected_version": customer.version if customer else "",
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
        "addresses-TOTAL_FORMS": "0",
        "addresses-INITIAL_FORMS": "0",
    }
    if customer is not None:
        for name in ("code", "kind", "business_type", "name"):
            data[name] = getattr(customer, name)
    data.update(fields)
    return data


class TestPagesLoad:
    def test_superuser_pages(self, client, superuser, dealer):
        customer = make_customer(dealer, name="永辉超市")
        make_contact(customer)
        make_address(customer)
        group = make_customer_group(dealer)
        client.force_login(superuser)
        for url in (
            reverse("admin:parties_customer_changelist"),
            reverse("admin:parties_customer_changelist")
            + "?q=永辉&status__exact=active&kind__exact=business",
            reverse("admin:parties_customer_add"),
            reverse("admin:parties_customer_change", args=[customer.pk]),
            reverse("admin:parties_customer_history", args=[customer.pk]),
            reverse("admin:parties_customergroup_changelist"),
            reverse("admin:parties_customergroup_add"),
            reverse("admin:parties_customergroup_change", args=[group.pk]),
            reverse("admin:parties_customer_export"),
            reverse("admin:parties_customer_import"),
        ):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        page = client.get(reverse("admin:parties_customer_change", args=[customer.pk])).content.decode()
        assert "永辉超市" in page and "contacts-TOTAL_FORMS" in page and "addresses-TOTAL_FORMS" in page

    def test_staff_sees_only_its_dealer(self, client, staff, dealer, other_dealer):
        make_customer(dealer, code="MINE-1")
        theirs = make_customer(other_dealer, code="THEIRS-1")
        client.force_login(staff)
        page = client.get(reverse("admin:parties_customer_changelist")).content.decode()
        assert "MINE-1" in page and "THEIRS-1" not in page
        response = client.get(reverse("admin:parties_customer_change", args=[theirs.pk]))
        assert response.status_code == 302


class TestSaveThroughServices:
    def test_add_numbers_the_customer_and_saves_contacts(self, client, staff, dealer):
        client.force_login(staff)
        data = customer_form(
            dealer=dealer.pk,
            name="福州批发部",
            mobile="+86 138 0013 8000",
            **{
                "contacts-TOTAL_FORMS": "2",
                "contacts-0-name": "张经理",
                "contacts-0-phone": "13800138000",
                "contacts-0-is_primary": "on",
                "contacts-1-name": "李会计",
                "contacts-1-phone": "021-12345678",
                "contacts-1-is_primary": "on",
            },
        )
        response = client.post(reverse("admin:parties_customer_add"), data)
        assert response.status_code == 302, form_errors(response)
        customer = Customer.objects.get()
        assert (customer.code, customer.mobile, customer.version) == ("C-000001", "13800138000", 1)
        assert list(customer.contacts.filter(is_primary=True).values_list("name", flat=True)) == ["李会计"]
        assert OutboxEvent.objects.filter(topic="parties.customer.created").count() == 1

    def test_field_rules_show_on_the_form(self, client, staff, dealer):
        client.force_login(staff)
        response = client.post(
            reverse("admin:parties_customer_add"),
            customer_form(dealer=dealer.pk, name="x", mobile="123", credit_code="BAD"),
        )
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        assert set(errors) == {"mobile", "credit_code"}
        assert not Customer.objects.exists()

    def test_change_keeps_only_a_masked_document_and_bumps_the_version(self, client, staff, dealer):
        customer = make_customer(dealer, kind="individual", name="王小明")
        client.force_login(staff)
        response = client.post(
            reverse("admin:parties_customer_change", args=[customer.pk]),
            customer_form(customer, id_type="resident_id", id_number=VALID_RESIDENT_ID),
        )
        assert response.status_code == 302, form_errors(response)
        customer.refresh_from_db()
        assert (customer.id_number_masked, customer.version) == ("110***********002X", 2)

    def test_stale_form_is_refused(self, client, staff, dealer):
        customer = make_customer(dealer, name="原名")
        stale = customer_form(customer, name="我的修改")
        Customer.objects.filter(pk=customer.pk).update(version=2)
        client.force_login(staff)
        response = client.post(reverse("admin:parties_customer_change", args=[customer.pk]), stale)
        assert response.status_code == 200
        assert "stale_version" in [e.code for e in response.context["adminform"].form.non_field_errors().data]
        customer.refresh_from_db()
        assert customer.name == "原名"

    def test_inline_edit_and_delete_go_through_services(self, client, staff, dealer):
        customer = make_customer(dealer)
        keep, drop = make_contact(customer, name="保留"), make_contact(customer, name="删除")
        client.force_login(staff)
        data = customer_form(
            customer,
            **{
                "contacts-TOTAL_FORMS": "2",
                "contacts-INITIAL_FORMS": "2",
                "contacts-0-id": keep.pk,
                "contacts-0-customer": customer.pk,
                "contacts-0-name": "保留",
                "contacts-0-title": "采购经理",
                "contacts-0-phone": keep.phone,
                "contacts-1-id": drop.pk,
                "contacts-1-customer": customer.pk,
                "contacts-1-name": "删除",
                "contacts-1-phone": drop.phone,
                "contacts-1-DELETE": "on",
            },
        )
        response = client.post(reverse("admin:parties_customer_change", args=[customer.pk]), data)
        assert response.status_code == 302, form_errors(response)
        assert list(Contact.objects.values_list("name", "title")) == [("保留", "采购经理")]
        assert OutboxEvent.objects.filter(topic="parties.customer.updated").count() == 2

    def test_group_admin_saves_through_services(self, client, staff, dealer):
        make_customer_group(dealer, code="KA")
        client.force_login(staff)
        url = reverse("admin:parties_customergroup_add")
        response = client.post(url, {"dealer": dealer.pk, "code": "SMALL", "name": "小店", "description": ""})
        assert response.status_code == 302
        response = client.post(url, {"dealer": dealer.pk, "code": "KA", "name": "重复", "description": ""})
        assert response.status_code == 200 and "__all__" in response.context["adminform"].form.errors
        assert sorted(CustomerGroup.objects.values_list("code", flat=True)) == ["KA", "SMALL"]


class TestActions:
    def test_status_actions_call_the_state_machine(self, client, staff, dealer):
        prospect = make_customer(dealer, status="prospect")
        archived = make_customer(dealer, status="archived")
        client.force_login(staff)
        url = reverse("admin:parties_customer_changelist")
        response = client.post(
            url, {"action": "activate", "_selected_action": [prospect.pk, archived.pk]}, follow=True
        )
        prospect.refresh_from_db()
        archived.refresh_from_db()
        assert (prospect.status, archived.status) == ("active", "archived")
        texts = [str(m) for m in response.context["messages"]]
        assert any(archived.code in t for t in texts)
        client.post(url, {"action": "block", "_selected_action": [prospect.pk]})
        prospect.refresh_from_db()
        assert prospect.status == "blocked"
        client.post(url, {"action": "archive", "_selected_action": [prospect.pk]})
        prospect.refresh_from_db()
        assert prospect.status == "archived"
        assert OutboxEvent.objects.filter(topic="parties.customer.status_changed").count() == 3


def test_service_refusal_is_a_message_not_a_crash(client, staff, dealer):
    client.force_login(staff)
    response = client.post(
        reverse("admin:parties_customergroup_add"),
        {"dealer": dealer.pk, "code": "K A", "name": "坏代码", "description": ""},
        follow=True,
    )
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not CustomerGroup.objects.exists()
