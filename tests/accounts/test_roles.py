"""Roles → permissions → Django groups → console access."""

import re

import pytest
from django.contrib.auth.models import Group, Permission

from qudao.accounts import roles
from qudao.accounts.models import Membership, Role, User
from qudao.accounts.roles import (
    CONSOLE_ROLES,
    DEALER_ROLES,
    ROLE_PERMISSIONS,
    permissions_for,
    role_group_name,
)
from qudao.accounts.services.access import sync_role_groups, sync_user_access
from tests.accounts.factories import add_membership, make_supplier
from tests.factories import make_user

PERM = re.compile(r"^[a-z_]+\.[a-z]+_[a-z_]+$")


def test_every_role_has_permissions_and_a_company_kind():
    assert set(ROLE_PERMISSIONS) == set(Role.values)
    assert set(roles.ROLE_COMPANY_KIND) == set(Role.values)
    for role, perms in ROLE_PERMISSIONS.items():
        assert perms, role
        assert all(PERM.match(p) for p in perms), role


@pytest.mark.django_db
def test_every_granted_permission_exists():
    """No typo grants nothing: each name is a permission of an installed, migrated model (Django's
    view/add/change/delete or one declared in a model's Meta.permissions)."""
    from django.contrib.auth.models import Permission

    known = {
        f"{p.content_type.app_label}.{p.codename}" for p in Permission.objects.select_related("content_type")
    }
    for role, perms in ROLE_PERMISSIONS.items():
        assert not sorted(perms - known), role


def test_role_permission_mapping():
    admin = ROLE_PERMISSIONS[Role.DEALER_ADMIN]
    assert {
        "accounts.add_user",
        "accounts.change_user",
        "accounts.add_membership",
        "accounts.delete_membership",
        "org.change_site",
        "core.view_outboxevent",
    } <= admin
    assert "accounts.delete_user" not in admin  # users are deactivated, never deleted

    rep = ROLE_PERMISSIONS[Role.SALES_REP]
    assert "parties.add_customer" in rep
    assert "accounts.view_user" not in rep and "accounts.add_membership" not in rep
    assert "catalog.change_item" not in rep

    assert ROLE_PERMISSIONS[Role.TECHNICIAN] == roles.BASE
    assert "catalog.add_barcode" in ROLE_PERMISSIONS[Role.WAREHOUSE_CLERK]
    assert "org.add_company" in ROLE_PERMISSIONS[Role.PURCHASER]  # registers suppliers
    assert {"org.change_dealership", "accounts.add_membership"} <= ROLE_PERMISSIONS[Role.BRAND_MANAGER]
    assert ROLE_PERMISSIONS[Role.SUPPLIER_USER] == {"catalog.view_item", "org.view_company"} | roles.OWN_KEYS
    assert ROLE_PERMISSIONS[Role.RETAILER_USER] == {"catalog.view_item"}


def test_console_roles():
    assert Role.RETAILER_USER not in CONSOLE_ROLES
    assert DEALER_ROLES <= CONSOLE_ROLES
    assert {Role.BRAND_MANAGER, Role.SUPPLIER_USER} <= CONSOLE_ROLES


def test_permissions_for_is_the_union():
    both = permissions_for({Role.WAREHOUSE_CLERK, Role.FINANCE})
    assert both == frozenset(ROLE_PERMISSIONS[Role.WAREHOUSE_CLERK] | ROLE_PERMISSIONS[Role.FINANCE])
    assert permissions_for(set()) == frozenset()


def _existing(perms: set[str]) -> set[str]:
    rows = Permission.objects.values_list("content_type__app_label", "codename")
    known = {f"{app}.{codename}" for app, codename in rows}
    return perms & known


def _group_perms(role: str) -> set[str]:
    group = Group.objects.get(name=role_group_name(role))
    return {
        f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")
    }


@pytest.mark.django_db
def test_migrate_created_one_group_per_role_with_exactly_its_permissions():
    # post_migrate ran when the test database was built: no explicit sync here
    names = set(Group.objects.filter(name__startswith="role:").values_list("name", flat=True))
    assert names == {f"role:{r}" for r in Role.values}
    for role in Role.values:
        assert _group_perms(role) == _existing(ROLE_PERMISSIONS[role]), role
    assert "accounts.add_membership" in _group_perms(Role.DEALER_ADMIN)


@pytest.mark.django_db
def test_sync_role_groups_is_idempotent_and_removes_extra_permissions():
    group = Group.objects.get(name="role:technician")
    group.permissions.add(Permission.objects.get(codename="delete_user", content_type__app_label="accounts"))
    sync_role_groups()
    ids_first = dict(Group.objects.filter(name__startswith="role:").values_list("name", "pk"))
    perms_first = _group_perms(Role.TECHNICIAN)
    sync_role_groups()
    assert dict(Group.objects.filter(name__startswith="role:").values_list("name", "pk")) == ids_first
    assert _group_perms(Role.TECHNICIAN) == perms_first == _existing(roles.BASE)
    assert "accounts.delete_user" not in perms_first


