"""Alert kinds declared by the alerts app itself."""

from django.utils.translation import gettext_lazy as _

from qudao.alerts.registry import register_alert_kind

#: a notice whose text is written by whoever raises it (an operator, an integration, a script)
NOTICE = "alerts.notice"

register_alert_kind(NOTICE, label=_("Notice"))
