"""Roles → Django groups → console access.

* `sync_role_groups()` keeps one Group per role ("role:<role>") holding exactly the role's
  permissions (roles.py). It runs after every `migrate` and is idempotent.
* `sync_user_access(user)` puts a user in the groups of its active roles (other groups a platform
  administrator assigned by hand are kept) and sets `is_staff` when one of them may open the
  console. Superusers are platform administrators: always staff.
"""

from __future__ import annotations

import logging

from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS, transaction

from qudao.accounts.models import Membership, Role, User
from qudao.accounts.roles import CONSOLE_ROLES, ROLE_GROUP_PREFIX, ROLE_PERMISSIONS, role_group_name

logger = logging.getLogger(__name__)


def _permission_ids(using: str) -> dict[str, int]:
    rows = Permission.objects.using(using).values_list("pk", "content_type__app_label", "codename")
    return {f"{app}.{codename}": pk for pk, app, codename in rows}


def sync_role_groups(*, using: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    """Create/update one group per role with exactly its permissions.

    Returns, per role, the permissions that do not exist (yet) in the database: an app that is
    not installed or not migrated. They are skipped and picked up by the next run.
    """
    missing: dict[str, list[str]] = {}
    with transaction.atomic(using=using):
        index = _permission_ids(using)
        for role in Role:
            wanted = ROLE_PERMISSIONS.get(role, set())
            group, _ = Group.objects.using(using).get_or_create(name=role_group_name(role))
            group.permissions.set(sorted(index[p] for p in wanted if p in index))
            absent = sorted(p for p in wanted if p not in index)
            if absent:
                missing[str(role)] = absent
    if missing:
        logger.debug("role groups synchronised; permissions not in the database yet: %s", missing)
    return missing


def active_roles(user: User) -> set[str]:
    return set(
        Membership.objects.filter(user=user, is_active=True, company__is_active=True).values_list(
            "role", flat=True
        )
    )


@transaction.atomic
def sync_user_access(user: User) -> User:
    """Groups = the user's active roles; is_staff = superuser or any active console role."""
    roles = active_roles(user)
    wanted_names = {role_group_name(r) for r in roles}
    groups = {g.name: g for g in Group.objects.filter(name__startswith=ROLE_GROUP_PREFIX)}
    if not wanted_names <= set(groups):
        sync_role_groups()
        groups = {g.name: g for g in Group.objects.filter(name__startswith=ROLE_GROUP_PREFIX)}
    current = set(user.groups.filter(name__startswith=ROLE_GROUP_PREFIX).values_list("name", flat=True))
    if current - wanted_names:
        user.groups.remove(*(groups[n] for n in current - wanted_names if n in groups))
    if wanted_names - current:
        user.groups.add(*(groups[n] for n in wanted_names - current))
    is_staff = bool(user.is_superuser or roles & CONSOLE_ROLES)
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
    # ModelBackend caches permissions on the instance: forget them so this request sees the change.
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)
    return user
