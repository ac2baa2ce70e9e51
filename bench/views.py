"""Views at scale: worker start-up, memory, fundings and search under load, on one prebuilt store.

`python bench/views.py --store /tmp/big/store [--baseline /tmp/main-checkout]` serves the store with
`coopkg serve --workers 2` and measures, side by side in one run (each server alone on the machine,
one after the other):

* start-up: from `coopkg serve` to the first `/api/fundings` answer of *each* worker (the views are
  built before, by a first start that is timed apart: "views built");
* memory of each worker after that and after the load below: RSS and PSS (/proc/PID/smaps_rollup:
  pages shared with the other worker count half), and the views file's size;
* a killed worker: seconds until its replacement answers `/api/fundings`;
* `/api/fundings` first page and `/api/fundings/totals`: median and p99 of sequential requests;
* `/api/organisations?q=` and `/api/projects?q=` under wrk at concurrency 32: p50 and p99, first with
  500 queries cycled (the service keeps search answers per snapshot, so most are repeats) and then
  with every request a query never asked before (nothing kept: each one is searched).

`--baseline DIR` runs a checkout of another version of coopkg (its `src/` first on PYTHONPATH), for
example main before the shared views, on the same store and the same requests. The store must exist
(`coopkg synth`, `coopkg init`, `coopkg load`, `coopkg ingest data/corpus` with the same
COOPKG_BASE_IRI as `--base`): at 10^5 projects building it takes most of an hour here.

`--startup N` measures only the start-up (and the CPU time it took: the server's processes' user and
system time when both workers have answered), each worker's PSS then and a killed worker's
replacement, N rounds, the baseline and this checkout alternating within each round, with the load
average printed beside each figure.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from _common import percentile, stop
from service import _wrk_script, free_port

ROOT = Path(__file__).resolve().parents[1]


def memory(pid: int) -> tuple[float, float]:
    """RSS and PSS of a process, in MB."""
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        parts = line.split()
        if parts[0] in {"Rss:", "Pss:"}:
            values[parts[0]] = int(parts[1]) / 1024
    return values["Rss:"], values["Pss:"]


def cpu_seconds(root: int) -> float:
    """User and system CPU seconds of a process and of its live descendants (and of the children they reaped)."""
    total, pending = 0.0, [root]
    while pending:
        pid = pending.pop()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")  # utime stime cutime cstime
        pending += _children(pid)
    return total


def _children(pid: int) -> set[int]:
    try:
        return {int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except FileNotFoundError:
        return set()


def workers(supervisor: int) -> set[int]:
    """The supervisor's workers: its spawned children, or the children of its forkserver."""
    found = set()
    for child in _children(supervisor):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except FileNotFoundError:
            continue
        if b"spawn_main" in cmdline:
            found.add(child)
        elif b"forkserver" in cmdline:
            found |= _children(child)
    return found


class Server:
    def __init__(self, tree: Path | None, store: Path, base: str, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("COOPKG_")}
        env.update(COOPKG_STORE=str(store), COOPKG_BASE_IRI=base, COOPKG_QUERY_TIMEOUT="3600")
        if tree is not None:
            env["PYTHONPATH"] = str(tree / "src")
        self.log = log.open("ab")
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "coopkg.cli", "serve", "--port", str(self.port), "--workers", "2", "--any-base"],
            env=env, cwd=tree or ROOT, stdout=self.log, stderr=self.log,
        )  # fmt: skip

    def first_answers(self, path: str) -> float:
        """Seconds from the start until both workers answered ``path``: requests on new connections from
        eight threads at once (so that both workers get one while the other is busy), until both did."""
        answered: dict[int, float] = {}
        deadline = time.monotonic() + 3600

        def ask() -> None:
            while len(answered) < 2 and time.monotonic() < deadline:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=3600)
                try:
                    connection.request("GET", path)
                    response = connection.getresponse()
                    body = response.read()
                    assert response.status == 200, body[:300]
                    worker = _worker_of(connection, self.port, workers(self.process.pid))
                    answered.setdefault(worker, time.perf_counter() - self.started)
                except (OSError, LookupError):
                    time.sleep(0.05)
                finally:
                    connection.close()

        _at_once(ask)
        if len(answered) < 2:
            raise RuntimeError("the workers did not both answer")
        return max(answered.values())

    def stop(self) -> None:
        stop([self.process])  # type: ignore[list-item]
        self.log.close()


