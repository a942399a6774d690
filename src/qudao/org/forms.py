"""Console forms and imports write through the services: the same rules and events as the API.

`service_data()` turns form or import values (model objects) into the services' data (ids, codes);
`ServiceFormMixin` runs a service's `clean_*_data` in the form's clean() so a broken rule is shown
on the field, and `apply_service_errors()` maps the services' field names back to the form's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from qudao.core.errors import QudaoError
from qudao.core.scoping import Actor

#: model field → service data key, where the service does not use "<field>_id"
SERVICE_KEYS = {"region": "region_code", "regions": "region_codes", "brands": "brand_ids"}
#: the reverse, to show a service's error on the form field
FORM_FIELDS = {
    "region_code": "region",
    "region_codes": "regions",
    "brand_ids": "brands",
    "dealer_id": "dealer",
    "owner_id": "owner",
    "brand_id": "brand",
    "territory_id": "territory",
    "roles": None,
}


def _service_value(field: models.Field, value: Any) -> tuple[str, Any]:
    name = field.name
    if field.many_to_many:
        items = list(value or [])
        if name == "regions":
            return SERVICE_KEYS[name], [r.code for r in items]
        return SERVICE_KEYS.get(name, f"{name}_ids"), [o.pk for o in items]
    if field.is_relation:
        if name == "region":
            return SERVICE_KEYS[name], value.code if value is not None else None
        return f"{name}_id", value.pk if value is not None else None
    return name, value


def service_data(
    model: type[models.Model], values: Mapping[str, Any], names: Iterable[str] | None = None
) -> dict[str, Any]:
    """The services' `data` for the given model-field values (all of them, or only `names`)."""
    wanted = set(values) if names is None else set(names) & set(values)
    data: dict[str, Any] = {}
    for name in wanted:
        try:
            field = model._meta.get_field(name)
        except Exception:  # noqa: S112 - a form-only field has no service counterpart
            continue
        key, value = _service_value(field, values[name])
        data[key] = value
    return data


def error_dict(exc: QudaoError) -> dict[str | None, list[str]]:
    """A service error as {form field (None: the whole form): [messages]}."""
    out: dict[str | None, list[str]] = {}
    details = exc.details if isinstance(exc.details, list) else []
    for item in details:
        if isinstance(item, dict) and "field" in item:
            key = FORM_FIELDS.get(item["field"], item["field"])
            out.setdefault(key, []).append(item.get("message") or exc.render())
    if not out:
        out[None] = [exc.render()]
    return out


def apply_service_errors(form: forms.BaseForm, exc: QudaoError) -> None:
    for field, messages in error_dict(exc).items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


def as_validation_error(exc: QudaoError) -> ValidationError:
    """For django-import-export: a row error listing each field's messages."""
    errors = {("__all__" if k is None else k): v for k, v in error_dict(exc).items()}
    return ValidationError(errors)


class ServiceFormMixin:
    """A ModelForm whose clean() also runs the service's checks (set `actor` and `clean_service`)."""

    actor: Actor
    clean_service: Callable[..., Any]
    instance_kwarg: str

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        instance = self.instance if self.instance.pk else None
        names = self.changed_data if instance else list(cleaned)
        data = service_data(self._meta.model, cleaned, names)
        try:
            self.clean_service(actor=self.actor, data=data, **{self.instance_kwarg: instance})
        except QudaoError as exc:
            apply_service_errors(self, exc)
        return cleaned
