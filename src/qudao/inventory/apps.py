from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "qudao.inventory"
    label = "inventory"
    verbose_name = _("Inventory")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        # the alert kinds inventory raises: registered in every process (the web server renders
        # their labels and messages, the worker raises them)
        from qudao.inventory import health  # noqa: F401
        from qudao.inventory.models import ItemSiteSettings

        # settings entered in the console or imported from a file: the item shows on the board at
        # that site even before its first receipt (as out of stock)
        post_save.connect(_planned_level, sender=ItemSiteSettings, dispatch_uid="inventory.planned_level")


def _planned_level(sender, instance, created, raw=False, **kwargs) -> None:
    if raw:
        return
    from qudao.inventory.services.locations import ensure_planned_levels

    ensure_planned_levels([(instance.item_id, instance.site_id)])
