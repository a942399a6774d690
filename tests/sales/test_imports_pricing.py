"""An imported order is priced exactly as the pricing engine prices the same basket one by one
(price lists of a customer, of a group and by default; tiers; a line promotion; spend-and-save; a gift),
and its document numbers come in one block."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from qudao.core.scoping import build_actor
from qudao.core.sequences import next_number, next_numbers
from qudao.pricing.contracts import BasketLine, PricingContext
from qudao.sales import pricing_bridge
from qudao.sales.models import SalesOrder
from qudao.sales.services.imports import import_orders
from tests.factories import make_user
from tests.parties.factories import make_customer, make_customer_group
from tests.pricing.factories import item, price_list, promotion

pytestmark = pytest.mark.django_db


def test_imported_lines_are_priced_like_price_basket(dealer):
    actor = build_actor(make_user(dealer))
    a, b, c, gift = (item(dealer, price) for price in ("20.00", "50.00", "8.00", "3.00"))
    group = make_customer_group(dealer)
    vip = make_customer(dealer, business_type="ka_chain", customer_group=group)
    plain = make_customer(dealer, business_type="retail_store")
    own = make_customer(dealer, business_type="wholesaler")
    price_list(dealer, tiers=[(a, "18.00"), (a, "16.00", 10)])
    price_list(dealer, scope="customer_group", customer_group_id=group.pk, tiers=[(b, "45.00")])
    price_list(dealer, scope="customer", customer_id=own.pk, tiers=[(c, "6.50")])
    promotion(dealer, "percent_off", items=[c], percent="10")
    promotion(dealer, "spend_save", threshold="200", amount="15")
    promotion(dealer, "buy_get", items=[b], buy_quantity="2", gift_quantity="1", gift_item_id=gift.pk)
    rows = []
    baskets = {}
    for n, (customer, lines) in enumerate(
        [
            (vip, [(a, 12), (b, 2), (c, 1)]),
            (plain, [(a, 3), (c, 5)]),
            (own, [(c, 40), (b, 1)]),
            (plain, [(b, 4)]),
        ]
    ):
        ref = f"P-{n}"
        baskets[ref] = (customer, lines)
        rows += [f"{ref},{customer.code},{it.sku},{q}" for it, q in lines]
    content = ("order_ref,customer,sku,quantity\n" + "\n".join(rows) + "\n").encode()
    report = import_orders(actor=actor, name="p.csv", content=content)
    assert report.problems == 0 and report.orders_created == 4
    for ref, (customer, lines) in baskets.items():
        order = SalesOrder.objects.get(external_reference=ref)
        expected = pricing_bridge.price_basket(
            context=PricingContext(
                dealer_id=dealer.pk,
                on=timezone.localdate(),
                customer_id=customer.pk,
                customer_group_id=customer.customer_group_id,
                channel_id=customer.channel_id,
                region_id=customer.region_id,
            ),
            lines=[BasketLine(str(n), it.pk, Decimal(q)) for n, (it, q) in enumerate(lines)],
        )
        got = list(order.lines.order_by("line_no"))
        assert [(ln.item_id, ln.quantity, ln.unit_price, ln.amount, ln.is_gift) for ln in got] == [
            (p.item_id, p.quantity, p.unit_price, p.amount, p.is_gift) for p in expected.lines
        ]
        assert [ln.price_explanation for ln in got] == [pricing_bridge.explain(p) for p in expected.lines]
        assert (order.total, order.discount_total, order.tax_total) == (
            expected.total,
            expected.discount_total,
            expected.tax_total,
        )
    # the customer's own list, the group's list and the gift all took effect somewhere
    kinds = {
        ln.price_explanation["source"]["kind"]
        for ln in SalesOrder.objects.get(external_reference="P-2").lines.all()
    }
    assert "customer_price_list" in kinds
    assert SalesOrder.objects.get(external_reference="P-3").lines.filter(is_gift=True).exists()


def test_numbers_in_one_block_follow_the_single_numbers(dealer):
    assert next_number(dealer_id=dealer.pk, kind="x") == 1
    assert list(next_numbers(dealer_id=dealer.pk, kind="x", count=3)) == [2, 3, 4]
    assert next_number(dealer_id=dealer.pk, kind="x") == 5
    assert list(next_numbers(dealer_id=dealer.pk, kind="fresh", count=2)) == [1, 2]
    with pytest.raises(ValueError):
        next_numbers(dealer_id=dealer.pk, kind="x", count=0)
