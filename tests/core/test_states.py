import pytest
from django.db import models

from qudao.core.errors import InvalidTransition
from qudao.core.states import StateMachine


class Lifecycle(models.TextChoices):
    DRAFT = "draft", "Draft"
    CONFIRMED = "confirmed", "Confirmed"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


MACHINE = StateMachine(
    Lifecycle,
    {
        Lifecycle.DRAFT: {Lifecycle.CONFIRMED, Lifecycle.CANCELLED},
        Lifecycle.CONFIRMED: {Lifecycle.DONE, Lifecycle.CANCELLED},
    },
)


class Doc:
    class _meta:
        verbose_name = "document"

    def __init__(self, state):
        self.state = state


def test_allowed_transition_moves_state():
    doc = Doc(Lifecycle.DRAFT)
    previous = MACHINE.transition(doc, to=Lifecycle.CONFIRMED)
    assert previous == Lifecycle.DRAFT
    assert doc.state == Lifecycle.CONFIRMED


def test_forbidden_transition_raises_and_keeps_state():
    doc = Doc(Lifecycle.DONE)
    with pytest.raises(InvalidTransition) as info:
        MACHINE.transition(doc, to=Lifecycle.DRAFT)
    assert doc.state == Lifecycle.DONE
    assert info.value.code == "invalid_transition"
    assert info.value.status == 409
    assert info.value.details == {"from": "done", "to": "draft", "allowed": []}
    assert "Done" in str(info.value)


def test_unknown_states_in_machine_are_refused():
    with pytest.raises(ValueError):
        StateMachine(Lifecycle, {"draft": {"shipped"}})
