"""Bulk loads through the Graph Store Protocol (coopkg.store.loader, coopkg.store.bulk), against the real engines.

A large N-Quads or N-Triples file is passed on as it is, cut by graph; here "large" is made small
(``stream_bytes = 0``) and blocks tiny (``load_block_bytes``), so that every path runs on a few
lines: blocks passed on, blocks parsed here (blank nodes, relative IRIs, odd lines), graphs
carried from one block into the next. Each load is checked against the same file loaded into the
embedded store: the same quads, blank nodes one node each.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import BlankNode, NamedNode, RdfFormat

from coopkg.errors import BadInputError, StoreError
from coopkg.store import EmbeddedRepository, RemoteRepository
from coopkg.store.bulk import DEFAULT, count_lines, graph_runs, line_graph, needs_parser
from coopkg.store.changelog import ChangeFollower, ChangeLog
from coopkg.store.loader import _parts
from tests.conftest import BASE, Endpoint

pytestmark = pytest.mark.engines  # on `oxigraph serve`, Virtuoso and Jena (no graph store there: by update)

EX = "http://example.org/"
LOG = ChangeLog(NamedNode(f"{BASE}graph/changes"))


def g(name: str) -> str:
    return f"<{EX}graph/{name}>"


def document(name: str, rows: int, *, blank: bool = False) -> str:
    """One graph's quads, together, with literals that need escaping and typed values."""
    lines = []
    for i in range(rows):
        s = f"<{EX}{name}/s{i}>"
        lines.append(f'{s} <{EX}label> "{name} n°{i}: \\"quoted\\", it\'s \\\\ a \\n line"@fr {g(name)} .')
        lines.append(f'{s} <{EX}amount> "{i * 1000}"^^<http://www.w3.org/2001/XMLSchema#integer> {g(name)} .')
        lines.append(f"{s} <{EX}funder> <{EX}funder/{i % 3}> {g(name)} .")
        if blank:
            lines.append(f"{s} <{EX}address> _:place{i % 2} {g(name)} .")
            lines.append(f'_:place{i % 2} <{EX}city> "city {i % 2}" {g(name)} .')
    return "\n".join(lines) + "\n"


def loaded_quads(repo: RemoteRepository | EmbeddedRepository, graphs: list[str]) -> set[str]:
    """The quads of ``graphs`` as N-Quads lines, each blank node named by what it states (labels are the engine's)."""
    quads = set()
    for graph in graphs:
        node = NamedNode(graph[1:-1])
        triples = repo.graph_triples(node)
        names = {t.subject: t.object.value for t in triples if isinstance(t.subject, BlankNode)}
        for t in triples:
            subject = f"_:{names[t.subject]}" if isinstance(t.subject, BlankNode) else str(t.subject)
            obj = f"_:{names[t.object]}" if isinstance(t.object, BlankNode) else str(t.object)
            quads.add(f"{subject} {t.predicate} {obj} {graph}")
    return quads


def embedded_quads(path: Path, graphs: list[str], tmp_path: Path, fmt: RdfFormat = RdfFormat.N_QUADS) -> set[str]:
    store = EmbeddedRepository(tmp_path / "expected")
    store.load_file(path, None if fmt.supports_datasets else NamedNode(graphs[0][1:-1]), fmt=fmt)
    expected = loaded_quads(store, graphs)
    store.close()
    return expected


@pytest.fixture
def streamed(endpoint: Endpoint) -> RemoteRepository:
    """The endpoint's repository, with every load streamed in blocks of a few lines."""
    repo = endpoint.repository(LOG)
    repo.stream_bytes = 0
    repo.load_block_bytes = 700
    return repo


def test_a_streamed_load_writes_what_the_embedded_store_loads(streamed: RemoteRepository, tmp_path: Path) -> None:
    path = tmp_path / "data.nq"
    path.write_text(document("a", 7) + document("b", 1) + document("c", 12, blank=True) + document("d", 5), "utf-8")
    graphs = [g(x) for x in "abcd"]
    follower = ChangeFollower(LOG, streamed)
    assert streamed.load_file(path, None, base_iri=BASE) == count_lines(path.read_bytes())
    assert loaded_quads(streamed, graphs) == embedded_quads(path, graphs, tmp_path)
    # The blank nodes of graph c stay two nodes, though their lines were in several blocks.
    places = streamed.query(f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ GRAPH {g('c')} {{ ?s <{EX}address> ?p }} }}")
    assert next(places.rows())["n"].value == "2"
    assert follower.poll().written == sorted(x[1:-1] for x in graphs)  # type: ignore[union-attr]
    streamed.close()


