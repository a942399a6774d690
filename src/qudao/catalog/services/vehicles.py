"""Vehicle model services."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from qudao.catalog.models import VehicleModel
from qudao.catalog.services._common import (
    References,
    ensure_unique,
    ensure_writable,
    resolve_dealer,
    validate_instance,
)
from qudao.core.scoping import Actor
from qudao.org.models import Company

_PLAIN_FIELDS = ("series", "model_year", "trim", "powertrain", "msrp", "currency", "is_active")


@transaction.atomic
def create_vehicle_model(*, actor: Actor, data: Mapping[str, Any]) -> VehicleModel:
    dealer_id = resolve_dealer(actor, data.get("dealer_id"))
    refs = References(actor)
    brand = refs.get(Company, data.get("brand_id"), "brand_id")
    refs.raise_if_any()
    model = VehicleModel(
        dealer_id=dealer_id, brand=brand, **{name: data[name] for name in _PLAIN_FIELDS if name in data}
    )
    return _persist(model, actor=actor)


@transaction.atomic
def update_vehicle_model(
    *, actor: Actor, vehicle_model: VehicleModel, data: Mapping[str, Any]
) -> VehicleModel:
    vehicle_model = VehicleModel.objects.select_for_update().get(pk=vehicle_model.pk)
    for name in _PLAIN_FIELDS:
        if name in data:
            setattr(vehicle_model, name, data[name])
    if "brand_id" in data:
        refs = References(actor)
        vehicle_model.brand = refs.get(Company, data["brand_id"], "brand_id")
        refs.raise_if_any()
    return _persist(vehicle_model, actor=actor)


@transaction.atomic
def save_vehicle_model(*, actor: Actor, vehicle_model: VehicleModel) -> VehicleModel:
    return _persist(vehicle_model, actor=actor)


def _persist(vehicle_model: VehicleModel, *, actor: Actor) -> VehicleModel:
    ensure_writable(actor, vehicle_model.dealer_id)
    validate_instance(vehicle_model)
    ensure_unique(vehicle_model, ("dealer", "brand", "series", "model_year", "trim"), report_as="series")
    vehicle_model.save()
    vehicle_model.refresh_from_db()  # values as stored (decimals at their places)
    return vehicle_model
