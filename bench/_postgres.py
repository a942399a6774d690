"""A PostgreSQL database of a benchmark's own, with Django set up on it.

    with bench_database("qudao_bench_board", prefix="qudao-bench-board-", static=True) as database:
        ...  # Django is set up and migrated; `database` names the server ("PostgreSQL 15.20 …")

The database comes from `QUDAO_BENCH_DATABASE_URL` (default postgresql://postgres@127.0.0.1:5432/NAME);
it is created (dropped first if it exists) and dropped afterwards unless `keep`. Shared databases
(`postgres`, templates, the test database) are refused.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

PROTECTED_DATABASES = {"postgres", "template0", "template1", "test"}


def bench_url(default_name: str) -> str:
    url = os.environ.get("QUDAO_BENCH_DATABASE_URL", "").strip()
    url = url or f"postgresql://postgres@127.0.0.1:5432/{default_name}"
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("QUDAO_BENCH_DATABASE_URL must name a PostgreSQL database")
    return url


def prepare_database(url: str, *, drop: bool) -> None:
    """Drop (when asked) and create the bench's own database, through the server's `postgres` database
    (only CREATE/DROP DATABASE is sent there)."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or name in PROTECTED_DATABASES or name.startswith("test"):
        raise SystemExit(f"refusing to use database {name!r}: give the bench a database of its own")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop:
            conn.execute(f'CREATE DATABASE "{name}"')


@contextlib.contextmanager
def bench_database(
    default_name: str, *, prefix: str, static: bool = False, keep: bool = False
) -> Iterator[str]:
    url = bench_url(default_name)
    prepare_database(url, drop=False)
    with tempfile.TemporaryDirectory(prefix=prefix) as home:
        os.environ.update(
            {"QUDAO_DATABASE_URL": url, "QUDAO_HOME": home, "DJANGO_SETTINGS_MODULE": "qudao.config.settings"}
        )
        os.environ.pop("QUDAO_TESTING", None)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection, connections

        try:
            call_command("migrate", interactive=False, verbosity=0)
            if static:  # pages rendered by the bench use the hashed static names
                call_command("collectstatic", interactive=False, verbosity=0)
            with connection.cursor() as cursor:
                cursor.execute("SHOW server_version")
                yield f"PostgreSQL {cursor.fetchone()[0]}"
        finally:
            connections.close_all()
            if not keep:
                with contextlib.suppress(Exception):
                    prepare_database(url, drop=True)
