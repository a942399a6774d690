"""Console of the accounts app: users, memberships, API keys, failed sign-ins, groups."""

from django.contrib import admin

from qudao.accounts.admin import api_keys, memberships, system, users
from qudao.accounts.forms import LockAwareAuthenticationForm

# The sign-in page keeps unfold's look and says when the throttle has locked a username.
admin.site.login_form = LockAwareAuthenticationForm

__all__ = ["api_keys", "memberships", "system", "users"]
