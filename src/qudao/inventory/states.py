"""Lifecycle of a stock move: draft → assigned → done, or cancelled before it is done."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

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


class TransferState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SHIPPED = "shipped", _("Shipped")
    PARTIALLY_RECEIVED = "partially_received", _("Partially received")
    RECEIVED = "received", _("Received")
    CANCELLED = "cancelled", _("Cancelled")


#: draft → shipped → partially received → received; only a draft can be cancelled; closing a
#: shipped transfer with differences also ends in "received" (the differences are discrepancies)
TRANSFER_MACHINE = StateMachine(
    TransferState,
    {
        TransferState.DRAFT: {TransferState.SHIPPED, TransferState.CANCELLED},
        TransferState.SHIPPED: {TransferState.PARTIALLY_RECEIVED, TransferState.RECEIVED},
        TransferState.PARTIALLY_RECEIVED: {TransferState.PARTIALLY_RECEIVED, TransferState.RECEIVED},
    },
)


class StocktakeState(models.TextChoices):
    OPEN = "open", _("Open")
    COUNTING = "counting", _("Counting")
    REVIEW = "review", _("Review")
    POSTED = "posted", _("Posted")
    CANCELLED = "cancelled", _("Cancelled")


#: open → counting (the snapshot is taken) → review → posted; counting can resume from review;
#: anything not posted can be cancelled
STOCKTAKE_MACHINE = StateMachine(
    StocktakeState,
    {
        StocktakeState.OPEN: {StocktakeState.COUNTING, StocktakeState.CANCELLED},
        StocktakeState.COUNTING: {StocktakeState.REVIEW, StocktakeState.CANCELLED},
        StocktakeState.REVIEW: {StocktakeState.COUNTING, StocktakeState.POSTED, StocktakeState.CANCELLED},
    },
)
