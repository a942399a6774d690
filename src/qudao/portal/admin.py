"""Console: dealer staff grant retailer users access to the portal for their stores."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from qudao.accounts.models import Role, User
from qudao.core.admin import QudaoModelAdmin, run_for_each
from qudao.core.errors import QudaoError
from qudao.core.scoping import get_actor
from qudao.portal import services
from qudao.portal.models import PortalAccess


@admin.register(PortalAccess)
class PortalAccessAdmin(QudaoModelAdmin):
    list_display = ("user", "customer", "dealer", "is_active", "note", "updated_at")
    list_filter = ("is_active", ("dealer", admin.RelatedOnlyFieldListFilter))
    search_fields = ("user__username", "customer__name", "customer__code")
    autocomplete_fields = ("customer",)
    fields = ("user", "customer", "note", "is_active")
    readonly_state_fields = ("is_active",)
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        return (*readonly, "user", "customer", "dealer") if obj is not None else readonly

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "user" and field is not None:
            actor = get_actor(request)
            retailers = User.objects.filter(
                memberships__role=Role.RETAILER_USER, memberships__is_active=True, is_active=True
            )
            if not actor.is_platform_admin:
                retailers = retailers.filter(memberships__company__in=sorted(actor.own_dealer_ids))
            field.queryset = retailers.distinct().order_by("username")
        return field

    def save_model(self, request, obj, form, change):
        actor = get_actor(request)
        if change:
            obj.note = form.cleaned_data.get("note", obj.note)
            obj.save(update_fields=["note", "updated_at"])
            return
        access = services.grant_portal_access(
            actor=actor, data={"user_id": obj.user_id, "customer_id": obj.customer_id, "note": obj.note}
        )
        obj.pk = access.pk
        obj._state.adding = False
        obj.refresh_from_db()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except QudaoError as exc:  # the service refused (not a retailer of this dealer, …): nothing saved
            self.message_user(request, exc.render(), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    @admin.action(description=_("Revoke portal access"), permissions=["change"])
    def revoke(self, request, queryset):
        run_for_each(
            self,
            request,
            queryset,
            lambda actor, pk: services.revoke_portal_access(actor=actor, access_id=pk),
            _("%(count)s accesses revoked."),
        )