def test_a_streamed_n_triples_file_into_one_graph(streamed: RemoteRepository, tmp_path: Path) -> None:
    text = "".join(line.rsplit(" ", 2)[0] + " .\n" for line in document("t", 30).splitlines())
    path = tmp_path / "data.nt"
    path.write_text(text, "utf-8")
    assert streamed.load_file(path, NamedNode(f"{EX}graph/t"), base_iri=BASE) == 90
    assert loaded_quads(streamed, [g("t")]) == embedded_quads(path, [g("t")], tmp_path, RdfFormat.N_TRIPLES)
    quads = path.with_suffix(".nq")
    quads.write_text(document("q", 10), "utf-8")  # N-Quads into one graph: their own graph names dropped
    assert streamed.load_file(quads, NamedNode(f"{EX}graph/t"), base_iri=BASE) == 30
    assert len(streamed.graph_triples(NamedNode(f"{EX}graph/t"))) == 120 and not streamed.has_graph(
        NamedNode(f"{EX}graph/q")
    )
    streamed.close()


def test_a_streamed_load_of_many_graphs_records_everything(streamed: RemoteRepository, tmp_path: Path) -> None:
    path = tmp_path / "many.nq"
    path.write_text("".join(document(f"m{i}", 1) for i in range(70)), "utf-8")
    follower = ChangeFollower(LOG, streamed)
    assert streamed.load_file(path, None) == 210
    assert follower.poll().everything  # type: ignore[union-attr]
    assert len(streamed.named_graphs()) == 70
    streamed.close()


def test_a_file_that_does_not_parse_is_bad_input_and_what_it_wrote_is_recorded(
    streamed: RemoteRepository, tmp_path: Path
) -> None:
    """A line no N-Quads parser reads, after two good graphs: bad input. Oxigraph's one request leaves
    nothing and records nothing; elsewhere the graphs posted before it stay, and are recorded."""
    path = tmp_path / "bad.nq"
    path.write_text(document("a", 10) + document("b", 10) + f"<{EX}s> <{EX}p> <not an iri> {g('c')} .\n", "utf-8")
    follower = ChangeFollower(LOG, streamed)
    with pytest.raises(BadInputError, match=r"cannot parse|could not parse"):
        streamed.load_file(path, None)
    change = follower.poll()
    if streamed.dialect.graph_store_datasets or streamed.client.gsp_url is None:
        assert not streamed.named_graphs()
        assert change is None
    else:
        assert {x.value for x in streamed.named_graphs()} <= {f"{EX}graph/a", f"{EX}graph/b"}
        assert change is not None and set(change.written) == {x.value for x in streamed.named_graphs()}
    streamed.close()


def test_a_relative_iri_is_refused_on_every_engine(streamed: RemoteRepository, tmp_path: Path) -> None:
    """N-Triples has no relative IRIs: refused as the embedded store refuses it (Virtuoso's loader, which
    reads Turtle, would have resolved it against the graph: that block is parsed here)."""
    path = tmp_path / "relative.nt"
    path.write_text(f'<{EX}s> <{EX}p> "x" .\n<relative> <{EX}p> "y" .\n', "utf-8")
    with pytest.raises(BadInputError, match=r"cannot parse|could not parse"):
        streamed.load_file(path, NamedNode(f"{EX}graph/r"))
    assert not streamed.query(f'ASK {{ ?s <{EX}p> "y" }}').answer()
    streamed.close()


def test_an_ill_typed_integer_is_refused_or_kept_never_changed(streamed: RemoteRepository, tmp_path: Path) -> None:
    """Virtuoso's graph store would store "abc"^^xsd:integer as 0: such a block goes by update, refused
    (SR341); the other engines keep the literal as written."""
    path = tmp_path / "typed.nq"
    bad = f'<{EX}s> <{EX}n> "abc"^^<http://www.w3.org/2001/XMLSchema#integer> {g("n")} .\n'
    path.write_text(document("a", 3) + bad, "utf-8")
    if streamed.dialect.name == "virtuoso":
        with pytest.raises(StoreError, match="SR341"):
            streamed.load_file(path, None)
        assert not streamed.query(f"ASK {{ <{EX}s> <{EX}n> ?o }}").answer()
    else:
        streamed.load_file(path, None)
        row = next(streamed.query(f"SELECT ?o WHERE {{ <{EX}s> <{EX}n> ?o }}").rows())
        assert row["o"].value == "abc"
    streamed.close()


