"""Excel/CSV import and export of customer groups and customers, with natural keys.

Columns name records by code, never by id: dealer (company code; empty = the importing user's
dealer), customer_group / channel / home_site (codes at that dealer), region (division code),
sales_rep (username). Each imported row is saved through the services, so imports obey the same
rules as the API (and a changed status goes through the state machine).
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from qudao.accounts.models import User
from qudao.core.errors import QudaoError
from qudao.core.scoping import Actor, scoped
from qudao.org.models import Channel, Company, Region, Site
from qudao.parties import policies
from qudao.parties.models import Customer, CustomerGroup
from qudao.parties.services import create_customer_group, save_imported_customer, update_customer_group


def as_validation_error(exc: QudaoError) -> ValidationError:
    """A service error as a per-column import error."""
    by_field: dict[str, list[str]] = {}
    details = exc.details if isinstance(exc.details, list) else []
    for item in details:
        name = str(item.get("field", "")).removesuffix("_id") or NON_FIELD_ERRORS
        by_field.setdefault(name, []).append(str(item.get("message", "")))
    return ValidationError(by_field or {NON_FIELD_ERRORS: [exc.render()]})


class DealerWidget(widgets.ForeignKeyWidget):
    """A dealer by company code, among the dealers the importing user works for."""

    def __init__(self) -> None:
        super().__init__(Company, field="code")
        self.actor: Actor | None = None

    def get_queryset(self, value, row, *args, **kwargs):
        qs = Company.objects.filter(is_dealer=True)
        if self.actor is not None and not self.actor.is_platform_admin:
            qs = qs.filter(pk__in=sorted(self.actor.own_dealer_ids))
        return qs

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row=row, **kwargs)
        except ObjectDoesNotExist as exc:
            raise ValueError(
                _("You do not work for a dealer with the code %(code)s.") % {"code": value}
            ) from exc


class CodeWidget(widgets.ForeignKeyWidget):
    """A record by code; `per_dealer` limits the lookup to the row's dealer."""

    def __init__(self, model, field: str = "code", *, per_dealer: bool = True) -> None:
        super().__init__(model, field=field)
        self.per_dealer = per_dealer

    def get_queryset(self, value, row, *args, **kwargs):
        qs = self.model.objects.all()
        return qs.filter(dealer__code=(row or {}).get("dealer")) if self.per_dealer else qs

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row=row, **kwargs)
        except ObjectDoesNotExist as exc:
            raise ValueError(
                _("No %(model)s “%(value)s” at this dealer.")
                % {"model": self.model._meta.verbose_name, "value": value}
            ) from exc


class MobileWidget(widgets.CharWidget):
    """A mobile number as people type it (+86, spaces, dashes), normalised before the rules run."""

    def clean(self, value, row=None, **kwargs):
        return policies.normalize_mobile(str(super().clean(value, row=row, **kwargs) or ""))


class BlankIsNoneWidget(widgets.Widget):
    """Text where an empty cell means "not given" (with saves_null_values=False: left as it is)."""

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        return text or None


class TagsWidget(widgets.Widget):
    """Tags in one cell, separated by commas or semicolons."""

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return []
        return [tag.strip() for tag in re.split(r"[,;，；]", str(value)) if tag.strip()]

    def render(self, value, obj=None, **kwargs):
        return ", ".join(value or [])


class ActorResource(resources.ModelResource):
    """A resource that knows who imports: rows go to that user's dealer and scope."""

    def __init__(self, actor: Actor | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.actor = actor
        self.fields["dealer"].widget.actor = actor

    def get_queryset(self):
        """Rows an import may update: those the user may change."""
        qs = super().get_queryset()
        return scoped(qs, self.actor, for_write=True) if self.actor is not None else qs.none()

    def get_or_init_instance(self, instance_loader, row):
        try:
            return super().get_or_init_instance(instance_loader, row)
        except ValueError as exc:  # the dealer column names a dealer the user does not work for
            raise ValidationError({"dealer": [str(exc)]}) from exc

    def before_import(self, dataset, **kwargs):
        """A file without a dealer column imports into the user's own dealer."""
        if "dealer" not in (dataset.headers or []):
            dataset.append_col([""] * len(dataset), header="dealer")

    def before_import_row(self, row, **kwargs):
        if not row.get("dealer") and self.actor is not None:
            dealer_id = self.actor.default_dealer_id()
            code = Company.objects.filter(pk=dealer_id).values_list("code", flat=True).first()
            if code is None:
                raise ValidationError(
                    {"dealer": [_("Give the dealer's code: you work for several dealers.")]}
                )
            row["dealer"] = code


class CustomerGroupResource(ActorResource):
    dealer = fields.Field(attribute="dealer", column_name="dealer", widget=DealerWidget())

    class Meta:
        model = CustomerGroup
        fields = ("dealer", "code", "name", "description")
        import_id_fields = ("dealer", "code")
        skip_unchanged = True

    def save_instance(self, instance, is_create, row, **kwargs):
        data = {"code": instance.code, "name": instance.name, "description": instance.description}
        try:
            if is_create:
                saved = create_customer_group(
                    actor=self.actor, data={**data, "dealer_id": instance.dealer_id}
                )
                instance.pk = saved.pk
            else:
                update_customer_group(actor=self.actor, group=instance, data=data)
        except QudaoError as exc:
            raise as_validation_error(exc) from exc


class CustomerResource(ActorResource):
    dealer = fields.Field(attribute="dealer", column_name="dealer", widget=DealerWidget())
    customer_group = fields.Field(
        attribute="customer_group", column_name="customer_group", widget=CodeWidget(CustomerGroup)
    )
    channel = fields.Field(attribute="channel", column_name="channel", widget=CodeWidget(Channel))
    home_site = fields.Field(attribute="home_site", column_name="home_site", widget=CodeWidget(Site))
    region = fields.Field(
        attribute="region", column_name="region", widget=CodeWidget(Region, per_dealer=False)
    )
    sales_rep = fields.Field(
        attribute="sales_rep",
        column_name="sales_rep",
        widget=CodeWidget(User, field="username", per_dealer=False),
    )
    tags = fields.Field(attribute="tags", column_name="tags", widget=TagsWidget())
    mobile = fields.Field(attribute="mobile", column_name="mobile", widget=MobileWidget(allow_blank=True))
    #: no default: an empty cell keeps an existing customer's status (a new one starts as a prospect)
    status = fields.Field(
        attribute="status", column_name="status", widget=BlankIsNoneWidget(), saves_null_values=False
    )
    id_type = fields.Field(attribute="id_type", column_name="id_type", readonly=True)
    id_number_masked = fields.Field(
        attribute="id_number_masked", column_name="id_number_masked", readonly=True
    )

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
            "id_number_masked",
            "customer_group",
            "channel",
            "home_site",
            "sales_rep",
            "region",
            "credit_limit",
            "payment_terms_days",
            "currency",
            "tags",
            "source",
            "status",
            "notes",
        )
        import_id_fields = ("dealer", "code")
        skip_unchanged = True
        clean_model_instances = True

    def save_instance(self, instance, is_create, row, **kwargs):
        try:
            save_imported_customer(actor=self.actor, customer=instance, created=is_create)
        except QudaoError as exc:
            raise as_validation_error(exc) from exc