def _at_once(ask: Callable[[], None], clients: int = 8) -> None:
    """``ask`` from ``clients`` threads at once, until each returns."""
    threads = [threading.Thread(target=ask) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _worker_of(connection: http.client.HTTPConnection, port: int, pids: set[int]) -> int:
    """The worker process holding the server side of ``connection`` (from /proc/net/tcp and its fds)."""
    client_port = connection.sock.getsockname()[1]
    inode = next((line.split()[9] for line in Path("/proc/net/tcp").read_text().splitlines()[1:]
                  if line.split()[1].endswith(f":{port:04X}") and line.split()[2].endswith(f":{client_port:04X}")),
                 None)  # fmt: skip
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if inode is not None and fd.readlink() == Path(f"socket:[{inode}]"):
                    return pid
            except FileNotFoundError:
                continue
    raise LookupError("no worker holds the connection")


def respawn(server: Server, victim: int) -> float:
    """SIGKILL one worker; seconds until the worker the supervisor starts instead answers ``/api/fundings``
    (asked from eight threads at once, so that it gets requests while the other worker answers too)."""
    survivors = workers(server.process.pid) - {victim}
    os.kill(victim, signal.SIGKILL)
    started = time.perf_counter()
    deadline = time.monotonic() + 3600
    fresh: set[int] = set()
    while not fresh and time.monotonic() < deadline:
        fresh = workers(server.process.pid) - survivors - {victim}
        time.sleep(0.01)
    answered: list[float] = []

    def ask() -> None:
        while not answered and time.monotonic() < deadline:
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=3600)
            try:
                connection.request("GET", "/api/fundings?limit=20")
                response = connection.getresponse()
                response.read()
                if response.status == 200 and _worker_of(connection, server.port, workers(server.process.pid)) in fresh:
                    answered.append(time.perf_counter() - started)
            except (OSError, LookupError):
                time.sleep(0.02)
            finally:
                connection.close()

    _at_once(ask)
    if not answered:
        raise RuntimeError("the replacement worker did not answer")
    return answered[0]


def sequential(url: str, path: str, params: dict[str, str], n: int) -> tuple[float, float]:
    """Median and p99 of ``n`` sequential GETs, in ms."""
    times = []
    with httpx.Client(base_url=url, timeout=600) as client:
        client.get(path, params=params)
        for _ in range(n):
            started = time.perf_counter()
            response = client.get(path, params=params)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
    return statistics.median(times), percentile(times, 0.99)


def _wrk_split_script(url: str, params: list[dict[str, str]]) -> Path:
    """A wrk Lua script in which each of two threads cycles through its own half of the requests (with one
    list per thread, as :func:`_wrk_script` has, every request would be sent twice, once by each thread)."""
    script = _wrk_script(url, params)
    text = (
        script.read_text(encoding="ascii")
        .replace(
            "local i = 0\n",
            "local i = 0\nlocal step = 2\nlocal n = 0\n"
            "setup = function(thread)\n  thread:set('first', n)\n  n = n + 1\nend\n"
            "init = function(args)\n  i = first\nend\n",
        )
        .replace(
            "  i = i % #targets + 1\n  return wrk.format(nil, targets[i])",
            "  local k = i % #targets + 1\n  i = i + step\n  return wrk.format(nil, targets[k])",
        )
    )
    script.write_text(text, encoding="ascii")
    return script


