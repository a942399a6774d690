"""Reactions of the accounts app to events of other apps (delivered by the outbox after commit)."""

from __future__ import annotations

from qudao.accounts.models import User
from qudao.accounts.services.access import sync_user_access
from qudao.core.events import subscriber
from qudao.core.models import OutboxEvent


@subscriber("org.company.updated", name="accounts.sync_access_on_company_change")
def sync_access_on_company_change(event: OutboxEvent) -> None:
    """A company was deactivated or reactivated: its members' groups and console access follow."""
    if "is_active" not in (event.payload.get("changed") or []):
        return
    company_id = event.payload["company_id"]
    members = User.objects.filter(memberships__company_id=company_id).distinct().order_by("pk")
    for user in members.iterator(chunk_size=500):
        sync_user_access(user)
