"""Pure rules of the alerts app (no database)."""

from __future__ import annotations

from qudao.alerts.states import AlertSeverity

SEVERITY_RANK: dict[str, int] = {
    AlertSeverity.INFO: 10,
    AlertSeverity.WARNING: 20,
    AlertSeverity.CRITICAL: 30,
}


def severity_rank(severity: str) -> int:
    return SEVERITY_RANK[str(severity)]


def escalated(current: str, incoming: str) -> str | None:
    """The new severity when `incoming` is more serious than `current`, else None (never lowered)."""
    return str(incoming) if severity_rank(incoming) > severity_rank(current) else None


def format_message(template: str, params: dict) -> str | None:
    """`template % params`, or None when the params do not fit (missing key, wrong type)."""
    try:
        return str(template) % dict(params)
    except (KeyError, TypeError, ValueError):
        return None


def stale_keys(live: set[str], active: set[str]) -> set[str]:
    """Dedupe keys of live alerts whose condition is no longer reported: they auto-resolve."""
    return live - active