def wrk(
    url: str, params: list[dict[str, str]], seconds: int, concurrency: int, *, split: bool = False
) -> tuple[float, float, float, int, int]:
    """Requests per second, p50 and p99 in ms, non-2xx answers, requests sent."""
    script = _wrk_split_script(url, params) if split else _wrk_script(url, params)
    done = subprocess.run(["wrk", "-t", "2", "-c", str(concurrency), "-d", f"{seconds}s", "--latency", "--timeout",
                           "30s", "-s", str(script), url], capture_output=True, text=True, check=True)  # fmt: skip
    script.unlink()

    def ms(name: str) -> float:
        found = re.search(rf"{name}%\s+([\d.]+)(us|ms|s)", done.stdout)
        assert found is not None, done.stdout
        return float(found.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[found.group(2)]

    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", done.stdout).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", done.stdout)
    sent = int(re.search(r"(\d+) requests in", done.stdout).group(1))  # type: ignore[union-attr]
    return rate, ms("50"), ms("99"), int(errors.group(1)) if errors else 0, sent


def search_terms(labels: list[str], rng: random.Random, n: int) -> list[str]:
    """bench/search.py's queries: whole names, first words, word starts ("Proj synt"), ``n`` distinct."""
    found: list[str] = []
    for label in labels:
        words = label.split()
        found += [label, words[0], " ".join(w[:4] for w in words[:2])]
    rng.shuffle(found)
    return list(dict.fromkeys(q for q in found if q.strip()))[:n]


def measure(name: str, tree: Path | None, args: argparse.Namespace, work: Path) -> dict[str, object]:
    print(f"\n== {name}", flush=True)
    name = "baseline" if tree is not None else "shared-views"  # the log files' names
    out: dict[str, object] = {}
    if tree is None:  # the views are built once per state of the store: a first start builds them if needed
        views = Path(f"{args.store}-snapshots") / "views"
        before = (views / "CURRENT").read_text() if (views / "CURRENT").exists() else None
        first = Server(tree, args.store, args.base, work / f"{name}.log")
        try:
            took = first.first_answers("/api/fundings?limit=20")
        finally:
            first.stop()
        built = (views / "CURRENT").read_text() != before
        out["first start, s" + (" (views built)" if built else " (views current already)")] = took
        current = views / (views / "CURRENT").read_text().strip()
        out["views file, MB"] = current.stat().st_size / 1e6
    server = Server(tree, args.store, args.base, work / f"{name}.log")
    try:
        out["start-up to both workers' first /api/fundings, s"] = server.first_answers("/api/fundings?limit=20")
        pids = sorted(workers(server.process.pid))
        for i, pid in enumerate(pids):
            rss, pss = memory(pid)
            out[f"worker {i + 1} after start: RSS / PSS, MB"] = f"{rss:.0f} / {pss:.0f}"
        p50, p99 = sequential(server.url, "/api/fundings", {"limit": "20"}, args.requests)
        out["/api/fundings first page p50 / p99, ms"] = f"{p50:.1f} / {p99:.1f}"
        p50, p99 = sequential(server.url, "/api/fundings/totals", {}, args.requests)
        out["/api/fundings/totals p50 / p99, ms"] = f"{p50:.1f} / {p99:.1f}"
        rng = random.Random(3)
        with httpx.Client(base_url=server.url, timeout=3600) as client:
            for kind in ("organisations", "projects"):
                started = time.perf_counter()
                labels = [i["label"] for i in client.get(f"/api/{kind}", params={"limit": 1000}).json()["items"]]
                client.get(f"/api/{kind}", params={"q": labels[0]})
                client.get(f"/api/{kind}", params={"q": labels[1]})  # both workers, whatever they build first
                out[f"{kind}: first search, s"] = time.perf_counter() - started
                names = [i["label"] for offset in range(1000, args.names, 1000)
                         for i in client.get(f"/api/{kind}", params={"limit": 1000, "offset": offset}).json()["items"]]  # fmt: skip
                cycled = search_terms(labels, rng, 500)
                rate, p50, p99, bad, _ = wrk(f"{server.url}/api/{kind}", [{"q": t} for t in cycled], args.seconds, 32)
                out[f"{kind} search c=32, 500 queries cycled: req/s, p50, p99 ms"] = f"{rate:.0f}, {p50:.1f}, {p99:.1f}"
                asked = set(cycled)
                fresh = list(dict.fromkeys(n for n in names if n not in asked))  # names never asked: none kept
                distinct = [{"q": t} for t in fresh]
                rate, p50, p99, bad2, sent = wrk(f"{server.url}/api/{kind}", distinct, args.seconds, 32, split=True)
                # Past the list's end the names come round again, kept from their first time: counted here.
                out[f"{kind} search c=32, {len(fresh)} whole names never asked: req/s, p50, p99 ms, repeats"] = (
                    f"{rate:.0f}, {p50:.1f}, {p99:.1f}, {max(0, sent - len(fresh))} of {sent}"
                )
                assert bad == bad2 == 0, f"{bad + bad2} answers were not 2xx"
        for i, pid in enumerate(pids):
            rss, pss = memory(pid)
            out[f"worker {i + 1} after the load: RSS / PSS, MB"] = f"{rss:.0f} / {pss:.0f}"
        out["a worker killed: its replacement's start-up to its first /api/fundings, s"] = respawn(server, pids[0])
    finally:
        server.stop()
    for key, value in out.items():
        print(f"  {key}: {value:.1f}" if isinstance(value, float) else f"  {key}: {value}", flush=True)
    return out


