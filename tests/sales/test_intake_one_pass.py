"""An order created and confirmed in one request (POST /orders with confirm) is decided in memory and
written once: it must be the same order, with the same timeline, outbox, reservations and stock, as
one created as a draft and confirmed afterwards — in a fixed, small number of statements."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qudao.core.models import OutboxEvent
from qudao.inventory.models import Reservation
from qudao.inventory.services import reconcile_levels
from qudao.sales import credit
from qudao.sales.models import SalesOrder
from qudao.sales.services import confirm_order, create_order, submit_order
from tests.catalog.factories import make_item
from tests.inventory.factories import ROOT, receive, reserved
from tests.sales.factories import make_world, order_data

pytestmark = pytest.mark.django_db

LINE_FIELDS = (
    "line_no",
    "item_id",
    "quantity",
    "unit_price",
    "amount",
    "tax_amount",
    "price_explanation",
    "reserved_quantity",
    "backordered_quantity",
    "site_id",
)
ORDER_FIELDS = (
    "state",
    "hold_reason",
    "version",
    "total",
    "tax_total",
    "net_total",
    "site_id",
    "has_backorder",
    "priority",
    "ship_latitude",
)


def _picture(order: SalesOrder) -> dict:
    """Everything an order is, without what must differ between two orders (ids, numbers, times)."""
    order.refresh_from_db()
    lines = list(order.lines.order_by("line_no"))
    line_no = {ln.pk: ln.line_no for ln in lines}
    runs = [{k: v for k, v in run.items() if k != "at"} for run in order.allocation_plan.get("runs", [])]
    events = list(order.events.order_by("at", "pk"))
    outbox = OutboxEvent.objects.filter(topic__startswith="sales.order.", payload__order_id=order.pk)
    return {
        "order": [getattr(order, f) for f in ORDER_FIELDS],
        "lines": [[getattr(ln, f) for f in LINE_FIELDS] for ln in lines],
        "plan": runs,
        "timeline": [(e.kind, e.message, _backorders_by_line_no(e.data, line_no)) for e in events],
        "outbox": [
            (
                e.topic,
                {k: v for k, v in _backorders_by_line_no(e.payload, line_no).items() if k != "order_id"},
            )
            for e in outbox.order_by("pk")
        ],
        "reservations": sorted(
            (line_no[r.reference_line_id], r.item_id, r.site_id, r.quantity, r.state)
            for r in Reservation.objects.filter(reference_type="sales.order", reference_id=order.pk)
        ),
        "has_number": bool(order.number) and not order.number.startswith("~"),
    }


def _without(data: dict, key: str) -> dict:
    return {k: v for k, v in data.items() if k != key}


def _backorders_by_line_no(data: dict, line_no: dict) -> dict:
    """Back-orders are named by line id: compare them by line number."""
    allocation = data.get("allocation")
    if not allocation:
        return data
    by_no = {line_no[int(k)]: v for k, v in allocation["backordered"].items()}
    return {**data, "allocation": {**allocation, "backordered": by_no}}


def test_one_request_gives_the_order_a_draft_then_a_confirmation_gives(dealer):
    # a split order with a back-order: Hangzhou has two items, Shanghai the third, nobody enough of it
    world = make_world(dealer, stock={"hangzhou": 10})
    receive(world.shanghai, world.items[2], 3)
    quantities = [2, 3, 1]
    at_once, _created = submit_order(actor=ROOT, data=order_data(world, quantities), confirm=True)
    in_steps = create_order(actor=ROOT, data=order_data(world, quantities))
    confirm_order(actor=ROOT, order_id=in_steps.pk, version=1)

    first, second = _picture(at_once), _picture(in_steps)
    assert first == second
    assert first["order"][:3] == ["confirmed", "", 2]
    assert [kind for kind, _m, _d in first["timeline"]] == ["created", "confirmed"]
    assert [topic for topic, _p in first["outbox"]] == ["sales.order.created", "sales.order.confirmed"]
    assert first["outbox"][0][1]["state"] == "draft"  # each step announced as it was
    assert first["reservations"]  # and the stock is really set aside
    assert reserved(world.items[0], world.hangzhou) == 4
    assert reconcile_levels(dealer.pk) == []


def test_one_request_with_back_orders_and_a_split(dealer):
    world = make_world(dealer, stock={"hangzhou": 2, "nanjing": 5})
    order, _created = submit_order(actor=ROOT, data=order_data(world, [4, 1, 0]), confirm=True)
    order.refresh_from_db()
    lines = list(order.lines.order_by("line_no"))
    # 2 from Hangzhou + 2 from Nanjing for the first line (split allowed), 1 for the second
    assert [ln.reserved_quantity for ln in lines] == [Decimal("4.000"), Decimal("1.000")]
    assert sum(reserved(world.items[0], s) for s in (world.hangzhou, world.nanjing)) == 4
    assert order.state == "confirmed" and not order.has_backorder
    order2, _created = submit_order(actor=ROOT, data=order_data(world, [10, 0, 0]), confirm=True)
    order2.refresh_from_db()
    line = order2.lines.get()
    assert (line.reserved_quantity, line.backordered_quantity) == (Decimal("3.000"), Decimal("7.000"))
    assert order2.has_backorder
    assert order2.events.get(kind="confirmed").data["allocation"]["backordered"] == {str(line.pk): "7.000"}
    assert reconcile_levels(dealer.pk) == []


def test_one_request_held_for_credit_reserves_nothing(dealer):
    world = make_world(dealer)
    world.customer.credit_limit = Decimal("100.00")
    world.customer.save()
    order, _created = submit_order(actor=ROOT, data=order_data(world, [1, 1, 1]), confirm=True)
    order.refresh_from_db()
    assert (order.state, order.hold_reason, order.version) == ("on_hold", "credit", 2)
    assert order.held_at is not None and order.number.startswith("SO-")
    assert [e.kind for e in order.events.order_by("at", "pk")] == ["created", "held"]
    assert list(
        OutboxEvent.objects.filter(payload__order_id=order.pk)
        .order_by("pk")
        .values_list("topic", "payload__state")
    ) == [("sales.order.created", "draft"), ("sales.order.held", "on_hold")]
    assert not Reservation.objects.filter(reference_id=order.pk).exists()
    assert reserved(world.items[0]) == 0


def test_credit_counts_the_customers_other_open_orders(dealer):
    world = make_world(dealer)
    world.customer.credit_limit = Decimal("500.00")
    world.customer.save()
    first, _ = submit_order(actor=ROOT, data=order_data(world, [3, 0, 0]), confirm=True)  # 339.00
    second, _ = submit_order(actor=ROOT, data=order_data(world, [2, 0, 0]), confirm=True)  # +226 > 500
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.state, second.state) == ("confirmed", "on_hold")
    assert credit.open_orders_total(dealer_id=dealer.pk, customer_id=world.customer.pk) == Decimal("339.00")
    assert (
        credit.open_orders_total(
            dealer_id=dealer.pk, customer_id=world.customer.pk, exclude_order_id=first.pk
        )
        == 0
    )


def _statements(world, quantities, *, key: str) -> list[str]:
    """The statements of one intake, without transaction control (BEGIN/COMMIT on PostgreSQL, the
    test's savepoint on SQLite) and SQLite's row count of an UPDATE … FROM."""
    with CaptureQueriesContext(connection) as ctx:
        submit_order(actor=ROOT, data=order_data(world, quantities), confirm=True, idempotency_key=key)
    skip = ("SAVEPOINT", "RELEASE SAVEPOINT", "BEGIN", "COMMIT", "SELECT changes()")
    return [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(skip)]


def test_intake_takes_a_fixed_number_of_statements_whatever_the_lines(dealer):
    world = make_world(dealer, items=3, stock={"shanghai": 100, "hangzhou": 100})
    _statements(world, [1, 1, 1], key="k-0")  # the month's first order creates its number counter
    small = _statements(world, [1, 2, 3], key="k-1")
    world.items += [make_item(dealer, list_price=Decimal("10"), tax_rate=Decimal("0.13")) for _ in range(17)]
    for item in world.items[3:]:
        receive(world.hangzhou, item, 50)
    big = _statements(world, [1] * 20, key="k-2")
    assert len(big) == len(small), "statements must not grow with the lines"
    # reads: customer (+ default ship-to + sales settings) · items (+ category paths, which the pricing
    # engine takes) · pricing (promotions, price lists, floors) · credit (2 finance sources, open
    # orders) · sites · locked levels = 10
    # writes: key · order · lines · levels · reservations · timeline · outbox · key → order · number ·
    # number and allocation → order = 10
    writes = [s for s in small if s.split()[0] in ("INSERT", "UPDATE", "WITH")]
    assert (len(small) - len(writes), len(writes)) == (10, 10), small
    # the settings and the ship-to come with the customer, not in queries of their own
    assert not [
        x for x in small if x.startswith(('SELECT "sales_salessettings"', 'SELECT "parties_address"'))
    ]


def test_a_replayed_key_answers_the_first_order_in_a_few_statements(dealer):
    world = make_world(dealer)
    first, created = submit_order(
        actor=ROOT, data=order_data(world, [1, 0, 0]), confirm=True, idempotency_key="r"
    )
    assert created
    with CaptureQueriesContext(connection) as ctx:
        again, created = submit_order(
            actor=ROOT, data=order_data(world, [1, 0, 0]), confirm=True, idempotency_key="r"
        )
    assert (again.pk, created) == (first.pk, False)
    assert len(ctx.captured_queries) <= 6, [q["sql"] for q in ctx.captured_queries]
    assert SalesOrder.objects.filter(customer=world.customer).count() == 1
