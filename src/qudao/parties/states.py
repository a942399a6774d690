"""Customer lifecycle: prospect → active ⇄ blocked; any of them → archived (final)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from qudao.core.states import StateMachine


class CustomerStatus(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    ACTIVE = "active", _("Active")
    BLOCKED = "blocked", _("Blocked")
    ARCHIVED = "archived", _("Archived")


#: the statuses a customer may be created in (the others are reached by transitions)
INITIAL_STATUSES = frozenset({CustomerStatus.PROSPECT, CustomerStatus.ACTIVE})

CUSTOMER_STATES = StateMachine(
    CustomerStatus,
    {
        CustomerStatus.PROSPECT: {CustomerStatus.ACTIVE, CustomerStatus.ARCHIVED},
        CustomerStatus.ACTIVE: {CustomerStatus.BLOCKED, CustomerStatus.ARCHIVED},
        CustomerStatus.BLOCKED: {CustomerStatus.ACTIVE, CustomerStatus.ARCHIVED},
        CustomerStatus.ARCHIVED: set(),
    },
    field="status",
)
