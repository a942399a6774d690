"""`qudao inventory reconcile`: prove that the stock levels equal the ledger (exit 1 on a mismatch)."""

from __future__ import annotations

import argparse
import json


def add_parser(commands) -> None:
    from django.utils.translation import gettext as _

    inventory = commands.add_parser(
        "inventory",
        help=_("inventory maintenance: reconcile stock levels with the ledger"),
        description=_("Inventory maintenance commands."),
    )
    actions = inventory.add_subparsers(dest="inventory_command", metavar=_("ACTION"), required=True)
    reconcile = actions.add_parser(
        "reconcile",
        help=_("recompute levels from the ledger and list every mismatch"),
        description=_(
            "Recompute on hand from the done moves and reserved from the active reservations, and "
            "compare with the stored levels. Exits with status 1 when anything differs."
        ),
    )
    reconcile.add_argument("--dealer", metavar="CODE", help=_("only this dealer (company code)"))
    reconcile.add_argument("--json", action="store_true", help=_("print the mismatches as JSON"))
    reconcile.add_argument(
        "--report", action="store_true", help=_("also record the mismatches as outbox events (alerts)")
    )


def run_inventory(args: argparse.Namespace) -> int:
    from django.utils.translation import gettext as _

    from qudao.cli import CliError
    from qudao.inventory.services import reconcile_levels, report_mismatches
    from qudao.org.models import Company

    dealer_id = None
    if args.dealer:
        dealer_id = (
            Company.objects.filter(code=args.dealer, is_dealer=True).values_list("pk", flat=True).first()
        )
        if dealer_id is None:
            raise CliError(_("no dealer with code %(code)s") % {"code": args.dealer})
    mismatches = reconcile_levels(dealer_id)
    if args.report and mismatches:
        report_mismatches(mismatches)
    if args.json:
        print(json.dumps([m.as_json() for m in mismatches], ensure_ascii=False, indent=2))
    elif not mismatches:
        print(_("Stock levels match the ledger."))
    else:
        print(_("%(count)s stock levels differ from the ledger:") % {"count": len(mismatches)})
        for m in mismatches:
            print(
                f"  dealer={m.dealer_id} item={m.item_id} location={m.location_id} lot={m.lot_id or '-'}: "
                f"on_hand {m.on_hand} / ledger {m.ledger_on_hand}, reserved {m.reserved} / "
                f"reservations {m.reservations}"
            )
    return 1 if mismatches else 0
