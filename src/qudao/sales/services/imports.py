"""Bulk order import from a CSV or Excel file (issue 4): every row is checked and every order priced
before anything is written; then, in one transaction, the orders are written as drafts (source
"import") with their priced lines.

Modes:
- `all_or_nothing` (default): any problem in the file → nothing is written;
- `valid_only`: an order with any bad row is skipped entirely (none of its rows are written); the
  other orders are written.

A dry run checks and prices only. `confirm` confirms each written order afterwards through the normal
confirmation service (credit check, allocation, reservation), one order at a time in its own
transaction: much slower than the import itself. Problems are reported per row as
{row, column, code, message}; with problems, a downloadable report (the original rows plus an "error"
column) is kept (imports_report.py).

    report = import_orders(actor=actor, name="orders.csv", content=data, mode="valid_only")
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qudao.core.errors import QudaoError
from qudao.core.scoping import Actor, require_dealer
from qudao.pricing.contracts import BasketLine, PricedBasket, PricingContext
from qudao.sales.errors_imports import ImportConflict
from qudao.sales.models import SalesSettings
from qudao.sales.services.imports_check import OrderPlan, Problem, check_rows
from qudao.sales.services.imports_price import Basket, no_price_message, price_baskets
from qudao.sales.services.imports_read import read_import_file
from qudao.sales.services.imports_report import save_report
from qudao.sales.services.imports_write import resolve_ship_to, write_orders
from qudao.sales.states import OrderState

#: problems listed in the report itself (the downloadable report has all of them)
MAX_LISTED = 1000
#: orders an import confirms at most (confirmation is one order at a time)
MAX_CONFIRM = 2000


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", gettext_lazy("All or nothing")
    VALID_ONLY = "valid_only", gettext_lazy("Only the valid orders")


@dataclass
class ImportReport:
    file_name: str
    file_kind: str
    mode: str
    dry_run: bool
    rows: int = 0
    orders: int = 0
    valid_orders: int = 0
    invalid_orders: int = 0
    orders_created: int = 0
    lines_created: int = 0
    orders_confirmed: int = 0
    orders_on_hold: int = 0
    confirm_errors: list[dict[str, Any]] = field(default_factory=list)
    problems: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    errors_truncated: bool = False
    report_token: str | None = None
    order_ids: list[int] = field(default_factory=list)
    total: str = "0.00"
    seconds: float = 0.0
    #: phase → (wall seconds, CPU seconds of this process): read, check, price, write
    phases: dict[str, tuple[float, float]] = field(default_factory=dict)

    @property
    def written(self) -> bool:
        return self.orders_created > 0


def import_orders(
    *,
    actor: Actor,
    name: str,
    content: bytes,
    mode: str = ImportMode.ALL_OR_NOTHING,
    dry_run: bool = False,
    confirm: bool = False,
    dealer_id: int | None = None,
) -> ImportReport:
    started = time.perf_counter()
    clock = _Clock()
    mode = ImportMode(mode)
    dealer_id = require_dealer(actor, dealer_id)
    file = read_import_file(name=name, content=content)
    clock.lap("read")
    plans, problems = check_rows(actor, dealer_id, file)
    report = ImportReport(name, file.kind, mode, dry_run, rows=len(file.rows), orders=len(plans))
    candidates = [p for p in plans if not p.bad]
    ship = resolve_ship_to(candidates)
    clock.lap("check")
    priced = _price(candidates, ship, problems)
    clock.lap("price")
    valid = [p for p in candidates if not p.bad]
    report.valid_orders, report.invalid_orders = len(valid), len(plans) - len(valid)
    report.total = str(sum((priced[id(p)].total for p in valid), start=0) or "0.00")
    problems.sort(key=lambda p: p.row)
    report.problems = len(problems)
    report.errors = [p.as_dict() for p in problems[:MAX_LISTED]]
    report.errors_truncated = len(problems) > MAX_LISTED
    write = not dry_run and valid and (mode == ImportMode.VALID_ONLY or not problems)
    if write:
        settings = SalesSettings.for_dealer(dealer_id)
        try:
            with transaction.atomic():
                report.order_ids = write_orders(
                    actor=actor, dealer_id=dealer_id, plans=valid, ship=ship, priced=priced, settings=settings
                )
        except IntegrityError as exc:  # a concurrent import took some of these references
            raise ImportConflict() from exc
        report.orders_created = len(report.order_ids)
        report.lines_created = sum(len(priced[id(p)].lines) for p in valid)
        clock.lap("write")
    if problems or dry_run:  # a dry run keeps the file: the console imports it without a new upload
        report.report_token = save_report(
            dealer_id=dealer_id,
            name=name,
            content=content,
            problems=[p.as_dict() for p in problems],
            skipped=_skipped(plans, problems, written=bool(write)),
        )
    if confirm and report.order_ids:
        _confirm(actor, report)
    report.seconds = round(time.perf_counter() - started, 3)
    report.phases = clock.phases
    return report


class _Clock:
    def __init__(self) -> None:
        self.phases: dict[str, tuple[float, float]] = {}
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self, name: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        self.phases[name] = (round(wall - self.wall, 3), round(cpu - self.cpu, 3))
        self.wall, self.cpu = wall, cpu


def _price(plans: list[OrderPlan], ship, problems: list[Problem]) -> dict[int, PricedBasket]:
    today = timezone.localdate()
    baskets = []
    for plan in plans:
        customer = plan.customer
        baskets.append(
            Basket(
                plan,
                PricingContext(
                    dealer_id=customer.dealer_id,
                    on=today,
                    customer_id=customer.pk,
                    customer_group_id=customer.customer_group_id,
                    channel_id=plan.channel_id or customer.channel_id,
                    region_id=ship[id(plan)].ship_region_id or customer.region_id,
                ),
                [BasketLine(str(n), line.item.pk, line.quantity) for n, line in enumerate(plan.lines)],
            )
        )
    priced: dict[int, PricedBasket] = {}
    failures = price_baskets(
        baskets, on_priced=lambda basket, result: priced.__setitem__(id(basket.owner), result)
    )
    for failure in failures:
        plan = failure.owner
        plan.bad = True
        for key, label in failure.missing:
            problems.append(Problem(plan.lines[int(key)].row, "sku", "no_price", no_price_message(label)))
    return priced


def _skipped(plans: list[OrderPlan], problems: list[Problem], *, written: bool) -> dict[int, str]:
    """Rows without a problem of their own that were not written, and why (for the report)."""
    own = {p.row for p in problems}
    out = {}
    for plan in plans:
        if written and not plan.bad:
            continue
        if plan.bad:
            reason = _("Not imported: another row of order %(ref)s has an error.") % {"ref": plan.ref}
        else:
            reason = _("Not imported: the file has errors (all or nothing).")
        out.update((row, reason) for row in plan.rows if row not in own)
    return out


def _confirm(actor: Actor, report: ImportReport) -> None:
    from qudao.sales.services.confirmation import confirm_order

    for order_id in report.order_ids[:MAX_CONFIRM]:
        try:
            order = confirm_order(actor=actor, order_id=order_id)
        except QudaoError as exc:
            report.confirm_errors.append({"order_id": order_id, "code": exc.code, "message": exc.render()})
            continue
        if order.state == OrderState.ON_HOLD:
            report.orders_on_hold += 1
        else:
            report.orders_confirmed += 1
    if len(report.order_ids) > MAX_CONFIRM:
        report.confirm_errors.append(
            {
                "order_id": None,
                "code": "too_many_to_confirm",
                "message": _(
                    "Only the first %(max)s orders were confirmed; confirm the others from the order center."
                )
                % {"max": MAX_CONFIRM},
            }
        )
