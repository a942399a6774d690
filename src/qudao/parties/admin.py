"""Console of the customers app. Saves go through the services (the same rules as the API):
the customer form carries the version it was opened at, contacts and addresses are inlines, and
status changes are actions."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from unfold.admin import StackedInline, TabularInline

from qudao.core.admin import QudaoModelAdmin
from qudao.core.errors import QudaoError, StaleVersion
from qudao.core.scoping import get_actor, scoped
from qudao.parties import policies, services
from qudao.parties.models import Address, Contact, Customer, CustomerGroup
from qudao.parties.resources import CustomerGroupResource, CustomerResource
from qudao.parties.services.addresses import ADDRESS_FIELDS
from qudao.parties.services.contacts import CONTACT_FIELDS
from qudao.parties.services.customers import CUSTOMER_FIELDS
from qudao.parties.states import CustomerStatus


def _error_text(exc: QudaoError) -> str:
    details = exc.details if isinstance(exc.details, list) else []
    parts = [f"{d.get('field')}: {d.get('message')}" for d in details if isinstance(d, dict)]
    return " ".join([exc.render(), *parts])


class ActorResourceMixin:
    """Pass the signed-in user's actor to the import/export resources."""

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {**super().get_resource_kwargs(request, *args, **kwargs), "actor": get_actor(request)}


