from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _last_migrated_app_label() -> str | None:
    """post_migrate is sent once per app with models, in INSTALLED_APPS order; the last one is when
    every app's permissions exist."""
    labels = [config.label for config in apps.get_app_configs() if config.models_module is not None]
    return labels[-1] if labels else None


def sync_role_groups_after_migrate(sender, app_config=None, using="default", **kwargs) -> None:
    if app_config is None or app_config.label != _last_migrated_app_label():
        return
    from django.contrib.auth.models import Group
    from django.db import connections

    if Group._meta.db_table not in connections[using].introspection.table_names():
        return  # auth has been migrated backwards: nothing to synchronise
    from qudao.accounts.services.access import sync_role_groups

    sync_role_groups(using=using)


class AccountsConfig(AppConfig):
    name = "qudao.accounts"
    label = "accounts"
    verbose_name = _("Access")

    def ready(self) -> None:
        from qudao.accounts import signals, subscribers, tasks  # noqa: F401

        post_migrate.connect(sync_role_groups_after_migrate, dispatch_uid="qudao.accounts.sync_role_groups")
