"""Schemathesis against a running `coopkg serve`, while a probe lookup runs every 0.4 s and the workers are watched.

Shared by tests/test_fuzz.py (a short run in `make test`) and bench/fuzz.py (the long, measured run).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.conftest import WRITE_TOKEN, CoopkgServer


@dataclass
class FuzzRun:
    exit_code: int
    output: str
    statuses: dict[int, int]
    probes: list[tuple[int, float]] = field(default_factory=list)
    probe_starts: list[float] = field(default_factory=list)  # seconds from the run's start, one per probe
    workers_seen: set[int] = field(default_factory=set)
    workers_at_start: set[int] = field(default_factory=set)
    new_workers: list[tuple[float, int]] = field(default_factory=list)  # (seconds from the start, pid)

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    @property
    def restarts(self) -> int:
        return len(self.workers_seen - self.workers_at_start)


def fuzz(server: CoopkgServer, scratch: Path, seconds: int, examples: int, workers: int = 2) -> FuzzRun:
    """Run schemathesis over every operation for about ``seconds``; probe and watch meanwhile.

    Schemathesis's report stays in ``scratch/schemathesis.ndjson``."""
    report = scratch / "schemathesis.ndjson"
    lookup = "SELECT ?p ?o WHERE { <https://w3id.org/coopkg/ontology#Funding> ?p ?o }"
    run = FuzzRun(0, "", {}, workers_at_start=server.workers())
    run.workers_seen |= run.workers_at_start
    done = threading.Event()
    began = time.monotonic()

    def watch() -> None:
        with httpx.Client(base_url=server.url, timeout=10) as http:
            while not done.is_set():
                started = time.monotonic()
                try:
                    status = http.get("/sparql", params={"query": lookup}).status_code
                except httpx.TransportError:
                    status = 0
                run.probes.append((status, time.monotonic() - started))
                run.probe_starts.append(started - began)
                now = server.workers()
                run.new_workers.extend((time.monotonic() - began, pid) for pid in sorted(now - run.workers_seen))
                run.workers_seen |= now
                done.wait(max(0.0, 0.4 - (time.monotonic() - started)))

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "tests.schemathesis_hooks", "PYTHONPATH": str(Path(__file__).parents[1])}
    command = [str(Path(sys.executable).parent / "st"), "run", f"{server.url}/openapi.json",
               "-H", f"Authorization: Bearer {WRITE_TOKEN}", "--checks", "no_server_error",
               "--max-time", str(seconds), "-n", str(examples), "--workers", str(workers), "--request-timeout", "20",
               "--continue-on-failure", "--seed", "9", "--report", "ndjson", "--report-ndjson-path", str(report)]  # fmt: skip
    done_process = subprocess.run(command, env=env, capture_output=True, text=True, timeout=seconds + 300)
    done.set()
    watcher.join()
    run.exit_code, run.output = done_process.returncode, done_process.stdout[-6000:] + done_process.stderr[-2000:]
    for line in report.read_text(encoding="utf-8").splitlines():
        for status in _statuses(json.loads(line)):
            run.statuses[status] = run.statuses.get(status, 0) + 1
    return run


def _statuses(node: object) -> list[int]:
    """Every response status in one schemathesis event."""
    found: list[int] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("status_code"), int) and "elapsed" in item:
                found.append(item["status_code"])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found
