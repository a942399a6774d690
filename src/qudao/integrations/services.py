"""Marketplace mappings (saved only when valid) and the e-commerce order import through them.

Each platform order is read through the dealer's mapping (mapping.py) and handed to the order
center's `submit_external_order` (source e-commerce, external reference = the platform order id):
the same platform order sent twice answers the same order ("existing"), a status the mapping skips
answers "skipped", a bad order answers "error" with its problems — one order's failure never
stops the others of a batch (each is written in its own transaction)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from qudao.core.errors import DuplicateRecord, QudaoError, ValidationFailed
from qudao.core.events import emit
from qudao.core.scoping import Actor, get_scoped, require_dealer, scoped
from qudao.integrations.errors import InvalidMapping, MappingInactive, TooManyOrders
from qudao.integrations.generic import GENERIC_CODE, generic_mapping
from qudao.integrations.mapping import MappingInvalid, apply_mapping, check_mapping
from qudao.integrations.models import MarketplaceMapping, Platform
from qudao.org.models import Channel
from qudao.sales.services.imports_external import submit_external_order
from qudao.sales.states import OrderSource

MAX_ORDERS = 100
EDITABLE = ("code", "name", "platform", "channel_id", "mapping", "is_active")


def validate_mapping(mapping: Any) -> None:
    """422 `invalid_mapping` listing every problem of the mapping."""
    try:
        check_mapping(mapping)
    except MappingInvalid as exc:
        raise InvalidMapping(
            details=[{**p, "field": f"mapping.{p['field']}"} for p in exc.problems]
        ) from None


@transaction.atomic
def save_mapping(
    *, actor: Actor, data: Mapping[str, Any], mapping_id: int | None = None
) -> MarketplaceMapping:
    """Create (data has dealer_id?, code, name, platform, channel_id?, mapping) or edit a mapping."""
    if mapping_id is None:
        row = MarketplaceMapping(dealer_id=require_dealer(actor, data.get("dealer_id")))
    else:
        row = get_scoped(MarketplaceMapping.objects.select_for_update(), actor, for_write=True, pk=mapping_id)
        if data.get("version") is not None and int(data["version"]) != row.version:
            from qudao.core.errors import StaleVersion

            raise StaleVersion(details={"version": row.version})
        row.version += 1
    for name in EDITABLE:
        if name in data and data[name] is not None:
            setattr(row, name, data[name])
    validate_mapping(row.mapping)
    if row.channel_id and not Channel.objects.filter(pk=row.channel_id, dealer_id=row.dealer_id).exists():
        raise ValidationFailed(
            details=[{"field": "channel_id", "message": _("No such record, or it is not visible to you.")}]
        )
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:
        raise DuplicateRecord(details=[{"field": "code", "message": row.code}]) from exc
    emit(
        "integrations.mapping.saved",
        {"mapping_id": row.pk, "code": row.code, "version": row.version},
        dealer_id=row.dealer_id,
        actor_id=actor.user_id,
    )
    return row


def install_generic_mapping(
    *, actor: Actor, customer_code: str, dealer_id: int | None = None, channel_id: int | None = None
) -> MarketplaceMapping:
    """The shipped "generic-marketplace" mapping for a dealer, its orders going to `customer_code`."""
    return save_mapping(
        actor=actor,
        data={
            "dealer_id": dealer_id,
            "code": GENERIC_CODE,
            "name": str(_("Generic marketplace")),
            "platform": Platform.GENERIC,
            "channel_id": channel_id,
            "mapping": generic_mapping(customer_code=customer_code),
        },
    )


def get_mapping(*, actor: Actor, code: str, dealer_id: int | None = None) -> MarketplaceMapping:
    qs = scoped(MarketplaceMapping.objects.all(), actor, for_write=True).filter(code=code)
    if dealer_id is not None:
        qs = qs.filter(dealer_id=dealer_id)
    row = qs.order_by("dealer_id").first()
    if row is None:
        from qudao.core.errors import NotFound

        raise NotFound(details={"code": code})
    return row


def read_marketplace_order(
    *, actor: Actor, mapping: MarketplaceMapping, payload: Any, write: bool
) -> dict[str, Any]:
    """One platform order through the mapping: written (write) or only shown (the console's try-out)."""
    mapped = apply_mapping(mapping.mapping, payload)
    out: dict[str, Any] = {
        "external_reference": mapped.external_reference,
        "order_id": None,
        "status": "error",
        "errors": list(mapped.errors),
        "platform_status": mapped.status,
    }
    if mapped.decision == "skip" and not mapped.errors:
        out["status"] = "skipped"
        return out
    if mapped.errors:
        return out
    data = {
        "source": OrderSource.ECOMMERCE,
        "external_reference": mapped.external_reference,
        "customer_code": mapped.customer_code,
        "channel_id": mapping.channel_id,
        **{k: v for k, v in mapped.values.items() if k != "paid_at"},
        "lines": [
            {"sku": ln.sku, "quantity": ln.quantity, "unit_price": ln.unit_price} for ln in mapped.lines
        ],
    }
    if mapping.mapping.get("price") == "platform":
        data["price_label"] = _("Platform price (%(platform)s)") % {
            "platform": mapping.get_platform_display()
        }
    try:
        result = submit_external_order(actor=actor, dealer_id=mapping.dealer_id, data=data, dry_run=not write)
    except QudaoError as exc:
        out["errors"] = [{"field": "", "code": exc.code, "message": exc.render()}]
        return out
    out.update(
        status=result.status, order_id=result.order_id, errors=result.errors, mapped=_mapped_view(mapped)
    )
    if result.preview:
        out["order"] = result.preview
    return out


def _mapped_view(mapped) -> dict[str, Any]:
    return {
        "customer_code": mapped.customer_code,
        **mapped.values,
        "lines": [
            {
                "platform_sku": ln.platform_sku,
                "sku": ln.sku,
                "quantity": None if ln.quantity is None else str(ln.quantity),
                "unit_price": None if ln.unit_price is None else str(ln.unit_price),
            }
            for ln in mapped.lines
        ],
    }


def import_marketplace_orders(
    *, actor: Actor, code: str, payload: Any, dealer_id: int | None = None
) -> list[dict[str, Any]]:
    """One platform order (an object) or several (a list): one result per order, in order."""
    mapping = get_mapping(actor=actor, code=code, dealer_id=dealer_id)
    if not mapping.is_active:
        raise MappingInactive(details={"code": code})
    orders = payload if isinstance(payload, list) else [payload]
    if len(orders) > MAX_ORDERS:
        raise TooManyOrders(max=MAX_ORDERS, details={"max": MAX_ORDERS})
    results = []
    for order in orders:
        result = read_marketplace_order(actor=actor, mapping=mapping, payload=order, write=True)
        result.pop("mapped", None)
        result.pop("order", None)
        results.append(result)
    return results
