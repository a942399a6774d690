"""Console forms of the accounts app (unfold look). Rules come from the services and policies."""

from __future__ import annotations

import math

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.forms import AuthenticationForm as UnfoldAuthenticationForm
from unfold.forms import UserCreationForm as UnfoldUserCreationForm
from unfold.widgets import UnfoldAdminSelectWidget

from qudao.accounts.models import Membership, Role, User
from qudao.accounts.services.memberships import check_keeps_admin, check_membership
from qudao.accounts.services.throttle import locked_until
from qudao.accounts.services.users import MembershipGrant
from qudao.core.errors import QudaoError
from qudao.core.scoping import ANONYMOUS, Actor, scoped
from qudao.org.models import Company, Site


class LockAwareAuthenticationForm(UnfoldAuthenticationForm):
    """The console sign-in: says when a username is temporarily locked by the throttle."""

    def _locked_error(self, until) -> ValidationError:
        minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
        message = ngettext(
            "This account is temporarily locked after too many failed sign-in attempts. "
            "Try again in %(minutes)d minute.",
            "This account is temporarily locked after too many failed sign-in attempts. "
            "Try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
        return ValidationError(message, code="locked")

    def clean(self):
        username = self.cleaned_data.get("username")
        if username:
            until = locked_until(username=username)
            if until is not None:
                raise self._locked_error(until)
        try:
            return super().clean()
        except ValidationError as exc:
            until = locked_until(username=username) if username else None
            if until is not None:
                raise self._locked_error(until) from exc
            raise


def add_service_error(form: forms.BaseForm, exc: QudaoError, default_field: str | None = None) -> None:
    """Show a service's error on the form field its details name (e.g. "memberships.0.role" → role)."""
    field = None
    details = exc.details if isinstance(exc.details, list) else [exc.details]
    for detail in details:
        if isinstance(detail, dict) and detail.get("field"):
            field = str(detail["field"]).rsplit(".", 1)[-1].removesuffix("_id").removesuffix("_ids")
            field = {"site": "sites"}.get(field, field)
            break
    if field not in form.fields:
        field = default_field if default_field in form.fields else None
    form.add_error(field, exc.render())


class ActorFormMixin:
    """The admin sets `actor` on the form class it builds for a request (see admin.ActorFormAdminMixin)."""

    actor: Actor = ANONYMOUS


class UserAddForm(ActorFormMixin, UnfoldUserCreationForm):
    """A new user and the company/role that makes them a colleague of the administrator adding them."""

    company = forms.ModelChoiceField(
        label=_("company"), queryset=Company.objects.none(), required=False, widget=UnfoldAdminSelectWidget
    )
    role = forms.ChoiceField(
        label=_("role"),
        choices=[("", "---------"), *Role.choices],
        required=False,
        widget=UnfoldAdminSelectWidget,
    )

    class Meta(UnfoldUserCreationForm.Meta):
        model = User
        fields = ("username", "first_name", "last_name", "email", "phone")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        companies = Company.objects.filter(is_active=True)
        if not self.actor.is_platform_admin:
            companies = companies.filter(pk__in=sorted(self.actor.admin_company_ids))
            self.fields["company"].required = True
            self.fields["role"].required = True
        self.fields["company"].queryset = companies.order_by("code")
        self.fields["company"].help_text = _("The new user works for this company in this role.")

    def clean(self):
        cleaned = super().clean()
        company, role = cleaned.get("company"), cleaned.get("role")
        if bool(company) != bool(role):
            self.add_error("role" if company else "company", _("Choose both the company and the role."))
        elif company and role:
            try:
                check_membership(actor=self.actor, company=company, role=role, sites=())
            except QudaoError as exc:
                add_service_error(self, exc, default_field="company")
        return cleaned

    def grants(self) -> list[MembershipGrant]:
        company, role = self.cleaned_data.get("company"), self.cleaned_data.get("role")
        return [MembershipGrant(company=company, role=role)] if company and role else []


class MembershipAdminForm(ActorFormMixin, forms.ModelForm):
    class Meta:
        model = Membership
        fields = ("user", "company", "role", "sites", "is_active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "company" in self.fields and not self.actor.is_platform_admin:
            self.fields["company"].queryset = Company.objects.filter(
                pk__in=sorted(self.actor.admin_company_ids)
            )
        if "sites" in self.fields:
            sites = scoped(Site.objects.all(), self.actor).select_related("dealer")
            if self.instance.pk:
                sites = sites.filter(dealer_id=self.instance.company_id)
            elif not self.actor.is_platform_admin:
                sites = sites.filter(dealer_id__in=sorted(self.actor.admin_company_ids))
            self.fields["sites"].queryset = sites.order_by("dealer_id", "code")

    def clean(self):
        cleaned = super().clean()
        company = cleaned.get("company") or (self.instance.company if self.instance.company_id else None)
        role = cleaned.get("role") or self.instance.role
        if company is None or not role:
            return cleaned
        sites = list(cleaned.get("sites") or [])
        try:
            check_membership(actor=self.actor, company=company, role=role, sites=sites)
            if self.instance.pk:
                original = Membership.objects.select_related("company").get(pk=self.instance.pk)
                check_keeps_admin(
                    actor=self.actor,
                    membership=original,
                    role=role,
                    is_active=cleaned.get("is_active", original.is_active),
                )
        except QudaoError as exc:
            add_service_error(self, exc)
        return cleaned
