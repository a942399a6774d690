import pytest

from qudao.core.errors import DuplicateRecord, PermissionDeniedError, ValidationFailed
from qudao.core.models import OutboxEvent
from qudao.org.errors import InUse, PlatformAdminOnly
from qudao.org.models import Company, Region
from qudao.org.services.companies import create_company, deactivate_company, delete_company, update_company
from tests.factories import make_company, make_site, make_user


def _fields(exc):
    return {d["field"] for d in exc.value.details}


def test_dealer_registers_its_supplier(dealer, dealer_actor):
    supplier = create_company(
        actor=dealer_actor,
        data={
            "code": "SUP-001",
            "name": "上海包装材料有限公司",
            "is_supplier": True,
            "credit_code": "91110000600037341l",
            "region_code": "310101",
        },
    )
    supplier.refresh_from_db()
    assert supplier.owner_id == dealer.pk
    assert supplier.credit_code == "91110000600037341L"
    assert supplier.region == Region.objects.get(code="310101")
    assert supplier.roles == ["supplier"]
    assert supplier.history.count() == 1
    event = OutboxEvent.objects.get(topic="org.company.created")
    assert event.payload == {
        "company_id": supplier.pk,
        "code": "SUP-001",
        "roles": ["supplier"],
        "owner_id": dealer.pk,
    }
    assert event.dealer_id == dealer.pk
    assert event.actor_id == dealer_actor.user_id


def test_every_field_error_is_reported_at_once(dealer_actor):
    with pytest.raises(ValidationFailed) as exc:
        create_company(
            actor=dealer_actor,
            data={
                "code": "X1",
                "name": "x",
                "credit_code": "91110000600037341X",
                "region_code": "999999",
                "time_zone": "Mars/Olympus",
                "currency": "rmb",
                "email": "not-an-email",
            },
        )
    assert _fields(exc) == {"credit_code", "region_code", "time_zone", "currency", "roles", "email"}
    assert not Company.objects.filter(code="X1").exists()


def test_duplicate_code_is_409(dealer, dealer_actor):
    with pytest.raises(DuplicateRecord) as exc:
        create_company(actor=dealer_actor, data={"code": dealer.code, "name": "x", "is_carrier": True})
    assert exc.value.details == [{"field": "code", "message": "This value is already used."}]


def test_only_a_platform_admin_opens_dealers_brands_and_directory_entries(dealer_actor, platform_actor):
    for flag in ("is_dealer", "is_brand", "is_public"):
        with pytest.raises(PlatformAdminOnly):
            create_company(
                actor=dealer_actor, data={"code": f"N-{flag}", "name": "n", "is_supplier": True, flag: True}
            )
    brand = create_company(
        actor=platform_actor, data={"code": "BR-NEW", "name": "新品牌", "is_brand": True, "is_public": True}
    )
    assert brand.owner_id is None
    assert brand.is_public


def test_a_user_of_several_dealers_must_choose(dealer, other_dealer):
    user = make_user(dealer)
    from qudao.accounts.models import Membership

    Membership.objects.create(user=user, company=other_dealer, role="dealer_admin")
    from tests.org.factories import actor_for

    with pytest.raises(PermissionDeniedError):
        create_company(actor=actor_for(user), data={"code": "S9", "name": "s", "is_supplier": True})
    company = create_company(
        actor=actor_for(user),
        data={"code": "S9", "name": "s", "is_supplier": True, "owner_id": other_dealer.pk},
    )
    assert company.owner_id == other_dealer.pk


def test_update_records_changes_and_refuses_role_escalation(dealer, dealer_actor):
    supplier = make_company(roles=("supplier",), owner=dealer)
    updated = update_company(
        actor=dealer_actor, company=supplier, data={"name": "新名称", "is_carrier": True}
    )
    assert updated.name == "新名称"
    assert updated.roles == ["supplier", "carrier"]
    event = OutboxEvent.objects.get(topic="org.company.updated")
    assert event.payload["changed"] == ["name", "is_carrier"]
    with pytest.raises(PlatformAdminOnly):
        update_company(actor=dealer_actor, company=supplier, data={"is_dealer": True})
    with pytest.raises(ValidationFailed) as exc:
        update_company(actor=dealer_actor, company=supplier, data={"is_supplier": False, "is_carrier": False})
    assert _fields(exc) == {"roles"}
    # no change, no event
    update_company(actor=dealer_actor, company=supplier, data={"name": "新名称"})
    assert OutboxEvent.objects.filter(topic="org.company.updated").count() == 1


def test_a_dealer_cannot_deactivate_itself(dealer, dealer_actor, platform_actor):
    with pytest.raises(PlatformAdminOnly):
        deactivate_company(actor=dealer_actor, company=dealer)
    deactivate_company(actor=platform_actor, company=dealer)
    dealer.refresh_from_db()
    assert dealer.is_active is False
    assert OutboxEvent.objects.filter(topic="org.company.deactivated", payload__company_id=dealer.pk).exists()


def test_delete_only_what_nothing_refers_to(dealer, platform_actor):
    make_site(dealer)
    with pytest.raises(InUse) as exc:
        delete_company(actor=platform_actor, company=dealer)
    assert exc.value.code == "in_use"
    assert "sites" in exc.value.details["used_by"]
    assert Company.objects.filter(pk=dealer.pk).exists()
    typo = make_company(roles=("carrier",))
    typo_id = typo.pk
    delete_company(actor=platform_actor, company=typo)
    assert not Company.objects.filter(pk=typo_id).exists()
    assert OutboxEvent.objects.filter(topic="org.company.deleted", payload__company_id=typo_id).exists()


def test_a_brand_listed_on_sites_is_in_use(dealer, brand, platform_actor):
    make_site(dealer).brands.add(brand)
    with pytest.raises(InUse):
        delete_company(actor=platform_actor, company=brand)
