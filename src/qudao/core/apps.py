from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "qudao.core"
    label = "core"
    verbose_name = _("System")

    def ready(self) -> None:
        from qudao.core import tasks  # noqa: F401  (registers the outbox delivery tasks)
