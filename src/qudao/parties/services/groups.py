"""Customer groups (price lists and analyses group customers by them)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from qudao.core.errors import ValidationFailed
from qudao.core.scoping import Actor, require_dealer
from qudao.parties import errors, policies
from qudao.parties.models import CustomerGroup
from qudao.parties.services.common import assign, duplicate
from qudao.parties.validation import Problem, raise_problems

GROUP_FIELDS = frozenset({"code", "name", "description"})


def _validate(group: CustomerGroup) -> None:
    problems: list[Problem] = []
    group.code = (group.code or "").strip()
    group.name = (group.name or "").strip()
    group.description = (group.description or "").strip()
    try:
        group.code = policies.validate_code(group.code)
    except policies.PolicyError as exc:
        problems.append(Problem(errors.InvalidCode, "code", exc.message))
    if not group.name:
        problems.append(Problem(ValidationFailed, "name", _("This field is required.")))
    raise_problems(problems)
    if CustomerGroup.objects.filter(dealer_id=group.dealer_id, code=group.code).exclude(pk=group.pk).exists():
        raise duplicate(
            "code", _("Another customer group of this dealer has the code %(code)s.") % {"code": group.code}
        )


@transaction.atomic
def create_customer_group(*, actor: Actor, data: dict[str, Any]) -> CustomerGroup:
    data = dict(data)
    group = CustomerGroup(dealer_id=require_dealer(actor, data.pop("dealer_id", None)))
    assign(group, data, GROUP_FIELDS)
    _validate(group)
    group.save()
    return group


@transaction.atomic
def update_customer_group(*, actor: Actor, group: CustomerGroup, data: dict[str, Any]) -> CustomerGroup:
    group = CustomerGroup.objects.select_for_update().get(pk=group.pk)
    assign(group, dict(data), GROUP_FIELDS)
    _validate(group)
    group.save()
    return group
