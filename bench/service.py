"""The HTTP service against Oxigraph's own server, on the same data, side by side in one run.

Builds a store from N synthetic projects (plus the corpus), copies it for `oxigraph serve`,
starts both servers on 127.0.0.1, and measures with an async HTTP load generator:
* /sparql vs Oxigraph /query, concurrency 1 and 16, point lookups and a heavy aggregate;
* the added median latency of /sparql over the in-process engine (pyoxigraph) on a point lookup;
* /api/fundings (first page by amount) median latency;
* "total funding per funder": /api/fundings/totals vs the SPARQL aggregate on Oxigraph.
Point lookups cycle through 500 different fundings (a wrk Lua script), so no answer is replayed;
they are sent as GET, as POST forms (what YASGUI and most clients send) and as
application/sparql-query bodies. Oxigraph is `oxigraph serve-read-only --union-default-graph`.
Usage: python bench/service.py [--projects 100000] [--requests 2000] [--lookups-only]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from pyoxigraph import Store

from _common import OUT, stop
from coopkg.iris import IriMinter
from coopkg.synth import write_synthetic

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER = "http://bench.invalid/"
POINT = "SELECT ?p ?o WHERE { <%s> ?p ?o }"
TOTALS = """PREFIX coopkg: <https://w3id.org/coopkg/ontology#>
SELECT ?funder ?currency (SUM(?v) AS ?total) (COUNT(?f) AS ?n) WHERE {
  ?f a coopkg:Funding ; coopkg:funder ?funder ; coopkg:amount ?a . ?a coopkg:value ?v ; coopkg:currency ?currency .
} GROUP BY ?funder ?currency ORDER BY DESC(?total)"""


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait(url: str) -> None:
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.TransportError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up")


async def load(
    url: str, params_list: list[dict[str, str]], concurrency: int, headers: dict[str, str]
) -> tuple[float, list[float]]:
    latencies: list[float] = []
    queue: asyncio.Queue[dict[str, str]] = asyncio.Queue()
    for params in params_list:
        queue.put_nowait(params)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=120) as client:

        async def worker() -> None:
            while not queue.empty():
                params = queue.get_nowait()
                started = time.perf_counter()
                response = await client.get(url, params=params, headers=headers)
                latencies.append(time.perf_counter() - started)
                assert response.status_code == 200, response.text[:200]

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.perf_counter() - started, latencies


def measure_interleaved(
    urls: tuple[str, str], query: dict[str, str], concurrency: int, accept: str, rounds: int
) -> list[tuple[float, float]]:
    """Heavy queries: rounds of ``concurrency`` simultaneous requests, alternating between the two
    servers so that drift in the machine's speed hits both alike. (req/s, median ms) per server."""
    elapsed = [0.0, 0.0]
    latencies: list[list[float]] = [[], []]
    for _ in range(rounds):
        for side, url in enumerate(urls):
            seconds, times = asyncio.run(load(url, [query] * concurrency, concurrency, {"Accept": accept}))
            elapsed[side] += seconds
            latencies[side].extend(times)
    return [(rounds * concurrency / elapsed[i], statistics.median(latencies[i]) * 1000) for i in (0, 1)]


