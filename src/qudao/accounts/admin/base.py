"""Building blocks of the accounts console: the request actor on forms, platform-only import, filters."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import DropdownFilter

from qudao.accounts.models import Membership
from qudao.core.scoping import get_actor
from qudao.org.models import Company


class ActorFormAdminMixin:
    """Give the admin's form class the request's actor (forms validate with the services' rules)."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"actor": get_actor(request)})


class PlatformImportOnlyMixin:
    """Importing access records would bypass the access rules: only platform administrators may."""

    def has_import_permission(self, request, *args, **kwargs):
        return request.user.is_superuser and super().has_import_permission(request, *args, **kwargs)


class CompanyFilter(DropdownFilter):
    title = _("company")
    parameter_name = "company"
    #: the lookup to the membership company from the admin's model
    lookup = "memberships__company"

    def lookups(self, request, model_admin):
        actor = get_actor(request)
        companies = (
            Company.objects.all()
            if actor.is_platform_admin
            else Company.objects.filter(pk__in=sorted(actor.company_ids))
        )
        return [(c.pk, str(c)) for c in companies.order_by("code")[:500]]

    def queryset(self, request, queryset):
        value = self.value()
        if not value or not str(value).isdigit():
            return queryset
        if self.lookup.startswith("memberships__"):
            return queryset.filter(
                pk__in=Membership.objects.filter(company_id=int(value), is_active=True).values("user_id")
            )
        return queryset.filter(**{self.lookup: int(value)})


class MembershipCompanyFilter(CompanyFilter):
    lookup = "company"
