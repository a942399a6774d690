"""The scope sweep: every API endpoint, read and write, called by a user of another dealer.

The endpoints are taken from the OpenAPI document that django-ninja generates from the routers, so a new
endpoint is swept the day it is added. Path parameters are filled with ids (or codes) of rows that belong to
the demo dealers; the caller is the administrator of a dealer that owns nothing. Every call that names a
foreign row must answer 403/404; every list must show none of the foreign rows; and at the end not one
foreign row may have changed. A path segment the sweep does not know fails the test: map it below.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.apps import apps
from django.core import serializers
from django.db import models

from qudao.config.api import api
from qudao.core.scoping import build_actor, scoped
from qudao.org.models import Company
from tests.factories import ApiClient, make_dealer, make_site, make_user

pytestmark = pytest.mark.django_db

#: path segment before a parameter → (model label, field the parameter holds)
RESOURCES: dict[str, tuple[str, str]] = {
    "companies": ("org.Company", "pk"),
    "sites": ("org.Site", "pk"),
    "channels": ("org.Channel", "pk"),
    "regions": ("org.Region", "code"),
    "territories": ("org.Territory", "pk"),
    "dealerships": ("org.Dealership", "pk"),
    "users": ("accounts.User", "pk"),
    "memberships": ("accounts.Membership", "pk"),
    "api-keys": ("accounts.ApiKey", "pk"),
    "categories": ("catalog.Category", "pk"),
    "units": ("catalog.UnitOfMeasure", "pk"),
    "items": ("catalog.Item", "pk"),
    "item-units": ("catalog.ItemUnit", "pk"),
    "barcodes": ("catalog.Barcode", "code"),
    "vehicle-models": ("catalog.VehicleModel", "pk"),
    "supersessions": ("catalog.Supersession", "pk"),
    "customer-groups": ("parties.CustomerGroup", "pk"),
    "customers": ("parties.Customer", "pk"),
    "contacts": ("parties.Contact", "pk"),
    "addresses": ("parties.Address", "pk"),
    "events": ("core.OutboxEvent", "pk"),
    "locations": ("inventory.Location", "pk"),
    "alerts": ("alerts.Alert", "pk"),
    "transfers": ("inventory.Transfer", "pk"),
    "stocktakes": ("inventory.StocktakeSession", "pk"),
    "price-lists": ("pricing.PriceList", "pk"),
    "price-list-items": ("pricing.PriceListItem", "pk"),
    "floors": ("pricing.PriceFloor", "pk"),
    "promotions": ("pricing.Promotion", "pk"),
    "coupons": ("pricing.Coupon", "pk"),
    "rebate-programs": ("pricing.RebateProgram", "pk"),
    "orders": ("sales.SalesOrder", "pk"),
    "shipments": ("sales.Shipment", "pk"),
    "returns": ("sales.ReturnRequest", "pk"),
    "invoices": ("finance.Invoice", "pk"),
    "credit-notes": ("finance.CreditNote", "pk"),
    "payments": ("finance.Payment", "pk"),
    "marketplace": ("integrations.MarketplaceMapping", "code"),
    "mappings": ("integrations.MarketplaceMapping", "pk"),
}
#: shared master data everyone signed in may read (not a leak)
PUBLIC_READ = {"org.Region"}
#: endpoints about the caller itself
SELF_ENDPOINTS = {"/api/v1/system/me", "/api/v1/system/error-codes"}

PARAM = re.compile(r"{([^}]+)}")


def foreign_row(label: str, outsider_dealer: Company) -> Any:
    """A row of `label` that the outsider must not see."""
    model = apps.get_model(label)
    qs = model._default_manager.all()
    if label == "org.Company":
        return qs.filter(is_dealer=True, is_public=False).exclude(pk=outsider_dealer.pk).first()
    if label == "accounts.User":
        return qs.filter(memberships__isnull=False).exclude(memberships__company=outsider_dealer).first()
    if label in ("accounts.Membership",):
        return qs.exclude(company=outsider_dealer).first()
    if label == "accounts.ApiKey":
        return qs.exclude(user__memberships__company=outsider_dealer).first()
    if label == "org.Dealership":
        return qs.exclude(dealer=outsider_dealer).first()
    if label == "org.Territory":
        return qs.exclude(owner=outsider_dealer).first()
    for path in ("dealer", "customer__dealer", "item__dealer"):
        try:
            return qs.exclude(**{path: outsider_dealer}).first()
        except Exception:
            continue
    return qs.first()


SWEPT_APPS = {
    "core",
    "org",
    "accounts",
    "catalog",
    "parties",
    "alerts",
    "inventory",
    "sales",
    "pricing",
    "finance",
    "integrations",
}
VOLATILE_FIELDS = {"last_login", "last_used_at", "updated_at"}


def snapshot() -> dict[str, dict[int, str]]:
    """Every row of every scoped model, serialised, by model and pk."""
    out: dict[str, dict[int, str]] = {}
    for model in apps.get_models():
        if getattr(model, "scope_spec", None) is None or model._meta.app_label not in SWEPT_APPS:
            continue
        fields = [f.name for f in model._meta.concrete_fields if f.name not in VOLATILE_FIELDS]
        rows = model._default_manager.order_by("pk")
        out[model._meta.label] = {
            obj["pk"]: json.dumps(obj["fields"], sort_keys=True)
            for obj in json.loads(serializers.serialize("json", rows, fields=fields))
        }
    return out


def changes_outside(before: dict[str, dict[int, str]], actor) -> list[str]:
    """Rows that changed or appeared during the sweep and are not the outsider's own."""
    problems = []
    after = snapshot()
    for label, rows in after.items():
        model = apps.get_model(label)
        own = set(scoped(model._default_manager.all(), actor).values_list("pk", flat=True))
        old = before.get(label, {})
        for pk, value in rows.items():
            if pk in own:
                continue
            if pk not in old:
                problems.append(f"{label} #{pk} was created outside the outsider's scope")
            elif old[pk] != value:
                problems.append(f"{label} #{pk} changed")
        problems += [f"{label} #{pk} was deleted" for pk in old.keys() - rows.keys() if pk not in own]
    return problems


