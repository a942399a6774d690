"""Field rules of customers, contacts and addresses, shared by the services and the model `clean()`.

Each `*_problems` function normalises the instance's fields in place (a phone loses its +86, a credit
code is upper-cased…) and returns the list of problems; `raise_problems` turns them into one
QudaoError for the API (details name every field), `raise_validation_error` into a Django
ValidationError for console forms and imports.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from qudao.accounts.models import Membership
from qudao.accounts.roles import DEALER_ROLES
from qudao.core.errors import QudaoError, ValidationFailed
from qudao.core.money import DEFAULT_CURRENCY, quantize, quantize_amount, to_decimal
from qudao.core.scoping import Actor, scoped
from qudao.org.models import Channel, Region, Site
from qudao.parties import errors, policies
from qudao.parties.models import (
    Address,
    AddressKind,
    BusinessType,
    Contact,
    Customer,
    CustomerGroup,
    CustomerKind,
    CustomerSource,
)

CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
COORDINATE_PLACES = 6


@dataclass(frozen=True)
class Problem:
    error: type[QudaoError]
    field: str
    message: Any


def raise_problems(problems: list[Problem], *, prefix: str = "") -> None:
    """One error for all problems: its code is the problems' code when they share one."""
    if not problems:
        return
    details = [
        {"field": f"{prefix}{p.field}", "message": str(p.message), "code": p.error.code} for p in problems
    ]
    kinds = {p.error for p in problems}
    error = kinds.pop() if len(kinds) == 1 else ValidationFailed
    raise error(details=details)


def raise_validation_error(problems: list[Problem]) -> None:
    if not problems:
        return
    by_field: dict[str, list[ValidationError]] = defaultdict(list)
    for p in problems:
        by_field[p.field.removesuffix("_id")].append(ValidationError(p.message, code=p.error.code))
    raise ValidationError(dict(by_field))


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ("" if value is None else str(value))


def _check(problems: list[Problem], obj: Any, field: str, rule, error: type[QudaoError], **kwargs) -> None:
    """Normalise `obj.field` with `rule` when it is filled in; record a problem if the rule refuses it."""
    value = _text(getattr(obj, field))
    setattr(obj, field, value)
    if not value:
        return
    try:
        setattr(obj, field, rule(value, **kwargs))
    except policies.PolicyError as exc:
        problems.append(Problem(error, field, exc.message))


def _email(value: str) -> str:
    try:
        validate_email(value)
    except ValidationError as exc:
        raise policies.PolicyError(_("Enter a valid e-mail address.")) from exc
    return value


def _required(problems: list[Problem], obj: Any, field: str) -> None:
    value = _text(getattr(obj, field))
    setattr(obj, field, value)
    if not value:
        problems.append(Problem(ValidationFailed, field, _("This field is required.")))


def _choice(problems: list[Problem], obj: Any, field: str, values: list[str], *, blank: bool) -> None:
    value = getattr(obj, field)
    if (blank and value in ("", None)) or value in values:
        return
    problems.append(
        Problem(ValidationFailed, field, _("“%(value)s” is not a valid choice.") % {"value": value})
    )


def customer_problems(
    customer: Customer, *, actor: Actor | None = None, fields: set[str] | None = None
) -> list[Problem]:
    """Every field rule of a customer. References are checked when `fields` (attnames) names them,
    or always when `fields` is None; with an actor, the home site must also be visible to it."""
    c = customer
    problems: list[Problem] = []
    _check(problems, c, "code", policies.validate_code, errors.InvalidCode)
    _required(problems, c, "name")
    c.legal_name = _text(c.legal_name)
    _choice(problems, c, "kind", CustomerKind.values, blank=False)
    _choice(problems, c, "business_type", BusinessType.values, blank=True)
    _choice(problems, c, "source", CustomerSource.values, blank=True)
    if c.kind == CustomerKind.INDIVIDUAL:
        if c.business_type:
            problems.append(
                Problem(
                    errors.FieldNotApplicable, "business_type", _("Only businesses have a business type.")
                )
            )
        if _text(c.credit_code):
            problems.append(
                Problem(
                    errors.FieldNotApplicable,
                    "credit_code",
                    _("Only businesses have a unified social credit code."),
                )
            )
    elif c.kind == CustomerKind.BUSINESS:
        c.business_type = c.business_type or BusinessType.OTHER
        if c.id_type or c.id_number_masked:
            problems.append(
                Problem(
                    errors.FieldNotApplicable,
                    "id_type",
                    _("Identity documents are kept for individual customers only."),
                )
            )
    _check(problems, c, "credit_code", policies.validate_credit_code, errors.InvalidCreditCode)
    _check(problems, c, "mobile", policies.validate_mobile, errors.InvalidPhone)
    _check(problems, c, "email", _email, errors.InvalidEmail)
    try:
        c.credit_limit = to_decimal(c.credit_limit if c.credit_limit is not None else Decimal(0))
        c.credit_limit = quantize_amount(c.credit_limit)
        if c.credit_limit < 0:
            problems.append(
                Problem(errors.InvalidCreditLimit, "credit_limit", errors.InvalidCreditLimit.message)
            )
    except (TypeError, ValueError):
        problems.append(Problem(errors.InvalidCreditLimit, "credit_limit", _("Enter an amount.")))
    if c.payment_terms_days is None:
        c.payment_terms_days = 0
    terms = c.payment_terms_days
    if isinstance(terms, bool) or not isinstance(terms, int) or not 0 <= terms <= 365:
        problems.append(
            Problem(errors.InvalidPaymentTerms, "payment_terms_days", errors.InvalidPaymentTerms.message)
        )
    c.currency = _text(c.currency).upper() or DEFAULT_CURRENCY
    if not CURRENCY_RE.match(c.currency):
        problems.append(Problem(ValidationFailed, "currency", _("A currency is a 3-letter ISO 4217 code.")))
    try:
        c.tags = policies.validate_tags(c.tags if c.tags is not None else [])
    except policies.PolicyError as exc:
        problems.append(Problem(errors.InvalidTags, "tags", exc.message))
    c.notes = c.notes or ""
    problems += reference_problems(c, actor=actor, fields=fields)
    return problems


