"""Console pages of the organisation app. Saves, imports and workflow actions go through the services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import RangeDateFilter

from qudao.core.admin import QudaoModelAdmin, QudaoReadOnlyAdmin
from qudao.core.errors import QudaoError
from qudao.core.scoping import get_actor
from qudao.org.forms import ServiceFormMixin, service_data
from qudao.org.models import Channel, Company, Dealership, DealershipStatus, Region, Site, Territory
from qudao.org.resources import ChannelResource, CompanyResource, SiteResource, TerritoryResource
from qudao.org.services import channels, companies, dealerships, sites, territories
from qudao.org.states import DEALERSHIP_MACHINE


class ServiceAdmin(QudaoModelAdmin):
    """A model admin whose add/change forms are checked and saved by the app's services."""

    clean_service: Callable[..., Any]
    create_service: Callable[..., Any]
    update_service: Callable[..., Any]
    instance_kwarg: str

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        attrs = {
            "actor": get_actor(request),
            "clean_service": staticmethod(type(self).clean_service),
            "instance_kwarg": self.instance_kwarg,
        }
        return type(f"Service{form.__name__}", (ServiceFormMixin, form), attrs)

    def save_model(self, request, obj, form, change):
        actor = get_actor(request)
        names = form.changed_data if change else list(form.cleaned_data)
        data = service_data(self.model, form.cleaned_data, names)
        service = type(self)
        if change:
            saved = service.update_service(actor=actor, data=data, **{self.instance_kwarg: obj})
        else:
            saved = service.create_service(actor=actor, data=data)
        obj.pk = saved.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        # Many-to-many fields were written by the service; only inlines are left.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def _run(self, request, queryset, action: Callable[[Any], Any], done: str) -> None:
        count, failures = 0, []
        for obj in queryset:
            try:
                action(obj)
                count += 1
            except QudaoError as exc:
                failures.append(f"{obj}: {exc.render()}")
        if count:
            self.message_user(request, done % {"count": count}, messages.SUCCESS)
        for failure in failures:
            self.message_user(request, failure, messages.ERROR)


@admin.register(Company)
class CompanyAdmin(ServiceAdmin):
    resource_classes = [CompanyResource]
    clean_service = staticmethod(companies.clean_company_data)
    create_service = staticmethod(companies.create_company)
    update_service = staticmethod(companies.update_company)
    instance_kwarg = "company"
    dealer_field = None
    list_display = (
        "code",
        "name",
        "short_name",
        "is_brand",
        "is_dealer",
        "is_supplier",
        "is_carrier",
        "is_financier",
        "region",
        "is_public",
        "is_active",
    )
    list_filter = (
        "is_brand",
        "is_dealer",
        "is_supplier",
        "is_carrier",
        "is_financier",
        "is_public",
        "is_active",
    )
    search_fields = ("code", "name", "short_name", "credit_code")
    autocomplete_fields = ("region", "owner")
    readonly_fields = ("created_at", "updated_at")
    actions = ["deactivate"]
    fieldsets = (
        (None, {"fields": ("code", "name", "short_name", "credit_code", "owner", "is_active")}),
        (
            _("Roles"),
            {"fields": ("is_brand", "is_dealer", "is_supplier", "is_carrier", "is_financier", "is_public")},
        ),
        (_("Contact"), {"fields": ("region", "address", "phone", "email")}),
        (_("Settings"), {"fields": ("time_zone", "currency", "created_at", "updated_at")}),
    )

    @admin.action(description=_("Deactivate the selected companies"), permissions=["change"])
    def deactivate(self, request, queryset):
        actor = get_actor(request)
        self._run(
            request,
            queryset.filter(is_active=True),
            lambda c: companies.deactivate_company(actor=actor, company=c),
            _("%(count)d companies deactivated."),
        )


