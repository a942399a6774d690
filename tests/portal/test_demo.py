"""The demo links its retailer user to two small stores of the distributor, so the portal works
right after `qudao demo`."""

from __future__ import annotations

import pytest

from qudao.accounts.models import Role
from qudao.demo.base import DemoContext
from qudao.demo.portal import RETAILER_USERNAME, load_portal_access
from qudao.demo.summary import DemoSummary
from qudao.portal.actors import build_portal_actor
from tests.factories import make_user
from tests.inventory.factories import ROOT
from tests.parties.factories import make_customer

pytestmark = pytest.mark.django_db


def test_the_demo_retailer_orders_for_two_retail_stores(dealer):
    retailer = make_user(dealer, Role.RETAILER_USER, username=RETAILER_USERNAME)
    make_customer(dealer, code="C-001", business_type="wholesaler")
    stores = [make_customer(dealer, code=f"C-00{n}", business_type="retail_store") for n in (2, 3, 4)]
    ctx = DemoContext(seed=1, scale=1, actor=ROOT, admin_user=None, summary=DemoSummary(seed=1, scale=1))
    ctx.refs["fmcg.dealer"] = dealer
    load_portal_access(ctx)
    assert build_portal_actor(retailer).customer_ids == {stores[0].pk, stores[1].pk}
