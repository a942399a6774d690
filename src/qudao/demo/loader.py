"""`load_demo`: the whole demo, in one transaction, deterministic for a seed, refused when present."""

from __future__ import annotations

import time
from functools import reduce
from operator import or_
from typing import TextIO

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from qudao.accounts.models import User
from qudao.core.scoping import build_actor
from qudao.demo import auto, fmcg, inventory, orders
from qudao.demo.auto_catalog import load_auto_catalog
from qudao.demo.base import DemoContext
from qudao.demo.errors import DemoAlreadyLoaded, DemoScaleInvalid
from qudao.demo.fulfilment import load_fmcg_fulfilment
from qudao.demo.portal import load_portal_access
from qudao.demo.pricing import load_fmcg_pricing
from qudao.demo.summary import DemoSummary, DemoUser
from qudao.demo.users import USERS, demo_password_hash, ensure_platform_admin, load_users
from qudao.org.models import Company

MAX_SCALE = 100
DEFAULT_SEED = 2026
COMPANY_CODES = (*auto.COMPANY_CODES, *fmcg.COMPANY_CODES)


def check_not_loaded() -> None:
    """Refuse to load twice: no demo company code and no demo username may exist yet."""
    codes = sorted(Company.objects.filter(code__in=COMPANY_CODES).values_list("code", flat=True))
    same_name = reduce(or_, [Q(username__iexact=spec.username) for spec in USERS])
    usernames = sorted(User.objects.filter(same_name).values_list("username", flat=True))
    if codes or usernames:
        raise DemoAlreadyLoaded(
            taken=", ".join(codes + usernames), details={"companies": codes, "usernames": usernames}
        )


def load_demo(*, scale: int = 1, seed: int = DEFAULT_SEED, stdout: TextIO | None = None) -> DemoSummary:
    """Load the demo data: an auto dealer group, an FMCG distributor, their brands, catalogs and
    customers, and a user for every role. `scale` multiplies SKUs, customers and stores. The same seed
    gives the same data. All or nothing; refused (DemoAlreadyLoaded) when the demo is already there."""
    if isinstance(scale, bool) or not isinstance(scale, int) or not 1 <= scale <= MAX_SCALE:
        raise DemoScaleInvalid(max=MAX_SCALE, details=[{"field": "scale", "message": str(scale)}])
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError("the demo seed is an integer")
    started = time.perf_counter()
    summary = DemoSummary(seed=seed, scale=scale)
    with transaction.atomic():
        check_not_loaded()
        password_hash = demo_password_hash()
        admin, admin_password = ensure_platform_admin(password_hash)
        ctx = DemoContext(
            seed=seed, scale=scale, actor=build_actor(admin), admin_user=admin, summary=summary, stdout=stdout
        )
        with ctx.step(_("auto dealer group")):
            auto.load_auto_group(ctx)
        with ctx.step(_("FMCG distributor")):
            fmcg.load_fmcg_distributor(ctx)
        with ctx.step(_("users")):
            load_users(ctx, password_hash=password_hash)
        with ctx.step(_("auto catalog")):
            load_auto_catalog(ctx)
        with ctx.step(_("auto customers")):
            auto.load_auto_customers(ctx)
        with ctx.step(_("FMCG catalog")):
            fmcg.load_fmcg_catalog(ctx)
        with ctx.step(_("FMCG customers")):
            fmcg.load_fmcg_customers(ctx)
        with ctx.step(_("FMCG pricing")):
            load_fmcg_pricing(ctx)
        with ctx.step(_("stock")):
            inventory.load_fmcg_stock(ctx)
            inventory.load_auto_stock(ctx)
        with ctx.step(_("FMCG orders and receivables")):
            orders.load_fmcg_orders(ctx)
            load_fmcg_fulfilment(ctx)  # shipments, deliveries with proof, a return (demo/fulfilment.py)
        with ctx.step(_("retailer portal")):
            load_portal_access(ctx)
    summary.users.insert(
        0,
        DemoUser(
            username=admin.username,
            password=admin_password,
            role=_("Platform administrator"),
            role_code="",
            company=_("(platform)"),
        ),
    )
    summary.seconds = round(time.perf_counter() - started, 3)
    return summary
