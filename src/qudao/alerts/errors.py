"""Stable error codes of the alerts app."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from qudao.core.errors import Conflict, QudaoError


class UnknownAlertKind(QudaoError):
    code = "unknown_alert_kind"
    status = 422
    message = _("The alert kind “%(kind)s” is not registered.")


class InvalidAlert(QudaoError):
    code = "invalid_alert"
    status = 422
    message = _("The alert is not valid.")


class AlertContention(Conflict):
    code = "alert_contention"
    status = 409
    message = _("The alert could not be recorded because of concurrent changes. Try again.")
