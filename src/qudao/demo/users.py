"""Demo users: one for every role, with memberships in the right companies, and the platform admin.

Every demo account has the documented password DEMO_PASSWORD (it passes the password validators).
It is hashed once and the hash shared: hashing twenty times with the production hasher would take
seconds, and the password is public anyway.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext as _

from qudao.accounts.models import Role, User
from qudao.accounts.services.api_keys import create_api_key
from qudao.accounts.services.users import MembershipGrant, register_user, validate_new_password
from qudao.demo import names
from qudao.demo.base import DemoContext
from qudao.demo.errors import DemoAlreadyLoaded
from qudao.demo.summary import DemoApiKey, DemoUser

DEMO_PASSWORD = "Qudao-demo-2026"
ADMIN_USERNAME = "admin"
EMAIL_DOMAIN = "example.com"


@dataclass(frozen=True)
class UserSpec:
    username: str
    role: str
    company: str  # key of the company in ctx.refs
    sites: tuple[str, ...] = ()  # keys of the sites the membership is limited to
    ref: str = ""  # key under which later parts find the user


USERS: tuple[UserSpec, ...] = (
    UserSpec("hd.admin", Role.DEALER_ADMIN, "auto.group"),
    UserSpec("hd.manager", Role.MANAGER, "auto.group"),
    UserSpec("hd.sales", Role.SALES_REP, "auto.group", sites=("auto.rep_site",), ref="auto.sales_rep"),
    UserSpec("hd.parts", Role.WAREHOUSE_CLERK, "auto.group"),
    UserSpec("hd.buyer", Role.PURCHASER, "auto.group"),
    UserSpec("hd.advisor", Role.SERVICE_ADVISOR, "auto.group"),
    UserSpec("hd.tech", Role.TECHNICIAN, "auto.group"),
    UserSpec("hd.finance", Role.FINANCE, "auto.group"),
    UserSpec("hm.admin", Role.DEALER_ADMIN, "fmcg.dealer"),
    UserSpec("hm.manager", Role.MANAGER, "fmcg.dealer"),
    UserSpec("hm.sales", Role.SALES_REP, "fmcg.dealer", ref="fmcg.sales_rep"),
    UserSpec("hm.clerk", Role.WAREHOUSE_CLERK, "fmcg.dealer", sites=("fmcg.site.SZ-CDC",)),
    UserSpec("hm.buyer", Role.PURCHASER, "fmcg.dealer"),
    UserSpec("hm.finance", Role.FINANCE, "fmcg.dealer"),
    UserSpec("hm.retailer", Role.RETAILER_USER, "fmcg.dealer"),
    UserSpec("byd.manager", Role.BRAND_MANAGER, "auto.brand.BYD"),
    UserSpec("gtmc.manager", Role.BRAND_MANAGER, "auto.brand.GTMC"),
    UserSpec("svw.manager", Role.BRAND_MANAGER, "auto.brand.SVW"),
    UserSpec("qinghe.manager", Role.BRAND_MANAGER, "fmcg.brand", ref="fmcg.brand_manager"),
    UserSpec("hengchi.supplier", Role.SUPPLIER_USER, "auto.supplier"),
)
#: users who get an API key (all scopes) so that the REST API can be tried at once
API_KEY_USERS = ("hd.admin", "hm.admin")
API_KEY_NAME = "演示接口密钥"


def demo_password_hash() -> str:
    """The one hash of DEMO_PASSWORD, after checking it against the password validators."""
    validate_new_password(DEMO_PASSWORD, User(username=ADMIN_USERNAME))
    return make_password(DEMO_PASSWORD)


def ensure_platform_admin(password_hash: str) -> tuple[User, str]:
    """The platform administrator who loads the demo, and the password to show for it.

    A fresh database gets `admin` with the demo password. An existing superuser `admin` (or, failing
    that, any active superuser, e.g. made by `qudao init`) is used as it is: its password is not shown
    and not changed. A non-superuser named `admin` is a conflict.
    """
    admin = User.objects.filter(username__iexact=ADMIN_USERNAME).first()
    if admin is not None and not admin.is_superuser:
        raise DemoAlreadyLoaded(taken=ADMIN_USERNAME, details={"usernames": [ADMIN_USERNAME]})
    if admin is None:
        admin = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if admin is not None:
        return admin, _("(unchanged)")
    admin = User(
        username=ADMIN_USERNAME,
        first_name="管理员",
        last_name="平台",
        email=f"admin@{EMAIL_DOMAIN}",
        is_superuser=True,
        is_staff=True,
    )
    validate_new_password(DEMO_PASSWORD, admin)
    admin.password = password_hash
    admin.full_clean(exclude=["password"])
    admin.save()
    return admin, DEMO_PASSWORD


def load_users(ctx: DemoContext, *, password_hash: str) -> None:
    """Create the demo users through the accounts service (memberships, role groups, console access)."""
    rng = ctx.rng("users")
    for spec in USERS:
        family, given = names.person_name(rng)
        user = User(
            username=spec.username,
            first_name=given,
            last_name=family,
            email=f"{spec.username}@{EMAIL_DOMAIN}",
            phone=names.mobile_number(rng),
        )
        validate_new_password(DEMO_PASSWORD, user)
        user.password = password_hash
        company = ctx.refs[spec.company]
        sites = tuple(ctx.refs[key] for key in spec.sites)
        register_user(
            actor=ctx.actor, user=user, grants=[MembershipGrant(company=company, role=spec.role, sites=sites)]
        )
        if spec.ref:
            ctx.refs[spec.ref] = user
        ctx.summary.users.append(
            DemoUser(
                username=user.username,
                password=DEMO_PASSWORD,
                role=str(Role(spec.role).label),
                role_code=str(spec.role),
                company=str(company.name),
                sites=", ".join(str(s.name) for s in sites),
            )
        )
    ctx.count("users", len(USERS))
    for username in API_KEY_USERS:
        user = User.objects.get(username=username)
        key, token = create_api_key(user=user, name=API_KEY_NAME, scopes=["*"], actor=ctx.actor)
        ctx.summary.api_keys.append(DemoApiKey(username=username, name=key.name, token=token))
