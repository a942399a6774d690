from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from qudao.accounts.services.throttle import clear_failures, record_failure


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = credentials.get("username")
    if username:
        record_failure(username=username, request=request)


@receiver(user_logged_in)
def on_logged_in(sender, request, user, **kwargs):
    clear_failures(username=user.get_username())
