"""Create, edit and confirm orders; holds and approvals; cancel."""

from decimal import Decimal

import pytest
from django.db import models

from qudao.accounts.models import Role
from qudao.core.errors import PermissionDeniedError, StaleVersion, ValidationFailed
from qudao.core.models import OutboxEvent
from qudao.core.scoping import build_actor
from qudao.inventory.services import reconcile_levels
from qudao.pricing.models import PriceFloor
from qudao.sales import credit
from qudao.sales.errors import NotDraft, NotOnHold
from qudao.sales.models import OrderEvent, SalesOrder, SalesOrderLine
from qudao.sales.services import (
    approve_hold,
    cancel_order,
    confirm_order,
    create_order,
    submit_order,
    update_order,
)
from tests.catalog.factories import make_item_unit, unit
from tests.factories import make_user
from tests.inventory.factories import ROOT, reserved
from tests.sales.factories import make_world, order_data, submit

pytestmark = pytest.mark.django_db


def actor_with(dealer, role):
    return build_actor(make_user(dealer, role=role))


def test_create_draft_prices_lines_in_base_units(dealer):
    world = make_world(dealer)
    case = unit(dealer, "CS")
    make_item_unit(world.items[0], case, 12)
    data = order_data(world, [2, 3, 1])
    data["lines"][0]["unit_id"] = case.pk
    order = create_order(actor=ROOT, data=data)

    assert order.state == "draft"
    assert order.number.startswith("SO-") and len(order.number) == len("SO-2611-000001")
    lines = list(order.lines.order_by("line_no"))
    assert (lines[0].quantity_entered, lines[0].unit_id, lines[0].quantity) == (
        Decimal("2.000"),
        case.pk,
        Decimal("24.000"),
    )
    # 113.00 tax-inclusive each, 13% VAT: 28 units → 3164.00, tax 364.00 (per line, then summed)
    assert [ln.amount for ln in lines] == [Decimal("2712.00"), Decimal("339.00"), Decimal("113.00")]
    assert [ln.tax_amount for ln in lines] == [Decimal("312.00"), Decimal("39.00"), Decimal("13.00")]
    assert (order.total, order.tax_total, order.net_total) == (
        Decimal("3164.00"),
        Decimal("364.00"),
        Decimal("2800.00"),
    )
    assert Decimal(lines[0].price_explanation["source"]["unit_price"]) == Decimal("113")
    assert lines[0].channel_id == order.channel_id and lines[0].category_id == world.items[0].category_id
    # ship-to snapshot from the customer's default shipping address
    assert order.ship_to_id == world.address.pk
    assert order.ship_latitude == world.address.latitude
    assert reserved(world.items[0]) == 0  # a draft reserves nothing
    assert list(OrderEvent.objects.filter(order=order).values_list("kind", flat=True)) == ["created"]


def test_bad_lines_answer_one_error_and_write_nothing(dealer, other_dealer):
    world = make_world(dealer)
    foreign = make_world(other_dealer).items[0]
    data = order_data(world)
    data["lines"] = [
        {"item_id": foreign.pk, "quantity": 1},
        {"item_id": world.items[0].pk, "quantity": 0},
        {"item_id": world.items[1].pk, "quantity": 1, "unit_id": 999999},
    ]
    with pytest.raises(ValidationFailed) as caught:
        create_order(actor=actor_with(dealer, Role.SALES_REP), data=data)
    assert [d["field"] for d in caught.value.details] == [
        "lines.0.item_id",
        "lines.1.quantity",
        "lines.2.unit_id",
    ]
    assert SalesOrder.objects.count() == 0
    assert SalesOrderLine.objects.count() == 0


def test_update_draft_reprices_and_checks_version(dealer):
    world = make_world(dealer)
    order = create_order(actor=ROOT, data=order_data(world))
    update_order(
        actor=ROOT,
        order_id=order.pk,
        data={"version": 1, "lines": [{"item_id": world.items[0].pk, "quantity": 4}], "notes": "加急"},
    )
    order.refresh_from_db()
    assert order.version == 2 and order.notes == "加急"
    assert order.total == Decimal("452.00")
    assert order.lines.count() == 1
    with pytest.raises(StaleVersion):
        update_order(actor=ROOT, order_id=order.pk, data={"version": 1, "notes": "x"})


