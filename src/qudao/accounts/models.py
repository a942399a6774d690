"""Users, roles, memberships (user ↔ company ↔ optional sites ↔ role) and API keys."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qudao.core.models import TimeStampedModel
from qudao.core.scoping import Actor, ScopeSpec


class Role(models.TextChoices):
    DEALER_ADMIN = "dealer_admin", _("Dealer administrator")
    MANAGER = "manager", _("Manager")
    SALES_REP = "sales_rep", _("Sales representative")
    WAREHOUSE_CLERK = "warehouse_clerk", _("Warehouse clerk")
    PURCHASER = "purchaser", _("Purchaser")
    SERVICE_ADVISOR = "service_advisor", _("Service advisor")
    TECHNICIAN = "technician", _("Technician")
    FINANCE = "finance", _("Finance")
    BRAND_MANAGER = "brand_manager", _("Brand manager")
    SUPPLIER_USER = "supplier_user", _("Supplier user")
    RETAILER_USER = "retailer_user", _("Retailer user")


def _user_scope(queryset, actor: Actor, for_write: bool):
    """Users are visible to colleagues: members of the same companies (write: dealer admins only)."""
    if actor.is_platform_admin:
        return queryset
    if not actor.is_authenticated:
        return queryset.none()
    companies = sorted(actor.own_dealer_ids | actor.brand_ids | actor.supplier_ids)
    if for_write:
        companies = sorted(c for c in companies if c in actor.admin_company_ids)
    return queryset.filter(
        Q(pk=actor.user_id) | Q(memberships__company__in=companies, memberships__is_active=True)
    ).distinct()


class User(AbstractUser):
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])
    scope_spec = ScopeSpec(custom=_user_scope)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"


def _membership_scope(queryset, actor: Actor, for_write: bool):
    if actor.is_platform_admin:
        return queryset
    if not actor.is_authenticated:
        return queryset.none()
    if for_write:
        return queryset.filter(company__in=sorted(actor.admin_company_ids))
    companies = sorted(actor.own_dealer_ids | actor.brand_ids | actor.supplier_ids)
    return queryset.filter(Q(user=actor.user_id) | Q(company__in=companies))


class Membership(TimeStampedModel):
    """A user works for a company in a role, possibly limited to some of its sites."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    company = models.ForeignKey(
        "org.Company", on_delete=models.PROTECT, related_name="memberships", verbose_name=_("company")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    sites = models.ManyToManyField(
        "org.Site",
        blank=True,
        related_name="memberships",
        verbose_name=_("sites"),
        help_text=_("Leave empty for every site of the company."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(m2m_fields=[sites])
    scope_spec = ScopeSpec(custom=_membership_scope)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["user_id", "company_id", "role"]
        constraints = [models.UniqueConstraint(fields=["user", "company", "role"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.company} ({self.get_role_display()})"


def _api_key_scope(queryset, actor: Actor, for_write: bool):
    if actor.is_platform_admin:
        return queryset
    if not actor.is_authenticated:
        return queryset.none()
    return queryset.filter(user=actor.user_id)


class ApiKey(TimeStampedModel):
    """A secret shown once; only its SHA-256 is stored. The prefix identifies it in lists and logs."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    hashed_key = models.CharField(_("hashed key"), max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    scope_spec = ScopeSpec(custom=_api_key_scope)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class LoginFailure(models.Model):
    """One failed sign-in; recent ones lock the username (see services/throttle.py)."""

    username = models.CharField(_("username"), max_length=150, db_index=True)
    ip = models.CharField(_("IP address"), max_length=45, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    scope_spec = ScopeSpec(custom=lambda qs, actor, for_write: qs if actor.is_platform_admin else qs.none())

    class Meta:
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.username} @ {self.at:%Y-%m-%d %H:%M:%S}"
