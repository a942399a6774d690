"""Console building blocks: every business admin is scoped, audited, importable and exportable.

`QudaoModelAdmin` is what each app's admin.py subclasses:
* the change list, the change form and every foreign-key drop-down show only rows the signed-in
  user's data scope allows (`scoped()`), and writes are checked against the write scope;
* history (django-simple-history) is shown on each record: who changed what, when, old/new values;
* Excel/CSV import and export (django-import-export), with the unfold look;
* `readonly_state_fields`: state and quantity fields are read-only; workflow steps are actions.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin as UnfoldModelAdmin
from unfold.contrib.import_export.forms import ExportForm, ImportForm

from qudao.core.events import retry_delivery
from qudao.core.models import OutboxDelivery, OutboxEvent, OutboxState
from qudao.core.scoping import get_actor, scoped


def _scoped_model(model: type[Model]) -> bool:
    return getattr(model, "scope_spec", None) is not None


class ScopedAdminMixin:
    """Restrict every queryset and choice to the user's data scope."""

    #: name of the dealer FK to fill in on create when the user works for one dealer
    dealer_field: str | None = "dealer"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return scoped(qs, get_actor(request)) if _scoped_model(qs.model) else qs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and _scoped_model(db_field.related_model):
            field.queryset = scoped(field.queryset, get_actor(request), for_write=False)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and _scoped_model(db_field.related_model):
            field.queryset = scoped(field.queryset, get_actor(request), for_write=False)
        return field

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if allowed and obj is not None and _scoped_model(type(obj)):
            actor = get_actor(request)
            return scoped(type(obj)._default_manager.filter(pk=obj.pk), actor, for_write=True).exists()
        return allowed

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if allowed and obj is not None and _scoped_model(type(obj)):
            actor = get_actor(request)
            return scoped(type(obj)._default_manager.filter(pk=obj.pk), actor, for_write=True).exists()
        return allowed

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if self.dealer_field and hasattr(self.model, f"{self.dealer_field}_id"):
            dealer_id = get_actor(request).default_dealer_id()
            if dealer_id is not None:
                initial.setdefault(self.dealer_field, dealer_id)
        return initial

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if _scoped_model(type(obj)):
            actor = get_actor(request)
            if not scoped(type(obj)._default_manager.filter(pk=obj.pk), actor, for_write=True).exists():
                # Outside the user's write scope: refuse (the surrounding transaction rolls back).
                raise PermissionDenied(_("You cannot save a record that belongs to another company."))


class QudaoModelAdmin(ScopedAdminMixin, SimpleHistoryAdmin, ImportExportModelAdmin, UnfoldModelAdmin):
    import_form_class = ImportForm
    export_form_class = ExportForm
    list_per_page = 50
    list_filter_submit = True
    warn_unsaved_form = True
    #: fields that only services change (states, quantities, totals)
    readonly_state_fields: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        return tuple(super().get_readonly_fields(request, obj)) + tuple(self.readonly_state_fields)


class QudaoReadOnlyAdmin(ScopedAdminMixin, UnfoldModelAdmin):
    """For logs and ledgers: nobody adds, changes or deletes rows by hand."""

    list_per_page = 50

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OutboxDeliveryInline(admin.TabularInline):
    model = OutboxDelivery
    extra = 0
    can_delete = False
    fields = ("subscriber", "state", "attempts", "next_attempt_at", "delivered_at", "last_error")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(OutboxEvent)
class OutboxEventAdmin(QudaoReadOnlyAdmin):
    list_display = ("id", "topic", "dealer", "created_at", "delivery_summary")
    list_filter = ("topic", "deliveries__state")
    search_fields = ("topic",)
    readonly_fields = ("topic", "payload", "dealer", "actor", "created_at")
    inlines = [OutboxDeliveryInline]
    actions = ["retry_failed"]

    @admin.display(description=_("deliveries"))
    def delivery_summary(self, obj: OutboxEvent) -> str:
        states = [d.state for d in obj.deliveries.all()]
        if not states:
            return str(_("no subscribers"))
        return ", ".join(f"{OutboxState(s).label}×{states.count(s)}" for s in sorted(set(states)))

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("deliveries").select_related("dealer")

    @admin.action(description=_("Retry failed and dead deliveries"))
    def retry_failed(self, request, queryset):
        count = 0
        for delivery in OutboxDelivery.objects.filter(
            event__in=queryset, state__in=[OutboxState.FAILED, OutboxState.DEAD]
        ):
            retry_delivery(delivery)
            count += 1
        self.message_user(
            request, _("%(count)d deliveries queued again.") % {"count": count}, messages.SUCCESS
        )

    def has_change_permission(self, request, obj=None):
        # The retry action needs change permission on the list; records themselves stay read only.
        return obj is None and request.user.has_perm("core.view_outboxevent")


def run_for_each(modeladmin, request, queryset, service, done_message) -> None:
    """An admin action's loop: call `service(actor, pk)` for each selected row (pk order) and report
    every success in one message and every refusal (a QudaoError) on its row — the same services as
    the API, so the console obeys the same rules."""
    from django.contrib import messages

    from qudao.core.errors import QudaoError
    from qudao.core.scoping import get_actor

    actor = get_actor(request)
    done = 0
    for obj in queryset.order_by("pk"):
        try:
            service(actor, obj.pk)
            done += 1
        except QudaoError as exc:
            modeladmin.message_user(request, f"{obj}: {exc.render()}", messages.ERROR)
    if done:
        modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)