def reference_problems(c: Customer, *, actor: Actor | None, fields: set[str] | None) -> list[Problem]:
    """Group, channel and home site of the customer's own dealer; a rep who works there; a region."""
    if c.dealer_id is None:
        return []
    problems: list[Problem] = []

    def wanted(field: str) -> bool:
        return getattr(c, field) is not None and (fields is None or field in fields)

    if (
        wanted("customer_group_id")
        and not CustomerGroup.objects.filter(pk=c.customer_group_id, dealer_id=c.dealer_id).exists()
    ):
        problems.append(
            Problem(errors.InvalidReference, "customer_group_id", _("No such customer group at this dealer."))
        )
    if (
        wanted("channel_id")
        and not Channel.objects.filter(pk=c.channel_id, dealer_id=c.dealer_id, is_active=True).exists()
    ):
        problems.append(
            Problem(errors.InvalidReference, "channel_id", _("No such active channel at this dealer."))
        )
    if wanted("home_site_id"):
        sites = Site.objects.filter(pk=c.home_site_id, dealer_id=c.dealer_id, is_active=True)
        if actor is not None:
            sites = scoped(sites, actor)
        if not sites.exists():
            problems.append(
                Problem(
                    errors.InvalidReference,
                    "home_site_id",
                    _("No such active site at this dealer among the sites you work for."),
                )
            )
    if (
        wanted("sales_rep_id")
        and not Membership.objects.filter(
            user_id=c.sales_rep_id,
            user__is_active=True,
            company_id=c.dealer_id,
            is_active=True,
            role__in=sorted(DEALER_ROLES),
        ).exists()
    ):
        problems.append(Problem(errors.InvalidSalesRep, "sales_rep_id", errors.InvalidSalesRep.message))
    if wanted("region_id") and not Region.objects.filter(pk=c.region_id).exists():
        problems.append(Problem(errors.InvalidReference, "region_id", _("No such region.")))
    return problems


def contact_problems(contact: Contact) -> list[Problem]:
    problems: list[Problem] = []
    _required(problems, contact, "name")
    contact.title = _text(contact.title)
    contact.wechat_id = _text(contact.wechat_id)
    _check(problems, contact, "phone", policies.validate_contact_phone, errors.InvalidPhone)
    _check(problems, contact, "email", _email, errors.InvalidEmail)
    return problems


def address_problems(address: Address) -> list[Problem]:
    problems: list[Problem] = []
    _choice(problems, address, "kind", AddressKind.values, blank=False)
    _required(problems, address, "line")
    address.receiver_name = _text(address.receiver_name)
    _check(problems, address, "postal_code", policies.validate_postal_code, errors.InvalidPostalCode)
    _check(problems, address, "receiver_phone", policies.validate_contact_phone, errors.InvalidPhone)
    if (address.latitude is None) != (address.longitude is None):
        problems.append(
            Problem(ValidationFailed, "latitude", _("Give both latitude and longitude, or neither."))
        )
    for name in ("latitude", "longitude"):
        if getattr(address, name) is not None:
            setattr(address, name, quantize(getattr(address, name), COORDINATE_PLACES))
    if address.latitude is not None and not -90 <= address.latitude <= 90:
        problems.append(Problem(ValidationFailed, "latitude", _("The latitude is between -90 and 90.")))
    if address.longitude is not None and not -180 <= address.longitude <= 180:
        problems.append(Problem(ValidationFailed, "longitude", _("The longitude is between -180 and 180.")))
    if address.region_id is not None and not Region.objects.filter(pk=address.region_id).exists():
        problems.append(Problem(errors.InvalidReference, "region_id", _("No such region.")))
    return problems
