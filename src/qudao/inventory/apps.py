from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "qudao.inventory"
    label = "inventory"
    verbose_name = _("Inventory")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # the alert kinds inventory raises: registered in every process (the web server renders
        # their labels and messages, the worker raises them)
        from qudao.inventory import health  # noqa: F401
