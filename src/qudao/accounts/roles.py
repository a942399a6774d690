"""What each role may do: Django permission codenames per role ("app.action_model").

A user's permissions are the union over its active memberships. The console (Django admin) and
the API both check them; `sync_role_groups()` mirrors each role into a Django Group so the admin's
own permission checks agree with the API's.
"""

from __future__ import annotations

from qudao.accounts.models import Role

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
ALL = (VIEW, ADD, CHANGE, DELETE)


def _perms(app_model: str, actions=ALL) -> set[str]:
    app, model = app_model.split(".")
    return {f"{app}.{action}_{model}" for action in actions}


ORG_READ = set().union(*(_perms(m, (VIEW,)) for m in
                         ("org.company", "org.site", "org.channel", "org.region", "org.territory",
                          "org.dealership")))
CATALOG_READ = set().union(*(_perms(m, (VIEW,)) for m in
                             ("catalog.category", "catalog.item", "catalog.unitofmeasure",
                              "catalog.itemunit", "catalog.barcode", "catalog.vehiclemodel",
                              "catalog.supersession")))
CATALOG_WRITE = set().union(*(_perms(m) for m in
                              ("catalog.category", "catalog.item", "catalog.unitofmeasure",
                               "catalog.itemunit", "catalog.barcode", "catalog.vehiclemodel",
                               "catalog.supersession")))
PARTIES_READ = set().union(*(_perms(m, (VIEW,)) for m in
                             ("parties.customer", "parties.customergroup", "parties.contact",
                              "parties.address")))
PARTIES_WRITE = set().union(*(_perms(m) for m in
                              ("parties.customer", "parties.customergroup", "parties.contact",
                               "parties.address")))
ORG_WRITE = set().union(*(_perms(m) for m in ("org.site", "org.channel", "org.territory"))) | _perms(
    "org.company", (VIEW, ADD, CHANGE))
ACCESS_ADMIN = _perms("accounts.user", (VIEW, ADD, CHANGE)) | _perms("accounts.membership")
OWN_KEYS = _perms("accounts.apikey", (VIEW, ADD, CHANGE))
SYSTEM_READ = {"core.view_outboxevent"}

BASE = ORG_READ | CATALOG_READ | OWN_KEYS

ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.DEALER_ADMIN: BASE | ORG_WRITE | CATALOG_WRITE | PARTIES_WRITE | ACCESS_ADMIN | SYSTEM_READ,
    Role.MANAGER: BASE | CATALOG_WRITE | PARTIES_WRITE | _perms("org.channel") | SYSTEM_READ
    | _perms("accounts.user", (VIEW,)) | _perms("accounts.membership", (VIEW,)),
    Role.SALES_REP: BASE | PARTIES_READ | _perms("parties.customer", (VIEW, ADD, CHANGE))
    | _perms("parties.contact") | _perms("parties.address"),
    Role.WAREHOUSE_CLERK: BASE | _perms("catalog.barcode", (VIEW, ADD, CHANGE)),
    Role.PURCHASER: BASE | _perms("catalog.item", (VIEW, ADD, CHANGE)) | _perms("catalog.itemunit")
    | _perms("catalog.barcode") | _perms("org.company", (VIEW, ADD, CHANGE)),
    Role.SERVICE_ADVISOR: BASE | PARTIES_READ | _perms("parties.customer", (VIEW, ADD, CHANGE))
    | _perms("parties.contact"),
    Role.TECHNICIAN: BASE,
    Role.FINANCE: BASE | PARTIES_READ | _perms("parties.customer", (VIEW, CHANGE)) | SYSTEM_READ,
    Role.BRAND_MANAGER: BASE | PARTIES_READ | CATALOG_WRITE | _perms("org.dealership")
    | _perms("org.territory") | _perms("org.company", (VIEW, CHANGE)),
    Role.SUPPLIER_USER: {"catalog.view_item", "org.view_company"} | OWN_KEYS,
    Role.RETAILER_USER: {"catalog.view_item"},
}

#: roles that work inside a dealer and see its rows
DEALER_ROLES = frozenset({Role.DEALER_ADMIN, Role.MANAGER, Role.SALES_REP, Role.WAREHOUSE_CLERK, Role.PURCHASER,
                          Role.SERVICE_ADVISOR, Role.TECHNICIAN, Role.FINANCE})
#: roles that may open the console (Django admin)
CONSOLE_ROLES = DEALER_ROLES | {Role.BRAND_MANAGER, Role.SUPPLIER_USER}


def permissions_for(roles: set[str] | frozenset[str]) -> frozenset[str]:
    out: set[str] = set()
    for role in roles:
        out |= ROLE_PERMISSIONS.get(role, set())
    return frozenset(out)