def test_a_default_graph_line_is_loaded_where_the_engine_has_one(streamed: RemoteRepository, tmp_path: Path) -> None:
    path = tmp_path / "default.nq"
    path.write_text(document("a", 2) + f"<{EX}d> <{EX}p> <{EX}graph/a> .\n" + document("b", 2), "utf-8")
    if streamed.dialect.name == "virtuoso":
        with pytest.raises(StoreError, match=r"SP031|22023"):  # no default graph to write to
            streamed.load_file(path, None)
        return
    follower = ChangeFollower(LOG, streamed)
    assert streamed.load_file(path, None) == 13
    # The three-IRI line is the default graph's, not graph a's.
    assert len(streamed.graph_triples(NamedNode(f"{EX}graph/a"))) == 6
    assert follower.poll().everything  # type: ignore[union-attr]  # the default graph: every view may change
    streamed.close()


# -- the splitting itself (no engine) ------------------------------------------------------------------


def test_each_line_tells_its_graph() -> None:
    assert line_graph(f'<{EX}s> <{EX}p> "x" <{EX}g> .\n'.encode()) == f"<{EX}g>".encode()
    assert line_graph(f"<{EX}s> <{EX}p> <{EX}o> <{EX}g> .".encode()) == f"<{EX}g>".encode()
    assert line_graph(f"<{EX}s> <{EX}p> <{EX}o> .".encode()) == DEFAULT
    assert line_graph(f'<{EX}s> <{EX}p> "a <b> c"@fr .'.encode()) == DEFAULT
    assert line_graph(f'<{EX}s> <{EX}p> "1"^^<{EX}t> .'.encode()) == DEFAULT
    assert line_graph(f'<{EX}s> <{EX}p> "1"^^<{EX}t> <{EX}g> .'.encode()) == f"<{EX}g>".encode()
    assert line_graph(b"# a comment") is None
    assert line_graph(f"<{EX}s> <{EX}p> <{EX}o> <{EX}g> . # why".encode()) is None


def test_runs_are_checked_line_by_line_where_graphs_interleave() -> None:
    a, b = f"<{EX}a>", f"<{EX}b>"
    data = "".join(f'<{EX}s{i}> <{EX}p> "{i}" {x} .\n' for i, x in enumerate([a, a, b, a, a])).encode()
    runs = graph_runs(data)
    assert runs is not None
    assert [(r.graph.decode(), data.count(b"\n", r.start, r.end)) for r in runs] == [(a, 2), (b, 1), (a, 2)]
    assert runs[0].triples(data) == f'<{EX}s0> <{EX}p> "0" .\n<{EX}s1> <{EX}p> "1" .\n'.encode()
    hidden = data + f"<{EX}s> <{EX}p> <{EX}o> {a} .\n<{EX}t> <{EX}p> {a} .\n".encode()
    assert graph_runs(hidden) is None  # "<t> <p> <a> ." is the default graph's, not in a's run
    assert graph_runs(data.replace(b" .\n", b"  .\n")) is None  # written otherwise: the parser reads it
    assert graph_runs(b"\n" + data + b"\n") is not None


def test_what_needs_the_parser() -> None:
    plain = f'<{EX}s> <{EX}p> "x" <{EX}g> .\n'.encode()
    assert not needs_parser(plain, relative_iris=True, integers=True)
    assert needs_parser(plain + f"_:b <{EX}p> <{EX}o> .\n".encode())
    assert needs_parser(plain.replace(b"\n", b"\r\n"))
    relative = f"<{EX}s> <{EX}p> <o> <{EX}g> .\n".encode()
    assert needs_parser(relative, relative_iris=True) and not needs_parser(relative)
    typed = f'<{EX}s> <{EX}p> "%s"^^<http://www.w3.org/2001/XMLSchema#int> .\n'
    assert not needs_parser((typed % "-12").encode(), integers=True)
    assert needs_parser((typed % "1.5").encode(), integers=True)


def test_lines_are_counted_and_cut_at_their_ends() -> None:
    data = b"<a> <b> <c> .\n\n# note\n  <a> <b> <d> .\n"
    assert count_lines(data) == 2 and count_lines(b"<a> <b> <c> .\n<a> <b> <e#f> .\n") == 2
    pieces = list(_parts(b"1234\n56\n789\n", 6))
    assert pieces == [b"1234\n", b"56\n", b"789\n"] and list(_parts(b"12345678\n9\n", 4)) == [b"12345678\n", b"9\n"]
