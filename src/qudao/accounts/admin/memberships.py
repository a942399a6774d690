"""Memberships in the console: sites limited to the company, the membership rules on save."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from import_export import resources

from qudao.accounts.admin.base import ActorFormAdminMixin, MembershipCompanyFilter, PlatformImportOnlyMixin
from qudao.accounts.forms import MembershipAdminForm
from qudao.accounts.models import Membership
from qudao.accounts.services.memberships import deactivate_membership
from qudao.core.admin import QudaoModelAdmin
from qudao.core.errors import QudaoError
from qudao.core.scoping import get_actor, scoped


class MembershipResource(resources.ModelResource):
    class Meta:
        model = Membership
        fields = (
            "id",
            "user",
            "user__username",
            "company",
            "company__code",
            "role",
            "is_active",
            "created_at",
        )
        export_order = fields


@admin.register(Membership)
class MembershipAdmin(ActorFormAdminMixin, PlatformImportOnlyMixin, QudaoModelAdmin):
    form = MembershipAdminForm
    resource_classes = [MembershipResource]
    dealer_field = None
    list_display = ("user", "company", "role", "site_list", "is_active", "updated_at")
    list_filter = ("role", "is_active", MembershipCompanyFilter)
    search_fields = (
        "user__username",
        "user__first_name",
        "user__last_name",
        "company__code",
        "company__name",
    )
    autocomplete_fields = ("user",)
    list_select_related = ("user", "company")
    actions = ["deactivate_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("sites")

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        return (*readonly, "user", "company") if obj is not None else readonly

    @admin.display(description=_("sites"))
    def site_list(self, obj: Membership) -> str:
        return ", ".join(str(s) for s in obj.sites.all()) or str(_("every site"))

    def has_delete_permission(self, request, obj=None):
        # Deactivate instead: the membership stays in the record of who could do what, when.
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    @admin.action(description=_("Deactivate selected memberships"), permissions=["change"])
    def deactivate_selected(self, request, queryset):
        actor = get_actor(request)
        done = 0
        for membership in (
            scoped(queryset, actor, for_write=True).filter(is_active=True).select_related("company")
        ):
            try:
                deactivate_membership(actor=actor, membership=membership)
                done += 1
            except QudaoError as exc:
                self.message_user(request, f"{membership}: {exc.render()}", messages.ERROR)
        self.message_user(
            request, _("%(count)d memberships deactivated.") % {"count": done}, messages.SUCCESS
        )
