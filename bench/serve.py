"""Which HTTP server `qudao serve` runs: granian or gunicorn, measured on this machine.

Each server starts on loopback with the same number of worker processes (and the same number of
threads per worker where it has threads) against a database of the bench's own (a temporary
SQLite file unless --database-url names a dedicated database). A bounded load generator (threads
over keep-alive http.client connections; a fixed number of requests and a time limit) drives
`/healthz` (the smallest Django request: middleware + one SELECT 1) and an authenticated API list
(`/api/v1/org/regions?page_size=50` with an API key: auth, scoping, a paginated query, JSON).

    qudao bench serve [--workers 2] [--threads 4] [--requests 1000] [--rounds 3] [--concurrency 16]

prints requests/s and p50/p99 latency per server and endpoint and writes bench/results/serve.json.
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import os
import secrets
import subprocess
import sys
import tempfile

from bench.common import (
    REPO_DIR,
    Run,
    drive,
    free_port,
    print_table,
    request_once,
    stop,
    wait_until_up,
    write_result,
)

API_PATH = "/api/v1/org/regions?page_size=50"
FALLBACK_API_PATH = "/api/v1/system/events?page_size=50"
WSGI_TARGET = "qudao.config.wsgi:application"
ASGI_TARGET = "qudao.config.asgi:application"


def server_commands(name: str, *, port: int, workers: int, threads: int) -> list[str]:
    python = sys.executable
    if name == "granian-wsgi":
        return [
            python,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--blocking-threads",
            str(threads),
            "--no-access-log",
            "--log-level",
            "warning",
            WSGI_TARGET,
        ]
    if name == "granian-asgi":
        return [
            python,
            "-m",
            "granian",
            "--interface",
            "asgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-access-log",
            "--log-level",
            "warning",
            ASGI_TARGET,
        ]
    if name == "gunicorn-gthread":
        return [
            python,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--log-level",
            "warning",
            WSGI_TARGET,
        ]
    if name == "gunicorn-sync":
        return [
            python,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
            WSGI_TARGET,
        ]
    raise SystemExit(f"unknown server {name!r}")


def prepare_database(env: dict[str, str]) -> tuple[str, str, dict]:
    """Migrate the bench database; add a dealer, user, API key, regions. Return token, database, sizes."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from qudao.accounts.models import Membership, Role, User
    from qudao.accounts.services.api_keys import create_api_key
    from qudao.core.models import OutboxEvent
    from qudao.org.models import Company, Region, RegionLevel

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off: the manifest must exist
    dealer = Company.objects.create(code="BENCH", name="基准经销商", is_dealer=True)
    user = User.objects.create_user(username="bench", password=secrets.token_urlsafe(16))
    Membership.objects.create(user=user, company=dealer, role=Role.DEALER_ADMIN)
    _, token = create_api_key(user=user, name="bench", scopes=["*"])
    if not Region.objects.exists():
        Region.objects.bulk_create(
            Region(code=f"{110000 + i * 100}", name=f"区域{i}", level=RegionLevel.PROVINCE)
            for i in range(300)
        )
    OutboxEvent.objects.bulk_create(
        OutboxEvent(topic="bench.event", payload={"n": i}, dealer=dealer) for i in range(300)
    )
    sizes = {"regions": Region.objects.count(), "events": OutboxEvent.objects.count()}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
    else:
        database = f"{connection.display_name} {connection.Database.sqlite_version}"
    connection.close()
    return token, database, sizes


