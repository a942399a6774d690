"""What each role may do: Django permission codenames per role ("app.action_model").

A user's permissions are the union over its active memberships. The console (Django admin) and
the API both check them; `services.access.sync_role_groups()` mirrors each role into a Django
Group so the admin's own permission checks agree with the API's.

Later apps add their models' permissions to the roles here (this file is the one place that says
who may do what); a permission whose app is not installed or not yet migrated is skipped when the
groups are synchronised.
"""

from __future__ import annotations

from qudao.accounts.models import Role

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
ALL = (VIEW, ADD, CHANGE, DELETE)


def _perms(app_model: str, actions=ALL) -> set[str]:
    app, model = app_model.split(".")
    return {f"{app}.{action}_{model}" for action in actions}


def _union(models: tuple[str, ...], actions=ALL) -> set[str]:
    return set().union(*(_perms(m, actions) for m in models))


ORG_MODELS = ("org.company", "org.site", "org.channel", "org.region", "org.territory", "org.dealership")
CATALOG_MODELS = (
    "catalog.category",
    "catalog.item",
    "catalog.unitofmeasure",
    "catalog.itemunit",
    "catalog.barcode",
    "catalog.vehiclemodel",
    "catalog.supersession",
)
PARTIES_MODELS = ("parties.customer", "parties.customergroup", "parties.contact", "parties.address")

ORG_READ = _union(ORG_MODELS, (VIEW,))
CATALOG_READ = _union(CATALOG_MODELS, (VIEW,))
CATALOG_WRITE = _union(CATALOG_MODELS)
PARTIES_READ = _union(PARTIES_MODELS, (VIEW,))
PARTIES_WRITE = _union(PARTIES_MODELS)
ORG_WRITE = _union(("org.site", "org.channel", "org.territory")) | _perms("org.company", (VIEW, ADD, CHANGE))
#: manage the users and memberships of the companies one administers
ACCESS_ADMIN = _perms("accounts.user", (VIEW, ADD, CHANGE)) | _perms("accounts.membership")
#: see colleagues and who works where
ACCESS_READ = _perms("accounts.user", (VIEW,)) | _perms("accounts.membership", (VIEW,))
#: one's own API keys (revoking is a change)
OWN_KEYS = _perms("accounts.apikey", (VIEW, ADD, CHANGE))
SYSTEM_READ = {"core.view_outboxevent"}
INVENTORY_MODELS = (
    "inventory.location",
    "inventory.lot",
    "inventory.serial",
    "inventory.stockmove",
    "inventory.stocklevel",
    "inventory.reservation",
    "inventory.itemsitesettings",
    "inventory.itemsitecost",
    "inventory.inventorypolicy",
    "inventory.transfer",
    "inventory.stocktakesession",
)
INVENTORY_READ = _union(INVENTORY_MODELS, (VIEW,))
#: moving stock: receive, issue, adjust, scrap, reserve/release, keep bins, lots and serials
INVENTORY_MOVE = (
    INVENTORY_READ
    | {f"inventory.add_{p}" for p in ("receipt", "issue", "adjustment", "scrap")}
    | _perms("inventory.reservation", (VIEW, ADD, CHANGE))
    | _union(("inventory.location", "inventory.lot", "inventory.serial"), (VIEW, ADD, CHANGE))
    | _union(("inventory.transfer", "inventory.stocktakesession"), (VIEW, ADD, CHANGE))
)
INVENTORY_ALL = INVENTORY_MOVE | _perms("inventory.itemsitesettings") | _perms("inventory.inventorypolicy")
#: reconciling levels with the ledger is for dealer administrators (and platform administrators)
INVENTORY_ADMIN = INVENTORY_ALL | {"inventory.view_reconciliation"}
#: everyone in a dealer sees and acknowledges (changes) the alerts of its scope; managers and
#: admins also resolve them (the custom permission "change_alertresolution")
ALERTS_ACK = _perms("alerts.alert", (VIEW, CHANGE))
ALERTS_RESOLVE = ALERTS_ACK | {"alerts.change_alertresolution"}

BASE = ORG_READ | CATALOG_READ | OWN_KEYS | ALERTS_ACK | INVENTORY_READ

