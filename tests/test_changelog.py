"""The remote backend's change log: every write records itself in the store, every reader follows it.

Against a real `oxigraph serve` (and the endpoint the environment names, if any: see conftest.py).
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse, serialize

from coopkg.errors import QuerySyntaxError
from coopkg.funding_index import FundingQuery
from coopkg.iris import IriMinter
from coopkg.queryexec import QueryRequest
from coopkg.service import Services
from coopkg.settings import get_settings
from coopkg.stats import store_stats
from coopkg.store import RemoteRepository
from coopkg.store.changelog import ChangeFollower, ChangeLog
from tests.conftest import BASE, Endpoint

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "data" / "corpus").glob("*.txt"))
LOG = ChangeLog(IriMinter(BASE).changes_graph)


def doc(name: str) -> NamedNode:
    return NamedNode(f"{BASE}graph/document/{name}")


def triples(tag: str, count: int = 2) -> list[Triple]:
    return [Triple(NamedNode(f"http://example.org/{tag}/{i}"), NamedNode("http://example.org/p"), Literal(str(i)))
            for i in range(count)]  # fmt: skip


@pytest.fixture
def logged(endpoint: Endpoint) -> Iterator[RemoteRepository]:
    repository = endpoint.repository(LOG)
    yield repository
    repository.close()


def test_every_kind_of_write_names_its_graphs_to_a_reader(
    logged: RemoteRepository, endpoint: Endpoint, tmp_path: Path
) -> None:
    follower = ChangeFollower(LOG, logged)
    assert follower.poll() is None
    logged.replace_graph(doc("a"), triples("a"))
    assert follower.poll().written == [doc("a").value]  # type: ignore[union-attr]
    assert follower.poll() is None  # nothing since
    nt = serialize(triples("b"), format=RdfFormat.N_TRIPLES)
    logged.replace_graphs([(doc("b"), nt), (doc("c"), nt)])
    logged.drop_graph(doc("a"))
    assert follower.poll().written == [doc("a").value, doc("b").value, doc("c").value]  # type: ignore[union-attr]
    assert logged.drop_graph(doc("a")) is False
    assert follower.poll() is None  # a drop of nothing writes nothing
    data = tmp_path / "two.nq"
    data.write_text(f'<http://example.org/s> <http://example.org/p> "1" <{doc("d").value}> .\n'
                    f'<http://example.org/s> <http://example.org/p> "2" <{doc("e").value}> .\n')  # fmt: skip
    logged.load_file(data, None, base_iri=BASE)  # as `coopkg load` does: through the Graph Store Protocol if any
    assert follower.poll().written == [doc("d").value, doc("e").value]  # type: ignore[union-attr]
    updates_only = RemoteRepository(logged.client.query_url, logged.client.update_url, change_log=LOG,
                                    credentials=endpoint.credentials, skolem_prefix=logged.skolem_prefix)  # fmt: skip
    updates_only.load_file(data, doc("f"), fmt=RdfFormat.N_QUADS, base_iri=BASE)  # chunked updates, with entries
    updates_only.close()
    assert follower.poll().written == [doc("f").value]  # type: ignore[union-attr]
    logged.update("INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/s> <http://example.org/p> 3 } }")
    assert follower.poll().everything  # type: ignore[union-attr]  # a raw update: its graphs are not known


def test_updates_with_prefixes_and_a_final_separator_are_recorded(logged: RemoteRepository) -> None:
    follower = ChangeFollower(LOG, logged)
    logged.update("PREFIX ex: <http://example.org/>\nINSERT DATA { GRAPH ex:g { ex:s ex:p 1 } } ; # done")
    logged.update("BASE <http://example.org/>\nINSERT DATA { GRAPH <g> { <s> <p> 2 } } ;")
    assert follower.poll().everything  # type: ignore[union-attr]
    assert len(logged.graph_triples(NamedNode("http://example.org/g"))) == 2


def test_a_failed_write_records_nothing(logged: RemoteRepository) -> None:
    logged.replace_graph(doc("a"), triples("a"))
    follower = ChangeFollower(LOG, logged)
    with pytest.raises(QuerySyntaxError):
        logged.update("INSERT DATA { <http://example.org/s> }")
    assert follower.poll() is None
    assert len(logged.graph_triples(doc("a"))) == 2


def test_the_log_is_no_graph_of_the_dataset(logged: RemoteRepository) -> None:
    logged.replace_graph(doc("a"), triples("a"))
    assert len(logged.graph_triples(LOG.graph)) > 0  # it is there…
    assert [g.value for g in logged.named_graphs()] == [doc("a").value]  # …but not listed, counted or exported
    assert [s.graph for s in logged.graph_stats()] == [doc("a").value]
    assert [row["graph"] for row in store_stats(logged)] == [doc("a").value, "(all)"]
    for fmt in (RdfFormat.N_QUADS, RdfFormat.N_TRIPLES):
        buffer = io.BytesIO()
        logged.export(buffer, fmt)
        assert sorted(str(q.triple) for q in parse(buffer.getvalue(), format=fmt)) == sorted(map(str, triples("a")))


def test_concurrent_writers_lose_no_change_to_a_reader(endpoint: Endpoint) -> None:
    """Oxigraph commits updates that read the same heads without a conflict: both stay heads, none is lost."""
    reader = endpoint.repository(LOG)
    follower = ChangeFollower(LOG, reader)
    seen: set[str] = set()
    rebuilds = 0
    done = threading.Event()

    def follow() -> None:
        nonlocal rebuilds
        while not done.is_set():
            change = follower.poll()
            if change is not None:
                seen.update(change.written)
                rebuilds += change.everything

    def write(worker: int) -> None:
        repository = endpoint.repository(LOG)
        for i in range(15):
            repository.replace_graph(doc(f"{worker}-{i}"), triples(f"{worker}-{i}"))
        repository.close()

    polling = threading.Thread(target=follow)
    polling.start()
    writers = [threading.Thread(target=write, args=(worker,)) for worker in range(6)]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    done.set()
    polling.join()
    last = follower.poll()
    if last is not None:
        seen.update(last.written)
        rebuilds += last.everything
    assert rebuilds == 0
    assert seen == {doc(f"{w}-{i}").value for w in range(6) for i in range(15)}
    heads = follower.read_heads()
    assert len(heads) >= 1
    reader.close()


def test_a_reader_past_the_kept_log_or_without_one_rebuilds(endpoint: Endpoint) -> None:
    short = ChangeLog(LOG.graph, keep=8)  # as the default 256, in fewer writes
    logged = endpoint.repository(short)
    follower = ChangeFollower(short, logged)
    for i in range(short.keep + 2):  # the entry the follower stands on is pruned
        logged.replace_graph(doc("a"), triples(f"v{i}", 1))
    change = follower.poll()
    assert change is not None and change.everything
    sequences = logged.query("SELECT (COUNT(?e) AS ?n) WHERE { ?e <https://w3id.org/coopkg/changes#sequence> ?s }")
    assert int(next(sequences.rows())["n"].value) <= short.keep
    outside = endpoint.repository()  # a write that bypasses coopkg, and removes the log with the data: no entry
    outside.update(f"DROP SILENT GRAPH <{LOG.graph.value}> ; DROP SILENT GRAPH <{doc('a').value}>")
    outside.close()
    change = follower.poll()
    assert change is not None and change.everything
    logged.close()


def test_a_write_through_one_service_is_seen_by_the_other(endpoint: Endpoint, tmp_path: Path) -> None:
    """Two services over one endpoint, as two workers (or hosts) would have: views follow the log."""
    settings = get_settings(**endpoint.settings(), base_iri=BASE, store=tmp_path / "unused")
    first, second = Services.open(settings), Services.open(settings)
    try:
        first.ensure_ready()
        eu = f"{BASE}id/organisation/eu"
        for services in (first, second):
            services.sync()
            assert services.fundings.search(FundingQuery())[0] == 0  # views built before the writes
            assert services.catalogue.search_projects(None) == []
            assert services.catalogue.first_sources_of([eu]) == {eu: []}
        extraction = first.ingestor.extract_bytes(CORPUS[0].read_bytes(), source=CORPUS[0].name)
        first.write_document(extraction)
        counted = "SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f a <https://w3id.org/coopkg/ontology#Funding> }"
        answer = second.query(QueryRequest(counted, "text/csv", "text/turtle"))
        expected = int(answer.body.split()[-1])
        assert expected > 0
        for services in (second, first):
            services.sync()
            assert services.fundings.search(FundingQuery())[0] == expected
            assert services.catalogue.search_projects(None)
            assert services.catalogue.first_sources_of([eu])[eu][0]["document"].endswith(extraction.document.id)
        second.delete_document(extraction.document.id)
        for services in (first, second):
            services.sync()
            assert services.fundings.search(FundingQuery())[0] == 0
            assert services.catalogue.search_projects(None) == []
            assert services.catalogue.first_sources_of([eu]) == {eu: []}
    finally:
        first.close()
        second.close()
