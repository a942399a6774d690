"""Customers: create (with contacts and addresses, all or nothing), update with an optimistic
version, status transitions, purchase dates. Each announces itself in the outbox:
`parties.customer.created`, `parties.customer.updated`, `parties.customer.status_changed`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qudao.core.errors import StaleVersion
from qudao.core.scoping import Actor, require_dealer
from qudao.core.sequences import next_code
from qudao.parties import errors, policies
from qudao.parties.models import Customer, CustomerKind, CustomerStatus
from qudao.parties.services.addresses import build_address, save_address
from qudao.parties.services.common import announce, assign, duplicate, lock_customer
from qudao.parties.services.contacts import build_contact, save_contact
from qudao.parties.states import CUSTOMER_STATES, INITIAL_STATUSES
from qudao.parties.validation import Problem, customer_problems, raise_problems

CUSTOMER_FIELDS = frozenset(
    {
        "code",
        "kind",
        "business_type",
        "name",
        "legal_name",
        "credit_code",
        "mobile",
        "email",
        "id_type",
        "customer_group_id",
        "channel_id",
        "home_site_id",
        "sales_rep_id",
        "region_id",
        "credit_limit",
        "payment_terms_days",
        "currency",
        "tags",
        "source",
        "notes",
    }
)
#: what an update compares to say which fields changed (the document number as its digest)
_COMPARED = (*sorted(CUSTOMER_FIELDS), "id_number_digest")
CODE_SEQUENCE = "customer"
CODE_PREFIX = "C-"
MAX_NESTED = 50


def _allocate_code(dealer_id: int) -> str:
    """C-000123 from the dealer's counter, skipping numbers already taken by hand-made codes."""
    while True:
        code = next_code(dealer_id=dealer_id, kind=CODE_SEQUENCE, prefix=CODE_PREFIX)
        if not Customer.objects.filter(dealer_id=dealer_id, code=code).exists():
            return code


def _apply_id_number(customer: Customer, number: str | None) -> list[Problem]:
    """Keep only the masked number and a keyed digest; `number` None or "" removes the document."""
    if not number:
        customer.id_type, customer.id_number_masked, customer.id_number_digest = "", "", ""
        return []
    if not customer.id_type:
        return [Problem(errors.InvalidIdNumber, "id_type", _("Choose the type of identity document."))]
    try:
        normalised = policies.validate_id_number(number, id_type=customer.id_type)
    except policies.PolicyError as exc:
        return [Problem(errors.InvalidIdNumber, "id_number", exc.message)]
    customer.id_number_masked = policies.mask_id_number(normalised)
    customer.id_number_digest = policies.id_number_digest(
        normalised, id_type=customer.id_type, key=settings.SECRET_KEY
    )
    return []


def _check_unique(customer: Customer) -> None:
    others = Customer.objects.filter(dealer_id=customer.dealer_id).exclude(pk=customer.pk)
    if customer.code and others.filter(code=customer.code).exists():
        raise duplicate(
            "code", _("Another customer of this dealer has the code %(code)s.") % {"code": customer.code}
        )
    if customer.id_number_digest and others.filter(id_number_digest=customer.id_number_digest).exists():
        raise duplicate("id_number", _("Another customer of this dealer has this identity document."))


def _nested(customer: Customer, items: list[dict[str, Any]], builder, name: str, problems: list[Problem]):
    built = []
    for i, data in enumerate(items[: MAX_NESTED + 1]):
        obj, found = builder(customer, data)
        problems += [Problem(p.error, f"{name}.{i}.{p.field}", p.message) for p in found]
        built.append(obj)
    if len(items) > MAX_NESTED:
        problems.append(
            Problem(errors.ValidationFailed, name, _("At most %(max)d at a time.") % {"max": MAX_NESTED})
        )
    return built


@transaction.atomic
def create_customer(*, actor: Actor, data: dict[str, Any]) -> Customer:
    """A new customer numbered C-000123 unless a code is given. `data` holds the model fields (FKs as
    `*_id`) and may hold `dealer_id`, `status` (prospect or active), `id_number` (kept masked),
    `contacts` and `addresses` (lists of dicts): everything is saved or nothing is."""
    data = dict(data)
    dealer_id = require_dealer(actor, data.pop("dealer_id", None))
    contacts_data = list(data.pop("contacts", None) or [])
    addresses_data = list(data.pop("addresses", None) or [])
    status = data.pop("status", None) or CustomerStatus.PROSPECT
    id_number = data.pop("id_number", None)
    customer = Customer(dealer_id=dealer_id, status=status)
    assign(customer, data, CUSTOMER_FIELDS)
    if id_number:
        problems = _apply_id_number(customer, id_number)
    elif customer.id_type:
        problems = [Problem(errors.InvalidIdNumber, "id_number", _("Give the document number."))]
    else:
        problems = []
    problems += customer_problems(customer, actor=actor)
    if status not in INITIAL_STATUSES:
        problems.append(Problem(errors.InvalidStatus, "status", errors.InvalidStatus.message))
    contacts = _nested(customer, contacts_data, build_contact, "contacts", problems)
    addresses = _nested(customer, addresses_data, build_address, "addresses", problems)
    if sum(c.is_primary for c in contacts) > 1:
        problems.append(
            Problem(errors.MultiplePrimaryContacts, "contacts", errors.MultiplePrimaryContacts.message)
        )
    default_kinds = [a.kind for a in addresses if a.is_default]
    if len(default_kinds) != len(set(default_kinds)):
        problems.append(
            Problem(errors.MultipleDefaultAddresses, "addresses", errors.MultipleDefaultAddresses.message)
        )
    raise_problems(problems)
    _check_unique(customer)
    customer.code = customer.code or _allocate_code(dealer_id)
    customer.save()
    for contact in contacts:
        contact.customer = customer
        save_contact(contact)
    for address in addresses:
        address.customer = customer
        save_address(address)
    announce("created", customer, actor, kind=customer.kind, status=customer.status)
    return customer