SALES_MODELS = ("sales.salesorder", "sales.salesorderline", "sales.orderevent", "sales.salessettings")
FULFILMENT_MODELS = ("sales.shipment", "sales.shipmentline", "sales.shipmentpackage", "sales.deliveryproof")
RETURN_MODELS = ("sales.returnrequest", "sales.returnline")
SALES_READ = _union(SALES_MODELS + FULFILMENT_MODELS + RETURN_MODELS, (VIEW,))
#: fulfilment: draft, ship and cancel shipments; capture the proof of delivery
SALES_SHIP = (
    _perms("sales.shipment", (VIEW, ADD, CHANGE))
    | _perms("sales.deliveryproof", (VIEW, ADD))
    | _perms("sales.returnrequest", (VIEW, ADD, CHANGE))
)
SALES_ORDER = SALES_READ | _perms("sales.salesorder", (VIEW, ADD, CHANGE)) | SALES_SHIP
SALES_ALL = SALES_ORDER | _perms("sales.salessettings", (VIEW, ADD, CHANGE))
#: approvals of held orders: credit by finance, prices below the floor by managers
SALES_APPROVE_CREDIT = {"sales.approve_credit_hold"}
SALES_APPROVE_PRICE = {"sales.approve_price_exception"}
#: returns are approved (or rejected) by managers and dealer administrators
SALES_APPROVE_RETURN = {"sales.approve_returnrequest"}

PRICING_RULES = (
    "pricing.pricelist",
    "pricing.pricelistitem",
    "pricing.pricefloor",
    "pricing.promotion",
    "pricing.bundlecomponent",
    "pricing.coupon",
    "pricing.rebateprogram",
    "pricing.rebatetier",
)
PRICING_LEDGERS = (
    "pricing.rebatevolume",
    "pricing.rebatesettlementrun",
    "pricing.rebatesettlement",
    "pricing.rebatebalance",
    "pricing.rebateledgerentry",
)
#: quoting needs to read the rules; managing them is for managers and admins; finance settles rebates
PRICING_READ = _union(PRICING_RULES + PRICING_LEDGERS, (VIEW,))
PRICING_WRITE = PRICING_READ | _union(PRICING_RULES)
PRICING_SETTLE = PRICING_READ | {"pricing.add_rebatesettlementrun"}

FINANCE_MODELS = (
    "finance.invoice",
    "finance.invoiceline",
    "finance.creditnote",
    "finance.creditnoteline",
    "finance.payment",
    "finance.paymentallocation",
)
#: receivables: finance users and dealer admins invoice, credit, record and reverse payments;
#: managers read them
FINANCE_READ = _union(FINANCE_MODELS, (VIEW,))
FINANCE_ALL = (
    FINANCE_READ
    | _union(("finance.invoice", "finance.creditnote", "finance.payment"), (VIEW, ADD, CHANGE))
    | {"finance.issue_invoice", "finance.cancel_invoice", "finance.reverse_payment"}
)

