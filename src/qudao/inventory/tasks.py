"""Background jobs of the inventory: the nightly reconciliation of levels against the ledger."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from qudao.inventory.services.reconciliation import reconcile_levels, report_mismatches


def run_reconciliation() -> int:
    """Reconcile every dealer; mismatches become `inventory.reconcile.mismatch` events. Returns how many."""
    mismatches = reconcile_levels()
    if mismatches:
        report_mismatches(mismatches)
    return len(mismatches)


@db_periodic_task(crontab(hour="2", minute="30"))
def reconcile_inventory_task() -> int:
    return run_reconciliation()


@db_periodic_task(crontab(minute="7"))
def evaluate_inventory_health_task() -> int:
    """Hourly: evaluate the inventory health conditions of every dealer; returns how many dealers."""
    from qudao.inventory.health import evaluate_all_dealers

    return len(evaluate_all_dealers())
