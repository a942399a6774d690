"""Excel/CSV export of alerts (alerts are raised by the system, never imported)."""

from __future__ import annotations

from import_export import fields, resources

from qudao.alerts.models import Alert


class AlertResource(resources.ModelResource):
    dealer = fields.Field(attribute="dealer__code", column_name="dealer")
    site = fields.Field(attribute="site__code", column_name="site")
    message = fields.Field(attribute="text", column_name="message", readonly=True)
    acknowledged_by = fields.Field(attribute="acknowledged_by__username", column_name="acknowledged_by")
    resolved_by = fields.Field(attribute="resolved_by__username", column_name="resolved_by")

    class Meta:
        model = Alert
        fields = (
            "id",
            "dealer",
            "site",
            "kind",
            "severity",
            "status",
            "subject_type",
            "subject_id",
            "subject_label",
            "message",
            "dedupe_key",
            "first_seen_at",
            "last_seen_at",
            "occurrences",
            "acknowledged_by",
            "acknowledged_at",
            "resolved_by",
            "resolved_at",
            "resolution",
            "resolution_note",
        )
        export_order = fields
