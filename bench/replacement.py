"""How soon `coopkg serve` has workers again after they are gone: per scenario, seconds to the
replacement processes and to the first answer.

Scenarios, each repeated: both workers killed (SIGKILL); both told to stop (SIGTERM, what a worker
whose query overran sends itself); one stopped (SIGSTOP, a worker starved or finalising, which
answers no ping) and the other killed (then the stopped one is woken). The server is
tests/conftest.py's `CoopkgServer` over the corpus (2 workers). A scenario gives up after
``--give-up`` seconds (the supervisor's health check is 60 s). Then one worker's start, phase by
phase (what the first answer after a replacement waits for).
Usage: python bench/replacement.py [--rounds 5] [--give-up 90] (--rounds 0: only the start)
To measure another checkout's supervisor with this script, put its src first:
`PYTHONPATH=/path/to/other/src python bench/replacement.py`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conftest import CoopkgServer

import coopkg


def answers(server: CoopkgServer) -> bool:
    try:
        response = httpx.get(server.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=0.5)
        return response.status_code == 200
    except httpx.TransportError:
        return False


def settle(server: CoopkgServer, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not (len(server.workers()) == 2 and answers(server)):
        time.sleep(0.1)
    time.sleep(1)


def one_round(server: CoopkgServer, scenario: str, give_up: float) -> tuple[float | None, float | None]:
    """Seconds from the signal to two new worker processes, and to the first answer (None: not within give_up)."""
    old = server.workers()
    first, second = sorted(old)
    if scenario == "stop-one-kill-other":
        os.kill(first, signal.SIGSTOP)
        time.sleep(1)  # a ping to it is outstanding
        os.kill(second, signal.SIGKILL)
        old = {second}
    else:
        for pid in old:
            os.kill(pid, signal.SIGKILL if scenario == "kill-both" else signal.SIGTERM)
    started = time.monotonic()
    replaced: list[float] = []

    def watch() -> None:
        while time.monotonic() - started < give_up:
            if len(server.workers() - old - {first}) >= len(old):
                replaced.append(time.monotonic() - started)
                return
            time.sleep(0.02)

    watcher = threading.Thread(target=watch)
    watcher.start()
    answered = None
    while time.monotonic() - started < give_up:
        if answers(server):
            answered = time.monotonic() - started
            break
        time.sleep(0.05)
    watcher.join()
    if scenario == "stop-one-kill-other":
        with contextlib.suppress(ProcessLookupError):  # killed as hung, if stopped past the health check
            os.kill(first, signal.SIGCONT)
    return (replaced[0] if replaced else None), answered


# One worker's start, phase by phase, in a fresh interpreter over the server's store (no listening socket).
STARTUP = """
import time
t0 = time.perf_counter()
import coopkg.api.app as app_module
t1 = time.perf_counter()
app = app_module.app_from_env()
t2 = time.perf_counter()
from starlette.testclient import TestClient  # httpx: no longer imported by the app itself
t2b = time.perf_counter()
with TestClient(app) as client:
    t3 = time.perf_counter()
    status = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code
    t4 = time.perf_counter()
print(f"import {t1 - t0:.2f} s, app_from_env {t2 - t1:.2f} s, (the test client's import {t2b - t2:.2f} s), "
      f"lifespan {t3 - t2b:.2f} s, first ASK {t4 - t3:.2f} s ({status})")
"""


def worker_start(server: CoopkgServer) -> str:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", STARTUP], env=server.env, capture_output=True, text=True, timeout=300)
    return (
        f"{done.stdout.strip() or done.stderr[-500:]}; with the interpreter's start {time.monotonic() - started:.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--give-up", type=float, default=90)
    args = parser.parse_args()
    print(f"coopkg from {Path(coopkg.__file__).parent}; load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        server = CoopkgServer(Path(tmp), COOPKG_QUERY_TIMEOUT="3")
        try:
            for scenario in ("kill-both", "term-both", "stop-one-kill-other") if args.rounds else ():
                results = []
                for _ in range(args.rounds):
                    settle(server, args.give_up * 2)
                    results.append(one_round(server, scenario, args.give_up))
                replaced = [f"{a:.2f}" if a is not None else "none" for a, _ in results]
                answered = [b for _, b in results if b is not None]
                median = statistics.median(answered) if answered else float("nan")
                slowest = max(answered) if answered else float("nan")
                print(f"{scenario}: replaced in {replaced} s; first answer median {median:.2f} s, slowest "
                      f"{slowest:.2f} s, none within {args.give_up:g} s: {len(results) - len(answered)} of "
                      f"{len(results)}; load {os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip
            for _ in range(3):
                print(f"one worker's start: {worker_start(server)}; load {os.getloadavg()[0]:.1f}", flush=True)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
