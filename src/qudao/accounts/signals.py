"""Sign-in bookkeeping (throttling) and access follow-up for memberships edited outside services."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from qudao.accounts.models import Membership, User
from qudao.accounts.services.access import sync_user_access
from qudao.accounts.services.throttle import clear_failures, record_failure


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = credentials.get("username")
    if username:
        record_failure(username=username, request=request)


@receiver(user_logged_in)
def on_logged_in(sender, request, user, **kwargs):
    clear_failures(username=user.get_username())


@receiver(post_save, sender=Membership, dispatch_uid="qudao.accounts.membership_saved")
def on_membership_saved(sender, instance: Membership, raw=False, **kwargs):
    """The console, imports and fixtures save memberships directly: keep groups and is_staff right."""
    if raw:
        return
    sync_user_access(instance.user)


@receiver(post_delete, sender=Membership, dispatch_uid="qudao.accounts.membership_deleted")
def on_membership_deleted(sender, instance: Membership, **kwargs):
    user = User.objects.filter(pk=instance.user_id).first()  # absent when the user itself is deleted
    if user is not None:
        sync_user_access(user)
