"""State machines: the allowed transitions live next to the choices; `transition()` raises."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import models

from qudao.core.errors import InvalidTransition


class StateMachine:
    """A set of allowed transitions for one `TextChoices` enum.

    >>> machine = StateMachine(Lifecycle, {Lifecycle.DRAFT: {Lifecycle.CONFIRMED, Lifecycle.CANCELLED}})
    >>> machine.transition(order, to=Lifecycle.CONFIRMED)   # raises InvalidTransition if not allowed
    """

    def __init__(
        self, states: type[models.TextChoices], allowed: Mapping[str, Iterable[str]], *, field: str = "state"
    ):
        self.states = states
        self.field = field
        self.allowed: dict[str, frozenset[str]] = {str(k): frozenset(map(str, v)) for k, v in allowed.items()}
        unknown = {s for k, v in self.allowed.items() for s in (k, *v)} - set(states.values)
        if unknown:
            raise ValueError(f"unknown states in machine: {sorted(unknown)}")

    def can(self, current: str, to: str) -> bool:
        return str(to) in self.allowed.get(str(current), frozenset())

    def targets(self, current: str) -> frozenset[str]:
        return self.allowed.get(str(current), frozenset())

    def transition(self, obj: models.Model, *, to: str) -> str:
        """Move `obj` to state `to` (in memory; the caller saves). Returns the previous state."""
        current = getattr(obj, self.field)
        if not self.can(current, to):
            labels = dict(self.states.choices)
            raise InvalidTransition(
                model=str(obj._meta.verbose_name),
                from_state=str(labels.get(current, current)),
                to_state=str(labels.get(to, to)),
                details={"from": str(current), "to": str(to), "allowed": sorted(self.targets(current))},
            )
        setattr(obj, self.field, to)
        return current


def transition(obj: models.Model, *, to: str) -> str:
    """Transition using the model's `state_machine` attribute."""
    machine: StateMachine = type(obj).state_machine
    return machine.transition(obj, to=to)