def raise_demo_alert() -> None:
    """The demo has no alerts yet: raise one for a demo dealer so the alert endpoints are swept too."""
    from qudao.alerts.kinds import NOTICE
    from qudao.alerts.services import raise_alert

    dealer = Company.objects.filter(is_dealer=True).order_by("pk").first()
    raise_alert(dealer_id=dealer.pk, kind=NOTICE, severity="warning", dedupe_key="sweep", message="盘点差异")


def make_demo_documents() -> None:
    """The demo has no inventory: one transfer and one started stocktake of a demo dealer, to sweep."""
    from qudao.inventory.services.stocktakes import create_stocktake, start_stocktake
    from qudao.inventory.services.transfers import create_transfer
    from qudao.org.models import Site
    from tests.inventory.factories import ROOT

    dealer = Company.objects.filter(is_dealer=True).order_by("pk").first()
    sites = list(Site.objects.filter(dealer=dealer).order_by("pk")[:2])
    if len(sites) < 2:
        sites.append(make_site(dealer, name="调拨目的仓"))
    item = (
        apps.get_model("catalog.Item")
        .objects.filter(dealer=dealer)
        .exclude(kind="service")
        .order_by("pk")
        .first()
    )
    create_transfer(
        actor=ROOT,
        data={
            "from_site_id": sites[0].pk,
            "to_site_id": sites[1].pk,
            "lines": [{"item_id": item.pk, "quantity": 1}],
        },
    )
    session = create_stocktake(actor=ROOT, data={"site_id": sites[0].pk})
    start_stocktake(actor=ROOT, session_id=session.pk)