def test_confirm_freezes_totals_and_reserves_at_the_nearest_complete_site(dealer):
    world = make_world(dealer, stock={"shanghai": 50, "hangzhou": 50})
    order = create_order(actor=ROOT, data=order_data(world, [2, 3, 1]))
    confirm_order(actor=ROOT, order_id=order.pk, version=1)
    order.refresh_from_db()

    assert order.state == "confirmed" and order.confirmed_at is not None
    assert order.total == Decimal("678.00") and order.tax_total == Decimal("78.00")
    assert order.site_id == world.hangzhou.pk  # the customer is in Hangzhou
    assert not order.has_backorder
    assert [
        (ln.reserved_quantity, ln.backordered_quantity, ln.site_id) for ln in order.lines.order_by("line_no")
    ] == [
        (Decimal("2.000"), 0, world.hangzhou.pk),
        (Decimal("3.000"), 0, world.hangzhou.pk),
        (Decimal("1.000"), 0, world.hangzhou.pk),
    ]
    assert reserved(world.items[1], world.hangzhou) == 3 and reserved(world.items[1], world.shanghai) == 0
    run = order.allocation_plan["runs"][-1]
    assert run["strategy"] == "one_site"
    assert run["candidates"][0]["site_id"] == world.hangzhou.pk
    assert len(run["candidates"]) == 2  # Nanjing has no stock: not a candidate
    assert set(
        OutboxEvent.objects.filter(topic__startswith="sales.order.").values_list("topic", flat=True)
    ) == {
        "sales.order.created",
        "sales.order.confirmed",
    }
    with pytest.raises(NotDraft):
        confirm_order(actor=ROOT, order_id=order.pk)
    assert reconcile_levels(dealer.pk) == []


def test_price_below_floor_holds_until_a_manager_approves(dealer):
    world = make_world(dealer)
    PriceFloor.objects.create(dealer=dealer, item=world.items[0], floor_price=Decimal("120.00"))
    order = submit(world, [1, 1, 1])
    assert (order.state, order.hold_reason) == ("on_hold", "price_floor")
    assert reserved(world.items[0]) == 0
    assert order.lines.get(line_no=1).below_floor

    with pytest.raises(PermissionDeniedError):
        approve_hold(actor=actor_with(dealer, Role.SALES_REP), order_id=order.pk)
    with pytest.raises(PermissionDeniedError):
        approve_hold(
            actor=actor_with(dealer, Role.FINANCE), order_id=order.pk
        )  # finance approves credit only
    approve_hold(actor=actor_with(dealer, Role.MANAGER), order_id=order.pk, note="老客户")
    order.refresh_from_db()
    assert order.state == "confirmed" and order.hold_reason == ""
    assert order.approved_holds == ["price_floor"]
    assert reserved(world.items[0]) == 1
    assert list(order.events.values_list("kind", flat=True)) == ["created", "held", "approved", "confirmed"]
    with pytest.raises(NotOnHold):
        approve_hold(actor=ROOT, order_id=order.pk)


def test_credit_limit_counts_receivables_open_orders_and_this_order(dealer):
    world = make_world(dealer)
    world.customer.credit_limit = Decimal("1000.00")
    world.customer.save()
    first = submit(world, [3, 3, 0])  # 678.00, within the limit
    assert first.state == "confirmed"

    def receivables(*, dealer_id, customer_id):
        return Decimal("100.00") if customer_id == world.customer.pk else Decimal(0)

    credit.register_exposure_source(receivables)
    try:
        # 100 receivable + 678 open + 226 = 1004 > 1000
        second = submit(world, [1, 1, 0])
        assert (second.state, second.hold_reason) == ("on_hold", "credit")
        held = second.events.get(kind="held")
        assert held.data["exposure"] == "1004.00" and held.data["over_by"] == "4.00"
        assert reserved(world.items[0]) == 3
        with pytest.raises(PermissionDeniedError):
            approve_hold(actor=actor_with(dealer, Role.MANAGER), order_id=second.pk)
        approve_hold(actor=actor_with(dealer, Role.FINANCE), order_id=second.pk)
    finally:
        credit.unregister_exposure_source(receivables)
    second.refresh_from_db()
    assert second.state == "confirmed"
    assert reserved(world.items[0]) == 4


def test_floor_then_credit_holds_one_after_the_other(dealer):
    world = make_world(dealer)
    world.customer.credit_limit = Decimal("100.00")
    world.customer.save()
    PriceFloor.objects.create(dealer=dealer, item=world.items[0], floor_price=Decimal("200"))
    order = submit(world, [1, 0, 0])
    assert order.hold_reason == "price_floor"
    approve_hold(actor=ROOT, order_id=order.pk)
    order.refresh_from_db()
    assert (order.state, order.hold_reason) == ("on_hold", "credit")
    approve_hold(actor=ROOT, order_id=order.pk)
    order.refresh_from_db()
    assert order.state == "confirmed"
    assert order.approved_holds == ["credit", "price_floor"]


