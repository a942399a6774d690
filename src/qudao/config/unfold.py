"""The console's look: django-unfold settings (title, colours, navigation, languages)."""

from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _


def _changelist(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:  # the model's admin is not registered (app disabled)
        return "#"


def _link(title, model_path: str, icon: str) -> dict:
    app_label, model = model_path.split(".")
    return {
        "title": title,
        "icon": icon,
        "link": lazy(_changelist, str)(f"admin:{app_label}_{model}_changelist"),
        "permission": lambda request, perm=f"{app_label}.view_{model}": request.user.has_perm(perm),
    }


UNFOLD = {
    "SITE_TITLE": _("Qudao DMS"),
    "SITE_HEADER": _("Qudao"),
    "SITE_SUBHEADER": _("Dealer Management System"),
    "SITE_SYMBOL": "hub",
    "SITE_FAVICONS": [
        {"rel": "icon", "type": "image/svg+xml", "href": lambda request: static("qudao/favicon.svg")},
    ],
    "SHOW_HISTORY": True,
    "SHOW_VIEW_ON_SITE": False,
    "SHOW_LANGUAGES": True,
    "COLORS": {
        "primary": {
            "50": "oklch(97.1% .013 17.38)",
            "100": "oklch(93.6% .032 17.717)",
            "200": "oklch(88.5% .062 18.334)",
            "300": "oklch(80.8% .114 19.571)",
            "400": "oklch(70.4% .191 22.216)",
            "500": "oklch(63.7% .237 25.331)",
            "600": "oklch(57.7% .245 27.325)",
            "700": "oklch(50.5% .213 27.518)",
            "800": "oklch(44.4% .177 26.899)",
            "900": "oklch(39.6% .141 25.723)",
            "950": "oklch(25.8% .092 26.042)",
        },
    },
    "SIDEBAR": {
        "show_search": True,
        "show_all_applications": True,
        "navigation": [
            {
                "title": _("Organisation"),
                "separator": True,
                "items": [
                    _link(_("Companies"), "org.company", "apartment"),
                    _link(_("Dealerships"), "org.dealership", "handshake"),
                    _link(_("Sites"), "org.site", "warehouse"),
                    _link(_("Channels"), "org.channel", "alt_route"),
                    _link(_("Regions"), "org.region", "map"),
                    _link(_("Territories"), "org.territory", "share_location"),
                ],
            },
            {
                "title": _("Catalog"),
                "separator": True,
                "items": [
                    _link(_("Items"), "catalog.item", "inventory_2"),
                    _link(_("Categories"), "catalog.category", "account_tree"),
                    _link(_("Units of measure"), "catalog.unitofmeasure", "straighten"),
                    _link(_("Barcodes"), "catalog.barcode", "barcode"),
                    _link(_("Vehicle models"), "catalog.vehiclemodel", "directions_car"),
                    _link(_("Part supersessions"), "catalog.supersession", "swap_horiz"),
                ],
            },
            {
                "title": _("Customers"),
                "separator": True,
                "items": [
                    _link(_("Customers"), "parties.customer", "storefront"),
                    _link(_("Customer groups"), "parties.customergroup", "groups"),
                ],
            },
            {
                "title": _("Sales"),
                "separator": True,
                "items": [
                    _link(_("Order center"), "sales.salesorder", "shopping_cart"),
                    {
                        "title": _("Enter an order"),
                        "icon": "add_shopping_cart",
                        "link": lazy(_changelist, str)("admin:sales_salesorder_enter"),
                        "permission": lambda request: request.user.has_perm("sales.add_salesorder"),
                    },
                    {
                        "title": _("Import orders"),
                        "icon": "upload_file",
                        "link": lazy(_changelist, str)("sales_order_import"),
                        "permission": lambda request: request.user.has_perm("sales.add_salesorder"),
                    },
                    _link(_("Marketplace mappings"), "integrations.marketplacemapping", "hub"),
                    _link(_("Shipments"), "sales.shipment", "local_shipping"),
                    _link(_("Returns"), "sales.returnrequest", "assignment_return"),
                    {
                        "title": _("Pick list"),
                        "icon": "checklist",
                        "link": lazy(_changelist, str)("admin:sales_shipment_pick_list"),
                        "permission": lambda request: request.user.has_perm("sales.view_shipment"),
                    },
                    _link(_("Sales settings"), "sales.salessettings", "tune"),
                ],
            },
            {
                "title": _("Finance"),
                "separator": True,
                "items": [
                    _link(_("Invoices"), "finance.invoice", "receipt"),
                    _link(_("Credit notes"), "finance.creditnote", "undo"),
                    _link(_("Payments"), "finance.payment", "payments"),
                    {
                        "title": _("Customer statement"),
                        "icon": "description",
                        "link": lazy(_changelist, str)("admin:finance_statement"),
                        "permission": lambda request: request.user.has_perm("finance.view_invoice"),
                    },
                    {
                        "title": _("Receivables ageing"),
                        "icon": "hourglass_bottom",
                        "link": lazy(_changelist, str)("admin:finance_ageing"),
                        "permission": lambda request: request.user.has_perm("finance.view_invoice"),
                    },
                ],
            },
            {
                "title": _("Pricing"),
                "separator": True,
                "items": [
                    {
                        "title": _("Price simulator"),
                        "icon": "calculate",
                        "link": lazy(_changelist, str)("admin:pricing_simulator"),
                        "permission": lambda request: request.user.has_perm("pricing.view_pricelist"),
                    },
                    _link(_("Price lists"), "pricing.pricelist", "sell"),
                    _link(_("Promotions"), "pricing.promotion", "campaign"),
                    _link(_("Coupons"), "pricing.coupon", "confirmation_number"),
                    _link(_("Price floors"), "pricing.pricefloor", "vertical_align_bottom"),
                    _link(_("Rebate programs"), "pricing.rebateprogram", "savings"),
                    {
                        "title": _("Rebate accruals"),
                        "icon": "trending_up",
                        "link": lazy(_changelist, str)("admin:pricing_accruals"),
                        "permission": lambda request: request.user.has_perm("pricing.view_rebateprogram"),
                    },
                    _link(_("Rebate ledger"), "pricing.rebateledgerentry", "account_balance_wallet"),
                ],
            },
            {
                "title": _("Monitoring"),
                "separator": True,
                "items": [
                    _link(_("Alert center"), "alerts.alert", "notifications_active"),
                ],
            },
            {
                "title": _("Inventory"),
                "separator": True,
                "items": [
                    {
                        "title": _("Inventory board"),
                        "icon": "dashboard",
                        "link": lazy(_changelist, str)("inventory_board"),
                        "permission": lambda request: request.user.has_perm("inventory.view_stocklevel"),
                    },
                    _link(_("Stock levels"), "inventory.stocklevel", "stacks"),
                    _link(_("Stock ledger"), "inventory.stockmove", "receipt_long"),
                    _link(_("Reservations"), "inventory.reservation", "bookmark"),
                    _link(_("Transfers"), "inventory.transfer", "local_shipping"),
                    _link(_("Stocktakes"), "inventory.stocktakesession", "fact_check"),
                    _link(_("Locations"), "inventory.location", "shelves"),
                    _link(_("Lots"), "inventory.lot", "batch_prediction"),
                    _link(_("Serial numbers"), "inventory.serial", "qr_code_2"),
                    _link(_("Stock settings"), "inventory.itemsitesettings", "tune"),
                    _link(_("Inventory policies"), "inventory.inventorypolicy", "policy"),
                ],
            },
            {
                "title": _("Access"),
                "separator": True,
                "items": [
                    _link(_("Users"), "accounts.user", "person"),
                    _link(_("Memberships"), "accounts.membership", "badge"),
                    _link(_("API keys"), "accounts.apikey", "key"),
                ],
            },
            {
                "title": _("System"),
                "separator": True,
                "items": [
                    _link(_("Outbox events"), "core.outboxevent", "outbox"),
                ],
            },
        ],
    },
}
