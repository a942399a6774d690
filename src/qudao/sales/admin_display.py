"""Readable renderings of an order's price explanations, allocation plan and timeline (console)."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from qudao.sales.models import SalesOrder, SalesOrderLine

_TABLE = 'class="w-full text-sm border-collapse"'


def price_explanation(line: SalesOrderLine) -> SafeString:
    """ "Channel price list WHOLESALE: 100.0000 → 满1000减100 (PROMO-1) −50.00 → 950.00"."""
    data = line.price_explanation or {}
    source = data.get("source") or {}
    parts = [
        format_html(
            "<div>{}: <b>{}</b> {}</div>",
            source.get("description") or source.get("kind", "—"),
            source.get("unit_price", ""),
            source.get("price_list_code", ""),
        )
    ]
    for adjustment in data.get("adjustments") or []:
        parts.append(
            format_html(
                "<div>{} {} <b>{}</b></div>",
                adjustment.get("description") or adjustment.get("kind"),
                adjustment.get("rule_code", ""),
                adjustment.get("amount"),
            )
        )
    if data.get("floor_price"):
        parts.append(format_html("<div>{}: {}</div>", _("floor"), data["floor_price"]))
    return format_html("{}", SafeString("".join(parts)))


def allocation_plan(order: SalesOrder) -> SafeString:
    runs = (order.allocation_plan or {}).get("runs") or []
    if not runs:
        return format_html("<p>{}</p>", _("Not allocated yet."))
    blocks = []
    for run in reversed(runs):
        candidates = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    c.get("site"),
                    c.get("distance_km"),
                    c.get("score"),
                    "✓" if c.get("ships_all") else "",
                    c.get("coverable"),
                )
                for c in run.get("candidates", [])
            ),
        )
        lines = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    ln.get("line_no"),
                    ln.get("need"),
                    ", ".join(f"{a['site']} × {a['quantity']}" for a in ln.get("assigned", [])) or "—",
                    ln.get("backordered"),
                )
                for ln in run.get("lines", [])
            ),
        )
        blocks.append(
            format_html(
                "<div class='mb-4'><p><b>{}</b> · {} · {}</p><p>{}</p>"
                "<table {}><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>{}</table>"
                "<table {}><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>{}</table></div>",
                run.get("at", "")[:19].replace("T", " "),
                run.get("reason"),
                run.get("strategy"),
                run.get("why"),
                SafeString(_TABLE),
                _("site"),
                _("distance (km)"),
                _("score (lower is better)"),
                _("ships all"),
                _("can ship"),
                candidates,
                SafeString(_TABLE),
                _("line"),
                _("needed"),
                _("from"),
                _("back-ordered"),
                lines,
            )
        )
    return format_html("{}", SafeString("".join(blocks)))


def timeline(order: SalesOrder) -> SafeString:
    events = list(order.events.select_related("actor").order_by("at", "pk"))
    if not events:
        return format_html("<p>—</p>")
    return format_html(
        "<table {}>{}</table>",
        SafeString(_TABLE),
        format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((e.at.strftime("%Y-%m-%d %H:%M:%S"), e.kind, e.message, e.actor or "") for e in events),
        ),
    )