@admin.register(CustomerGroup)
class CustomerGroupAdmin(ActorResourceMixin, QudaoModelAdmin):
    resource_classes = [CustomerGroupResource]
    list_display = ("code", "name", "dealer", "description", "updated_at")
    list_filter = (("dealer", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("code", "name")
    ordering = ("dealer", "code")

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        return (*readonly, "dealer") if obj is not None else readonly

    def save_model(self, request, obj, form, change):
        data = {"code": obj.code, "name": obj.name, "description": obj.description}
        actor = get_actor(request)
        if change:
            services.update_customer_group(actor=actor, group=obj, data=data)
        else:
            obj.pk = services.create_customer_group(actor=actor, data={**data, "dealer_id": obj.dealer_id}).pk
            obj._state.adding = False
        obj.refresh_from_db()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except QudaoError as exc:
            self.message_user(request, _error_text(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class ContactInline(TabularInline):
    model = Contact
    extra = 0
    fields = ("name", "title", "phone", "email", "wechat_id", "is_primary")


class AddressInline(StackedInline):
    model = Address
    extra = 0
    fields = (
        ("kind", "is_default"),
        "region",
        "line",
        ("postal_code", "receiver_name", "receiver_phone"),
        ("latitude", "longitude"),
    )


class CustomerAdminForm(forms.ModelForm):
    id_number = forms.CharField(
        label=_("new document number"),
        required=False,
        max_length=32,
        help_text=_("Typed once, kept only masked. Leave empty to keep the current document."),
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    mobile = forms.CharField(label=_("mobile phone"), required=False, max_length=20)

    class Meta:
        model = Customer
        fields = (
            "dealer",
            "code",
            "kind",
            "business_type",
            "name",
            "legal_name",
            "credit_code",
            "mobile",
            "email",
            "id_type",
            "customer_group",
            "channel",
            "home_site",
            "sales_rep",
            "region",
            "source",
            "tags",
            "credit_limit",
            "payment_terms_days",
            "currency",
            "notes",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["expected_version"].initial = self.instance.version

    def clean_mobile(self):
        return policies.normalize_mobile(self.cleaned_data["mobile"])

    def clean(self):
        cleaned = super().clean()
        expected = cleaned.get("expected_version")
        if self.instance.pk is not None and expected is not None:
            current = Customer.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
            if current != expected:
                raise forms.ValidationError(StaleVersion.message, code=StaleVersion.code)
        number = cleaned.get("id_number")
        if number:
            if not cleaned.get("id_type"):
                self.add_error("id_type", _("Choose the type of identity document."))
            else:
                try:
                    cleaned["id_number"] = policies.validate_id_number(number, id_type=cleaned["id_type"])
                except policies.PolicyError as exc:
                    self.add_error("id_number", exc.message)
        return cleaned


@admin.register(Customer)
class CustomerAdmin(ActorResourceMixin, QudaoModelAdmin):
    form = CustomerAdminForm
    resource_classes = [CustomerResource]
    inlines = [ContactInline, AddressInline]
    list_display = (
        "code",
        "name",
        "kind",
        "business_type",
        "customer_group",
        "channel",
        "sales_rep",
        "status",
        "credit_limit",
        "updated_at",
    )
    list_filter = (
        "kind",
        "business_type",
        "status",
        ("customer_group", admin.RelatedOnlyFieldListFilter),
        ("channel", admin.RelatedOnlyFieldListFilter),
        ("sales_rep", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("code", "name", "legal_name", "mobile", "credit_code", "contacts__phone")
    list_select_related = ("customer_group", "channel", "sales_rep")
    ordering = ("dealer", "code")
    readonly_state_fields = (
        "status",
        "status_reason",
        "id_number_masked",
        "version",
        "first_purchase_at",
        "last_purchase_at",
        "created_at",
        "updated_at",
    )
    autocomplete_candidates = ("customer_group", "channel", "home_site", "sales_rep", "region")
    actions = ["activate", "block", "archive"]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "dealer",
                    "code",
                    "kind",
                    "business_type",
                    "name",
                    "legal_name",
                    "credit_code",
                    ("status", "status_reason"),
                )
            },
        ),
        (_("Person"), {"fields": ("mobile", "email", "id_type", "id_number_masked", "id_number")}),
        (
            _("Sales"),
            {"fields": ("customer_group", "channel", "home_site", "sales_rep", "region", "source", "tags")},
        ),
        (_("Credit"), {"fields": ("credit_limit", "payment_terms_days", "currency")}),
        (_("Notes"), {"fields": ("notes",)}),
        (
            _("Record"),
            {
                "fields": (
                    "version",
                    "first_purchase_at",
                    "last_purchase_at",
                    "created_at",
                    "updated_at",
                    "expected_version",
                )
            },
        ),
    )

    def get_autocomplete_fields(self, request):
        """Autocomplete where the related model's admin can search (org and accounts register theirs)."""
        usable = []
        for name in self.autocomplete_candidates:
            related = self.model._meta.get_field(name).related_model
            model_admin = self.admin_site._registry.get(related)
            if model_admin is not None and model_admin.get_search_fields(request):
                usable.append(name)
        return usable

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        return (*readonly, "dealer") if obj is not None else readonly

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except QudaoError as exc:
            self.message_user(request, _error_text(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        actor = get_actor(request)
        names = {name.removesuffix("_id") for name in CUSTOMER_FIELDS} & set(form.changed_data)
        data = {
            obj._meta.get_field(name).attname: getattr(obj, obj._meta.get_field(name).attname)
            for name in names
        }
        if form.cleaned_data.get("id_number"):
            data["id_number"] = form.cleaned_data["id_number"]
        if change:
            version = form.cleaned_data.get("expected_version") or obj.version
            services.update_customer(actor=actor, customer=obj, data=data, version=version)
        else:
            data.update(dealer_id=obj.dealer_id, kind=obj.kind, name=obj.name)
            obj.pk = services.create_customer(actor=actor, data=data).pk
            obj._state.adding = False
        obj.refresh_from_db()

    def save_formset(self, request, form, formset, change):
        if formset.model not in (Contact, Address):
            return super().save_formset(request, form, formset, change)
        actor = get_actor(request)
        formset.save(commit=False)
        customer = form.instance
        if formset.model is Contact:
            add, update, delete, allowed = (
                services.add_contact,
                services.update_contact,
                services.delete_contact,
                CONTACT_FIELDS,
            )
        else:
            add, update, delete, allowed = (
                services.add_address,
                services.update_address,
                services.delete_address,
                ADDRESS_FIELDS,
            )
        key = formset.model._meta.model_name
        for obj in formset.deleted_objects:
            delete(actor=actor, **{key: obj})
        for obj in formset.new_objects:
            add(actor=actor, customer=customer, data=_row_data(obj, allowed))
        for obj, changed in formset.changed_objects:
            fields = {obj._meta.get_field(name).attname for name in changed} & allowed
            update(actor=actor, **{key: obj}, data={name: getattr(obj, name) for name in fields})

    # --- status actions: each calls the status service, per customer -------------------------------------

    def _move(self, request, queryset, to: str) -> None:
        actor = get_actor(request)
        moved, refused = 0, []
        for customer in scoped(queryset, actor, for_write=True).order_by("pk"):
            try:
                services.change_customer_status(actor=actor, customer=customer, to=to)
                moved += 1
            except QudaoError as exc:
                refused.append(f"{customer.code}: {exc.render()}")
        if moved:
            self.message_user(
                request,
                _("%(count)d customers are now “%(status)s”.")
                % {"count": moved, "status": CustomerStatus(to).label},
                messages.SUCCESS,
            )
        if refused:
            self.message_user(request, " ".join(refused), messages.WARNING)

    @admin.action(description=_("Activate (or unblock)"), permissions=["change"])
    def activate(self, request, queryset):
        self._move(request, queryset, CustomerStatus.ACTIVE)

    @admin.action(description=_("Block"), permissions=["change"])
    def block(self, request, queryset):
        self._move(request, queryset, CustomerStatus.BLOCKED)

    @admin.action(description=_("Archive"), permissions=["change"])
    def archive(self, request, queryset):
        self._move(request, queryset, CustomerStatus.ARCHIVED)


def _row_data(obj, allowed: frozenset[str]) -> dict:
    return {name: getattr(obj, name) for name in allowed}
