from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "qudao.accounts"
    label = "accounts"
    verbose_name = _("Access")

    def ready(self) -> None:
        from qudao.accounts import signals  # noqa: F401
