"""The service over the remote backend at scale: load, start-up, memory, the funding API, on a real engine.

`python bench/remote_serving.py --engine virtuoso --data FILE.nq [--corpus data/corpus]` starts a fresh
engine as the tests do (tests/conftest.py; Virtuoso with `--buffers` NumberOfBuffers), then, timing each:

* `coopkg init`, `coopkg load FILE --no-validate` and `coopkg ingest CORPUS` through the remote backend
  (the CLI of this checkout, `COOPKG_GSP_URL` set);
* `coopkg serve --workers 2` over it: from the start to the first `/api/fundings?limit=20` answer of
  *each* worker (over the remote backend each worker builds its own views from the engine when it
  starts: docs/scale.md), then each worker's RSS and PSS (/proc/PID/smaps_rollup);
* sequential requests (median and p99): `/api/fundings` first page, `/api/fundings/totals` (total per
  funder, from the views), `/api/fundings?funder=F` (the funder with the most fundings); the saved
  queries `totals-by-funder` and `who-funded-what?funder=F` (evaluated by the engine), median of 3.

The machine's load average is printed with every figure.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from remote_load import Engine, coopkg, load_average
from service import free_port
from views import memory, sequential, workers

ROOT = Path(__file__).resolve().parents[1]


class Service:
    """`coopkg serve --workers 2` of this checkout over the engine."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log.open("ab")
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "coopkg.cli", "serve", "--port", str(self.port), "--workers", "2", "--any-base"],
            env={**env, "COOPKG_QUERY_TIMEOUT": "3600", "PYTHONPATH": str(ROOT / "src")},
            cwd=ROOT, stdout=self.log, stderr=self.log,
        )  # fmt: skip

    def first_answers(self) -> float:
        from views import Server

        return Server.first_answers(self, "/api/fundings?limit=20")  # type: ignore[arg-type]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def median_of(client: httpx.Client, path: str, params: dict[str, str], times: int = 3) -> tuple[float, int]:
    """Median ms of ``times`` GETs (after one not counted), and the rows of the answer."""
    client.get(path, params=params).raise_for_status()
    spent = []
    for _ in range(times):
        started = time.perf_counter()
        response = client.get(path, params=params)
        spent.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    body = response.json()
    rows = body.get("results", {}).get("bindings", body.get("items", body if isinstance(body, list) else []))
    return statistics.median(spent), len(rows)


def serving(env: dict[str, str], folder: Path, requests: int, note: Callable[[str, str], None]) -> None:
    """`coopkg serve --workers 2` over the engine: start-up, memory, the funding API, saved queries."""
    service = Service({**env, "TMPDIR": str(folder)}, folder / "serve.log")
    try:
        note("start-up to both workers' first /api/fundings", f"{service.first_answers():.1f} s")
        for i, pid in enumerate(sorted(workers(service.process.pid))):
            rss, pss = memory(pid)
            note(f"worker {i + 1} after start: RSS / PSS", f"{rss:.0f} / {pss:.0f} MB")
        p50, p99 = sequential(service.url, "/api/fundings", {"limit": "20"}, requests)
        note("/api/fundings first page p50 / p99", f"{p50:.1f} / {p99:.1f} ms")
        p50, p99 = sequential(service.url, "/api/fundings/totals", {}, requests)
        note("/api/fundings/totals (total per funder) p50 / p99", f"{p50:.1f} / {p99:.1f} ms")
        with httpx.Client(base_url=service.url, timeout=3600) as client:
            funders = client.get("/api/fundings", params={"limit": "1", "facets": "true"}).json()
            funder = max(funders["facets"]["funder"], key=lambda f: f["count"])
            note("the funder with the most fundings", f"{funder['label']} ({funder['count']:,} fundings)")
            p50, p99 = sequential(service.url, "/api/fundings", {"limit": "20", "funder": funder["value"]}, requests)
            note("/api/fundings?funder=F first page p50 / p99", f"{p50:.1f} / {p99:.1f} ms")
            ms, rows = median_of(client, "/api/queries/totals-by-funder", {"format": "json"})
            note("saved query totals-by-funder, median of 3", f"{ms:.0f} ms ({rows:,} rows)")
            ms, rows = median_of(client, "/api/queries/who-funded-what", {"format": "json", "funder": funder["value"]})
            note("saved query who-funded-what?funder=F, median of 3", f"{ms:.0f} ms ({rows:,} rows)")
        for i, pid in enumerate(sorted(workers(service.process.pid))):
            rss, pss = memory(pid)
            note(f"worker {i + 1} after the requests: RSS / PSS", f"{rss:.0f} / {pss:.0f} MB")
    finally:
        service.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=["virtuoso", "oxigraph"], default="virtuoso")
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--corpus", type=Path, default=ROOT / "data" / "corpus")
    parser.add_argument("--buffers", type=int, default=340_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()))
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix=f"coopkg-serving-{args.engine}-", dir=args.work))
    engine = Engine(args.engine, folder, args.buffers)
    figures: dict[str, str] = {}

    def note(key: str, value: str) -> None:
        figures[key] = f"{value} (load {load_average()})"
        print(f"  {key}: {figures[key]}", flush=True)

    try:
        wall, _, _ = coopkg(ROOT / "src", engine.env, "init")
        note("coopkg init", f"{wall:.1f} s")
        lines = sum(1 for _ in args.data.open("rb"))
        wall, cpu, _ = coopkg(ROOT / "src", engine.env, "load", str(args.data), "--no-validate")
        note(f"coopkg load {lines:,} triples", f"{wall:.1f} s = {lines / wall:,.0f} triples/s, client CPU {cpu:.1f} s")
        wall, _, last = coopkg(ROOT / "src", engine.env, "ingest", str(args.corpus), "--workers", "1")
        note("coopkg ingest of the corpus", f"{wall:.1f} s ({last})")
        serving(engine.env, folder, args.requests, note)
    finally:
        engine.stop()
        shutil.rmtree(folder, ignore_errors=True)
    print(f"\n| measure ({args.engine}, {args.data.name}) | figure |\n| --- | ---: |")
    for key, value in figures.items():
        print(f"| {key} | {value} |")


if __name__ == "__main__":
    main()
