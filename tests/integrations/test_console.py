"""The mapping console: a new mapping starts from the generic one, a bad mapping is refused on the
form, and "Try a payload" shows the order a platform payload makes without writing it."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import Client

from qudao.core.scoping import build_actor
from qudao.integrations import services
from qudao.integrations.models import MarketplaceMapping
from qudao.sales.models import SalesOrder
from tests.catalog.factories import make_item
from tests.factories import make_user
from tests.parties.factories import make_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def console(dealer):
    user = make_user(dealer, is_staff=True)
    client = Client()
    client.force_login(user)
    return client, build_actor(user)


def test_the_add_form_starts_from_the_generic_mapping(console):
    client, _actor = console
    page = client.get("/admin/integrations/marketplacemapping/add/")
    assert page.status_code == 200
    assert "generic-marketplace" in page.content.decode() and "items[*].sku" in page.content.decode()


def test_a_bad_mapping_is_refused_on_the_form(console, dealer):
    client, _actor = console
    page = client.post(
        "/admin/integrations/marketplacemapping/add/",
        {
            "dealer": dealer.pk,
            "code": "bad",
            "name": "Bad",
            "platform": "jd",
            "mapping": json.dumps({"fields": {"external_reference": "id"}, "lines": {"sku": "sku"}}),
            "is_active": "on",
        },
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "fields.customer: This target must be mapped." in text
    assert not MarketplaceMapping.objects.exists()


def test_try_a_payload_shows_the_order_and_writes_nothing(console, dealer):
    client, actor = console
    customer = make_customer(dealer, business_type="retail_store", code="ONLINE-1")
    make_item(dealer, sku="SKU-00001", list_price=Decimal("12.00"), tax_rate=Decimal("0.13"))
    mapping = services.install_generic_mapping(actor=actor, customer_code=customer.code)
    url = f"/admin/integrations/marketplacemapping/{mapping.pk}/try/"
    page = client.get(url)
    assert page.status_code == 200 and "GM-1001" in page.content.decode()  # the sample payload
    sample = page.context["form"].initial["payload"]
    result = client.post(url, {"payload": sample})
    text = result.content.decode()
    assert result.context["result"]["status"] == "preview"
    assert "19.80" in text and "ONLINE-1" in text
    assert not SalesOrder.objects.exists()
    broken = client.post(url, {"payload": "{not json"})
    assert "Not valid JSON" in broken.content.decode()
