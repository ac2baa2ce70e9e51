"""Organisation and project search under load: `coopkg serve` (2 workers) on N synthetic projects, wrk at c=32.

`python bench/search.py --projects 100000` builds the store as bench/service.py does (synthetic
projects plus the corpus), starts the service, and sends `GET /api/organisations?q=` and
`GET /api/projects?q=` cycling through 500 different queries each (whole names, first words,
word starts, in French, English and Arabic as the data has them), and prints requests per
second, p50 and p99 from wrk's latency distribution. `--store DIR --base IRI` serves a store
built beforehand instead (at 10^5 projects building one takes most of an hour here; bench/views.py
measures the same searches, and searches never asked before, with start-up and memory).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from _common import OUT
from coopkg.iris import IriMinter
from coopkg.synth import write_synthetic
from service import PLACEHOLDER, ROOT, _wrk_script, free_port, wait


def wrk(url: str, params: list[dict[str, str]], concurrency: int, seconds: int) -> tuple[float, float, float]:
    script = _wrk_script(url, params)
    done = subprocess.run(["wrk", "-t", "2", "-c", str(concurrency), "-d", f"{seconds}s", "--latency", "-s", str(script), url],
                          capture_output=True, text=True, check=True)  # fmt: skip
    script.unlink()
    assert "Non-2xx" not in done.stdout, done.stdout

    def percentile(name: str) -> float:
        found = re.search(rf"{name}%\s+([\d.]+)(us|ms|s)", done.stdout)
        assert found is not None, done.stdout
        return float(found.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[found.group(2)]

    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", done.stdout).group(1))  # type: ignore[union-attr]
    return rate, percentile("50"), percentile("99")


def queries(labels: list[str], rng: random.Random) -> list[str]:
    found = []
    for label in labels:
        words = label.split()
        found += [label, words[0], " ".join(w[:4] for w in words[:2])]
    rng.shuffle(found)
    return list(dict.fromkeys(q for q in found if q.strip()))[:500]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--store", type=Path, help="serve this store, built beforehand, instead of building one")
    parser.add_argument("--base", default="http://127.0.0.1:8000/", help="the base IRI --store was built with")
    args = parser.parse_args()
    port = free_port()
    cli = [sys.executable, "-m", "coopkg.cli"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPKG_")}
    if args.store is not None:
        env.update(COOPKG_STORE=str(args.store), COOPKG_BASE_IRI=args.base, COOPKG_QUERY_TIMEOUT="600")
    else:
        OUT.mkdir(exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix="coopkg-search-"))
        base = f"http://127.0.0.1:{port}/"
        data = OUT / f"service-{args.projects}.nq"
        if not data.exists():
            write_synthetic(data, IriMinter(PLACEHOLDER), projects=args.projects, seed=5)
        run_data = work / "data.nq"
        run_data.write_text(data.read_text(encoding="utf-8").replace(PLACEHOLDER, base), encoding="utf-8")
        env.update(COOPKG_STORE=str(work / "store"), COOPKG_BASE_IRI=base)
        started = time.perf_counter()
        subprocess.run([*cli, "init"], env=env, check=True, capture_output=True)
        subprocess.run([*cli, "load", str(run_data), "--no-validate"], env=env, check=True, capture_output=True)
        subprocess.run([*cli, "ingest", str(ROOT / "data" / "corpus")], env=env, check=True, capture_output=True)
        print(f"store built in {time.perf_counter() - started:.0f} s ({args.projects:,} synthetic projects)")
    server = subprocess.Popen(
        [*cli, "serve", "--port", str(port), "--any-base"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait(url + "/api/fundings?limit=1")
        rng = random.Random(3)
        with httpx.Client(base_url=url, timeout=600) as http:
            for kind in ("organisations", "projects"):
                started = time.perf_counter()
                listed = http.get(f"/api/{kind}", params={"limit": 1000}).json()  # builds the index
                print(f"{kind}: {listed['total']:,}, first list (index built) in {time.perf_counter() - started:.1f} s")
                labels = [i["label"] for i in listed["items"]]
                terms = queries(labels, rng)
                http.get(f"/api/{kind}", params={"q": terms[0]})  # the other worker builds its index too
                for _ in range(4):
                    http.get(f"/api/{kind}", params={"q": terms[1]})
                rate, p50, p99 = wrk(f"{url}/api/{kind}", [{"q": t} for t in terms], args.concurrency, args.seconds)
                print(f"  search c={args.concurrency}: {rate:,.0f} req/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms "
                      f"({len(terms)} distinct queries)")  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
