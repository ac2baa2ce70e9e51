"""Schemathesis over every operation of `coopkg serve` (2 workers, write token), long enough for 20,000 requests.

`python bench/fuzz.py --seconds 1800 --workers 6` prints: requests and their statuses, 5xx other
than 503 `query_timeout` (the no_server_error check of tests/schemathesis_hooks.py), worker
restarts (when, and what the server logged about them), and the probe lookup sent every 0.4 s
meanwhile (count, answered, median, slowest, and when the slow ones were sent). Schemathesis's
report, the server's log and the probes stay in `--out` (bench/out/fuzz) to be read afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conftest import CoopkgServer
from tests.fuzzing import FuzzRun, fuzz


def slowest_requests(report: Path, count: int = 10) -> list[tuple[float, int, str]]:
    """The slowest responses in schemathesis's report: (seconds, status, method and path)."""
    found: list[tuple[float, int, str]] = []
    for line in report.read_text(encoding="utf-8").splitlines():
        stack = [json.loads(line)]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                response, request = item.get("response"), item.get("request")
                if isinstance(response, dict) and isinstance(request, dict) and "elapsed" in response:
                    url = str(request.get("uri") or request.get("url") or "")
                    found.append((float(response["elapsed"]), int(response.get("status_code", 0)),
                                  f"{request.get('method', '')} {url[:160]}"))  # fmt: skip
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
    return sorted(found, reverse=True)[:count]


def report(run: FuzzRun, out: Path) -> None:
    errors = {s: n for s, n in run.statuses.items() if s >= 500}
    seconds = [s for _, s in run.probes]
    print(f"schemathesis exit code: {run.exit_code} (0: the no_server_error check held)")
    print(f"requests: {run.requests:,}; statuses: {dict(sorted(run.statuses.items()))}")
    print(f"5xx: {errors} (503 only for query_timeout, else the check fails)")
    print(f"worker restarts: {run.restarts} at {[f'{t:.0f} s' for t, _ in run.new_workers]}")
    print(f"probes: {len(run.probes)}, answered 200: {sum(s == 200 for s, _ in run.probes)}, "
          f"median {statistics.median(seconds) * 1000:.1f} ms, slowest {max(seconds) * 1000:.1f} ms, "
          f"over 1 s: {sum(s >= 1 for s in seconds)}")  # fmt: skip
    slow = [(at, s, status) for at, (status, s) in zip(run.probe_starts, run.probes, strict=True) if s >= 0.5]
    print("probes over 0.5 s (sent at, took, status):", [f"{at:.0f} s: {s * 1000:.0f} ms {st}" for at, s, st in slow])
    print("slowest responses:")
    for elapsed, status, what in slowest_requests(out / "schemathesis.ndjson"):
        print(f"  {elapsed:7.2f} s {status} {what}")
    log = (out / "server.log").read_text(encoding="utf-8", errors="replace").splitlines()
    notable = [line for line in log if any(w in line for w in ("retir", "overran", "Traceback", "ERROR", "died"))]
    print(f"server log: {len(log)} lines; about retirements and errors ({len(notable)}):")
    for line in notable[:20]:
        print("  " + line[:240])
    (out / "probes.json").write_text(json.dumps({"starts": run.probe_starts, "probes": run.probes,
                                                 "new_workers": run.new_workers}))  # fmt: skip
    if run.exit_code:
        print(run.output)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=1200)
    parser.add_argument("--examples", type=int, default=400)
    parser.add_argument("--workers", type=int, default=4, help="schemathesis's concurrent clients")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out" / "fuzz")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for old in ("server.log", "schemathesis.ndjson"):
        (args.out / old).unlink(missing_ok=True)
    print(f"load average at the start: {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as tmp:
        server = CoopkgServer(Path(tmp) / "served", log=args.out / "server.log")
        try:
            run = fuzz(server, args.out, args.seconds, args.examples, workers=args.workers)
        finally:
            server.stop()
    print(f"load average at the end: {os.getloadavg()}")
    report(run, args.out)


if __name__ == "__main__":
    main()
