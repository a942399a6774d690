"""Background jobs of the core: outbox delivery and its periodic sweep."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from qudao.core import events


@db_task(retries=0)
def deliver_event_task(event_id: int) -> int:
    return events.deliver_event(event_id)


@db_periodic_task(crontab(minute="*"))
def sweep_outbox_task() -> int:
    return events.deliver_due()
