"""Back-orders: allocated automatically when stock arrives, on request, and in waves by priority."""

from decimal import Decimal

import pytest

from qudao.core.events import deliver_due
from qudao.sales.errors import NothingToAllocate
from qudao.sales.models import SalesOrder
from qudao.sales.services import allocate_order, run_wave
from tests.inventory.factories import ROOT, receive, reserved
from tests.parties.factories import make_address, make_customer
from tests.sales.factories import HANGZHOU, make_world, submit

pytestmark = pytest.mark.django_db


def customer(world, business_type):
    c = make_customer(world.dealer, business_type=business_type)
    make_address(c, latitude=HANGZHOU[0], longitude=HANGZHOU[1], is_default=True)
    return c


def test_shortage_is_backordered_then_allocated_when_stock_arrives(
    dealer, django_capture_on_commit_callbacks
):
    world = make_world(dealer, items=1, stock={"shanghai": 2})
    order = submit(world, [5])
    line = order.lines.get()
    assert order.state == "confirmed" and order.has_backorder
    assert (line.reserved_quantity, line.backordered_quantity) == (Decimal("2.000"), Decimal("3.000"))

    # stock arrives at another site: the inventory's event allocates the back-order there
    with django_capture_on_commit_callbacks(execute=True):
        receive(world.hangzhou, world.items[0], 10)
    order.refresh_from_db()
    line.refresh_from_db()
    assert not order.has_backorder
    assert (line.reserved_quantity, line.backordered_quantity) == (Decimal("5.000"), Decimal("0.000"))
    assert reserved(world.items[0], world.hangzhou) == 3
    assert reserved(world.items[0], world.shanghai) == 2
    assert [r["reason"] for r in order.allocation_plan["runs"]] == ["confirm", "stock_arrived"]
    assert order.events.filter(kind="allocated").count() == 1


def test_allocate_on_request(dealer):
    world = make_world(dealer, items=1, stock={})
    order = submit(world, [4])
    assert order.lines.get().backordered_quantity == 4
    receive(world.nanjing, world.items[0], 3)  # no event delivery here: allocate by hand
    allocate_order(actor=ROOT, order_id=order.pk)
    line = order.lines.get()
    assert (line.reserved_quantity, line.backordered_quantity, line.site_id) == (
        Decimal("3.000"),
        Decimal("1.000"),
        world.nanjing.pk,
    )
    order.refresh_from_db()
    assert order.site_id == world.nanjing.pk and order.has_backorder
    receive(world.nanjing, world.items[0], 1)
    allocate_order(actor=ROOT, order_id=order.pk)
    with pytest.raises(NothingToAllocate):
        allocate_order(actor=ROOT, order_id=order.pk)


def test_wave_serves_ka_first_then_oldest(dealer):
    world = make_world(dealer, items=1, stock={})
    retail_old = submit(world, [5], customer_id=customer(world, "retail_store").pk)
    ka_new = submit(world, [5], customer_id=customer(world, "ka_chain").pk)
    wholesale = submit(world, [5], customer_id=customer(world, "wholesaler").pk)
    assert [o.priority for o in (retail_old, ka_new, wholesale)] == [10, 30, 20]
    receive(world.shanghai, world.items[0], 8)

    result = run_wave(actor=ROOT, dealer_id=dealer.pk)
    assert [a["order_id"] for a in result["allocated"]] == [ka_new.pk, wholesale.pk]
    assert [a["quantity"] for a in result["allocated"]] == ["5.000", "3.000"]
    assert result["still_backordered"] == 2
    states = {o.pk: o.has_backorder for o in SalesOrder.objects.all()}
    assert states == {retail_old.pk: True, ka_new.pk: False, wholesale.pk: True}


def test_stock_event_serves_by_priority(dealer, django_capture_on_commit_callbacks):
    world = make_world(dealer, items=1, stock={})
    retail = submit(world, [4], customer_id=customer(world, "retail_store").pk)
    ka = submit(world, [4], customer_id=customer(world, "ka_chain").pk)
    with django_capture_on_commit_callbacks(execute=True):
        receive(world.shanghai, world.items[0], 4)
    deliver_due()
    ka.refresh_from_db()
    retail.refresh_from_db()
    assert not ka.has_backorder and retail.has_backorder