@transaction.atomic
def update_customer(*, actor: Actor, customer: Customer, data: dict[str, Any], version: int) -> Customer:
    """Change the fields in `data` if the customer is still at `version` (else 409 stale_version).
    `id_number` replaces the identity document (None removes it). Returns the saved customer."""
    locked = lock_customer(customer.pk)
    if locked.version != version:
        raise StaleVersion(details={"current_version": locked.version, "your_version": version})
    data = dict(data)
    id_number_given = "id_number" in data
    id_number = data.pop("id_number", None)
    before = {name: getattr(locked, name) for name in _COMPARED}
    if data.get("kind") == CustomerKind.INDIVIDUAL and "business_type" not in data:
        data["business_type"] = ""
    assign(locked, data, CUSTOMER_FIELDS)
    problems: list[Problem] = []
    if id_number_given:
        problems += _apply_id_number(locked, id_number)
    elif "id_type" in data and locked.id_type != before["id_type"]:
        problems.append(
            Problem(
                errors.InvalidIdNumber,
                "id_number",
                _("Give the document number again when you change the document type."),
            )
        )
    problems += customer_problems(locked, actor=actor, fields=set(data))
    if not locked.code:
        problems.append(Problem(errors.InvalidCode, "code", _("An existing customer keeps a code.")))
    raise_problems(problems)
    changed = [name for name in _COMPARED if getattr(locked, name) != before[name]]
    if not changed:
        return locked
    _check_unique(locked)
    locked.version += 1
    locked.save()
    changed = sorted("id_number" if name == "id_number_digest" else name for name in changed)
    announce("updated", locked, actor, changed=changed)
    return locked


@transaction.atomic
def change_customer_status(
    *, actor: Actor, customer: Customer, to: str, reason: str = "", version: int | None = None
) -> Customer:
    """Move the customer through its lifecycle (prospect → active ⇄ blocked, any → archived);
    a move the state machine does not allow is a 409 invalid_transition."""
    locked = lock_customer(customer.pk, allow_archived=True)
    if version is not None and locked.version != version:
        raise StaleVersion(details={"current_version": locked.version, "your_version": version})
    previous = CUSTOMER_STATES.transition(locked, to=to)
    locked.status_reason = (reason or "").strip()[:200]
    locked.version += 1
    locked.save(update_fields=["status", "status_reason", "version", "updated_at"])
    announce(
        "status_changed",
        locked,
        actor,
        **{"from": previous, "to": locked.status, "reason": locked.status_reason},
    )
    return locked


def record_customer_purchase(*, customer_id: int, at: datetime) -> None:
    """Keep first/last purchase times (sales and invoicing call this); conditional updates, so
    concurrent invoices never move them the wrong way. System facts: no version bump, no event."""
    Customer.objects.filter(pk=customer_id).filter(
        Q(first_purchase_at__isnull=True) | Q(first_purchase_at__gt=at)
    ).update(first_purchase_at=at)
    Customer.objects.filter(pk=customer_id).filter(
        Q(last_purchase_at__isnull=True) | Q(last_purchase_at__lt=at)
    ).update(last_purchase_at=at)


@transaction.atomic
def save_imported_customer(*, actor: Actor, customer: Customer, created: bool) -> Customer:
    """One row of a spreadsheet import, already loaded into `customer`: the same rules as the API;
    a changed status goes through the state machine."""
    if created:
        customer.dealer_id = require_dealer(actor, customer.dealer_id)
        customer.status = customer.status or CustomerStatus.PROSPECT
        problems = customer_problems(customer, actor=actor)
        if customer.status not in INITIAL_STATUSES:
            problems.append(Problem(errors.InvalidStatus, "status", errors.InvalidStatus.message))
        raise_problems(problems)
        _check_unique(customer)
        customer.code = customer.code or _allocate_code(customer.dealer_id)
        customer.version = 1
        customer.save(force_insert=True)
        announce("created", customer, actor, kind=customer.kind, status=customer.status)
        return customer
    locked = lock_customer(customer.pk)
    wanted_status = customer.status or locked.status  # an empty cell keeps the status
    customer.dealer_id, customer.status = locked.dealer_id, locked.status
    customer.id_number_masked, customer.id_number_digest = locked.id_number_masked, locked.id_number_digest
    touched = {name for name in _COMPARED if getattr(customer, name) != getattr(locked, name)}
    raise_problems(customer_problems(customer, actor=actor, fields=touched))
    changed = [name for name in _COMPARED if getattr(customer, name) != getattr(locked, name)]
    previous = None
    if wanted_status != locked.status:
        previous = CUSTOMER_STATES.transition(customer, to=wanted_status)
    if not changed and previous is None:
        return locked
    _check_unique(customer)
    customer.version = locked.version + 1
    customer.save()
    if changed:
        announce("updated", customer, actor, changed=changed)
    if previous is not None:
        announce("status_changed", customer, actor, **{"from": previous, "to": customer.status, "reason": ""})
    return customer