@pytest.mark.django_db
def test_permissions_of_apps_not_migrated_are_skipped(monkeypatch):
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.TECHNICIAN, roles.BASE | {"workshop.view_repairorder"})
    missing = sync_role_groups()
    assert "workshop.view_repairorder" in missing[Role.TECHNICIAN]
    assert _group_perms(Role.TECHNICIAN) == _existing(roles.BASE)


@pytest.mark.django_db
def test_user_groups_follow_active_memberships(dealer):
    user = make_user(dealer, Role.SALES_REP)
    assert set(user.groups.values_list("name", flat=True)) == {"role:sales_rep"}
    assert User.objects.get(pk=user.pk).is_staff is True

    finance = add_membership(user, dealer, Role.FINANCE)
    assert set(user.groups.values_list("name", flat=True)) == {"role:sales_rep", "role:finance"}

    rep = Membership.objects.get(user=user, role=Role.SALES_REP)
    rep.is_active = False
    rep.save()  # an edit outside the services (console): the signal re-syncs
    assert set(user.groups.values_list("name", flat=True)) == {"role:finance"}

    finance.delete()
    user.refresh_from_db()
    assert list(user.groups.values_list("name", flat=True)) == []
    assert user.is_staff is False


@pytest.mark.django_db
def test_only_console_roles_make_staff(dealer):
    retailer = make_user(dealer, Role.RETAILER_USER)
    retailer.refresh_from_db()
    assert retailer.is_staff is False
    assert list(retailer.groups.values_list("name", flat=True)) == ["role:retailer_user"]

    supplier_user = make_user(make_supplier(), Role.SUPPLIER_USER)
    supplier_user.refresh_from_db()
    assert supplier_user.is_staff is True


@pytest.mark.django_db
def test_console_permissions_come_from_the_groups(dealer):
    admin = make_user(dealer, Role.DEALER_ADMIN)
    rep = make_user(dealer, Role.SALES_REP)
    assert User.objects.get(pk=admin.pk).has_perm("accounts.add_membership") is True
    assert User.objects.get(pk=rep.pk).has_perm("accounts.add_membership") is False
    assert User.objects.get(pk=rep.pk).has_perm("accounts.add_apikey") is True


@pytest.mark.django_db
def test_hand_made_groups_are_kept_and_manual_staff_flag_is_corrected(dealer):
    auditors = Group.objects.create(name="auditors")
    user = make_user(dealer, Role.TECHNICIAN)
    user.groups.add(auditors)
    User.objects.filter(pk=user.pk).update(is_staff=False)
    sync_user_access(User.objects.get(pk=user.pk))
    user.refresh_from_db()
    assert set(user.groups.values_list("name", flat=True)) == {"auditors", "role:technician"}
    assert user.is_staff is True

    loner = make_user(None, username="loner")
    User.objects.filter(pk=loner.pk).update(is_staff=True)
    sync_user_access(User.objects.get(pk=loner.pk))
    assert User.objects.get(pk=loner.pk).is_staff is False


@pytest.mark.django_db
def test_superusers_stay_staff_and_inactive_companies_grant_nothing(dealer, superuser):
    sync_user_access(superuser)
    assert User.objects.get(pk=superuser.pk).is_staff is True

    user = make_user(dealer, Role.MANAGER)
    dealer.is_active = False
    dealer.save()
    sync_user_access(User.objects.get(pk=user.pk))
    user.refresh_from_db()
    assert user.is_staff is False
    assert list(user.groups.values_list("name", flat=True)) == []


@pytest.mark.django_db
def test_missing_role_groups_are_recreated_on_demand(dealer):
    Group.objects.filter(name="role:purchaser").delete()
    user = make_user(dealer, Role.PURCHASER)
    assert list(user.groups.values_list("name", flat=True)) == ["role:purchaser"]
    assert _group_perms(Role.PURCHASER) == _existing(ROLE_PERMISSIONS[Role.PURCHASER])


@pytest.mark.django_db
def test_every_role_permission_exists_in_the_migrated_database():
    # a typo in roles.py ("catalog.view_items") would silently grant nothing: catch it here
    assert sync_role_groups() == {}


@pytest.mark.django_db
def test_deactivating_a_company_takes_its_members_console_access_away(
    dealer, superuser, django_capture_on_commit_callbacks
):
    from qudao.org.services.companies import update_company
    from tests.accounts.factories import actor_of

    user = make_user(dealer, Role.MANAGER)
    with django_capture_on_commit_callbacks(execute=True):
        update_company(actor=actor_of(superuser), company=dealer, data={"is_active": False})
    user.refresh_from_db()
    assert user.is_staff is False and user.groups.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        update_company(actor=actor_of(superuser), company=dealer, data={"is_active": True})
    user.refresh_from_db()
    assert user.is_staff is True
    assert list(user.groups.values_list("name", flat=True)) == ["role:manager"]
