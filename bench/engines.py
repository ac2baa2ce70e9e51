"""The remote backend on `oxigraph serve` and on Virtuoso 7.2, side by side in one run.

Starts both engines on 127.0.0.1 (Virtuoso as the tests do: its own database, Debian's package,
DefaultIsolation 4), loads the ontology, the reference data and N synthetic projects into each
through the remote backend, then times, per engine:
* the bulk load as `coopkg load` does it (parsed here, written through the Graph Store Protocol),
  and again as INSERT DATA requests (no COOPKG_GSP_URL);
* replacing one document graph that exists (Oxigraph: one request; Virtuoso: staged, then MOVE)
  and writing a new one (Virtuoso: Graph Store PUT; dropped after each write), median of 10;
* saved queries (median of 3) and the first build of the funding view (read in pages on Virtuoso
  past its 10,000-row answers).
Usage: python bench/engines.py [--projects 1000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, parse

# The engines are started as the tests start them (tests/conftest.py), from the checkout.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conftest import Endpoint, OxigraphServer, VirtuosoServer

from _common import BASE, timed
from coopkg.funding_index import FundingIndex, FundingQuery
from coopkg.iris import IriMinter
from coopkg.queries import saved_query
from coopkg.reference import install
from coopkg.store import RemoteRepository
from coopkg.synth import write_synthetic

QUERIES = [("totals-by-funder", {}), ("who-funded-what", {}), ("fundings-by-region", {"region": f"{BASE}id/region/MA"}),
           ("projects-in-region", {"region": f"{BASE}id/region/MA"})]  # fmt: skip


class Figures(dict[str, str]):
    """The figures of one engine, each printed as soon as it is measured (a run can stop half-way)."""

    def __init__(self, engine: str) -> None:
        super().__init__()
        print(f"== {engine}", flush=True)

    def __setitem__(self, key: str, value: str) -> None:
        print(f"  {key}: {value}", flush=True)
        super().__setitem__(key, value)


def measure(name: str, endpoint: Endpoint, data: Path, triples: int) -> dict[str, str]:
    minter = IriMinter(BASE)
    figures = Figures(name)
    endpoint.empty()
    with_gsp = endpoint.repository()
    started = time.perf_counter()
    install(with_gsp, minter)
    figures["install (ontology + reference data)"] = f"{time.perf_counter() - started:.2f} s"
    started = time.perf_counter()
    with_gsp.load_file(data, None, base_iri=BASE)
    seconds = time.perf_counter() - started
    figures[f"load {triples:,} triples, graph store"] = f"{seconds:.1f} s = {triples / seconds:,.0f} triples/s"
    # The same document on both engines: the first by name.
    sample = min((g for g in with_gsp.named_graphs() if "/graph/document/" in g.value), key=lambda g: g.value)
    content = with_gsp.graph_triples(sample)
    replace = [timed(lambda: with_gsp.replace_graph(sample, content), repeat=1)[0] for _ in range(10)]
    size = f"{len(content):,} triples"
    figures["replace an existing document graph, p50 of 10"] = f"{statistics.median(replace) * 1000:.0f} ms ({size})"
    create = []
    for i in range(10):
        fresh = NamedNode(f"{BASE}graph/document/bench-new-{i}")
        create.append(timed(lambda g=fresh: with_gsp.replace_graph(g, content), repeat=1)[0])
        # Dropped at once: the same facts in many graphs would slow the queries below (issue 9).
        with_gsp.drop_graph(fresh)
    figures["write a new document graph, p50 of 10"] = f"{statistics.median(create) * 1000:.0f} ms ({size})"
    for query, values in QUERIES:
        saved = saved_query(query)
        median, _ = timed(lambda saved=saved, values=values: list(saved.run(with_gsp, values).rows()))
        rows = len(list(saved.run(with_gsp, values).rows()))
        figures[f"{query}, median of 3"] = f"{median * 1000:.0f} ms ({rows:,} rows)"
    started = time.perf_counter()
    index = FundingIndex(with_gsp)
    total = index.search(FundingQuery())[0]
    figures["funding view, first build"] = f"{time.perf_counter() - started:.2f} s ({total:,} fundings)"
    with_gsp.close()
    endpoint.empty()
    updates = RemoteRepository(endpoint.query_url, endpoint.update_url, credentials=endpoint.credentials, timeout=600)
    started = time.perf_counter()
    updates.load_file(data, None, base_iri=BASE)
    seconds = time.perf_counter() - started
    figures[f"load {triples:,} triples, INSERT DATA"] = f"{seconds:.1f} s = {triples / seconds:,.0f} triples/s"
    updates.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=1000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="coopkg-engines-"))
    data = work / "synthetic.nq"
    write_synthetic(data, IriMinter(BASE), projects=args.projects, seed=11)
    triples = sum(1 for _ in parse(path=str(data), format=RdfFormat.N_QUADS))
    print(f"{args.projects} synthetic projects, {triples:,} triples", flush=True)
    oxigraph = OxigraphServer(work / "oxigraph")
    virtuoso = VirtuosoServer(work / "virtuoso")
    try:
        rows = {
            "oxigraph serve 0.5.13": measure("oxigraph serve", Endpoint(f"{oxigraph.url}/query", f"{oxigraph.url}/update",
                                                                        f"{oxigraph.url}/store"), data, triples),
            "Virtuoso 7.2.5": measure("Virtuoso", virtuoso.endpoint(), data, triples),
        }  # fmt: skip
    finally:
        oxigraph.stop()
        virtuoso.stop()
    names = list(rows)
    print("\n| measure | " + " | ".join(names) + " |\n| --- | " + " | ".join("---" for _ in names) + " |")
    for key in rows[names[0]]:
        print(f"| {key} | " + " | ".join(rows[n].get(key, "–") for n in names) + " |")


if __name__ == "__main__":
    main()
