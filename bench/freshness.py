"""The per-request cost of the remote backend's freshness check, side by side in one run.

Starts `oxigraph serve`, loads N synthetic projects and the corpus into it through the CLI, then
two `coopkg serve --workers 1` over that endpoint: one checks the store's change log before each
request that reads its views (the default), the other does not (COOPKG_FOLLOW_CHANGES=false).
Requests to /api/fundings (first page by amount) alternate between the two, one at a time, on
kept-alive connections; p50 and p90 of each are printed, with the check alone (the change-log
heads query) timed in process against the same endpoint.
Usage: python bench/freshness.py [--projects 1000] [--requests 2000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from _common import percentile, stop
from coopkg.iris import IriMinter
from coopkg.settings import get_settings
from coopkg.store import open_repository
from coopkg.store.changelog import ChangeFollower, ChangeLog

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait(url: str, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=60).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=2000, help="requests to each server")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="coopkg-freshness-"))
    engine_port, ports = free_port(), (free_port(), free_port())
    engine_url = f"http://127.0.0.1:{engine_port}"
    base = "http://127.0.0.1:8000/"
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPKG_")}
    env.update(COOPKG_BACKEND="remote", COOPKG_QUERY_URL=f"{engine_url}/query",
               COOPKG_UPDATE_URL=f"{engine_url}/update", COOPKG_BASE_IRI=base, COOPKG_STORE=str(work / "unused"),
               COOPKG_QUERY_TIMEOUT="120")  # fmt: skip
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    processes = [subprocess.Popen([oxigraph, "serve", "--location", str(work / "oxigraph"), "--bind",
                                   f"127.0.0.1:{engine_port}", "--union-default-graph"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]  # fmt: skip
    try:
        wait(f"{engine_url}/query?query=ASK%7B%7D")
        cli = [sys.executable, "-m", "coopkg.cli"]
        started = time.perf_counter()
        if args.projects:
            data = work / "synthetic.nq"
            subprocess.run([*cli, "synth", "--projects", str(args.projects), "--out", str(data)], env=env,
                           check=True, capture_output=True)  # fmt: skip
            subprocess.run([*cli, "load", str(data), "--no-validate"], env=env, check=True, capture_output=True)
        subprocess.run([*cli, "ingest", str(ROOT / "data" / "corpus")], env=env, check=True, capture_output=True)
        print(f"endpoint filled in {time.perf_counter() - started:.0f} s ({args.projects:,} synthetic projects)")
        for port, follow in zip(ports, ("true", "false"), strict=True):
            processes.append(subprocess.Popen(
                [*cli, "serve", "--port", str(port), "--workers", "1"], env={**env, "COOPKG_FOLLOW_CHANGES": follow},
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))  # fmt: skip
        urls = [f"http://127.0.0.1:{port}/api/fundings?sort=-amount&limit=20" for port in ports]
        for url in urls:
            wait(url)  # the first answer builds the funding view
        clients = [httpx.Client(timeout=60) for _ in urls]
        times: list[list[float]] = [[], []]
        for i in range(50 + args.requests):
            for side in (i % 2, 1 - i % 2):  # alternate which goes first
                t = time.perf_counter()
                response = clients[side].get(urls[side])
                elapsed = time.perf_counter() - t
                assert response.status_code == 200, response.text[:200]
                if i >= 50:
                    times[side].append(elapsed)
        totals = {clients[side].get(urls[side]).json()["total"] for side in (0, 1)}
        assert len(totals) == 1, totals
        settings = get_settings(**{k[7:].lower(): v for k, v in env.items() if k.startswith("COOPKG_")})
        repo = open_repository(settings)
        follower = ChangeFollower(ChangeLog(IriMinter(base).changes_graph), repo)
        check = []
        for _ in range(args.requests):
            t = time.perf_counter()
            follower.read_heads()
            check.append(time.perf_counter() - t)
        repo.close()
        print(f"/api/fundings first page by amount, {args.requests:,} requests each, alternating, total {totals.pop()}")
        print(f"{'':32} {'p50 ms':>8} {'p90 ms':>8} {'mean ms':>8}")
        for name, values in (("with the freshness check", times[0]), ("without (FOLLOW_CHANGES=false)", times[1]),
                             ("the check alone, in process", check)):  # fmt: skip
            print(f"{name:32} {percentile(values, 0.5) * 1000:8.2f} {percentile(values, 0.9) * 1000:8.2f} "
                  f"{statistics.mean(values) * 1000:8.2f}")  # fmt: skip
        print(f"added per request (p50): {(percentile(times[0], 0.5) - percentile(times[1], 0.5)) * 1000:.2f} ms")
    finally:
        stop(processes)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
