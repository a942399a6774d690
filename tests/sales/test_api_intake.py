"""POST /orders answers from what the service wrote (built without validation): the answer must be
exactly what the validated schema gives, and what a fresh GET reads back."""

import json
import warnings
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from ninja.responses import NinjaJSONEncoder

from qudao.pricing.models import PriceFloor
from qudao.sales.api_orders import built
from qudao.sales.schemas import OrderOut
from qudao.sales.selectors import order_as_written
from qudao.sales.services import submit_order
from tests.inventory.factories import ROOT
from tests.sales.factories import make_world, order_data

pytestmark = pytest.mark.django_db
URL = "/api/v1/orders"


def _body(world, quantities, **extra):
    data = order_data(world, quantities, **extra)
    data["lines"] = [{**line, "quantity": str(line["quantity"])} for line in data["lines"]]
    return data


@pytest.mark.parametrize(
    "case", ["confirmed", "split with back-order", "held for credit", "held below the floor", "draft"]
)
def test_the_answer_is_what_a_fresh_read_gives(api, dealer, case):
    world = make_world(dealer, stock={"shanghai": 3, "hangzhou": 2})
    confirm, quantities = True, [2, 1, 1]
    if case == "split with back-order":
        quantities = [9, 1, 1]
    elif case == "held for credit":
        world.customer.credit_limit = Decimal("10.00")
        world.customer.save()
    elif case == "held below the floor":
        PriceFloor.objects.create(dealer=dealer, item=world.items[0], floor_price=Decimal("500"))
    elif case == "draft":
        confirm = False
    response = api.post(
        URL, {**_body(world, quantities), "confirm": confirm, "notes": "备注"}, HTTP_IDEMPOTENCY_KEY=case
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert api.get(f"{URL}/{data['id']}").json() == data
    assert data["lines"] and data["timeline"]


def test_built_equals_validated_and_warns_nothing(dealer):
    world = make_world(dealer)
    order, _created = submit_order(actor=ROOT, data=order_data(world, [1, 2, 3]), confirm=True)
    written = order_as_written(order)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # pydantic warns when a constructed value has the wrong type
        fast = built(OrderOut, written).model_dump()
    validated = OrderOut.model_validate(written).model_dump()
    assert json.dumps(fast, cls=NinjaJSONEncoder) == json.dumps(validated, cls=NinjaJSONEncoder)
    with CaptureQueriesContext(connection) as ctx:
        built(OrderOut, written).model_dump()
    assert not ctx.captured_queries  # from memory: no read back