def make_demo_order() -> None:
    """The demo has no orders yet: one draft order of a demo dealer, to sweep the order endpoints."""
    from qudao.sales.services import create_order
    from tests.inventory.factories import ROOT

    dealer = Company.objects.filter(is_dealer=True).order_by("pk").first()
    customer = apps.get_model("parties.Customer").objects.filter(dealer=dealer).order_by("pk").first()
    item = (
        apps.get_model("catalog.Item")
        .objects.filter(dealer=dealer, list_price__isnull=False, is_active=True)
        .order_by("pk")
        .first()
    )
    create_order(
        actor=ROOT, data={"customer_id": customer.pk, "lines": [{"item_id": item.pk, "quantity": 1}]}
    )
    from qudao.integrations.services import install_generic_mapping

    install_generic_mapping(actor=ROOT, dealer_id=dealer.pk, customer_code=customer.code)


def make_demo_shipment() -> None:
    """A confirmed order of a demo dealer with a draft shipment, and a delivered one with a return
    request, to sweep the fulfilment and return endpoints."""
    from qudao.sales.services import confirm_delivery, create_shipment, request_return, ship_shipment
    from tests.inventory.factories import ROOT, receive
    from tests.sales.factories import make_world, submit

    world = make_world(Company.objects.filter(is_dealer=True).order_by("pk").first(), items=1, stock={})
    receive(world.shanghai, world.items[0], 5)
    create_shipment(actor=ROOT, order_id=submit(world, [2]).pk, data={})
    delivered = submit(world, [1])
    shipment = create_shipment(actor=ROOT, order_id=delivered.pk, data={})
    ship_shipment(actor=ROOT, shipment_id=shipment.pk)
    confirm_delivery(actor=ROOT, shipment_id=shipment.pk, data={"signer_name": "店长"})
    line = delivered.lines.get()
    lines = [{"order_line_id": line.pk, "quantity": 1}]
    request_return(actor=ROOT, order_id=delivered.pk, data={"lines": lines})


def make_demo_finance() -> None:
    """The demo has no invoices yet: an issued invoice, a credit note and a payment of a demo dealer."""
    from datetime import date

    from qudao.finance.services import create_credit_note, record_payment
    from tests.finance.factories import ROOT, make_issued_invoice

    dealer = Company.objects.filter(is_dealer=True).order_by("pk").first()
    customer = apps.get_model("parties.Customer").objects.filter(dealer=dealer).order_by("pk").first()
    invoice = make_issued_invoice(dealer, customer, ["113.00"], on=date(2026, 1, 1))
    create_credit_note(actor=ROOT, invoice_id=invoice.pk, data={"reason": "price", "amount": "3.00"})
    record_payment(actor=ROOT, data={"customer_id": customer.pk, "method": "bank", "amount": "50.00"})


def sample_value(name: str, schema: dict, components: dict, foreign_ids: dict[str, Any]) -> Any:
    if "$ref" in schema:
        return sample_value(name, components[schema["$ref"].split("/")[-1]], components, foreign_ids)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return sample_value(name, options[0], components, foreign_ids) if options else None
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if name.endswith("_id") and kind == "integer":
        return foreign_ids.get(name.removesuffix("_id"), 1)
    if kind == "integer":
        return max(schema.get("minimum", 1), 1)
    if kind == "number":
        return "1"
    if kind == "boolean":
        return True
    if kind == "array":
        return []
    if kind == "object":
        return sample_body(schema, components, foreign_ids)
    if schema.get("format") == "date":
        return "2026-01-01"
    if schema.get("format") == "date-time":
        return "2026-01-01T00:00:00Z"
    return "sweep"


def sample_body(schema: dict, components: dict, foreign_ids: dict[str, Any]) -> dict:
    props = schema.get("properties", {})
    return {
        name: sample_value(name, props[name], components, foreign_ids) for name in schema.get("required", [])
    }


