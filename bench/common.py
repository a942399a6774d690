"""What every benchmark shares: the result file (DESIGN.md §4 format), a table, a bounded HTTP load.

    from bench.common import print_table, write_result

    print_table(["server", "req/s"], [["granian", 2451.2]])
    write_result("serve", database="sqlite 3.45.1", data={"requests": 3000}, figures={"granian_rps": 2451.2})

writes bench/results/serve.json:
{"name", "when", "machine": {"cpus", "python"}, "database", "data": {...sizes}, "figures": {"key": number}}
"""

from __future__ import annotations

import contextlib
import http.client
import json
import math
import os
import platform
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from numbers import Real
from pathlib import Path

_CLK_TCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
REPO_DIR = BENCH_DIR.parent


def machine() -> dict:
    """The machine a figure was measured on: enough to tell two runs apart."""
    return {
        "cpus": os.cpu_count() or 1,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "system": f"{platform.system()} {platform.machine()}",
    }


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of already measured values (0 < fraction <= 1); 0.0 for no values."""
    if not values:
        return 0.0
    if not 0 < fraction <= 1:
        raise ValueError("fraction must be in (0, 1]")
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def _check_figures(figures: Mapping[str, object]) -> dict[str, float | int]:
    checked: dict[str, float | int] = {}
    for key, value in figures.items():
        if isinstance(value, bool) or not isinstance(value, Real):
            raise TypeError(f"figure {key!r} must be a number, not {type(value).__name__}")
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"figure {key!r} is not finite: {value}")
        checked[str(key)] = value if isinstance(value, int) else round(float(value), 4)
    return checked


def write_result(
    name: str,
    *,
    database: str,
    data: Mapping[str, object],
    figures: Mapping[str, object],
    results_dir: Path | None = None,
    when: datetime | None = None,
) -> Path:
    """Write bench/results/NAME.json (atomically: a .tmp file renamed over the old result)."""
    if not name or not name.replace("_", "").replace("-", "").isalnum():
        raise ValueError(f"invalid benchmark name: {name!r}")
    target_dir = results_dir or RESULTS_DIR
    target_dir.mkdir(parents=True, exist_ok=True)
    document = {
        "name": name,
        "when": (when or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "database": database,
        "data": dict(data),
        "figures": _check_figures(figures),
    }
    target = target_dir / f"{name}.json"
    temporary = target.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    temporary.replace(target)
    return target


def format_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A plain aligned table: numbers right-aligned, floats with 1 or 2 decimals."""

    def cell(value: object) -> str:
        if isinstance(value, float):
            return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.1f}"
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value:,}"
        return str(value)

    body = [[cell(v) for v in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in body)]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in body:
        lines.append("  ".join(_align(v, w) for v, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)


def _align(value: str, width: int) -> str:
    stripped = value.replace(",", "").replace(".", "", 1).lstrip("-")
    return value.rjust(width) if stripped.isdigit() else value.ljust(width)


def print_table(headers: Sequence[str], rows: Iterable[Sequence[object]], *, file=None) -> None:
    print(format_table(headers, list(rows)), file=file or sys.stdout)


# --- A bounded HTTP load generator (loopback only) -------------------------------------------


@dataclass
class Run:
    server: str
    endpoint: str
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    #: CPU seconds (user + system) the server's processes spent meanwhile: 0 when not measured
    cpu_seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms_per_request(self) -> float:
        """Server CPU per request: unlike requests/s, hardly moved by other load on the machine."""
        return self.cpu_seconds * 1000 / self.requests if self.requests else 0.0

    def ms(self, fraction: float) -> float:
        return percentile(self.latencies, fraction) * 1000


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def group_cpu_seconds(pgid: int) -> float:
    """User + system CPU seconds of every live process of a process group (Linux /proc; 0 elsewhere)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        # after "pid (comm)": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
        # utime stime (proc(5))
        if int(fields[2]) == pgid:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / _CLK_TCK


def request_once(conn: http.client.HTTPConnection, path: str, headers: dict) -> tuple[int, bool]:
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.read()
    return response.status, response.will_close


def drive(
    port: int,
    path: str,
    headers: dict,
    *,
    requests: int,
    concurrency: int,
    limit: float,
    server: str,
    endpoint: str,
    cpu_group: int | None = None,
) -> Run:
    """Send `requests` GETs to 127.0.0.1:port from `concurrency` threads (keep-alive where the server
    allows it), stopping after `limit` seconds at most; with `cpu_group`, also measure the CPU time of
    that process group (the server and its workers) meanwhile."""
    run = Run(server=server, endpoint=endpoint)
    remaining = [requests]
    lock = threading.Lock()
    deadline = time.monotonic() + limit

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        latencies: list[float] = []
        errors = 0
        while time.monotonic() < deadline:
            with lock:
                if remaining[0] <= 0:
                    break
                remaining[0] -= 1
            started = time.perf_counter()
            try:
                status, will_close = request_once(conn, path, headers)
            except (OSError, http.client.HTTPException):
                status, will_close = 0, True
            latencies.append(time.perf_counter() - started)
            if status != 200:
                errors += 1
            if will_close:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.close()
        with lock:
            run.latencies.extend(latencies)
            run.errors += errors

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    cpu_before = group_cpu_seconds(cpu_group) if cpu_group else 0.0
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(limit + 60)
    run.seconds = time.perf_counter() - started
    run.cpu_seconds = group_cpu_seconds(cpu_group) - cpu_before if cpu_group else 0.0
    run.requests = len(run.latencies)
    return run


def wait_until_up(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    """Wait until the server on 127.0.0.1:port answers /healthz with 200."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode} before answering")
        with contextlib.suppress(OSError, http.client.HTTPException):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            status, _ = request_once(conn, "/healthz", {})
            conn.close()
            if status == 200:
                return
        time.sleep(0.2)
    raise SystemExit(f"server did not answer /healthz within {timeout:.0f} s")


def stop(process: subprocess.Popen) -> None:
    """Stop a server started with start_new_session=True: its whole process group, TERM then KILL."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)
