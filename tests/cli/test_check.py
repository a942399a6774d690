"""`qudao check`: the report on the test database and each failure it must catch."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import OperationalError

from qudao.cli import main
from qudao.cli.check import _safe_url

REPO = Path(__file__).resolve().parents[2]
SUBCOMMANDS = ["init", "demo", "serve", "worker", "check", "bench"]


# --- check ----------------------------------------------------------------------------------


def test_check_passes_on_the_test_database(db, secure, capsys):
    from django.db import connection

    assert main(["check"]) == 0
    out = capsys.readouterr().out
    vendor = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[connection.vendor]
    assert f"[ OK ] database       {vendor} " in out
    assert "[ OK ] migrations     all applied" in out
    assert "[ OK ] allowed hosts  dms.example.com" in out
    assert "[FAIL]" not in out
    assert "security.W004" in out  # deployment checks run when DEBUG is off
    assert "\nErrors: 0, warnings: " in out


def test_check_fails_on_the_development_secret_key_without_debug(db, secure, capsys):
    secure.INSECURE_SECRET_KEY = True
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "[FAIL] settings" in out
    assert "QUDAO_SECRET_KEY is not set while DEBUG is off" in out
    assert "Errors: 1, warnings: " in out, out


def test_check_warns_only_about_the_development_key_in_debug(db, secure, capsys):
    secure.INSECURE_SECRET_KEY = True
    secure.DEBUG = True
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "[WARN] settings       QUDAO_SECRET_KEY is not set: the development key is in use." in out
    assert "security.W004" not in out


@pytest.mark.parametrize(
    ("hosts", "line"),
    [
        ([], "[FAIL] allowed hosts  QUDAO_ALLOWED_HOSTS is empty"),
        (["*"], "[WARN] allowed hosts  '*' accepts any Host header"),
    ],
)
def test_check_reports_allowed_hosts(hosts, line, db, secure, capsys):
    secure.ALLOWED_HOSTS = hosts
    code = main(["check"])
    out = capsys.readouterr().out
    assert line in out
    assert code == (1 if not hosts else 0)


def test_check_lists_pending_migrations(db, secure, monkeypatch, capsys):
    monkeypatch.setattr("qudao.cli.setup.pending_migrations", lambda: ["org.0099_future", "core.0042_more"])
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "[FAIL] migrations     not applied (2), run `qudao init`:" in out
    assert "org.0099_future" in out
    assert "core.0042_more" in out


def test_check_reports_an_unreachable_database(db, secure, monkeypatch, capsys):
    from django.db import connection

    def refuse():
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:  # undone before the db fixture's teardown needs the connection
        patch.setattr(connection, "ensure_connection", refuse)
        assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "[FAIL] database       not reachable: connection refused" in out
    assert "migrations" not in out


def test_check_reports_an_unreachable_redis(db, secure, capsys):
    secure.REDIS_URL = "redis://:s3cret@127.0.0.1:1/0"
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "[FAIL] job queue      Redis not reachable at redis://:***@127.0.0.1:1/0" in out
    assert "s3cret" not in out


def test_check_reports_a_reachable_redis(db, secure, monkeypatch, capsys):
    import redis

    class FakeRedis:
        def ping(self):
            return True

        def info(self, section):
            assert section == "server"
            return {"redis_version": "7.0.15"}

    monkeypatch.setattr(redis.Redis, "from_url", classmethod(lambda cls, url, **kw: FakeRedis()))
    secure.REDIS_URL = "redis://127.0.0.1:6379/0"
    assert main(["check"]) == 0
    assert "[ OK ] job queue      Redis 7.0.15 at redis://127.0.0.1:6379/0" in capsys.readouterr().out


def test_safe_url_hides_passwords():
    assert _safe_url("redis://user:pw@host:6379/1") == "redis://user:***@host:6379/1"
    assert _safe_url("redis://host:6379/1") == "redis://host:6379/1"
