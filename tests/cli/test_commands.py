"""The `qudao` command: help of every subcommand, manage, init and demo."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from qudao.accounts.models import User
from qudao.cli import cli_language, main
from tests.cli.conftest import STRONG
from tests.factories import make_dealer

REPO = Path(__file__).resolve().parents[2]
SUBCOMMANDS = ["init", "demo", "serve", "worker", "check", "bench"]


# --- help -----------------------------------------------------------------------------------


def test_top_level_help_lists_every_command(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: qudao")
    for name in [*SUBCOMMANDS, "manage"]:
        assert f"    {name}" in out


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_every_subcommand_has_help(command, capsys):
    assert main([command, "--help"]) == 0
    assert capsys.readouterr().out.startswith(f"usage: qudao {command}")


def test_no_command_prints_help_and_fails(capsys):
    assert main([]) == 2
    assert "usage: qudao" in capsys.readouterr().out


def test_unknown_option_is_a_usage_error(capsys):
    assert main(["serve", "--no-such-option"]) == 2
    assert "unrecognized arguments: --no-such-option" in capsys.readouterr().err


def test_manage_passes_through_to_django_admin(capsys):
    import django

    assert main(["manage", "version"]) == 0
    assert capsys.readouterr().out.strip() == django.get_version()


def test_manage_help_is_django_admins(capsys):
    assert main(["manage", "--help"]) == 0
    out = capsys.readouterr().out
    assert "qudao manage help <subcommand>" in out
    assert "makemigrations" in out


def test_version(capsys):
    from qudao import __version__

    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"qudao {__version__}"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh-hans"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "zh_TW.UTF-8"}, "zh-hans"),
        ({"LANG": "zh_CN.UTF-8", "QUDAO_LANGUAGE": "en"}, "en"),
        ({"LC_MESSAGES": "C.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
    ],
)
def test_cli_language_follows_the_terminal(environ, expected):
    assert cli_language(environ) == expected


# --- init -----------------------------------------------------------------------------------


def test_init_without_admin_flags_and_no_input_skips_the_admin(db, static_root, capsys):
    assert main(["init", "--no-input"]) == 0
    out = capsys.readouterr().out
    assert "No platform administrator created" in out
    assert out.rstrip().endswith("Ready.")
    assert not User.objects.filter(is_superuser=True).exists()
    assert (static_root / "admin" / "css" / "base.css").is_file()


def test_init_creates_then_updates_the_platform_admin(db, static_root, capsys):
    args = ["init", "--no-input", "--admin-username", "boss", "--admin-email", "boss@example.com"]
    assert main([*args, "--admin-password", STRONG]) == 0
    assert "Platform administrator boss created." in capsys.readouterr().out
    boss = User.objects.get(username="boss")
    assert (boss.is_superuser, boss.is_staff, boss.is_active, boss.email) == (
        True,
        True,
        True,
        "boss@example.com",
    )
    assert boss.check_password(STRONG)

    User.objects.filter(pk=boss.pk).update(is_active=False, is_superuser=False)
    assert main([*args, "--admin-password", STRONG + "x"]) == 0
    assert "Platform administrator boss updated." in capsys.readouterr().out
    boss.refresh_from_db()
    assert (boss.is_superuser, boss.is_active) == (True, True)
    assert boss.check_password(STRONG + "x")
    assert User.objects.filter(username="boss").count() == 1


def test_init_reads_the_password_from_the_environment(db, static_root, monkeypatch):
    monkeypatch.setenv("QUDAO_ADMIN_PASSWORD", STRONG)
    assert main(["init", "--no-input", "--admin-username", "ops"]) == 0
    assert User.objects.get(username="ops").check_password(STRONG)


class _Terminal:
    def isatty(self) -> bool:
        return True


def test_init_prompts_on_a_terminal(db, static_root, monkeypatch, capsys):
    answers = iter(["chief", "chief@example.com"])
    monkeypatch.setattr("sys.stdin", _Terminal())
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    monkeypatch.setattr("getpass.getpass", lambda prompt: STRONG)
    monkeypatch.delenv("QUDAO_ADMIN_PASSWORD", raising=False)
    assert main(["init"]) == 0
    assert "Platform administrator chief created." in capsys.readouterr().out
    chief = User.objects.get(username="chief")
    assert (chief.email, chief.is_superuser) == ("chief@example.com", True)
    assert chief.check_password(STRONG)


def test_init_refuses_two_different_passwords_at_the_prompt(db, static_root, monkeypatch, capsys):
    passwords = iter([STRONG, STRONG + "?"])
    monkeypatch.setattr("sys.stdin", _Terminal())
    monkeypatch.setattr("builtins.input", lambda prompt: "")  # default username "admin", no e-mail
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(passwords))
    monkeypatch.delenv("QUDAO_ADMIN_PASSWORD", raising=False)
    assert main(["init"]) == 2
    assert "The two passwords differ." in capsys.readouterr().err
    assert not User.objects.filter(username="admin").exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--admin-password", STRONG], "need --admin-username"),
        (["--admin-username", "boss"], "No password for boss"),
        (["--admin-username", "boss", "--admin-password", "12345"], "too short"),
        (["--admin-username", "boss", "--admin-password", "password123"], "too common"),
    ],
)
def test_init_refuses_bad_admin_flags_before_migrating(extra, message, db, static_root, capsys, monkeypatch):
    monkeypatch.delenv("QUDAO_ADMIN_PASSWORD", raising=False)
    assert main(["init", "--no-input", *extra]) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert "Applying database migrations" not in captured.out
    assert not User.objects.filter(username="boss").exists()


def test_init_if_empty_demo_fails_loudly_without_the_demo_module(db, static_root, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "qudao.demo", None)  # makes `import qudao.demo` fail
    assert main(["init", "--no-input", "--if-empty-demo"]) == 1
    captured = capsys.readouterr()
    assert "qudao init: The demo data module (qudao.demo) is not installed" in captured.err
    assert "Ready." not in captured.out


def test_init_if_empty_demo_without_load_demo_function_fails(db, static_root, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "qudao.demo", types.SimpleNamespace())
    assert main(["init", "--no-input", "--if-empty-demo"]) == 1
    assert "qudao.demo has no load_demo() function" in capsys.readouterr().err


def test_init_if_empty_demo_loads_into_an_empty_database(db, static_root, fake_demo, capsys):
    assert main(["init", "--no-input", "--if-empty-demo"]) == 0
    out = capsys.readouterr().out
    assert fake_demo == [{"scale": 1, "seed": 2026}]
    assert "demo loading\nDemo (seed 2026, scale 1)\n  zhang.wei  Demo-2026-zw  Dealer administrator\n" in out
    assert out.rstrip().endswith("Ready.")


def test_init_if_empty_demo_leaves_a_database_with_companies_alone(db, static_root, fake_demo, capsys):
    make_dealer()
    assert main(["init", "--no-input", "--if-empty-demo", "--seed", "9"]) == 0
    assert fake_demo == []
    assert "already has 1 company: demo data not loaded" in capsys.readouterr().out


# --- demo -----------------------------------------------------------------------------------


def test_demo_passes_scale_and_seed_and_prints_sign_ins(db, fake_demo, capsys):
    assert main(["demo", "--scale", "3", "--seed", "42"]) == 0
    out = capsys.readouterr().out
    assert fake_demo == [{"scale": 3, "seed": 42}]
    assert out.endswith("Demo (seed 42, scale 3)\n  zhang.wei  Demo-2026-zw  Dealer administrator\n")


@pytest.mark.parametrize("scale", ["0", "101", "-1"])
def test_demo_refuses_a_scale_out_of_range(scale, db, fake_demo, capsys):
    assert main(["demo", "--scale", scale]) == 2
    assert "--scale must be between 1 and 100" in capsys.readouterr().err
    assert fake_demo == []


def test_demo_refuses_an_unmigrated_database(db, fake_demo, monkeypatch, capsys):
    monkeypatch.setattr("qudao.cli.setup.pending_migrations", lambda: ["org.0099_future"])
    assert main(["demo"]) == 1
    assert "1 unapplied migration: run `qudao init` first" in capsys.readouterr().err
    assert fake_demo == []


def test_demo_reports_a_refusal_of_the_loader(db, monkeypatch, capsys):
    from qudao.core.errors import Conflict

    def load_demo(**kwargs):
        raise Conflict("The demo data is already loaded.")

    monkeypatch.setitem(sys.modules, "qudao.demo", types.SimpleNamespace(load_demo=load_demo))
    assert main(["demo"]) == 1
    assert "qudao demo: The demo data is already loaded. [conflict]" in capsys.readouterr().err


def test_demo_refuses_a_loader_that_returns_no_summary(db, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "qudao.demo", types.SimpleNamespace(load_demo=lambda **kw: None))
    assert main(["demo"]) == 1
    assert "load_demo() returned no summary" in capsys.readouterr().err


def test_init_reports_an_unreachable_database_without_a_traceback(db, static_root, monkeypatch, capsys):
    from django.db import OperationalError

    def migrate(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("qudao.cli.setup.call_command", migrate)
    assert main(["init", "--no-input"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == "qudao init: database error: connection refused"