def test_cancel_releases_reservations_and_backorders(dealer):
    world = make_world(dealer, stock={"shanghai": 5})
    order = submit(world, [3, 8, 1])
    assert order.has_backorder
    line2 = order.lines.get(line_no=2)
    assert (line2.reserved_quantity, line2.backordered_quantity) == (Decimal("5.000"), Decimal("3.000"))
    assert reserved(world.items[1]) == 5

    cancel_order(actor=ROOT, order_id=order.pk, reason="客户取消")
    order.refresh_from_db()
    assert order.state == "cancelled" and not order.has_backorder and order.cancelled_at
    assert all(ln.reserved_quantity == 0 and ln.backordered_quantity == 0 for ln in order.lines.all())
    assert [reserved(item) for item in world.items] == [0, 0, 0]
    assert OutboxEvent.objects.filter(topic="sales.order.cancelled", payload__order_id=order.pk).exists()


def test_cancel_a_draft_and_nothing_after_cancel(dealer):
    world = make_world(dealer)
    order = create_order(actor=ROOT, data=order_data(world))
    cancel_order(actor=ROOT, order_id=order.pk)
    from qudao.core.errors import InvalidTransition

    with pytest.raises(InvalidTransition):
        cancel_order(actor=ROOT, order_id=order.pk)


def test_no_price_writes_nothing(dealer):
    world = make_world(dealer)
    from tests.catalog.factories import make_item

    unpriced = make_item(dealer, list_price=None)
    data = order_data(world)
    data["lines"].append({"item_id": unpriced.pk, "quantity": 1})
    from qudao.core.errors import QudaoError

    with pytest.raises(QudaoError) as caught:
        submit_order(actor=ROOT, data=data, confirm=True)
    assert caught.value.code == "no_price"
    assert SalesOrder.objects.count() == 0
    assert reserved(world.items[0]) == 0


def test_complete_needs_deliveries_and_records_rebate_volume(dealer):
    from qudao.pricing.models import RebateVolume
    from qudao.sales.errors import NotDelivered
    from qudao.sales.services import complete_order

    world = make_world(dealer)
    order = submit(world, [2, 1, 0])
    with pytest.raises(NotDelivered) as caught:
        complete_order(actor=ROOT, order_id=order.pk)
    assert caught.value.details == {"lines": [1, 2]}
    # what fulfilment will do: ship and deliver every line (here written directly)
    order.lines.update(
        shipped_quantity=models.F("quantity"), delivered_quantity=models.F("quantity"), reserved_quantity=0
    )
    complete_order(actor=ROOT, order_id=order.pk)
    order.refresh_from_db()
    assert order.state == "done" and order.done_at
    volumes = RebateVolume.objects.filter(source_type="sales.order", source_id=order.pk).order_by(
        "source_line_id"
    )
    assert [v.amount for v in volumes] == [Decimal("226.00"), Decimal("113.00")]
    assert OutboxEvent.objects.filter(topic="sales.order.done", payload__order_id=order.pk).exists()


def test_applied_coupon_is_redeemed_at_confirmation_and_only_once(dealer):
    from qudao.pricing.errors import CouponAlreadyUsed
    from qudao.pricing.models import Coupon
    from tests.pricing.factories import coupon, promotion

    world = make_world(dealer)
    promo = promotion(dealer, "order_amount", amount="5", requires_coupon=True)
    coupon(promo, "SAVE5")
    draft = create_order(actor=ROOT, data=order_data(world, [1, 0, 0], coupon_codes=["SAVE5"]))
    assert draft.applied_coupons == ["SAVE5"]
    assert draft.total == Decimal("108.00") and draft.discount_total == Decimal("5.00")
    assert Coupon.objects.get(code="SAVE5").redeemed_at is None  # a draft uses nothing up
    confirm_order(actor=ROOT, order_id=draft.pk)
    used = Coupon.objects.get(code="SAVE5")
    assert (used.reference_type, used.reference_id) == ("sales.order", draft.pk)
    # a used coupon no longer prices: the next order says why and pays the full price
    second = create_order(actor=ROOT, data=order_data(world, [1, 0, 0], coupon_codes=["SAVE5"]))
    assert second.applied_coupons == [] and list(second.coupon_rejections) == ["SAVE5"]
    assert second.total == Decimal("113.00")
    # two orders priced with the same coupon at once: the second to confirm is refused, nothing kept
    third = create_order(actor=ROOT, data=order_data(world, [1, 0, 0]))
    third.applied_coupons = ["SAVE5"]
    third.save(update_fields=["applied_coupons"])
    third._settings_cache = None
    from qudao.sales.services.confirmation import _continue

    with pytest.raises(CouponAlreadyUsed):
        _continue(third, actor=ROOT, customer=world.customer)
    assert reserved(world.items[0]) == 1
