"""`qudao check`: is this installation fit to serve? A readable report; exit status 1 on errors."""

from __future__ import annotations

import os
import sqlite3
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from django.conf import settings
from django.core import checks
from django.db import DatabaseError, connection
from django.utils.translation import gettext as _

OK, WARN, FAIL = "ok", "warn", "fail"
LABELS = {OK: "[ OK ]", WARN: "[WARN]", FAIL: "[FAIL]"}


@dataclass
class Report:
    lines: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, level: str, topic: str, message: str) -> None:
        self.lines.append((level, topic, message))

    @property
    def errors(self) -> int:
        return sum(1 for level, _topic, _message in self.lines if level == FAIL)

    @property
    def warnings(self) -> int:
        return sum(1 for level, _topic, _message in self.lines if level == WARN)

    def render(self, out: TextIO) -> None:
        width = max((len(topic) for _level, topic, _message in self.lines), default=0)
        for level, topic, message in self.lines:
            first, *rest = message.splitlines() or [""]
            print(f"{LABELS[level]} {topic.ljust(width)}  {first}", file=out)
            for line in rest:
                print(f"{' ' * (len(LABELS[level]) + width + 3)}{line}", file=out)
        print(
            _("Errors: %(errors)d, warnings: %(warnings)d.")
            % {"errors": self.errors, "warnings": self.warnings},
            file=out,
        )


def check_settings(report: Report) -> None:
    topic = _("settings")
    report.add(
        OK,
        topic,
        _("DEBUG is %(state)s; home folder %(home)s")
        % {"state": _("on") if settings.DEBUG else _("off"), "home": settings.HOME},
    )
    if getattr(settings, "INSECURE_SECRET_KEY", False):
        if settings.DEBUG:
            report.add(WARN, topic, _("QUDAO_SECRET_KEY is not set: the development key is in use."))
        else:
            report.add(
                FAIL,
                topic,
                _(
                    "QUDAO_SECRET_KEY is not set while DEBUG is off: set it to a long random "
                    "value (e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))')."
                ),
            )
    else:
        report.add(
            OK, topic, _("secret key set (%(length)d characters)") % {"length": len(settings.SECRET_KEY)}
        )
    home = Path(settings.HOME)
    if not home.is_dir() or not os.access(home, os.W_OK):
        report.add(FAIL, topic, _("QUDAO_HOME %(home)s is not a writable folder.") % {"home": home})


def check_allowed_hosts(report: Report) -> None:
    topic = _("allowed hosts")
    hosts = [h for h in settings.ALLOWED_HOSTS if h]
    if not hosts:
        level = WARN if settings.DEBUG else FAIL
        report.add(level, topic, _("QUDAO_ALLOWED_HOSTS is empty: no request will be accepted."))
    elif "*" in hosts and not settings.DEBUG:
        report.add(
            WARN, topic, _("'*' accepts any Host header: list the site's host names in QUDAO_ALLOWED_HOSTS.")
        )
    else:
        report.add(OK, topic, ", ".join(hosts))


def database_version() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA journal_mode")
            mode = cursor.fetchone()[0]
            name = settings.DATABASES["default"]["NAME"]
            return f"SQLite {sqlite3.sqlite_version} (journal_mode={mode}, {name})"
        cursor.execute("SELECT 1")
    return connection.display_name


def check_database(report: Report) -> bool:
    topic = _("database")
    try:
        connection.ensure_connection()
        version = database_version()
    except (DatabaseError, OSError) as exc:
        report.add(
            FAIL, topic, _("not reachable: %(error)s") % {"error": str(exc).strip() or type(exc).__name__}
        )
        return False
    report.add(OK, topic, version)
    if connection.vendor == "sqlite" and not settings.DEBUG:
        report.add(
            WARN, topic, _("SQLite serves one machine: use PostgreSQL (QUDAO_DATABASE_URL) in production.")
        )
    return True


def check_migrations(report: Report) -> None:
    from qudao.cli.setup import pending_migrations

    topic = _("migrations")
    pending = pending_migrations()
    if pending:
        report.add(
            FAIL,
            topic,
            _("not applied (%(count)d), run `qudao init`:") % {"count": len(pending)}
            + "\n"
            + "\n".join(pending),
        )
    else:
        report.add(OK, topic, _("all applied"))


def check_job_queue(report: Report) -> None:
    topic = _("job queue")
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        level = OK if settings.DEBUG else WARN
        report.add(
            level,
            topic,
            _("SQLite queue in %(home)s (one machine; set QUDAO_REDIS_URL for several)")
            % {"home": settings.HOME},
        )
        return
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
        client.ping()
        version = client.info("server").get("redis_version", "?")
    except (redis.RedisError, OSError) as exc:
        report.add(
            FAIL,
            topic,
            _("Redis not reachable at %(url)s: %(error)s") % {"url": _safe_url(url), "error": exc},
        )
        return
    report.add(OK, topic, _("Redis %(version)s at %(url)s") % {"version": version, "url": _safe_url(url)})


def _safe_url(url: str) -> str:
    """The URL without its password."""
    scheme, sep, rest = url.partition("://")
    if sep and "@" in rest:
        credentials, _at, host = rest.rpartition("@")
        user = credentials.split(":", 1)[0]
        return f"{scheme}://{user + ':***' if ':' in credentials else user}@{host}"
    return url


def check_static_files(report: Report) -> None:
    topic = _("static files")
    root = Path(settings.STATIC_ROOT)
    if settings.DEBUG:
        report.add(OK, topic, _("served from the source folders (DEBUG)"))
    elif (root / "staticfiles.json").exists():
        report.add(OK, topic, _("collected in %(root)s") % {"root": root})
    else:
        report.add(
            WARN,
            topic,
            _("not collected in %(root)s: run `qudao init` (serve collects them when missing)")
            % {"root": root},
        )


def check_django(report: Report, *, database_ok: bool) -> None:
    topic = _("django checks")
    messages = checks.run_checks(
        include_deployment_checks=not settings.DEBUG, databases=["default"] if database_ok else None
    )
    shown = 0
    for message in messages:
        if message.is_silenced() or message.level < checks.WARNING:
            continue
        shown += 1
        level = FAIL if message.level >= checks.ERROR else WARN
        text = f"{message.id}: {message.msg}"
        if message.hint:
            text += f"\n{message.hint}"
        report.add(level, topic, text)
    if not shown:
        report.add(
            OK, topic, _("no issues (deployment checks included)") if not settings.DEBUG else _("no issues")
        )


def build_report() -> Report:
    report = Report()
    check_settings(report)
    check_allowed_hosts(report)
    database_ok = check_database(report)
    if database_ok:
        check_migrations(report)
    check_job_queue(report)
    check_static_files(report)
    check_django(report, database_ok=database_ok)
    return report


def run_check(*, stdout: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    report = build_report()
    report.render(out)
    return 1 if report.errors else 0
