"""What `load_demo` returns: the accounts to sign in with, what was loaded, and how long it took."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

#: count key → label (in load order)
COUNT_LABELS = {
    "companies": gettext_lazy("Companies"),
    "sites": gettext_lazy("Sites (stores, workshops, warehouses)"),
    "channels": gettext_lazy("Channels"),
    "territories": gettext_lazy("Territories"),
    "dealerships": gettext_lazy("Dealerships"),
    "users": gettext_lazy("Users"),
    "units": gettext_lazy("Units of measure"),
    "categories": gettext_lazy("Categories"),
    "vehicle_models": gettext_lazy("Vehicle models"),
    "items": gettext_lazy("Items (vehicles, parts, services, goods)"),
    "supersessions": gettext_lazy("Part supersessions"),
    "item_units": gettext_lazy("Item units"),
    "barcodes": gettext_lazy("Barcodes"),
    "customer_groups": gettext_lazy("Customer groups"),
    "customers": gettext_lazy("Customers"),
    "contacts": gettext_lazy("Contacts"),
    "addresses": gettext_lazy("Addresses"),
}


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    #: the role's label ("Sales representative"), as `qudao demo` prints it
    role: str
    #: the Role value ("sales_rep"); "" for the platform administrator
    role_code: str
    company: str
    #: sites the membership is limited to ("" = every site of the company)
    sites: str = ""


@dataclass(frozen=True)
class DemoApiKey:
    username: str
    name: str
    #: the secret, shown this once (only its hash is stored)
    token: str


@dataclass
class DemoSummary:
    seed: int
    scale: int
    users: list[DemoUser] = field(default_factory=list)
    #: key (see COUNT_LABELS) → rows created
    counts: dict[str, int] = field(default_factory=dict)
    #: part → seconds
    timings: dict[str, float] = field(default_factory=dict)
    companies: list[str] = field(default_factory=list)
    api_keys: list[DemoApiKey] = field(default_factory=list)
    #: wall-clock seconds of the whole load
    seconds: float = 0.0

    def user(self, username: str) -> DemoUser:
        return next(u for u in self.users if u.username == username)

    def render(self) -> str:
        """A plain-text report for the terminal (`qudao demo`): companies, counts, sign-in accounts."""
        lines = [
            _("Qudao demo data loaded (seed %(seed)s, scale %(scale)s) in %(seconds).1f s.")
            % {"seed": self.seed, "scale": self.scale, "seconds": self.seconds},
            "",
        ]
        if self.companies:
            lines.append(_("Companies:"))
            lines += [f"  {name}" for name in self.companies]
            lines.append("")
        if self.counts:
            lines.append(_("Loaded:"))
            keys = [k for k in COUNT_LABELS if k in self.counts] + [
                k for k in self.counts if k not in COUNT_LABELS
            ]
            rows = [[str(COUNT_LABELS.get(key, key)), str(self.counts[key])] for key in keys]
            lines += format_table(rows, align_right={1}, indent=2)
            lines.append("")
        lines.append(_("Sign in at /admin/ with:"))
        header = [_("Username"), _("Password"), _("Role"), _("Company"), _("Sites")]
        rows = [[u.username, u.password, u.role, u.company, u.sites or _("all")] for u in self.users]
        lines += format_table([header, *rows], header=True, indent=2)
        if self.api_keys:
            lines += ["", _("API keys (send as the header Authorization: Bearer <key>; shown only now):")]
            lines += format_table([[k.username, k.token] for k in self.api_keys], indent=2)
        return "\n".join(lines) + "\n"


def display_width(text: str) -> int:
    """Columns a terminal gives `text`: CJK (wide and full-width) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - display_width(text))
    return gap + text if right else text + gap


def format_table(
    rows: list[list[str]],
    *,
    header: bool = False,
    align_right: frozenset[int] | set[int] = frozenset(),
    indent: int = 0,
) -> list[str]:
    """Rows as aligned columns (two spaces apart); a rule under the header row."""
    if not rows:
        return []
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for index, row in enumerate(rows):
        cells = [_pad(cell, widths[i], i in align_right) for i, cell in enumerate(row)]
        out.append((" " * indent + "  ".join(cells)).rstrip())
        if header and index == 0:
            out.append(" " * indent + "  ".join("-" * w for w in widths))
    return out
