"""`qudao init` and `qudao demo`: prepare a database, its administrator and, when asked, the demo data."""

from __future__ import annotations

import argparse
import getpass
import importlib
import os
import sys
from collections.abc import Callable
from typing import Any, TextIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qudao.cli import CliError

#: the demo data of `make run` is the same on every machine
DEFAULT_DEMO_SEED = 2026
MAX_DEMO_SCALE = 100


def run_init(args: argparse.Namespace, *, stdout: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    interactive = not args.no_input and sys.stdin is not None and sys.stdin.isatty()
    admin = _admin_request(args, interactive=interactive)  # refuse bad flags before touching the database
    loader = demo_loader() if args.if_empty_demo else None  # and a missing demo module too

    print(_("Applying database migrations…"), file=out, flush=True)
    call_command("migrate", interactive=False, verbosity=1, stdout=out)
    print(_("Collecting static files into %(path)s…") % {"path": settings.STATIC_ROOT}, file=out, flush=True)
    call_command("collectstatic", interactive=False, verbosity=0, stdout=out)

    if admin is None:
        print(
            _(
                "No platform administrator created (no --admin-username and no prompt). Create one with: "
                "qudao init --admin-username U --admin-email E (password from QUDAO_ADMIN_PASSWORD)."
            ),
            file=out,
        )
    else:
        created = ensure_platform_admin(**admin)
        message = (
            _("Platform administrator %(username)s created.")
            if created
            else _("Platform administrator %(username)s updated.")
        )
        print(message % {"username": admin["username"]}, file=out)

    if loader is not None:
        from qudao.org.models import Company

        companies = Company.objects.count()
        if companies:
            print(
                ngettext(
                    "The database already has %(count)d company: demo data not loaded.",
                    "The database already has %(count)d companies: demo data not loaded.",
                    companies,
                )
                % {"count": companies},
                file=out,
            )
        else:
            seed = DEFAULT_DEMO_SEED if args.seed is None else args.seed
            print(
                _("Empty database: loading the demo data (scale 1, seed %(seed)d)…") % {"seed": seed},
                file=out,
                flush=True,
            )
            print_demo_summary(loader(scale=1, seed=seed, stdout=out), out)
    print(_("Ready."), file=out)
    return 0


def run_demo(args: argparse.Namespace, *, stdout: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    if not 1 <= args.scale <= MAX_DEMO_SCALE:
        raise CliError(_("--scale must be between 1 and %(max)d.") % {"max": MAX_DEMO_SCALE}, status=2)
    pending = pending_migrations()
    if pending:
        raise CliError(
            ngettext(
                "The database has %(count)d unapplied migration: run `qudao init` first.",
                "The database has %(count)d unapplied migrations: run `qudao init` first.",
                len(pending),
            )
            % {"count": len(pending)}
        )
    loader = demo_loader()
    seed = DEFAULT_DEMO_SEED if args.seed is None else args.seed
    print(
        _("Loading the demo data (scale %(scale)d, seed %(seed)d)…") % {"scale": args.scale, "seed": seed},
        file=out,
        flush=True,
    )
    print_demo_summary(loader(scale=args.scale, seed=seed, stdout=out), out)
    return 0


def _admin_request(args: argparse.Namespace, *, interactive: bool) -> dict[str, str] | None:
    """Username, e-mail and password of the administrator: from flags, QUDAO_ADMIN_PASSWORD or prompts."""
    username = (args.admin_username or "").strip()
    email = (args.admin_email or "").strip()
    password = args.admin_password or os.environ.get("QUDAO_ADMIN_PASSWORD", "")
    if not username and (args.admin_password or email):
        raise CliError(_("--admin-email and --admin-password need --admin-username."), status=2)
    if not username:
        if not interactive:
            return None
        username = input(_("Platform administrator username [admin]: ")).strip() or "admin"
        email = input(_("E-mail (optional): ")).strip()
    if not password:
        if not interactive:
            raise CliError(
                _("No password for %(username)s: pass --admin-password or set QUDAO_ADMIN_PASSWORD.")
                % {"username": username},
                status=2,
            )
        password = getpass.getpass(_("Password: "))
        if password != getpass.getpass(_("Password (again): ")):
            raise CliError(_("The two passwords differ."), status=2)
    user_model = get_user_model()
    try:
        validate_password(password, user=user_model(username=username, email=email))
    except ValidationError as exc:
        raise CliError(" ".join(str(m) for m in exc.messages), status=2) from exc
    if len(username) > user_model._meta.get_field("username").max_length:
        raise CliError(_("The username is too long."), status=2)
    return {"username": username, "email": email, "password": password}


@transaction.atomic
def ensure_platform_admin(*, username: str, email: str, password: str) -> bool:
    """Create the superuser, or make an existing user of that name an active superuser with this password.

    Returns True when the user was created.
    """
    user_model = get_user_model()
    user = user_model.objects.select_for_update().filter(username=username).first()
    created = user is None
    if created:
        user = user_model(username=username)
    if email:
        user.email = email
    user.is_staff = True
    user.is_superuser = True
    user.is_active = True
    user.set_password(password)
    user.save()
    return created


def demo_loader() -> Callable[..., Any]:
    """qudao.demo.load_demo, imported only when needed; a missing demo module is an error, never skipped."""
    try:
        module = importlib.import_module("qudao.demo")
    except ModuleNotFoundError as exc:
        if exc.name not in {"qudao.demo", "qudao"}:
            raise
        raise CliError(
            _("The demo data module (qudao.demo) is not installed, so no demo data can be loaded.")
        ) from exc
    loader = getattr(module, "load_demo", None)
    if not callable(loader):
        raise CliError(_("qudao.demo has no load_demo() function."))
    return loader


def print_demo_summary(result: Any, out: TextIO) -> None:
    """load_demo returns a DemoSummary whose render() is the report: what was loaded, every sign-in."""
    render = getattr(result, "render", None)
    if not callable(render):
        raise CliError(_("load_demo() returned no summary to print."))
    text = str(render())
    out.write(text if text.endswith("\n") else text + "\n")


def pending_migrations() -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, backwards in plan if not backwards]
