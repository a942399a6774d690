"""Background jobs of the accounts app."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from qudao.accounts.services.throttle import purge_login_failures


@db_periodic_task(crontab(minute="17"))
def purge_login_failures_task() -> int:
    """Hourly: forget failed sign-ins older than the retention."""
    return purge_login_failures()