def startup_rounds(args: argparse.Namespace, work: Path) -> None:
    """Start-up and a killed worker's replacement, the versions alternating, ``args.startup`` rounds."""
    trees: list[tuple[str, Path | None]] = [("this checkout", None)]
    if args.baseline is not None:
        trees.insert(0, ("baseline", args.baseline))
    figures: dict[str, list[tuple[float, float, float, float]]] = {name: [] for name, _ in trees}
    for round_ in range(args.startup):
        for name, tree in trees if round_ % 2 == 0 else reversed(trees):
            load = os.getloadavg()[0]
            server = Server(tree, args.store, args.base, work / f"startup-{name.replace(' ', '-')}.log")
            try:
                took = server.first_answers("/api/fundings?limit=20")
                cpu = cpu_seconds(server.process.pid)
                pss = max(memory(pid)[1] for pid in workers(server.process.pid))
                replaced = respawn(server, min(workers(server.process.pid)))
            finally:
                server.stop()
            figures[name].append((took, cpu, replaced, pss))
            print(f"  round {round_ + 1} {name}: start-up {took:.2f} s ({cpu:.2f} CPU s), replacement {replaced:.2f} "
                  f"s, worker PSS after start up to {pss:.0f} MB (load {load:.1f} before, {os.getloadavg()[0]:.1f} "
                  "after)", flush=True)  # fmt: skip
    for name, values in figures.items():
        starts, cpus, replacements, sizes = zip(*values, strict=True)
        print(f"{name}: start-up median {statistics.median(starts):.2f} s (min {min(starts):.2f}, max "
              f"{max(starts):.2f}; CPU median {statistics.median(cpus):.2f} s); replacement median {statistics.median(replacements):.2f} s (min "
              f"{min(replacements):.2f}, max {max(replacements):.2f}); worker PSS median "
              f"{statistics.median(sizes):.0f} MB", flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, required=True, help="a store built beforehand (see above)")
    parser.add_argument("--base", default="http://127.0.0.1:8000/", help="the COOPKG_BASE_IRI it was built with")
    parser.add_argument("--baseline", type=Path, help="a checkout of another coopkg version to measure too")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--names", type=int, default=20_000, help="never-asked names: those listed up to here")
    parser.add_argument("--startup", type=int, metavar="N", help="only start-up and replacement, N rounds")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="coopkg-views-bench-"))
    print(f"store {args.store}; logs in {work}", flush=True)
    if args.startup:
        startup_rounds(args, work)
        return
    results = {}
    if args.baseline is not None:
        results["baseline"] = measure(f"baseline ({args.baseline})", args.baseline, args, work)
    results["shared views"] = measure("shared views (this checkout)", None, args, work)


if __name__ == "__main__":
    main()