def test_every_endpoint_refuses_another_dealers_rows():
    from qudao.demo import load_demo

    load_demo(scale=1, seed=7)
    raise_demo_alert()
    make_demo_documents()
    make_demo_order()
    make_demo_shipment()
    make_demo_finance()
    outsider = make_dealer(name="局外经销商")
    make_site(outsider, name="局外仓")
    client = ApiClient(make_user(outsider, username="outsider"))
    before = snapshot()

    schema = api.get_openapi_schema()
    components = schema.get("components", {}).get("schemas", {})
    foreign: dict[str, Any] = {}
    for segment, (label, _field) in RESOURCES.items():
        row = foreign_row(label, outsider)
        if row is not None:
            foreign[segment] = row
    foreign_ids = {seg.rstrip("s").replace("-", "_"): row.pk for seg, row in foreign.items()}
    foreign_ids.update(
        {
            "dealer": foreign["companies"].pk,
            "customer": foreign["customers"].pk,
            "category": foreign["categories"].pk,
            "item": foreign["items"].pk,
        }
    )

    markers: set[str] = set()
    for label in ("catalog.Item", "parties.Customer", "org.Site", "org.Channel"):
        for row in apps.get_model(label)._default_manager.exclude(dealer=outsider)[:200]:
            for attr in ("sku", "name"):  # codes like C-000001 repeat per dealer by design
                value = getattr(row, attr, "")
                if isinstance(value, str) and len(value) >= 4:
                    markers.add(value)
    assert len(markers) > 100

    problems: list[str] = []
    swept = 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if path in SELF_ENDPOINTS:
                continue
            params = PARAM.findall(path)
            url = path
            public = False
            for param in params:
                segment = path.split("{" + param + "}")[0].rstrip("/").split("/")[-1]
                if segment not in RESOURCES:
                    problems.append(f"{method.upper()} {path}: unknown resource segment {segment!r}: map it")
                    break
                label, field = RESOURCES[segment]
                public = public or label in PUBLIC_READ
                row = foreign.get(segment)
                if row is None:
                    problems.append(f"{method.upper()} {path}: no foreign {label} row to sweep with")
                    break
                url = url.replace("{" + param + "}", str(getattr(row, field)))
            else:
                body = None
                request_body = operation.get("requestBody", {}).get("content", {}).get("application/json")
                if request_body:
                    body = sample_value("body", request_body["schema"], components, foreign_ids)
                call = getattr(client, method)
                if method in ("get", "delete"):
                    response = call(url)
                else:
                    response = call(url, body if body is not None else {})
                swept += 1
                text = response.content.decode()
                if response.status_code >= 500:
                    problems.append(f"{method.upper()} {url}: {response.status_code} {text[:200]}")
                    continue
                if params and not (public and method == "get") and response.status_code not in (403, 404):
                    problems.append(
                        f"{method.upper()} {url}: {response.status_code} (expected 403/404) {text[:200]}"
                    )
                leaked = [m for m in markers if m in text]
                if response.status_code == 200 and method == "get":
                    payload = response.json()
                    rows = payload.get("items", []) if isinstance(payload, dict) else payload
                    foreign_dealers = {
                        r.get("dealer_id") for r in rows if isinstance(r, dict) and r.get("dealer_id")
                    } - {outsider.pk}
                    if foreign_dealers:
                        leaked.append(f"rows of dealers {sorted(foreign_dealers)}")
                if leaked:
                    problems.append(f"{method.upper()} {url}: leaked {leaked[:3]}")
    assert swept > 30
    assert problems == []
    outsider_user = client.user
    outsider_user.refresh_from_db()
    assert changes_outside(before, build_actor(outsider_user)) == []


def test_resource_map_names_real_models():
    for label, field in RESOURCES.values():
        model = apps.get_model(label)
        assert field == "pk" or isinstance(model._meta.get_field(field), models.Field)
