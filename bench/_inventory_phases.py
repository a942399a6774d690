"""Inventory bench, the worker side: documents, one worker's timed reservations and the phases that
run workers in parallel processes (each with its own connection)."""

from __future__ import annotations

import multiprocessing
import random
import time
from collections import Counter
from dataclasses import dataclass, field

from bench._inventory_world import REFERENCE, actor_of
from bench.common import percentile

SQLSTATES = {"40P01": "deadlock", "40001": "serialization_failure"}


@dataclass
class Phase:
    """What the workers of one phase did; seconds = first start to last end (wall clock)."""

    workers: int
    docs: int = 0
    lines: int = 0
    short_docs: int = 0
    attempted_lines: int = 0
    seconds: float = 0.0
    #: CPU seconds the workers' Python spent reserving (not PostgreSQL's): steadier than wall clock
    cpu_seconds: float = 0.0
    cleanup_docs: int = 0
    cleanup_seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)

    @property
    def lines_per_s(self) -> float:
        return self.lines / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms_per_line(self) -> float:
        return self.cpu_seconds * 1000 / self.attempted_lines if self.attempted_lines else 0.0

    def ms(self, fraction: float) -> float:
        return percentile(self.latencies, fraction) * 1000


def documents(rng: random.Random, items: list[int], site: int, *, count: int, lines: int, first_id: int):
    return [
        {
            "reference_type": REFERENCE,
            "reference_id": first_id + n,
            "lines": [
                {"item_id": item, "site_id": site, "quantity": rng.randint(1, 3)}
                for item in rng.sample(items, lines)
            ],
        }
        for n in range(count)
    ]


def classify(exc: BaseException) -> str:
    """A stable name for an error that reached a caller (deadlocks and serialization by SQLSTATE)."""
    sqlstate = getattr(getattr(exc, "__cause__", None), "sqlstate", None)
    return SQLSTATES.get(sqlstate or "", type(exc).__name__)


def work(user_id: int, docs: list[dict], gate, done) -> dict:
    """One worker: reserve every document (timed one by one), wait for the others, then release the
    even ones and issue the odd ones so that the next phase finds stock again."""

    from qudao.core.errors import QudaoError
    from qudao.inventory.errors import InsufficientStock
    from qudao.inventory.services import issue_stock, release_reservations, reserve_stock

    actor = actor_of(user_id)
    out = {
        "latencies": [],
        "docs": 0,
        "lines": 0,
        "short": 0,
        "attempted": 0,
        "errors": Counter(),
        "kept": [],
    }
    gate()
    out["start"], cpu = time.monotonic(), time.process_time()
    for doc in docs:
        began = time.perf_counter()
        try:
            reserve_stock(actor=actor, data=doc)
        except InsufficientStock:
            out["short"] += 1
        except QudaoError as exc:
            out["errors"][exc.code] += 1
        except Exception as exc:
            out["errors"][classify(exc)] += 1
        else:
            out["docs"] += 1
            out["lines"] += len(doc["lines"])
            out["kept"].append(doc)
        out["latencies"].append(time.perf_counter() - began)
        out["attempted"] += len(doc["lines"])
    out["end"], out["cpu"] = time.monotonic(), time.process_time() - cpu
    done()
    out["cleanup_start"] = time.monotonic()
    for n, doc in enumerate(out["kept"]):
        try:
            if n % 2:
                issue_stock(actor=actor, data={**doc, "move_type": "sale_issue"})
            else:
                release_reservations(
                    actor=actor, data={"reference_type": REFERENCE, "reference_id": doc["reference_id"]}
                )
        except Exception as exc:
            out["errors"][f"cleanup_{classify(exc)}"] += 1
    out["cleanup_end"] = time.monotonic()
    out["kept"] = len(out["kept"])
    return out


def _child(user_id, docs, barrier, results) -> None:
    from django.db import connection

    try:
        results.put(work(user_id, docs, barrier.wait, barrier.wait))
        connection.close()
    except BaseException as exc:  # the parent must not wait for a result that never comes
        results.put({"failed": repr(exc)})
        barrier.abort()
        raise


def run_phase(user_id: int, per_worker: list[list[dict]], *, inline: bool = False) -> Phase:
    """Run one worker per document list: in this process when inline, else in forked processes."""
    from django.db import connections

    if inline:
        outs = [work(user_id, docs, lambda: None, lambda: None) for docs in per_worker]
    else:
        connections.close_all()  # never share a connection with a child
        context = multiprocessing.get_context("fork")
        barrier, results = context.Barrier(len(per_worker)), context.Queue()
        children = [context.Process(target=_child, args=(user_id, d, barrier, results)) for d in per_worker]
        for child in children:
            child.start()
        outs = [results.get(timeout=600) for _ in children]
        for child in children:
            child.join(60)
        failed = [o["failed"] for o in outs if "failed" in o]
        if failed:
            raise SystemExit(f"a worker failed: {failed[0]}")
    phase = Phase(workers=len(per_worker))
    for out in outs:
        phase.docs += out["docs"]
        phase.lines += out["lines"]
        phase.short_docs += out["short"]
        phase.attempted_lines += out["attempted"]
        phase.cpu_seconds += out["cpu"]
        phase.cleanup_docs += out["kept"]
        phase.latencies += out["latencies"]
        phase.errors.update(out["errors"])
    phase.seconds = max(o["end"] for o in outs) - min(o["start"] for o in outs)
    phase.cleanup_seconds = max(o["cleanup_end"] for o in outs) - min(o["cleanup_start"] for o in outs)
    return phase
