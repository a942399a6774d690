"""The dealership lifecycle: active ⇄ suspended, either → terminated (final)."""

from __future__ import annotations

from qudao.core.states import StateMachine
from qudao.org.models import DealershipStatus

DEALERSHIP_MACHINE = StateMachine(
    DealershipStatus,
    {
        DealershipStatus.ACTIVE: {DealershipStatus.SUSPENDED, DealershipStatus.TERMINATED},
        DealershipStatus.SUSPENDED: {DealershipStatus.ACTIVE, DealershipStatus.TERMINATED},
        DealershipStatus.TERMINATED: set(),
    },
    field="status",
)
