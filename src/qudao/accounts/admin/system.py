"""Failed sign-ins (read only) and Django groups (unfold look; role groups read only)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin as UnfoldModelAdmin

from qudao.accounts.models import LoginFailure
from qudao.accounts.roles import ROLE_GROUP_PREFIX
from qudao.core.admin import QudaoReadOnlyAdmin


@admin.register(LoginFailure)
class LoginFailureAdmin(QudaoReadOnlyAdmin):
    dealer_field = None
    list_display = ("username", "ip", "at")
    search_fields = ("username", "ip")
    date_hierarchy = "at"


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin, UnfoldModelAdmin):
    """Groups named "role:…" mirror the roles (roles.py) and are kept in sync: read only here."""

    list_display = ("name", "permission_count", "user_count")

    @admin.display(description=_("permissions"))
    def permission_count(self, obj: Group) -> int:
        return obj.permissions.count()

    @admin.display(description=_("users"))
    def user_count(self, obj: Group) -> int:
        return obj.user_set.count()

    def _is_role_group(self, obj) -> bool:
        return obj is not None and obj.name.startswith(ROLE_GROUP_PREFIX)

    def has_change_permission(self, request, obj=None):
        return not self._is_role_group(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._is_role_group(obj) and super().has_delete_permission(request, obj)
