"""One suite, run against both backends: the embedded store and a real `oxigraph serve`."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, QueryResultsFormat, RdfFormat, Triple, parse, parse_query_results, serialize

from coopkg.errors import BadInputError, QuerySyntaxError
from coopkg.store import Repository
from tests.conftest import ROOT, OxigraphServer

EX = "http://example.org/"
G1 = NamedNode(EX + "graph/1")
G2 = NamedNode(EX + "graph/2")
XSD_INT = NamedNode("http://www.w3.org/2001/XMLSchema#integer")


def t(s: str, p: str, o: NamedNode | Literal) -> Triple:
    return Triple(NamedNode(EX + s), NamedNode(EX + p), o)


def numbered(count: int, tag: str) -> list[Triple]:
    return [t(f"{tag}/{i}", "n", Literal(str(i), datatype=XSD_INT)) for i in range(count)]


def test_replace_graph_swaps_content(repo: Repository) -> None:
    repo.replace_graph(G1, numbered(5, "old"))
    repo.replace_graph(G1, numbered(3, "new"))
    subjects = {tr.subject.value for tr in repo.graph_triples(G1)}
    assert subjects == {f"{EX}new/{i}" for i in range(3)}


def _nt(triples: list[Triple]) -> bytes:
    return serialize(triples, format=RdfFormat.N_TRIPLES)


def test_replace_graphs_writes_a_batch_of_new_graphs(repo: Repository) -> None:
    repo.replace_graphs([(G1, _nt(numbered(4, "a"))), (G2, _nt(numbered(2, "b")))])
    assert {s.graph: s.triples for s in repo.graph_stats()} == {G1.value: 4, G2.value: 2}


def test_replace_graphs_replaces_existing_ones_and_keeps_the_last_of_a_name(repo: Repository) -> None:
    repo.replace_graph(G1, numbered(5, "old"))
    repo.replace_graphs([(G1, _nt(numbered(1, "first"))), (G2, _nt(numbered(2, "b"))), (G1, _nt(numbered(3, "new")))])
    assert {tr.subject.value for tr in repo.graph_triples(G1)} == {f"{EX}new/{i}" for i in range(3)}
    assert len(repo.graph_triples(G2)) == 2


def test_replace_graphs_keeps_literals_exactly(repo: Repository) -> None:
    odd = [t("a", "p", Literal('tab\t quote" newline\n }')), t("a", "q", Literal("مرحبا", language="ar"))]
    repo.replace_graphs([(G1, _nt(odd))])
    assert sorted(map(str, repo.graph_triples(G1))) == sorted(map(str, odd))


def test_graphs_are_separate_and_default_graph_is_union(repo: Repository) -> None:
    repo.replace_graph(G1, [t("a", "p", Literal("one"))])
    repo.replace_graph(G2, [t("b", "p", Literal("two"))])
    # The union also holds an engine's own graphs (Virtuoso's: see the README's "Engines"), never coopkg's data.
    rows = list(
        repo.query("SELECT ?o WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), 'http://example.org/')) } ORDER BY ?o").rows()
    )
    assert [r["o"].value for r in rows] == ["one", "two"]
    assert len(repo) == 2  # what coopkg reports of the dataset: its graphs only
    assert {g.value for g in repo.named_graphs()} == {G1.value, G2.value}
    assert {s.graph: s.triples for s in repo.graph_stats()} == {G1.value: 1, G2.value: 1}


def test_drop_graph_removes_only_that_graph(repo: Repository) -> None:
    repo.replace_graph(G1, [t("a", "p", Literal("one"))])
    repo.replace_graph(G2, [t("b", "p", Literal("two"))])
    assert repo.drop_graph(G1) is True
    assert repo.drop_graph(G1) is False
    assert not repo.has_graph(G1)
    assert repo.has_graph(G2)


def test_bindings_are_terms_not_text(repo: Repository) -> None:
    repo.replace_graph(G1, [t("a", "label", Literal('O\'Brien "quoted" }')), t("b", "label", Literal("other"))])
    query = "SELECT ?s ?label WHERE { ?s <http://example.org/label> ?label }"
    rows = list(repo.query(query, bindings={"label": Literal('O\'Brien "quoted" }')}).rows())
    assert [r["s"].value for r in rows] == [EX + "a"]
    # An injection attempt is just a literal that matches nothing.
    hostile = Literal('x" } ; DROP ALL ; SELECT * { "')
    assert list(repo.query(query, bindings={"label": hostile}).rows()) == []
    assert len(repo.graph_triples(G1)) == 2


def test_results_keep_datatypes_and_languages(repo: Repository) -> None:
    repo.replace_graph(
        G1, [t("a", "p", Literal("7", datatype=XSD_INT)), t("a", "q", Literal("bonjour", language="fr"))]
    )
    data = repo.query("SELECT ?p ?o WHERE { ?s ?p ?o } ORDER BY ?p").serialize(QueryResultsFormat.JSON)
    solutions = list(parse_query_results(data, QueryResultsFormat.JSON))
    assert solutions[0]["o"] == Literal("7", datatype=XSD_INT)
    assert solutions[1]["o"] == Literal("bonjour", language="fr")


def test_construct_and_ask(repo: Repository) -> None:
    repo.replace_graph(G1, [t("a", "p", Literal("x"))])
    assert repo.query("ASK { ?s ?p 'x' }").answer() is True
    assert repo.query("ASK { ?s ?p 'y' }").answer() is False
    mine = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), 'http://example.org/')) }"
    turtle = repo.query(mine).serialize(RdfFormat.N_TRIPLES)
    assert [q.triple for q in parse(turtle, format=RdfFormat.N_TRIPLES)] == [t("a", "p", Literal("x"))]


def test_malformed_query_is_a_syntax_error(repo: Repository) -> None:
    with pytest.raises(QuerySyntaxError):
        repo.query("SELECT * WHERE { ?s ?p }")
    with pytest.raises(QuerySyntaxError):
        repo.update("INSERT DATA { <a> }")


@pytest.mark.parametrize(
    ("suffix", "content"),
    [
        ("ttl", "@prefix ex: <http://example.org/> . ex:s ex:p 'turtle', 'two' ."),
        (
            "nt",
            '<http://example.org/s> <http://example.org/p> "nt" .\n<http://example.org/s> <http://example.org/p> "x" .\n',
        ),
        ("jsonld", '{"@id": "http://example.org/s", "http://example.org/p": ["jsonld", "x"]}'),
        (
            "rdf",
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
            '<rdf:Description rdf:about="http://example.org/s"><ex:p>xml</ex:p><ex:p>x</ex:p></rdf:Description></rdf:RDF>',
        ),
    ],
)
def test_load_triple_formats_into_named_graph(repo: Repository, tmp_path: Path, suffix: str, content: str) -> None:
    path = tmp_path / f"data.{suffix}"
    path.write_text(content, encoding="utf-8")
    assert repo.load_file(path, G1) == 2
    assert len(repo.graph_triples(G1)) == 2


@pytest.mark.parametrize("suffix", ["trig", "nq"])
def test_load_dataset_formats_keep_their_graphs(repo: Repository, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"data.{suffix}"
    if suffix == "trig":
        path.write_text("<http://example.org/graph/1> { <http://example.org/s> <http://example.org/p> 1 . }\n"
                        "<http://example.org/graph/2> { <http://example.org/s> <http://example.org/p> 2 . }\n")  # fmt: skip
    else:
        path.write_text('<http://example.org/s> <http://example.org/p> "1" <http://example.org/graph/1> .\n'
                        '<http://example.org/s> <http://example.org/p> "2" <http://example.org/graph/2> .\n')  # fmt: skip
    repo.load_file(path, None)
    assert {g.value for g in repo.named_graphs()} == {G1.value, G2.value}


def test_load_relative_iris_against_base(repo: Repository, tmp_path: Path) -> None:
    path = tmp_path / "relative.ttl"
    path.write_text("<id/x> <http://example.org/p> 'v' .")
    repo.load_file(path, G1, base_iri="http://base.test/")
    assert repo.graph_triples(G1)[0].subject == NamedNode("http://base.test/id/x")


def test_load_bad_file_is_bad_input_and_writes_nothing(repo: Repository, tmp_path: Path) -> None:
    repo.replace_graph(G1, [t("kept", "p", Literal("x"))])
    path = tmp_path / "bad.ttl"
    path.write_text("<http://example.org/s> <http://example.org/p> .")
    with pytest.raises(BadInputError):
        repo.load_file(path, G1)
    assert [tr.subject.value for tr in repo.graph_triples(G1)] == [EX + "kept"]


def test_triples_format_without_graph_is_refused(repo: Repository, tmp_path: Path) -> None:
    path = tmp_path / "x.ttl"
    path.write_text("<http://example.org/s> <http://example.org/p> 1 .")
    with pytest.raises(BadInputError, match="name the target graph"):
        repo.load_file(path, None)


def test_describe_reads_one_graph(repo: Repository) -> None:
    repo.replace_graph(G1, [t("a", "p", Literal("in g1")), t("b", "p", Literal("other"))])
    repo.replace_graph(G2, [t("a", "p", Literal("in g2"))])
    found = repo.describe([NamedNode(EX + "a")], G1)
    assert found == [t("a", "p", Literal("in g1"))]


def test_export_dataset_round_trips(repo: Repository) -> None:
    repo.replace_graph(G1, [t("a", "p", Literal("one"))])
    repo.replace_graph(G2, [t("b", "p", Literal("two", language="en"))])
    buffer = io.BytesIO()
    repo.export(buffer, RdfFormat.N_QUADS)
    quads = {
        (q.subject.value, q.object.value, q.graph_name.value)
        for q in parse(buffer.getvalue(), format=RdfFormat.N_QUADS)
    }
    assert quads == {(EX + "a", "one", G1.value), (EX + "b", "two", G2.value)}


def test_readers_never_see_half_a_replacement(repo: Repository) -> None:
    """While a writer swaps a 2,000-triple graph between two versions, readers only ever count 2,000."""
    versions = [numbered(2000, "v1"), numbered(2000, "v2")]
    repo.replace_graph(G1, versions[0])
    counts: list[int] = []
    stop = threading.Event()
    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://example.org/graph/1> { ?s ?p ?o } }"

    def read() -> None:
        while not stop.is_set():
            counts.append(int(next(repo.query(query).rows())["n"].value))

    reader = threading.Thread(target=read)
    reader.start()
    for round_ in range(6):
        repo.replace_graph(G1, versions[round_ % 2])
    stop.set()
    reader.join()
    assert counts, "the reader ran"
    assert set(counts) == {2000}


def test_the_remote_suite_runs_against_an_endpoint_the_environment_names(tmp_path: Path) -> None:
    """COOPKG_TEST_QUERY_URL / COOPKG_TEST_UPDATE_URL add an "external" backend to every remote test."""
    external = OxigraphServer(tmp_path / "external")
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("COOPKG_")}
        env.update(COOPKG_TEST_QUERY_URL=f"{external.url}/query", COOPKG_TEST_UPDATE_URL=f"{external.url}/update")
        test = "tests/test_store.py::test_replace_graph_swaps_content"
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider", test],
                              env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        assert f"PASSED {test}[external]" in done.stdout
        stored = external.repository()
        assert {tr.subject.value for tr in stored.graph_triples(G1)} == {f"{EX}new/{i}" for i in range(3)}
        stored.close()
    finally:
        external.stop()