@admin.register(Site)
class SiteAdmin(ServiceAdmin):
    resource_classes = [SiteResource]
    clean_service = staticmethod(sites.clean_site_data)
    create_service = staticmethod(sites.create_site)
    update_service = staticmethod(sites.update_site)
    instance_kwarg = "site"
    list_display = ("code", "name", "dealer", "kind", "region", "latitude", "longitude", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name", "address", "dealer__name", "dealer__code")
    autocomplete_fields = ("dealer", "region", "brands")
    readonly_fields = ("created_at", "updated_at")
    list_select_related = ("dealer", "region")
    actions = ["deactivate"]

    @admin.action(description=_("Deactivate the selected sites"), permissions=["change"])
    def deactivate(self, request, queryset):
        actor = get_actor(request)
        self._run(
            request,
            queryset.filter(is_active=True),
            lambda s: sites.deactivate_site(actor=actor, site=s),
            _("%(count)d sites deactivated."),
        )


@admin.register(Channel)
class ChannelAdmin(ServiceAdmin):
    resource_classes = [ChannelResource]
    clean_service = staticmethod(channels.clean_channel_data)
    create_service = staticmethod(channels.create_channel)
    update_service = staticmethod(channels.update_channel)
    instance_kwarg = "channel"
    list_display = ("code", "name", "dealer", "kind", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name", "dealer__name")
    autocomplete_fields = ("dealer",)
    readonly_fields = ("created_at", "updated_at")
    list_select_related = ("dealer",)


@admin.register(Region)
class RegionAdmin(QudaoReadOnlyAdmin):
    list_display = ("code", "name", "level", "parent", "latitude", "longitude", "coordinates_source")
    list_filter = ("level", "coordinates_source")
    search_fields = ("code", "name")
    list_select_related = ("parent",)
    ordering = ("code",)
    fields = ("code", "name", "level", "parent", "latitude", "longitude", "coordinates_source")
    readonly_fields = fields


@admin.register(Territory)
class TerritoryAdmin(ServiceAdmin):
    resource_classes = [TerritoryResource]
    clean_service = staticmethod(territories.clean_territory_data)
    create_service = staticmethod(territories.create_territory)
    update_service = staticmethod(territories.update_territory)
    instance_kwarg = "territory"
    dealer_field = None
    list_display = ("code", "name", "owner", "region_count", "has_polygon")
    search_fields = ("code", "name", "owner__name")
    autocomplete_fields = ("owner", "regions")
    readonly_fields = ("created_at", "updated_at")
    list_select_related = ("owner",)

    @admin.display(description=_("regions"))
    def region_count(self, obj: Territory) -> int:
        return obj.regions.count()

    @admin.display(description=_("polygon"), boolean=True)
    def has_polygon(self, obj: Territory) -> bool:
        return bool(obj.polygon)


class DealershipStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return DealershipStatus.choices

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


@admin.register(Dealership)
class DealershipAdmin(ServiceAdmin):
    clean_service = staticmethod(dealerships.clean_dealership_data)
    create_service = staticmethod(dealerships.create_dealership)
    update_service = staticmethod(dealerships.update_dealership)
    instance_kwarg = "dealership"
    dealer_field = None
    list_display = ("brand", "dealer", "dealer_code", "territory", "valid_from", "valid_to", "status")
    list_filter = (DealershipStatusFilter, ("valid_from", RangeDateFilter))
    search_fields = ("dealer_code", "brand__name", "dealer__name", "dealer__code")
    autocomplete_fields = ("brand", "dealer", "territory")
    readonly_state_fields = ("status",)
    readonly_fields = ("created_at", "updated_at")
    list_select_related = ("brand", "dealer", "territory")
    actions = ["suspend", "reactivate", "terminate"]

    def get_readonly_fields(self, request, obj=None):
        fixed = ("brand", "dealer") if obj is not None else ()
        return tuple(super().get_readonly_fields(request, obj)) + fixed

    def _move(self, request, queryset, to: str, done: str) -> None:
        actor = get_actor(request)
        movable = [d for d in queryset if DEALERSHIP_MACHINE.can(d.status, to)]
        self._run(
            request,
            movable,
            lambda d: dealerships.update_dealership(actor=actor, dealership=d, data={"status": to}),
            done,
        )
        skipped = len(queryset) - len(movable)
        if skipped:
            self.message_user(
                request,
                _("%(count)d dealerships cannot move to this status and were skipped.") % {"count": skipped},
                messages.WARNING,
            )

    @admin.action(description=_("Suspend the selected dealerships"), permissions=["change"])
    def suspend(self, request, queryset):
        self._move(request, queryset, DealershipStatus.SUSPENDED, _("%(count)d dealerships suspended."))

    @admin.action(description=_("Reactivate the selected dealerships"), permissions=["change"])
    def reactivate(self, request, queryset):
        self._move(request, queryset, DealershipStatus.ACTIVE, _("%(count)d dealerships reactivated."))

    @admin.action(description=_("Terminate the selected dealerships"), permissions=["change"])
    def terminate(self, request, queryset):
        self._move(request, queryset, DealershipStatus.TERMINATED, _("%(count)d dealerships terminated."))
