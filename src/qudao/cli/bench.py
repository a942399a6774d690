"""`qudao bench NAME|all`: run the benchmarks in bench/ (each a module `bench.NAME` with a main())."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from django.utils.translation import gettext as _

from qudao.cli import CliError

#: modules of bench/ that are helpers, not benchmarks
HELPERS = {"__init__", "common", "conftest"}


def find_bench_dir(path: str | None = None) -> Path:
    """--path, else $QUDAO_BENCH_DIR, else bench/ of the source checkout, else ./bench."""
    if path:
        candidates = [Path(path)]
    else:
        import qudao

        candidates = [Path(p) for p in [os.environ.get("QUDAO_BENCH_DIR", "")] if p]
        candidates += [Path(qudao.__file__).resolve().parents[2] / "bench", Path.cwd() / "bench"]
    for candidate in candidates:
        if candidate.is_dir() and any(candidate.glob("*.py")):
            return candidate.resolve()
    raise CliError(
        _("No benchmarks folder found (looked in %(paths)s); pass --path.")
        % {"paths": ", ".join(str(c) for c in candidates)}
    )


def list_benchmarks(folder: Path) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.py") if p.stem not in HELPERS and not p.stem.startswith("_"))


def run_one(folder: Path, name: str, extra: list[str]) -> int:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(folder.parent), env.get("PYTHONPATH", "")]))
    started = time.monotonic()
    print(f"== bench {name}", flush=True)
    code = subprocess.call(  # noqa: S603 (this interpreter, a module of the benchmarks folder)
        [sys.executable, "-m", f"{folder.name}.{name}", *extra], cwd=folder.parent, env=env
    )
    print(
        _("== bench %(name)s: exit status %(code)d after %(seconds).1f s")
        % {"name": name, "code": code, "seconds": time.monotonic() - started},
        flush=True,
    )
    return code


def run_bench(args: argparse.Namespace) -> int:
    folder = find_bench_dir(args.path)
    available = list_benchmarks(folder)
    extra = [a for a in (args.args or []) if a != "--"]
    if not args.name:
        print(_("Benchmarks in %(folder)s:") % {"folder": folder})
        for name in available:
            print(f"  {name}")
        return 0
    if args.name == "all":
        if extra:
            raise CliError(_("Arguments can only be passed to a single benchmark."), status=2)
        failed = [name for name in available if run_one(folder, name, []) != 0]
        if failed:
            print(_("Failed: %(names)s") % {"names": ", ".join(failed)}, file=sys.stderr)
        return 1 if failed else 0
    if args.name not in available:
        raise CliError(
            _("No benchmark %(name)s; available: %(names)s")
            % {"name": args.name, "names": ", ".join(available) or "-"},
            status=2,
        )
    return run_one(folder, args.name, extra)
