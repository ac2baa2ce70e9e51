"""Schemathesis over every operation of `coopkg serve` (2 workers, write token), long enough for 20,000 requests.

`python bench/fuzz.py --seconds 1200` prints: requests and their statuses, 5xx other than 503
`query_timeout` (the no_server_error check of tests/schemathesis_hooks.py), worker restarts, and
the probe lookup sent every 0.4 s meanwhile (count, answered, median, slowest).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conftest import CoopkgServer
from tests.fuzzing import fuzz


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=1200)
    parser.add_argument("--examples", type=int, default=400)
    parser.add_argument("--workers", type=int, default=4, help="schemathesis's concurrent clients")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = CoopkgServer(Path(tmp) / "served")
        try:
            run = fuzz(server, Path(tmp), args.seconds, args.examples, workers=args.workers)
        finally:
            server.stop()
    errors = {s: n for s, n in run.statuses.items() if s >= 500}
    seconds = [s for _, s in run.probes]
    print(f"schemathesis exit code: {run.exit_code} (0: the no_server_error check held)")
    print(f"requests: {run.requests:,}; statuses: {dict(sorted(run.statuses.items()))}")
    print(f"5xx: {errors} (503 only for query_timeout, else the check fails)")
    print(f"worker restarts: {run.restarts}")
    print(f"probes: {len(run.probes)}, answered 200: {sum(s == 200 for s, _ in run.probes)}, "
          f"median {statistics.median(seconds) * 1000:.1f} ms, slowest {max(seconds) * 1000:.1f} ms, "
          f"over 1 s: {sum(s >= 1 for s in seconds)}")  # fmt: skip
    if run.exit_code:
        print(run.output)


if __name__ == "__main__":
    main()
