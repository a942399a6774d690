"""The `qudao` command: init, demo, serve, worker, check, bench and a pass-through to django-admin.

    qudao init --no-input --if-empty-demo     migrate, collect static files, load demo data once
    qudao serve --with-worker                 granian (WSGI) + one Huey consumer, stopped together
    qudao check                               is this installation fit to serve? (exit 1 on errors)
    qudao manage shell                        any django-admin command with Qudao's settings

The command sets DJANGO_SETTINGS_MODULE=qudao.config.settings itself. Messages follow the terminal's
language (LANG / LC_ALL / LC_MESSAGES, or QUDAO_LANGUAGE=zh-hans|en).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

SETTINGS_MODULE = "qudao.config.settings"


class CliError(Exception):
    """A failure the user can act on: printed as one line, exit status `status`."""

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.status = status


def cli_language(environ: dict[str, str] | None = None) -> str:
    """zh-hans when the terminal speaks Chinese, else English (QUDAO_LANGUAGE overrides)."""
    env = os.environ if environ is None else environ
    explicit = env.get("QUDAO_LANGUAGE", "").strip().lower()
    if explicit:
        return "zh-hans" if explicit.startswith("zh") else "en"
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "").strip()
        if value:
            return "zh-hans" if value.lower().startswith("zh") else "en"
    return "en"


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    import django
    from django.utils import translation

    django.setup()
    translation.activate(cli_language())


def build_parser() -> argparse.ArgumentParser:
    from django.utils.translation import gettext as _

    from qudao import __version__

    parser = argparse.ArgumentParser(
        prog="qudao",
        description=_("Qudao, the Dealer Management System: set up, serve and check an installation."),
    )
    parser.add_argument("--version", action="version", version=f"qudao {__version__}")
    commands = parser.add_subparsers(dest="command", metavar=_("COMMAND"))

    init = commands.add_parser(
        "init",
        help=_("migrate the database, collect static files, create the platform administrator"),
        description=_(
            "Prepare a database to serve: apply migrations, collect static files, create or "
            "update the platform administrator and, optionally, load the demo data."
        ),
    )
    init.add_argument(
        "--no-input",
        action="store_true",
        help=_("never prompt; without --admin-username no administrator is created"),
    )
    init.add_argument("--admin-username", metavar="U", help=_("username of the platform administrator"))
    init.add_argument(
        "--admin-email", metavar="E", default="", help=_("e-mail of the platform administrator")
    )
    init.add_argument(
        "--admin-password",
        metavar="P",
        help=_("password of the platform administrator (or set QUDAO_ADMIN_PASSWORD)"),
    )
    init.add_argument(
        "--if-empty-demo",
        action="store_true",
        help=_("load the demo data when the database has no companies yet"),
    )
    init.add_argument("--seed", type=int, default=None, help=_("random seed of the demo data"))

    demo = commands.add_parser(
        "demo",
        help=_("load demo data and print the sign-ins it created"),
        description=_(
            "Load the demo data (companies, users, catalog, documents) and print the users and "
            "passwords it made."
        ),
    )
    demo.add_argument("--scale", type=int, default=1, help=_("size multiplier, 1 to 100 (default 1)"))
    demo.add_argument("--seed", type=int, default=None, help=_("random seed (same seed, same data)"))

    serve = commands.add_parser(
        "serve",
        help=_("serve the web application with granian"),
        description=_(
            "Serve Qudao over HTTP with granian (WSGI), several worker processes, static files "
            "through WhiteNoise. With --with-worker one background-job consumer runs beside it; "
            "Ctrl-C or SIGTERM stops both."
        ),
    )
    serve.add_argument(
        "--host",
        default=os.environ.get("QUDAO_HOST", "127.0.0.1"),
        help=_("address to listen on (default 127.0.0.1, or QUDAO_HOST)"),
    )
    serve.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("QUDAO_PORT", "8000")),
        help=_("port to listen on (default 8000, or QUDAO_PORT)"),
    )
    serve.add_argument(
        "--workers",
        type=int,
        default=None,
        help=_("web worker processes (default: number of CPUs, or QUDAO_WEB_WORKERS)"),
    )
    serve.add_argument(
        "--threads",
        type=int,
        default=None,
        help=_("request threads per worker process (default 4, or QUDAO_WEB_THREADS)"),
    )
    serve.add_argument(
        "--with-worker",
        action="store_true",
        help=_("also run one background-job consumer (qudao worker) and stop it together"),
    )
    serve.add_argument("--access-log", action="store_true", help=_("log every request"))
    serve.add_argument(
        "--graceful-timeout",
        type=float,
        default=30.0,
        help=_("seconds to wait for a clean stop before killing (default 30)"),
    )

    worker = commands.add_parser(
        "worker",
        help=_("run a background-job consumer (Huey)"),
        description=_(
            "Run one Huey consumer: background jobs, outbox delivery, periodic tasks. Run several "
            "on several machines when jobs go through Redis. SIGTERM stops it gracefully."
        ),
    )
    worker.add_argument(
        "--workers", type=int, default=None, help=_("job threads in this consumer (default from settings)")
    )
    worker.add_argument(
        "--no-periodic",
        action="store_true",
        help=_("do not enqueue periodic tasks (run exactly one consumer without this flag)"),
    )
    worker.add_argument(
        "--shutdown-timeout",
        type=float,
        default=30.0,
        help=_("seconds to let running jobs finish on SIGTERM (default 30)"),
    )

    commands.add_parser(
        "check",
        help=_("check the configuration, database, migrations and job queue"),
        description=_(
            "Report whether this installation is fit to serve: secret key, allowed hosts, "
            "database and its version, pending migrations, Redis, static files and Django's "
            "deployment checks. Exits with status 1 when there are errors."
        ),
    )

    bench = commands.add_parser(
        "bench",
        help=_("run a benchmark from bench/ (or all of them)"),
        description=_(
            "Run bench/NAME.py, which prints a table and writes bench/results/NAME.json. Without "
            "NAME, list the benchmarks. Arguments after NAME go to the benchmark."
        ),
    )
    bench.add_argument("name", nargs="?", metavar="NAME|all", help=_("benchmark to run, or all"))
    bench.add_argument("--path", default=None, help=_("folder holding the benchmarks (default: bench/)"))
    bench.add_argument("args", nargs=argparse.REMAINDER, help=_("arguments for the benchmark"))

    from qudao.cli.inventory import add_parser as add_inventory_parser

    add_inventory_parser(commands)

    commands.add_parser(
        "manage",
        help=_("run any django-admin command with Qudao's settings"),
        description=_("Pass everything after 'manage' to django-admin, e.g. qudao manage shell."),
        add_help=False,
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `qudao` console script; returns the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    setup_django()
    from django.core.management import CommandError
    from django.db import DatabaseError
    from django.utils.translation import gettext as _

    from qudao.core.errors import QudaoError

    if args_list and args_list[0] == "manage":
        return run_manage(args_list[1:])
    parser = build_parser()
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:  # --help, --version and usage errors
        return exc.code if isinstance(exc.code, int) else 2
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return dispatch(args)
    except CliError as exc:
        sys.stdout.flush()
        print(f"qudao {args.command}: {exc}", file=sys.stderr)
        return exc.status
    except QudaoError as exc:  # a refusal of a service (e.g. the demo is already loaded)
        sys.stdout.flush()
        print(f"qudao {args.command}: {exc.render()} [{exc.code}]", file=sys.stderr)
        return 1
    except CommandError as exc:  # from a Django management command (migrate, collectstatic, …)
        sys.stdout.flush()
        print(f"qudao {args.command}: {exc}", file=sys.stderr)
        return exc.returncode
    except DatabaseError as exc:
        sys.stdout.flush()
        print(f"qudao {args.command}: {_('database error')}: {exc}".rstrip(), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def dispatch(args: argparse.Namespace) -> int:
    if args.command == "init":
        from qudao.cli.setup import run_init

        return run_init(args)
    if args.command == "demo":
        from qudao.cli.setup import run_demo

        return run_demo(args)
    if args.command == "serve":
        from qudao.cli.serve import run_serve

        return run_serve(args)
    if args.command == "worker":
        from qudao.cli.serve import run_worker

        return run_worker(args)
    if args.command == "check":
        from qudao.cli.check import run_check

        return run_check()
    if args.command == "bench":
        from qudao.cli.bench import run_bench

        return run_bench(args)
    if args.command == "inventory":
        from qudao.cli.inventory import run_inventory

        return run_inventory(args)
    raise CliError(f"unknown command {args.command}", status=2)


def run_manage(argv: list[str]) -> int:
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["qudao manage", *argv])
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0
