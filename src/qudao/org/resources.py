"""Excel/CSV import and export (django-import-export) for companies, sites, channels and territories.

Rows are matched on their natural keys (codes), never on database ids. Imports run through the
services — the same checks, data scopes and outbox events as the API — and a broken rule becomes
that row's error in the import preview.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from qudao.core.errors import QudaoError
from qudao.core.scoping import ANONYMOUS, Actor, build_actor, scoped
from qudao.org.forms import as_validation_error, service_data
from qudao.org.models import Channel, Company, Region, Site, Territory
from qudao.org.services import channels, companies, sites, territories


class CodeWidget(widgets.ForeignKeyWidget):
    """A foreign key written as the related row's code."""

    def __init__(self, model, field: str = "code", **kwargs: Any):
        super().__init__(model, field=field, **kwargs)


class CodesWidget(widgets.ManyToManyWidget):
    """Several related rows as codes separated by commas."""

    def __init__(self, model, field: str = "code", **kwargs: Any):
        super().__init__(model, separator=",", field=field, **kwargs)


class ServiceResource(resources.ModelResource):
    """Saves each row through `create`/`update` services, as the importing user."""

    create: Callable[..., Any]
    update: Callable[..., Any]
    instance_kwarg: str
    actor: Actor = ANONYMOUS

    def before_import(self, dataset, **kwargs):
        user = kwargs.get("user")
        self.actor = build_actor(user) if user is not None and user.is_authenticated else ANONYMOUS
        super().before_import(dataset, **kwargs)

    def get_queryset(self):
        # Existing rows are matched only among those the user may change.
        return scoped(super().get_queryset(), self.actor, for_write=True)

    def _row_values(self, instance, row) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for field in self.get_import_fields():
            attribute = field.attribute
            if not attribute or field.column_name not in row or attribute == "id":
                continue
            model_field = self._meta.model._meta.get_field(attribute)
            values[attribute] = field.clean(row) if model_field.many_to_many else getattr(instance, attribute)
        return values

    def save_instance(self, instance, is_create, row, **kwargs):
        self.before_save_instance(instance, row, **kwargs)
        data = service_data(self._meta.model, self._row_values(instance, row))
        service = type(self)
        try:
            if is_create:
                saved = service.create(actor=self.actor, data=data)
            else:
                saved = service.update(actor=self.actor, data=data, **{self.instance_kwarg: instance})
        except QudaoError as exc:
            raise as_validation_error(exc) from exc
        instance.pk = saved.pk
        self.after_save_instance(instance, row, **kwargs)

    def save_m2m(self, instance, row, **kwargs):
        """The services already wrote the many-to-many fields."""


class CompanyResource(ServiceResource):
    owner = fields.Field(attribute="owner", column_name="owner", widget=CodeWidget(Company))
    region = fields.Field(attribute="region", column_name="region", widget=CodeWidget(Region))
    create = staticmethod(companies.create_company)
    update = staticmethod(companies.update_company)
    instance_kwarg = "company"

    class Meta:
        model = Company
        import_id_fields = ("code",)
        fields = (
            "code",
            "name",
            "short_name",
            "credit_code",
            "is_brand",
            "is_dealer",
            "is_supplier",
            "is_carrier",
            "is_financier",
            "owner",
            "is_public",
            "region",
            "address",
            "phone",
            "email",
            "time_zone",
            "currency",
            "is_active",
        )
        skip_unchanged = True
        name = _("Companies by code")


class SiteResource(ServiceResource):
    dealer = fields.Field(attribute="dealer", column_name="dealer", widget=CodeWidget(Company))
    region = fields.Field(attribute="region", column_name="region", widget=CodeWidget(Region))
    brands = fields.Field(
        attribute="brands", column_name="brands", widget=CodesWidget(Company), m2m_add=False
    )
    create = staticmethod(sites.create_site)
    update = staticmethod(sites.update_site)
    instance_kwarg = "site"

    class Meta:
        model = Site
        import_id_fields = ("dealer", "code")
        fields = (
            "dealer",
            "code",
            "name",
            "kind",
            "region",
            "address",
            "latitude",
            "longitude",
            "brands",
            "is_active",
        )
        skip_unchanged = True
        name = _("Sites by dealer and code")


class ChannelResource(ServiceResource):
    dealer = fields.Field(attribute="dealer", column_name="dealer", widget=CodeWidget(Company))
    create = staticmethod(channels.create_channel)
    update = staticmethod(channels.update_channel)
    instance_kwarg = "channel"

    class Meta:
        model = Channel
        import_id_fields = ("dealer", "code")
        fields = ("dealer", "code", "name", "kind", "is_active")
        skip_unchanged = True
        name = _("Channels by dealer and code")


class TerritoryResource(ServiceResource):
    owner = fields.Field(attribute="owner", column_name="owner", widget=CodeWidget(Company))
    regions = fields.Field(
        attribute="regions", column_name="regions", widget=CodesWidget(Region), m2m_add=False
    )
    polygon = fields.Field(attribute="polygon", column_name="polygon", widget=widgets.JSONWidget())
    create = staticmethod(territories.create_territory)
    update = staticmethod(territories.update_territory)
    instance_kwarg = "territory"

    class Meta:
        model = Territory
        import_id_fields = ("owner", "code")
        fields = ("owner", "code", "name", "regions", "polygon")
        skip_unchanged = True
        name = _("Territories by owner and code")
