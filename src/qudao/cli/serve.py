"""`qudao serve` and `qudao worker`: granian for HTTP, Huey for background jobs.

Why granian (WSGI) and not gunicorn: measured by bench/serve.py, see docs/operations.md.

`qudao serve` is a small supervisor: it starts the web server (and, with --with-worker, one
consumer) as children in their own process groups, forwards SIGINT/SIGTERM as a graceful stop
and SIGHUP as a graceful reload, stops everything when either child dies, and kills what is left
after --graceful-timeout. On Linux the children also get SIGTERM if the supervisor itself dies,
so no process outlives it.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.utils.translation import gettext as _

from qudao.cli import CliError

WSGI_TARGET = "qudao.config.wsgi:application"
DEFAULT_THREADS = 4
_PR_SET_PDEATHSIG = 1


def web_workers(requested: int | None) -> int:
    value = requested if requested is not None else int(os.environ.get("QUDAO_WEB_WORKERS", "0") or 0)
    return value if value > 0 else max(1, os.cpu_count() or 1)


def web_threads(requested: int | None) -> int:
    value = requested if requested is not None else int(os.environ.get("QUDAO_WEB_THREADS", "0") or 0)
    return value if value > 0 else DEFAULT_THREADS


def granian_command(*, host: str, port: int, workers: int, threads: int, access_log: bool) -> list[str]:
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        "--respawn-failed-workers",
        "--access-log" if access_log else "--no-access-log",
        WSGI_TARGET,
    ]


def worker_command(*, workers: int | None = None) -> list[str]:
    command = [sys.executable, "-m", "qudao", "worker"]
    if workers:
        command += ["--workers", str(workers)]
    return command


def _die_with_parent(parent_pid: int) -> None:  # runs in the child between fork and exec
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


@dataclass
class Child:
    name: str
    command: list[str]
    stop_signal: int = signal.SIGTERM
    process: subprocess.Popen | None = None

    def start(self) -> None:
        parent = os.getpid()
        preexec = (lambda: _die_with_parent(parent)) if sys.platform.startswith("linux") else None
        self.process = subprocess.Popen(  # noqa: S603 (commands built here from sys.executable)
            self.command, start_new_session=True, preexec_fn=preexec
        )

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal_group(self, signum: int) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signum)


class Supervisor:
    """Run children together; stop them all, gracefully, when asked or when one of them dies."""

    def __init__(self, children: list[Child], *, graceful_timeout: float, out=None):
        self.children = children
        self.graceful_timeout = graceful_timeout
        self.out = out or sys.stdout
        self.stop_requested: int | None = None

    def _on_signal(self, signum: int, _frame) -> None:
        if signum == getattr(signal, "SIGHUP", None):
            for child in self.children:
                child.signal_group(signal.SIGHUP)
            return
        if self.stop_requested is not None and signum == signal.SIGINT:
            for child in self.children:  # a second Ctrl-C: do not wait any longer
                child.signal_group(signal.SIGKILL)
        self.stop_requested = signum

    def run(self) -> int:
        handled = [signal.SIGINT, signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
        previous = {s: signal.signal(s, self._on_signal) for s in handled}
        exit_code = 0
        try:
            for child in self.children:
                child.start()
            while self.stop_requested is None:
                exited = [c for c in self.children if not c.running]
                if exited:
                    code = exited[0].process.returncode if exited[0].process else 1
                    print(
                        _("%(name)s stopped (exit status %(code)s): stopping the others.")
                        % {"name": exited[0].name, "code": code},
                        file=sys.stderr,
                        flush=True,
                    )
                    exit_code = code or 1
                    break
                time.sleep(0.2)
        finally:
            self.stop_all()
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        return exit_code

    def stop_all(self) -> None:
        for child in self.children:
            if child.running:
                child.signal_group(child.stop_signal)
        deadline = time.monotonic() + self.graceful_timeout
        for child in self.children:
            if child.process is None:
                continue
            try:
                child.process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                print(
                    _("%(name)s did not stop within %(seconds)s s: killing it.")
                    % {"name": child.name, "seconds": self.graceful_timeout},
                    file=sys.stderr,
                    flush=True,
                )
                child.signal_group(signal.SIGKILL)
                child.process.wait(10)
            child.signal_group(signal.SIGKILL)  # anything left in its group (workers of a dead master)


def ensure_static_manifest(out) -> None:
    """Without DEBUG, static URLs come from the manifest that collectstatic writes: make sure it exists."""
    if settings.DEBUG:
        return
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        print(_("No static files manifest yet: collecting static files…"), file=out, flush=True)
        call_command("collectstatic", interactive=False, verbosity=0)


def run_serve(args: argparse.Namespace) -> int:
    out = sys.stdout
    if not 1 <= args.port <= 65535:
        raise CliError(_("--port must be between 1 and 65535."), status=2)
    if (args.workers is not None and args.workers < 1) or (args.threads is not None and args.threads < 1):
        raise CliError(_("--workers and --threads must be at least 1."), status=2)
    if not settings.DEBUG and getattr(settings, "INSECURE_SECRET_KEY", False):
        raise CliError(
            _(
                "QUDAO_SECRET_KEY is not set: set it to a long random value (or QUDAO_DEBUG=1 to try "
                "Qudao on this machine only)."
            )
        )
    ensure_static_manifest(out)
    workers, threads = web_workers(args.workers), web_threads(args.threads)
    children = [
        Child(
            "web",
            granian_command(
                host=args.host, port=args.port, workers=workers, threads=threads, access_log=args.access_log
            ),
        )
    ]
    if args.with_worker:
        children.append(Child("worker", worker_command()))
    print(
        _(
            "Serving on http://%(host)s:%(port)s/ with %(workers)d web workers × %(threads)d threads"
            "%(extra)s (DEBUG %(debug)s). Ctrl-C stops."
        )
        % {
            "host": args.host,
            "port": args.port,
            "workers": workers,
            "threads": threads,
            "extra": _(" and one job consumer") if args.with_worker else "",
            "debug": _("on") if settings.DEBUG else _("off"),
        },
        file=out,
        flush=True,
    )
    return Supervisor(children, graceful_timeout=args.graceful_timeout).run()


def run_worker(args: argparse.Namespace) -> int:
    if args.workers is not None and args.workers < 1:
        raise CliError(_("--workers must be at least 1."), status=2)
    # Huey adds its own log handler unless the "huey" logger has one; ours propagate to the root handler.
    huey_logger = logging.getLogger("huey")
    if not huey_logger.handlers:
        huey_logger.addHandler(logging.NullHandler())
    options = {"graceful_signal": "TERM", "shutdown_timeout": args.shutdown_timeout}
    if args.workers:
        options["workers"] = args.workers
    if args.no_periodic:
        options["periodic"] = False
    call_command("run_huey", **options)
    return 0
