"""`coopkg load` through the remote backend against each engine's own loader, side by side.

For each round, engine and mode, a fresh engine is started as the tests start it (tests/conftest.py:
`oxigraph serve --union-default-graph`; Debian's Virtuoso 7.2 with its own database, here with
`--buffers` NumberOfBuffers), `coopkg init` fills in the ontology and the reference data, and then
the same N-Quads file is loaded, timed from start to end of the process:

* `native`: the engine's own loader on the engine's machine: `oxigraph load --location …` (the server
  stopped meanwhile: RocksDB takes one process), Virtuoso's `ld_dir` + `rdf_loader_run()` through
  `isql-vt` (its `checkpoint` after, timed apart: the bulk loader writes no transaction log);
* `branch`: `coopkg load FILE --no-validate` from this checkout, through the remote backend
  (`COOPKG_GSP_URL` set, as docs/scale.md says);
* `main`: the same from another checkout's `src` (`--baseline`, e.g. `git archive main`).

Each load is checked by counting the file's graphs' triples in the engine afterwards. The machine's
load average is printed with every figure. Usage:

    python bench/remote_load.py --data FILE.nq [--engines virtuoso oxigraph] [--modes native branch main]
        [--baseline /tmp/main-src/src] [--rounds 1] [--buffers 340000]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import tests.conftest as conftest  # noqa: E402  (the engines as the tests start them)
from tests.conftest import OxigraphServer, VirtuosoServer, oxigraph_binary  # noqa: E402

BASE = "http://127.0.0.1:8000/"
COUNT = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
         f'FILTER(STRSTARTS(STR(?g), "{BASE}graph/document/")) }}')  # fmt: skip


def load_average() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def coopkg(src: Path, env: dict[str, str], *args: str) -> tuple[float, float, str]:
    """Run the coopkg CLI from ``src``: (wall seconds, CPU seconds of the process, its output)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", "from coopkg.cli import main; main()", *args],
                          env={**env, "PYTHONPATH": str(src)}, capture_output=True, text=True)  # fmt: skip
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"coopkg {args[0]} failed: {done.stdout}{done.stderr}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, (done.stdout + done.stderr).strip().splitlines()[-1]


class Engine:
    """One fresh engine in ``folder``: its endpoint settings for coopkg, its native loader, a count."""

    def __init__(self, name: str, folder: Path, buffers: int) -> None:
        self.name, self.folder = name, folder
        if name == "virtuoso":
            conftest.VIRTUOSO_INI = conftest.VIRTUOSO_INI.replace(
                "NumberOfBuffers = 10000", f"NumberOfBuffers = {buffers}"
            ).replace("MaxDirtyBuffers = 6000", f"MaxDirtyBuffers = {buffers * 3 // 4}")
            self.server: VirtuosoServer | OxigraphServer = VirtuosoServer(folder)
            endpoint = self.server.endpoint()
            ini = (folder / "virtuoso.ini").read_text()
            self.sql_port = re.search(r"ServerPort = 127.0.0.1:(\d+)\nDisable", ini).group(1)  # type: ignore[union-attr]
        else:
            self.server = OxigraphServer(folder / "db")
            url = self.server.url
            endpoint = conftest.Endpoint(f"{url}/query", f"{url}/update", f"{url}/store")
        self.query_url = endpoint.query_url
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("COOPKG_")}
        self.env.update(endpoint.env(), COOPKG_BASE_IRI=BASE, COOPKG_STORE=str(folder / "unused-store"),
                        COOPKG_REMOTE_TIMEOUT="600", TMPDIR=str(folder), NO_COLOR="1")  # fmt: skip

    def native(self, data: Path) -> tuple[float, float]:
        """The engine's own loader: (seconds to load, seconds to make it durable)."""
        if isinstance(self.server, VirtuosoServer):
            (self.folder / "data").mkdir()
            os.link(data, self.folder / "data" / data.name)
            isql = [shutil.which("isql-vt") or "isql-vt", f"127.0.0.1:{self.sql_port}", "dba", VirtuosoServer.PASSWORD]
            started = time.perf_counter()
            statement = f"exec=ld_dir('{self.folder}/data', '{data.name}', '{BASE}unnamed'); rdf_loader_run();"
            subprocess.run([*isql, statement], check=True, capture_output=True)
            loaded = time.perf_counter() - started
            subprocess.run([*isql, "exec=checkpoint;"], check=True, capture_output=True)
            return loaded, time.perf_counter() - started - loaded
        self.server.stop()
        started = time.perf_counter()
        subprocess.run([oxigraph_binary(), "load", "--location", str(self.folder / "db"), "--file", str(data)],
                       check=True, capture_output=True)  # fmt: skip
        loaded = time.perf_counter() - started
        self.server = OxigraphServer(self.folder / "db")
        self.query_url = f"{self.server.url}/query"
        return loaded, 0.0

    def count(self) -> int:
        response = httpx.post(self.query_url, data={"query": COUNT}, headers={"Accept": "text/csv"}, timeout=900)
        response.raise_for_status()
        return int(response.text.split()[-1].strip('"'))

    def stop(self) -> None:
        self.server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="an N-Quads file (coopkg synth --out FILE.nq)")
    parser.add_argument("--engines", nargs="+", default=["virtuoso", "oxigraph"])
    parser.add_argument("--modes", nargs="+", default=["native", "branch"])
    parser.add_argument("--baseline", type=Path, help="another checkout's src folder, for the `main` mode")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--buffers", type=int, default=340_000, help="Virtuoso's NumberOfBuffers (8 KB each)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()))
    args = parser.parse_args()
    sources = {"branch": ROOT / "src", "main": args.baseline}
    if "main" in args.modes and args.baseline is None:
        parser.error("the main mode needs --baseline")
    lines = sum(1 for _ in args.data.open("rb"))
    print(f"{args.data}: {lines:,} quads; rounds {args.rounds}; load average {load_average()}", flush=True)
    rows = []
    for round_ in range(1, args.rounds + 1):
        for engine_name in args.engines:
            for mode in args.modes:
                folder = Path(tempfile.mkdtemp(prefix=f"coopkg-load-{engine_name}-{mode}-", dir=args.work))
                engine = Engine(engine_name, folder, args.buffers)
                try:
                    coopkg(ROOT / "src", engine.env, "init")
                    before = load_average()
                    if mode == "native":
                        seconds, durable = engine.native(args.data)
                        cpu, note = 0.0, f"+ {durable:.1f} s checkpoint" if durable else ""
                    else:
                        seconds, cpu, note = coopkg(sources[mode], engine.env, "load", str(args.data), "--no-validate")
                    triples = engine.count()
                    row = (f"round {round_} {engine_name} {mode}: {triples:,} triples in {seconds:.1f} s = "
                           f"{triples / seconds:,.0f} triples/s; client CPU {cpu:.1f} s; load {before} -> "
                           f"{load_average()}; {note}")  # fmt: skip
                    print(row, flush=True)
                    rows.append(row)
                finally:
                    engine.stop()
                    shutil.rmtree(folder, ignore_errors=True)
    print("\n".join(["", *rows]))


if __name__ == "__main__":
    main()