#: the retailer portal: dealer staff let retailer users order for their stores
PORTAL_ACCESS = _perms("portal.portalaccess", (VIEW, ADD, CHANGE))
#: marketplace field mappings (e-commerce order import): dealer admins manage them, managers read them
INTEGRATIONS_ALL = _perms("integrations.marketplacemapping")
INTEGRATIONS_READ = _perms("integrations.marketplacemapping", (VIEW,))

ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.DEALER_ADMIN: BASE
    | ORG_WRITE
    | CATALOG_WRITE
    | PARTIES_WRITE
    | ACCESS_ADMIN
    | SYSTEM_READ
    | ALERTS_RESOLVE
    | INVENTORY_ADMIN
    | SALES_ALL
    | SALES_APPROVE_CREDIT
    | SALES_APPROVE_PRICE
    | SALES_APPROVE_RETURN
    | PRICING_WRITE
    | PRICING_SETTLE
    | FINANCE_ALL
    | PORTAL_ACCESS
    | INTEGRATIONS_ALL,
    Role.MANAGER: BASE
    | CATALOG_WRITE
    | PARTIES_WRITE
    | _perms("org.channel")
    | SYSTEM_READ
    | ACCESS_READ
    | ALERTS_RESOLVE
    | INVENTORY_ALL
    | SALES_ALL
    | SALES_APPROVE_PRICE
    | SALES_APPROVE_RETURN
    | PRICING_WRITE
    | FINANCE_READ
    | PORTAL_ACCESS
    | INTEGRATIONS_READ,
    Role.SALES_REP: BASE
    | PARTIES_READ
    | _perms("parties.customer", (VIEW, ADD, CHANGE))
    | _perms("parties.contact")
    | _perms("parties.address")
    | SALES_ORDER
    | PRICING_READ
    | PORTAL_ACCESS,
    Role.WAREHOUSE_CLERK: BASE
    | _perms("catalog.barcode", (VIEW, ADD, CHANGE))
    | INVENTORY_MOVE
    | SALES_READ
    | SALES_SHIP,
    Role.PURCHASER: BASE
    | _perms("catalog.item", (VIEW, ADD, CHANGE))
    | _perms("catalog.itemunit")
    | _perms("catalog.barcode")
    | _perms("org.company", (VIEW, ADD, CHANGE))
    | {"inventory.add_receipt"},
    Role.SERVICE_ADVISOR: BASE
    | PARTIES_READ
    | _perms("parties.customer", (VIEW, ADD, CHANGE))
    | _perms("parties.contact")
    | _perms("parties.address"),
    Role.TECHNICIAN: BASE,
    Role.FINANCE: BASE
    | PARTIES_READ
    | _perms("parties.customer", (VIEW, CHANGE))
    | SYSTEM_READ
    | ACCESS_READ
    | SALES_READ
    | SALES_APPROVE_CREDIT
    | PRICING_SETTLE
    | FINANCE_ALL,
    # A brand manager administers the brand's own users (the actor lists the brand among its
    # admin companies) and reads its authorised dealers' customers.
    Role.BRAND_MANAGER: BASE
    | PARTIES_READ
    | CATALOG_WRITE
    | _perms("org.dealership")
    | _perms("org.territory")
    | _perms("org.company", (VIEW, CHANGE))
    | ACCESS_ADMIN,
    Role.SUPPLIER_USER: {"catalog.view_item", "org.view_company"} | OWN_KEYS,
    # Retailers order through the portal; they never open the console.
    Role.RETAILER_USER: {"catalog.view_item"},
}

#: roles that work inside a dealer and see its rows
DEALER_ROLES = frozenset(
    {
        Role.DEALER_ADMIN,
        Role.MANAGER,
        Role.SALES_REP,
        Role.WAREHOUSE_CLERK,
        Role.PURCHASER,
        Role.SERVICE_ADVISOR,
        Role.TECHNICIAN,
        Role.FINANCE,
    }
)
#: roles that may open the console (Django admin)
CONSOLE_ROLES = DEALER_ROLES | {Role.BRAND_MANAGER, Role.SUPPLIER_USER}

#: the company role (Company.is_<kind>) a membership's company must hold for each role. A retailer
#: user signs in to the portal of the dealer that serves its store, so it belongs to that dealer.
ROLE_COMPANY_KIND: dict[str, str] = {
    **dict.fromkeys(DEALER_ROLES, "dealer"),
    Role.BRAND_MANAGER: "brand",
    Role.SUPPLIER_USER: "supplier",
    Role.RETAILER_USER: "dealer",
}
#: the role that administers a company of each kind (manages its users)
ADMIN_ROLE_BY_KIND: dict[str, str] = {"dealer": Role.DEALER_ADMIN, "brand": Role.BRAND_MANAGER}
ADMIN_ROLES = frozenset(ADMIN_ROLE_BY_KIND.values())

#: Django groups mirroring the roles are named "role:<role>"
ROLE_GROUP_PREFIX = "role:"


def role_group_name(role: str) -> str:
    return f"{ROLE_GROUP_PREFIX}{role}"


def permissions_for(roles: set[str] | frozenset[str]) -> frozenset[str]:
    out: set[str] = set()
    for role in roles:
        out |= ROLE_PERMISSIONS.get(role, set())
    return frozenset(out)
