"""API keys in the console: "add" makes the token and shows it once; revoke is an action."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin as UnfoldModelAdmin
from unfold.widgets import UnfoldAdminCheckboxSelectMultipleWidget

from qudao.accounts.forms import add_service_error
from qudao.accounts.models import ApiKey
from qudao.accounts.policies import known_api_scopes
from qudao.accounts.services.api_keys import check_api_key_request, create_api_key, revoke_api_key
from qudao.core.admin import ScopedAdminMixin
from qudao.core.errors import QudaoError
from qudao.core.scoping import get_actor, scoped


class ApiKeyStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("usable", _("Usable")), ("revoked", _("Revoked")), ("expired", _("Expired"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "usable":
            return queryset.filter(
                Q(expires_at__isnull=True) | Q(expires_at__gt=now), revoked_at__isnull=True
            )
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        if self.value() == "expired":
            return queryset.filter(expires_at__lte=now, revoked_at__isnull=True)
        return queryset


class ApiKeyAdminForm(forms.ModelForm):
    class Meta:
        model = ApiKey
        fields = ("name", "scopes", "expires_at")

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and "scopes" in cleaned:
            try:
                cleaned["expires_at"] = check_api_key_request(
                    scopes=cleaned.get("scopes") or [], expires_at=cleaned.get("expires_at")
                )
            except QudaoError as exc:
                add_service_error(self, exc, default_field="scopes")
        return cleaned


@admin.register(ApiKey)
class ApiKeyAdmin(ScopedAdminMixin, UnfoldModelAdmin):
    """Keys are made here or through the API; the token is shown once, only its hash is kept."""

    form = ApiKeyAdminForm
    dealer_field = None
    list_display = (
        "name",
        "prefix",
        "user",
        "scope_list",
        "status",
        "expires_at",
        "last_used_at",
        "created_at",
    )
    list_filter = (ApiKeyStatusFilter,)
    search_fields = ("name", "prefix", "user__username")
    list_select_related = ("user",)
    actions = ["revoke_selected"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("name", "scopes", "expires_at")
        return (
            "name",
            "user",
            "prefix",
            "scopes",
            "expires_at",
            "status",
            "created_at",
            "last_used_at",
            "revoked_at",
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (
            "user",
            "prefix",
            "scopes",
            "expires_at",
            "status",
            "created_at",
            "last_used_at",
            "revoked_at",
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "scopes":
            return forms.MultipleChoiceField(
                label=db_field.verbose_name,
                choices=[(s, s) for s in known_api_scopes()],
                widget=UnfoldAdminCheckboxSelectMultipleWidget,
                help_text=_("“*” is every scope; “<app>:write” includes reading that app."),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("scopes"))
    def scope_list(self, obj: ApiKey) -> str:
        return ", ".join(obj.scopes or [])

    @admin.display(description=_("status"))
    def status(self, obj: ApiKey) -> str:
        if obj.revoked_at is not None:
            return str(_("Revoked"))
        if not obj.is_usable:
            return str(_("Expired"))
        return str(_("Usable"))

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        key, token = create_api_key(
            actor=get_actor(request),
            user=request.user,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            expires_at=form.cleaned_data["expires_at"],
        )
        for field in ApiKey._meta.concrete_fields:
            setattr(obj, field.attname, getattr(key, field.attname))
        obj._state.adding = False
        obj._state.db = key._state.db
        self.message_user(
            request,
            format_html(
                '{} <code class="select-all font-mono">{}</code>',
                _("Copy this API key now; it will not be shown again:"),
                token,
            ),
            messages.WARNING,
        )

    @admin.action(description=_("Revoke selected API keys"), permissions=["change"])
    def revoke_selected(self, request, queryset):
        actor = get_actor(request)
        keys = list(scoped(queryset, actor, for_write=True).filter(revoked_at__isnull=True))
        for key in keys:
            revoke_api_key(actor=actor, key=key)
        self.message_user(request, _("%(count)d API keys revoked.") % {"count": len(keys)}, messages.SUCCESS)
