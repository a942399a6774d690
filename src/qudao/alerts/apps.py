from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "qudao.alerts"
    label = "alerts"
    verbose_name = _("Alerts")

    def ready(self) -> None:
        from qudao.alerts import kinds  # noqa: F401  (registers the built-in alert kinds)
