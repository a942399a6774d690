"""Demo: the retailer user "hm.retailer" orders in the portal for two small stores of the FMCG
distributor (the first two active retail stores by code), so the portal works right after
`qudao demo`."""

from __future__ import annotations

from django.utils.translation import gettext as _

from qudao.accounts.models import User
from qudao.demo.base import DemoContext
from qudao.parties.models import BusinessType, Customer
from qudao.portal.services import grant_portal_access

RETAILER_USERNAME = "hm.retailer"
STORES = 2


def load_portal_access(ctx: DemoContext) -> None:
    dealer = ctx.refs["fmcg.dealer"]
    user = User.objects.get(username=RETAILER_USERNAME)
    stores = Customer.objects.filter(
        dealer=dealer, business_type=BusinessType.RETAIL_STORE, status="active"
    ).order_by("code")[:STORES]
    for store in stores:
        grant_portal_access(
            actor=ctx.actor,
            data={"user_id": user.pk, "customer_id": store.pk, "note": _("Demo store of the retailer user")},
        )