def bench_server(
    name: str, args: argparse.Namespace, env: dict[str, str], endpoints: dict[str, tuple]
) -> list[Run]:
    port = free_port()
    command = server_commands(name, port=port, workers=args.workers, threads=args.threads)
    process = subprocess.Popen(
        command,
        env=env,
        cwd=REPO_DIR,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL if args.quiet else None,
    )
    runs = []
    try:
        wait_until_up(port, process)
        for endpoint, (path, headers) in endpoints.items():
            drive(
                port,
                path,
                headers,
                requests=min(300, args.requests),
                concurrency=args.concurrency,
                limit=args.time_limit,
                server=name,
                endpoint=endpoint,
            )  # warm-up: every worker loaded
            run = drive(
                port,
                path,
                headers,
                requests=args.requests,
                concurrency=args.concurrency,
                limit=args.time_limit,
                server=name,
                endpoint=endpoint,
                cpu_group=process.pid,  # started with start_new_session: its pid is the group id
            )
            runs.append(run)
            print(
                f"  {name:17} {endpoint:8} {run.rps:9.1f} req/s  p50 {run.ms(0.5):6.2f} ms  "
                f"p99 {run.ms(0.99):7.2f} ms  CPU {run.cpu_ms_per_request:5.2f} ms/req  errors {run.errors}",
                flush=True,
            )
    finally:
        stop(process)
    return runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="qudao bench serve", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--servers",
        default="granian-wsgi,gunicorn-gthread,gunicorn-sync,granian-asgi",
        help="comma separated: granian-wsgi, granian-asgi, gunicorn-gthread, gunicorn-sync",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=max(1, min(os.cpu_count() or 1, 4)),
        help="worker processes of every server (default: CPUs, at most 4)",
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (granian-wsgi, gthread)")
    parser.add_argument(
        "--requests", type=int, default=1000, help="measured requests per server, endpoint and round"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="rounds; each starts every server in turn, so a change in background load hits all alike",
    )
    parser.add_argument("--concurrency", type=int, default=16, help="client threads (open connections)")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds at most per measurement")
    parser.add_argument("--database-url", default="", help="a dedicated database (default: temporary SQLite)")
    parser.add_argument("--quiet", action="store_true", help="hide the servers' own log output")
    parser.add_argument(
        "--no-write", action="store_true", help="print only; do not write bench/results/serve.json"
    )
    args = parser.parse_args(argv)
    if not (
        1 <= args.requests <= 100_000
        and 1 <= args.concurrency <= 256
        and 1 <= args.time_limit <= 600
        and 1 <= args.rounds <= 10
    ):
        parser.error("--requests 1..100000, --concurrency 1..256, --time-limit 1..600, --rounds 1..10")

    with tempfile.TemporaryDirectory(prefix="qudao-bench-serve-") as home:
        env = {k: v for k, v in os.environ.items() if k not in {"QUDAO_TESTING", "QUDAO_REDIS_URL"}}
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "qudao.config.settings",
                "QUDAO_HOME": home,
                "QUDAO_DEBUG": "0",
                "QUDAO_SECRET_KEY": secrets.token_urlsafe(50),
                "QUDAO_ALLOWED_HOSTS": "127.0.0.1,localhost",
                "QUDAO_LOG_LEVEL": "WARNING",
                "PYTHONPATH": os.pathsep.join(
                    filter(None, [str(REPO_DIR / "src"), env.get("PYTHONPATH", "")])
                ),
            }
        )
        env.pop("QUDAO_DATABASE_URL", None)
        if args.database_url:
            env["QUDAO_DATABASE_URL"] = args.database_url
        token, database, sizes = prepare_database(env)
        auth = {"Authorization": f"Bearer {token}"}
        servers = [s.strip() for s in args.servers.split(",") if s.strip()]
        missing = [s for s in servers if importlib.util.find_spec(s.split("-")[0]) is None]
        if missing:  # gunicorn is not a dependency of Qudao: `pip install gunicorn` to measure it
            print(f"not installed, skipped: {', '.join(missing)}", flush=True)
            servers = [s for s in servers if s not in missing]
        if not servers:
            raise SystemExit("no server to measure")
        api_path = choose_api_path(servers[0], args, env, auth)
        endpoints = {"healthz": ("/healthz", {}), "api": (api_path, auth)}
        print(
            f"workers {args.workers}, threads {args.threads}, {args.rounds} rounds of {args.requests} "
            f"requests per endpoint, concurrency {args.concurrency}, database {database}, API {api_path}",
            flush=True,
        )
        rounds: list[Run] = []
        for number in range(1, args.rounds + 1):
            print(f"round {number}", flush=True)
            for name in servers:
                rounds.extend(bench_server(name, args, env, endpoints))
        runs = combine(rounds)

    print()
    print_table(
        [
            "server",
            "endpoint",
            "requests",
            "errors",
            "req/s (median)",
            "p50 ms",
            "p99 ms",
            "CPU ms/req",
        ],
        [
            [r.server, r.endpoint, r.requests, r.errors, r.rps, r.ms(0.5), r.ms(0.99), r.cpu_ms_per_request]
            for r in runs
        ],
    )
    api_runs = [r for r in runs if r.endpoint == "api" and r.errors == 0]
    if api_runs:
        fastest = max(api_runs, key=lambda r: r.rps).server
        cheapest = min(api_runs, key=lambda r: r.cpu_ms_per_request).server
        print(f"\nAPI list without errors: most requests/s {fastest}; least CPU per request {cheapest}")
    if any(r.errors for r in runs):
        print("some requests failed: see the errors column", file=sys.stderr)
    if not args.no_write:
        figures = {}
        for r in runs:
            key = f"{r.server.replace('-', '_')}_{r.endpoint}"
            figures.update(
                {
                    f"{key}_rps": r.rps,
                    f"{key}_p50_ms": r.ms(0.5),
                    f"{key}_p99_ms": r.ms(0.99),
                    f"{key}_cpu_ms_per_request": r.cpu_ms_per_request,
                    f"{key}_errors": r.errors,
                }
            )
        path = write_result(
            "serve",
            database=database,
            data={
                "workers": args.workers,
                "threads": args.threads,
                "requests": args.requests,
                "rounds": args.rounds,
                "concurrency": args.concurrency,
                "api_path": api_path,
                "servers": servers,
                **sizes,
            },
            figures=figures,
        )
        print(f"wrote {path.relative_to(REPO_DIR)}")
    return 1 if any(r.errors for r in runs) else 0


def combine(rounds: list[Run]) -> list[Run]:
    """One Run per (server, endpoint): every latency pooled, the median round's requests/s."""
    combined: dict[tuple[str, str], list[Run]] = {}
    for run in rounds:
        combined.setdefault((run.server, run.endpoint), []).append(run)
    result = []
    for (server, endpoint), runs in combined.items():
        median = sorted(runs, key=lambda r: r.rps)[len(runs) // 2]
        total = Run(
            server=server,
            endpoint=endpoint,
            errors=sum(r.errors for r in runs),
            cpu_seconds=sum(r.cpu_seconds for r in runs),
        )
        total.latencies = [t for r in runs for t in r.latencies]
        total.requests = len(total.latencies)
        # seconds chosen so that rps is the median round's rate
        total.seconds = total.requests / median.rps if median.rps else 0.0
        result.append(total)
    return result


def choose_api_path(server: str, args: argparse.Namespace, env: dict[str, str], auth: dict) -> str:
    """The regions list when the org API serves it, else the outbox events list (both paginated by 50)."""
    port = free_port()
    process = subprocess.Popen(
        server_commands(server, port=port, workers=1, threads=1),
        env=env,
        cwd=REPO_DIR,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(port, process)
        for path in (API_PATH, FALLBACK_API_PATH):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            status, _ = request_once(conn, path, auth)
            conn.close()
            if status == 200:
                return path
    finally:
        stop(process)
    raise SystemExit("neither API list answered 200 with the bench's API key")


if __name__ == "__main__":
    sys.exit(main())
