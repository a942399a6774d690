"""`qudao bench`, `qudao serve` and `qudao worker`: benchmarks, supervision, a real server stopped cleanly."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from bench.common import format_table, percentile, write_result

from qudao.cli import main
from qudao.cli.serve import Child, Supervisor, granian_command, web_threads, web_workers
from tests.cli.conftest import STRONG

REPO = Path(__file__).resolve().parents[2]
SUBCOMMANDS = ["init", "demo", "serve", "worker", "check", "bench"]


# --- bench ----------------------------------------------------------------------------------


def test_bench_lists_the_benchmarks(capsys):
    assert main(["bench"]) == 0
    out = capsys.readouterr().out
    assert f"Benchmarks in {REPO / 'bench'}:" in out
    assert "  serve" in out
    assert "  common" not in out


def test_bench_refuses_an_unknown_benchmark(capsys):
    assert main(["bench", "no_such_bench"]) == 2
    assert "No benchmark no_such_bench; available: " in capsys.readouterr().err


@pytest.fixture
def bench_folder(tmp_path):
    folder = tmp_path / "bench"
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    (folder / "common.py").write_text("GREETING = 'hello'\n")
    (folder / "hello.py").write_text(
        "import sys\nfrom bench.common import GREETING\nprint(GREETING, *sys.argv[1:])\n"
    )
    (folder / "broken.py").write_text("raise SystemExit(3)\n")
    return folder


def test_bench_runs_one_with_its_arguments(bench_folder, capfd):
    assert main(["bench", "--path", str(bench_folder), "hello", "--rows", "5"]) == 0
    out = capfd.readouterr().out
    assert "hello --rows 5" in out
    assert "== bench hello: exit status 0" in out


def test_bench_all_runs_every_one_and_fails_when_one_fails(bench_folder, capfd):
    assert main(["bench", "--path", str(bench_folder), "all"]) == 1
    captured = capfd.readouterr()
    assert "== bench broken: exit status 3" in captured.out
    assert "== bench hello: exit status 0" in captured.out
    assert "Failed: broken" in captured.err


def test_write_result_has_the_design_format(tmp_path):
    path = write_result(
        "serve",
        database="sqlite 3.40.1",
        data={"requests": 100},
        figures={"granian_rps": 1234.56789, "errors": 0},
        results_dir=tmp_path,
    )
    document = json.loads(path.read_text())
    assert path == tmp_path / "serve.json"
    assert set(document) == {"name", "when", "machine", "database", "data", "figures"}
    assert document["name"] == "serve"
    assert document["machine"]["cpus"] == os.cpu_count()
    assert document["machine"]["python"] == ".".join(map(str, sys.version_info[:3]))
    assert document["data"] == {"requests": 100}
    assert document["figures"] == {"granian_rps": 1234.5679, "errors": 0}
    assert not list(tmp_path.glob("*.tmp"))


@pytest.mark.parametrize("figures", [{"x": "fast"}, {"x": float("nan")}, {"x": True}])
def test_write_result_refuses_figures_that_are_not_numbers(figures, tmp_path):
    with pytest.raises((TypeError, ValueError)):
        write_result("serve", database="-", data={}, figures=figures, results_dir=tmp_path)


def test_percentile_and_table():
    values = [0.010, 0.001, 0.003, 0.002, 0.100]
    assert percentile(values, 0.5) == 0.003
    assert percentile(values, 0.99) == 0.100
    assert percentile([], 0.5) == 0.0
    table = format_table(["server", "req/s"], [["granian", 2451.25], ["gunicorn", 980.0]])
    assert table.splitlines() == [
        "server    req/s",
        "--------  -------",
        "granian   2,451.2",
        "gunicorn    980.0",
    ]


# --- serve and worker -----------------------------------------------------------------------


def test_serve_refuses_the_development_key_without_debug(secure, capsys):
    secure.INSECURE_SECRET_KEY = True
    assert main(["serve"]) == 1
    assert "QUDAO_SECRET_KEY is not set" in capsys.readouterr().err


@pytest.mark.parametrize(
    "extra", [["--port", "0"], ["--port", "70000"], ["--workers", "0"], ["--threads", "0"]]
)
def test_serve_validates_its_numbers(extra, secure, capsys):
    assert main(["serve", *extra]) == 2


def test_serve_defaults(monkeypatch):
    monkeypatch.delenv("QUDAO_WEB_WORKERS", raising=False)
    monkeypatch.setenv("QUDAO_WEB_THREADS", "8")
    assert web_workers(None) == max(1, os.cpu_count() or 1)
    assert web_workers(3) == 3
    assert web_threads(None) == 8
    command = granian_command(host="0.0.0.0", port=9000, workers=2, threads=4, access_log=False)
    assert command[1:] == [
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        "0.0.0.0",
        "--port",
        "9000",
        "--workers",
        "2",
        "--blocking-threads",
        "4",
        "--respawn-failed-workers",
        "--no-access-log",
        "qudao.config.wsgi:application",
    ]


def test_worker_runs_the_huey_consumer_with_a_graceful_sigterm(monkeypatch):
    calls = []
    monkeypatch.setattr("qudao.cli.serve.call_command", lambda name, **options: calls.append((name, options)))
    assert main(["worker", "--workers", "3"]) == 0
    assert calls == [("run_huey", {"graceful_signal": "TERM", "shutdown_timeout": 30.0, "workers": 3})]
    assert main(["worker", "--no-periodic", "--shutdown-timeout", "5"]) == 0
    assert calls[1] == ("run_huey", {"graceful_signal": "TERM", "shutdown_timeout": 5.0, "periodic": False})
    assert main(["worker", "--workers", "0"]) == 2


def test_supervisor_stops_the_others_when_one_child_dies():
    sleeper = Child("sleeper", [sys.executable, "-c", "import time; time.sleep(60)"])
    failing = Child("failing", [sys.executable, "-c", "import time, sys; time.sleep(0.5); sys.exit(3)"])
    started = time.monotonic()
    assert Supervisor([sleeper, failing], graceful_timeout=10).run() == 3
    assert time.monotonic() - started < 10
    assert sleeper.process.returncode == -signal.SIGTERM


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def fresh_home(tmp_path_factory):
    """A real installation: `qudao init --if-empty-demo` on its own SQLite database, in a subprocess."""
    home = tmp_path_factory.mktemp("qudao-home")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"QUDAO_DATABASE_URL", "QUDAO_REDIS_URL", "QUDAO_TESTING", "QUDAO_DEBUG"}
    }
    env.update(
        {
            "QUDAO_HOME": str(home),
            "QUDAO_LANGUAGE": "en",
            "QUDAO_SECRET_KEY": "s" * 10 + STRONG * 3,
            "QUDAO_ADMIN_PASSWORD": STRONG,
            "PYTHONUNBUFFERED": "1",
        }
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "qudao",
            "init",
            "--no-input",
            "--admin-username",
            "root-admin",
            "--if-empty-demo",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    return home, env, result


def test_init_in_a_fresh_installation(fresh_home):
    home, _env, result = fresh_home
    assert result.returncode == 0, result.stderr
    assert "Platform administrator root-admin created." in result.stdout
    assert "Empty database: loading the demo data (scale 1, seed 2026)" in result.stdout
    assert "Sign in at /admin/ with:" in result.stdout  # the demo's own report, sign-ins included
    assert result.stdout.rstrip().endswith("Ready.")
    assert (home / "static" / "staticfiles.json").is_file()
    with sqlite3.connect(home / "qudao.sqlite3") as db:
        admins = db.execute(
            "SELECT is_superuser, is_staff FROM accounts_user WHERE username = 'root-admin'"
        ).fetchall()
        companies = db.execute("SELECT COUNT(*) FROM org_company").fetchone()[0]
    assert admins == [(1, 1)]
    assert companies > 0


def test_serve_with_worker_answers_and_ctrl_c_stops_every_process(fresh_home):
    _home, env, init = fresh_home
    assert init.returncode == 0, init.stderr
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "qudao",
            "serve",
            "--port",
            str(port),
            "--workers",
            "2",
            "--threads",
            "2",
            "--with-worker",
            "--graceful-timeout",
            "20",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    try:
        deadline, status = time.monotonic() + 120, None
        while time.monotonic() < deadline and status != 200:
            assert server.poll() is None, server.stdout.read()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
                    status = response.status
                    body = json.loads(response.read())
            except OSError:  # refused while starting, or slow on a loaded machine (URLError, timeouts)
                time.sleep(0.3)
        assert status == 200
        assert body == {"status": "ok"}
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/static/admin/css/base.css", timeout=30
        ) as response:
            assert response.status == 200  # WhiteNoise, DEBUG off
        processes = _descendants(server.pid)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(processes) < 4:  # granian + 2 web workers + consumer
            time.sleep(0.3)
            processes = _descendants(server.pid)
        assert len(processes) >= 4, processes

        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()
    assert server.returncode == 0, output
    assert "Serving on http://127.0.0.1:" in output
    assert "Consumer exiting." in output
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(p) for p in processes):
        time.sleep(0.2)
    assert [p for p in processes if _alive(p)] == []