def measure(
    url: str, params: list[dict[str, str]], concurrency: int, accept: str, seconds: int = 10, how: str = "GET"
) -> tuple[float, float]:
    """Requests per second and median latency (ms): wrk (Debian package) if present, else an async client.
    ``how``: GET, FORM (POST form-encoded) or QUERY (POST application/sparql-query)."""
    wrk = shutil.which("wrk")
    if wrk is None or seconds == 0:
        assert how == "GET", "POST lookups are measured with wrk"
        elapsed, latencies = asyncio.run(load(url, params, concurrency, {"Accept": accept}))
        return len(params) / elapsed, statistics.median(latencies) * 1000
    script = _wrk_script(url, params) if how == "GET" else _wrk_post_script(url, params, how)
    done = subprocess.run(
        [wrk, "-t", "2" if concurrency > 1 else "1", "-c", str(concurrency), "-d", f"{seconds}s", "--latency",
         "-H", f"Accept: {accept}", "-s", str(script), url],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    script.unlink()
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", done.stdout).group(1))  # type: ignore[union-attr]
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", done.stdout)
    assert p50 is not None and "Non-2xx" not in done.stdout, done.stdout
    value = float(p50.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[p50.group(2)]
    return rate, value


def _wrk_script(url: str, params: list[dict[str, str]]) -> Path:
    """A wrk Lua script that cycles through the requests (distinct IRIs, not one URL replayed)."""
    targets = list(dict.fromkeys(httpx.URL(url, params=p).raw_path.decode("ascii") for p in params))
    lines = ",\n".join(f'  "{t}"' for t in targets)  # percent-encoded: no quote or backslash inside
    script = Path(tempfile.mkstemp(suffix=".lua", prefix="coopkg-wrk-")[1])
    script.write_text(
        f"local targets = {{\n{lines}\n}}\nlocal i = 0\n"
        "request = function()\n  i = i % #targets + 1\n  return wrk.format(nil, targets[i])\nend\n",
        encoding="ascii",
    )
    return script


def _wrk_post_script(url: str, params: list[dict[str, str]], how: str) -> Path:
    """A wrk Lua script that POSTs the queries, as forms or as application/sparql-query bodies."""
    queries = list(dict.fromkeys(p["query"] for p in params))
    if how == "FORM":
        bodies, kind = [httpx.QueryParams({"query": q}).__str__() for q in queries], "application/x-www-form-urlencoded"
    else:
        bodies, kind = queries, "application/sparql-query"
    assert all("]]" not in b for b in bodies)
    lines = ",\n".join(f"  [[{b}]]" for b in bodies)
    path = httpx.URL(url).raw_path.decode("ascii")
    script = Path(tempfile.mkstemp(suffix=".lua", prefix="coopkg-wrk-")[1])
    script.write_text(
        f'local bodies = {{\n{lines}\n}}\nlocal i = 0\nwrk.method = "POST"\n'
        f'wrk.headers["Content-Type"] = "{kind}"\n'
        f'request = function()\n  i = i % #bodies + 1\n  return wrk.format("POST", "{path}", nil, bodies[i])\nend\n',
        encoding="utf-8",
    )
    return script


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--heavy", type=int, default=8, help="rounds of the heavy aggregate (alternating servers)")
    parser.add_argument("--workers", type=int, default=2, help="coopkg serve --workers")
    parser.add_argument("--rounds", type=int, default=3, help="alternating wrk runs per point-lookup cell")
    parser.add_argument("--lookups-only", action="store_true", help="only the point-lookup rows")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="coopkg-bench-"))
    coopkg_port, oxigraph_port = free_port(), free_port()
    base = f"http://127.0.0.1:{coopkg_port}/"
    data = OUT / f"service-{args.projects}.nq"
    if not data.exists():
        write_synthetic(data, IriMinter(PLACEHOLDER), projects=args.projects, seed=5)
    # IRIs are minted under a placeholder base, rewritten per run so that they dereference here.
    text = data.read_text(encoding="utf-8").replace(PLACEHOLDER, base)
    run_data = work / "data.nq"
    run_data.write_text(text, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPKG_")}
    env.update(COOPKG_STORE=str(work / "store"), COOPKG_BASE_IRI=base, COOPKG_QUERY_TIMEOUT="120")
    cli = [sys.executable, "-m", "coopkg.cli"]
    started = time.perf_counter()
    subprocess.run([*cli, "init"], env=env, check=True, capture_output=True)
    subprocess.run([*cli, "load", str(run_data), "--no-validate"], env=env, check=True, capture_output=True)
    subprocess.run([*cli, "ingest", str(ROOT / "data" / "corpus")], env=env, check=True, capture_output=True)
    print(f"store built in {time.perf_counter() - started:.0f} s")
    shutil.copytree(work / "store", work / "oxigraph")
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    servers = [
        subprocess.Popen(
            [*cli, "serve", "--port", str(coopkg_port), "--workers", str(args.workers)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
        subprocess.Popen(
            [
                oxigraph,
                "serve-read-only",
                "--location",
                str(work / "oxigraph"),
                "--bind",
                f"127.0.0.1:{oxigraph_port}",
                "--union-default-graph",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
    ]
    try:
        coopkg_url, oxigraph_url = f"http://127.0.0.1:{coopkg_port}", f"http://127.0.0.1:{oxigraph_port}"
        wait(coopkg_url + "/api/fundings?limit=1")
        wait(oxigraph_url + "/query?query=ASK%7B%7D")
        store = Store.read_only(str(work / "oxigraph"))
        fundings = [
            r["f"].value
            for r in store.query(
                "SELECT ?f WHERE { ?f a <https://w3id.org/coopkg/ontology#Funding> } LIMIT 500",
                use_default_graph_as_union=True,
            )
        ]
        print(f"{len(store):,} triples, {args.projects:,} synthetic projects")
        points = [{"query": POINT % fundings[i % len(fundings)]} for i in range(args.requests)]
        heavy = [{"query": TOTALS}] * args.heavy
        json_type = "application/sparql-results+json"
        print(
            f"{'workload':34} {'conc':>4} {'coopkg req/s':>13} {'oxigraph req/s':>15} {'ratio':>6} {'p50 coopkg ms':>14} {'p50 oxigraph ms':>16}"
        )

        def row(name: str, concurrency: int, ours: tuple[float, float], theirs: tuple[float, float]) -> None:
            print(f"{name:34} {concurrency:>4} {ours[0]:>13.1f} {theirs[0]:>15.1f} {ours[0] / theirs[0]:>6.2f} "
                  f"{ours[1]:>14.2f} {theirs[1]:>16.2f}")  # fmt: skip

        for how, name in (("GET", "point lookup"), ("FORM", "point lookup, POST form"),
                          ("QUERY", "point lookup, POST sparql-query")):  # fmt: skip
            for concurrency in (1, 16):
                # Alternating 5-second runs, medians: the machine's speed drifts from minute to minute.
                runs: list[list[tuple[float, float]]] = [[], []]
                for _ in range(args.rounds):
                    runs[0].append(measure(coopkg_url + "/sparql", points, concurrency, json_type, 5, how))
                    runs[1].append(measure(oxigraph_url + "/query", points, concurrency, json_type, 5, how))
                ours, theirs = (tuple(statistics.median(r[i] for r in side) for i in (0, 1)) for side in runs)
                row(name, concurrency, ours, theirs)  # type: ignore[arg-type]
        if args.lookups_only:
            return
        for concurrency in (1, 16):
            ours, theirs = measure_interleaved(
                (coopkg_url + "/sparql", oxigraph_url + "/query"), heavy[0], concurrency, json_type, args.heavy
            )
            row("heavy aggregate (total per funder)", concurrency, ours, theirs)
        in_process = []
        for p in points[:500]:
            t = time.perf_counter()
            list(store.query(p["query"], use_default_graph_as_union=True))
            in_process.append(time.perf_counter() - t)
        _, served = measure(coopkg_url + "/sparql", points[:500], 1, json_type)
        print(f"point lookup median: in-process {statistics.median(in_process) * 1000:.3f} ms, /sparql {served:.3f} ms, "
              f"added {served - statistics.median(in_process) * 1000:.3f} ms")  # fmt: skip
        _, api = measure(
            coopkg_url + "/api/fundings", [{"sort": "-amount", "limit": "20"}] * 200, 1, "application/json"
        )
        print(f"/api/fundings first page by amount: median {api:.2f} ms")
        _, totals_api = measure(coopkg_url + "/api/fundings/totals", [{}] * 50, 1, "application/json")
        _, totals_sparql = measure(oxigraph_url + "/query", heavy[:4], 1, json_type, 0)
        print(f"total per funder: API {totals_api:.2f} ms, SPARQL on Oxigraph {totals_sparql:.1f} ms, "
              f"{totals_sparql / totals_api:.0f}x faster")  # fmt: skip
    finally:
        stop(list(reversed(servers)))  # in the order they were started
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
