from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "qudao.finance"
    label = "finance"
    verbose_name = _("Finance")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from qudao.finance import subscribers  # noqa: F401 (registers the outbox subscribers)
        from qudao.finance.selectors_reports import open_receivables
        from qudao.sales.credit import register_exposure_source

        register_exposure_source(open_receivables)
