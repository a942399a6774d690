"""Lifecycle of a stock move: draft → assigned → done, or cancelled before it is done."""

from __future__ import annotations

from qudao.core.states import StateMachine
from qudao.inventory.choices import MoveState, ReservationState

MOVE_MACHINE = StateMachine(
    MoveState,
    {
        MoveState.DRAFT: {MoveState.ASSIGNED, MoveState.DONE, MoveState.CANCELLED},
        MoveState.ASSIGNED: {MoveState.DONE, MoveState.CANCELLED, MoveState.DRAFT},
    },
)

RESERVATION_MACHINE = StateMachine(
    ReservationState,
    {ReservationState.ACTIVE: {ReservationState.RELEASED, ReservationState.CONSUMED}},
)
