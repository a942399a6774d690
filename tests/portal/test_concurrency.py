"""A phone's double (or sextuple) tap under real concurrency (PostgreSQL): one order per cart token,
and steppers tapped in parallel never lose a tap."""

from __future__ import annotations

from decimal import Decimal

import pytest

from qudao.inventory.models import StockLevel
from qudao.portal import services
from qudao.portal.models import Cart, CartLine
from qudao.sales.models import SalesOrder
from tests.factories import make_dealer
from tests.portal.factories import make_shop
from tests.sales.test_concurrency import _need_postgres, _run

THREADS = 6

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_taps_on_place_order_in_parallel_make_one_order():
    _need_postgres()
    shop = make_shop(make_dealer())
    actor = shop.actor()
    item = shop.world.items[0]
    services.add_to_cart(actor=actor, customer_id=shop.store.pk, item_id=item.pk, quantity=5)
    token = Cart.objects.get(user=shop.retailer).token
    answers: dict[int, tuple[int, bool]] = {}

    def tap(n):
        order, created = services.place_cart_order(actor=actor, customer_id=shop.store.pk, token=token)
        answers[n] = (order.pk, created)

    assert _run(tap, THREADS) == []
    assert len(answers) == THREADS
    assert len({pk for pk, _created in answers.values()}) == 1
    assert sum(created for _pk, created in answers.values()) == 1
    assert SalesOrder.objects.count() == 1
    assert StockLevel.objects.get(item=item, site=shop.world.shanghai).reserved == Decimal("5.000")
    assert not CartLine.objects.exists()


def test_parallel_taps_on_plus_are_all_counted():
    _need_postgres()
    shop = make_shop(make_dealer())
    actor = shop.actor()
    item = shop.world.items[0]
    services.get_or_create_cart(actor=actor, customer_id=shop.store.pk)

    def tap(_n):
        services.add_to_cart(actor=actor, customer_id=shop.store.pk, item_id=item.pk, quantity=1)

    assert _run(tap, THREADS) == []
    assert CartLine.objects.get(item=item).quantity == Decimal(THREADS)
