"""Users in the console: unfold's user forms, history, scoped, created with a company and role."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from import_export import resources
from unfold.admin import TabularInline
from unfold.forms import AdminPasswordChangeForm, UserChangeForm

from qudao.accounts.admin.base import ActorFormAdminMixin, CompanyFilter, PlatformImportOnlyMixin
from qudao.accounts.forms import UserAddForm
from qudao.accounts.models import Membership, User
from qudao.accounts.services.access import sync_user_access
from qudao.accounts.services.users import can_manage_account, register_user
from qudao.core.admin import QudaoModelAdmin
from qudao.core.scoping import get_actor, scoped


class UserResource(resources.ModelResource):
    class Meta:
        model = User
        fields = (
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "phone",
            "language",
            "is_active",
            "date_joined",
            "last_login",
        )
        export_order = fields
        import_id_fields = ("username",)
        skip_unchanged = True


class MembershipInline(TabularInline):
    """The user's memberships you can see; change them on the Memberships page."""

    model = Membership
    fk_name = "user"
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ("company", "role", "site_list", "is_active", "updated_at")
    readonly_fields = fields
    verbose_name_plural = _("memberships")

    def get_queryset(self, request):
        return (
            scoped(super().get_queryset(request), get_actor(request))
            .select_related("company")
            .prefetch_related("sites")
        )

    @admin.display(description=_("sites"))
    def site_list(self, obj: Membership) -> str:
        return ", ".join(str(s) for s in obj.sites.all()) or str(_("every site"))

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(ActorFormAdminMixin, PlatformImportOnlyMixin, QudaoModelAdmin, BaseUserAdmin):
    form = UserChangeForm
    add_form = UserAddForm
    change_password_form = AdminPasswordChangeForm
    resource_classes = [UserResource]
    dealer_field = None
    list_display = ("username", "full_name", "email", "phone", "is_active", "is_staff", "last_login")
    list_filter = ("is_active", "is_staff", CompanyFilter, "memberships__role")
    search_fields = ("username", "first_name", "last_name", "email", "phone")
    ordering = ("username",)
    inlines = [MembershipInline]
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "usable_password", "password1", "password2")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email", "phone")}),
        (_("Works for"), {"fields": ("company", "role")}),
    )

    def get_inlines(self, request, obj=None):
        return self.inlines if obj is not None else []

    @admin.display(description=_("name"))
    def full_name(self, obj: User) -> str:
        return obj.get_full_name()

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        access = (
            ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")
            if request.user.is_superuser
            else ("is_active", "is_staff")
        )
        return (
            (None, {"fields": ("username", "password")}),
            (_("Personal info"), {"fields": ("first_name", "last_name", "email", "phone", "language")}),
            (
                _("Access"),
                {
                    "fields": access,
                    "description": _("Console access and groups follow the user's memberships."),
                },
            ),
            (_("Important dates"), {"fields": ("last_login", "date_joined")}),
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = ["last_login", "date_joined"]
        if not request.user.is_superuser:
            readonly.append("is_staff")
        if obj is not None and obj.pk == request.user.pk:
            readonly.append("is_active")
        return (*super().get_readonly_fields(request, obj), *readonly)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if allowed and obj is not None:
            return can_manage_account(actor=get_actor(request), user=obj)
        return allowed

    def has_delete_permission(self, request, obj=None):
        # Users are deactivated, not deleted (their history and documents stay attributed).
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            register_user(actor=get_actor(request), user=obj, grants=form.grants())
            return
        super().save_model(request, obj, form, change)
        sync_user_access(obj)
