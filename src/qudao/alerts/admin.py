"""The alert center: the Alert admin, with severity badges, filters and acknowledge/resolve actions.

Alerts are raised by the system: nobody adds, edits or deletes them by hand; the workflow steps
are actions that call the services (so the console obeys the same rules as the API).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from unfold.decorators import display

from qudao.alerts import services
from qudao.alerts.models import Alert
from qudao.alerts.resources import AlertResource
from qudao.alerts.states import AlertSeverity, AlertStatus
from qudao.core.admin import QudaoModelAdmin
from qudao.core.errors import QudaoError
from qudao.core.scoping import get_actor, scoped

SEVERITY_BADGES = {
    AlertSeverity.CRITICAL: "danger",
    AlertSeverity.WARNING: "warning",
    AlertSeverity.INFO: "info",
}
STATUS_BADGES = {
    AlertStatus.OPEN: "danger",
    AlertStatus.ACKNOWLEDGED: "warning",
    AlertStatus.RESOLVED: "success",
}


class KindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        alerts = scoped(Alert.objects.all(), get_actor(request))
        kinds = alerts.order_by("kind").values_list("kind", flat=True)
        return [(kind, Alert(kind=kind).kind_label) for kind in kinds.distinct()]

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(Alert)
class AlertAdmin(QudaoModelAdmin):
    resource_classes = [AlertResource]
    list_display = (
        "severity_badge",
        "status_badge",
        "kind_name",
        "subject_label",
        "message_text",
        "site",
        "dealer",
        "occurrences",
        "last_seen_at",
    )
    list_display_links = ("kind_name",)
    list_filter = (
        "status",
        "severity",
        KindFilter,
        ("site", admin.RelatedOnlyFieldListFilter),
        ("dealer", admin.RelatedOnlyFieldListFilter),
        "resolution",
        "last_seen_at",
    )
    search_fields = ("subject_label", "subject_id", "dedupe_key", "kind", "message")
    ordering = ("-last_seen_at", "-id")
    date_hierarchy = "last_seen_at"
    list_select_related = ("dealer", "site")
    actions = ["acknowledge_selected", "resolve_selected"]
    fieldsets = (
        (None, {"fields": ("kind_name", "severity_badge", "status_badge", "message_text")}),
        (_("Subject"), {"fields": ("dealer", "site", "subject_type", "subject_id", "subject_label")}),
        (
            _("Occurrences"),
            {"fields": ("dedupe_key", "first_seen_at", "last_seen_at", "occurrences")},
        ),
        (
            _("Handling"),
            {
                "fields": (
                    "acknowledged_by",
                    "acknowledged_at",
                    "resolved_by",
                    "resolved_at",
                    "resolution",
                    "resolution_note",
                )
            },
        ),
        (_("Data"), {"fields": ("message_key", "params", "data"), "classes": ["collapse"]}),
    )

    def get_readonly_fields(self, request, obj=None):
        names = [f.name for f in Alert._meta.concrete_fields]
        return (*names, "kind_name", "severity_badge", "status_badge", "message_text")

    @display(description=_("severity"), ordering="severity", label=SEVERITY_BADGES)
    def severity_badge(self, obj: Alert):
        return obj.severity, obj.get_severity_display()

    @display(description=_("status"), ordering="status", label=STATUS_BADGES)
    def status_badge(self, obj: Alert):
        return obj.status, obj.get_status_display()

    @display(description=_("kind"), ordering="kind")
    def kind_name(self, obj: Alert) -> str:
        return obj.kind_label

    @display(description=_("message"))
    def message_text(self, obj: Alert) -> str:
        return obj.text

    # Alerts come from the system; people only acknowledge and resolve them (actions).
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_import_permission(self, request):
        return False

    def has_acknowledge_permission(self, request):
        return request.user.has_perm("alerts.change_alert")

    def has_resolve_permission(self, request):
        return request.user.has_perm("alerts.change_alertresolution")

    def _apply(self, request, queryset, step, done_message):
        actor = get_actor(request)
        done, refused = 0, []
        for alert in scoped(queryset, actor, for_write=True).order_by("pk"):
            try:
                step(actor=actor, alert=alert)
                done += 1
            except QudaoError as exc:
                refused.append(f"#{alert.pk}: {exc.render()}")
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)
        if refused:
            self.message_user(request, " ".join(refused), messages.WARNING)

    @admin.action(description=_("Acknowledge selected alerts"), permissions=["acknowledge"])
    def acknowledge_selected(self, request, queryset):
        self._apply(request, queryset, services.acknowledge_alert, _("%(count)d alerts acknowledged."))

    @admin.action(description=_("Resolve selected alerts"), permissions=["resolve"])
    def resolve_selected(self, request, queryset):
        self._apply(request, queryset, services.resolve_alert, _("%(count)d alerts resolved."))
