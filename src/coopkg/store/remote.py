"""The remote backend: a SPARQL 1.1 query/update endpoint pair, plus the Graph Store Protocol where offered.

The endpoint must answer queries over the union of its graphs by default (``oxigraph serve
--union-default-graph``, Virtuoso, Fuseki's ``unionDefaultGraph``), as the embedded store does.
What engines do differently is in :mod:`coopkg.store.engines`; what is done about it, here:

* **Writes** are one update request each, cut under the engine's limits (groups of
  ``INSERT DATA``). With a :class:`~coopkg.store.changelog.ChangeLog`, the request carries the
  write's change-log entry: after the write where a request is one transaction, *before* it
  where a failing operation leaves the earlier ones committed (Virtuoso), so that whatever part
  of the request is committed, the entry is too.
* **A replace stays all or nothing** where a request is not: the new content goes into a fresh
  staging graph (one ``INSERT DATA`` operation), then ``MOVE`` puts it in place (one operation),
  so a failure leaves the old version; the staging graph of a failed request is dropped and is
  never one of coopkg's graphs. Readers see the old or the new version as far as the engine
  isolates one request (see the README's "Engines").
* **Blank nodes** are skolemised before they are written and given back as blank nodes
  (:mod:`coopkg.store.skolem`); engine blank-node names (``nodeID://…``) are accepted.
* **Truncated answers** (a truncation header, or exactly the engine's row limit) are read again
  in pages (:mod:`coopkg.store.paging`); a truncated CONSTRUCT, which cannot be paged, is a store error.
* **The engine's own graphs**, the change log and staging graphs are left out of the graphs,
  statistics and exports coopkg reports.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from pyoxigraph import (
    Literal,
    NamedNode,
    Quad,
    QueryResultsFormat,
    RdfFormat,
    Triple,
    parse,
    parse_query_results,
    serialize,
)

from coopkg.errors import BadInputError, StoreError
from coopkg.store.base import GraphStats, QueryResult, Repository, Term, rdf_format_for_path
from coopkg.store.changelog import ChangeLog
from coopkg.store.engines import Dialect
from coopkg.store.paging import page_query
from coopkg.store.skolem import DEFAULT_PREFIX, Skolemiser, Unskolemiser
from coopkg.store.sparql_http import Credentials, SparqlClient
from coopkg.store.sparql_text import (
    joined_updates,
    query_form,
    single_line,
    substitute,
    term_text,
    values_clause,
)

STAGING = "https://w3id.org/coopkg/staging/"  # graphs a replace writes before it moves them in place
RESULTS_JSON = "application/sparql-results+json"
_STATS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


class RemoteRepository(Repository):
    """A SPARQL 1.1 Protocol endpoint pair, plus the Graph Store Protocol where offered."""

    def __init__(
        self,
        query_url: str,
        update_url: str,
        *,
        gsp_url: str | None = None,
        timeout: float = 60.0,
        change_log: ChangeLog | None = None,
        credentials: Credentials | None = None,
        engine: str | None = None,
        max_rows: int | None = None,
        skolem_prefix: str = DEFAULT_PREFIX,
        stream_bytes: int | None = None,
    ) -> None:
        from coopkg.store.bulk import BLOCK_BYTES
        from coopkg.store.loader import STREAM_BYTES

        self.client = SparqlClient(query_url, update_url, gsp_url=gsp_url, timeout=timeout,
                                   credentials=credentials, engine=engine, max_rows=max_rows)  # fmt: skip
        self.change_log = change_log
        self.skolem_prefix = skolem_prefix
        self.stream_bytes = STREAM_BYTES if stream_bytes is None else stream_bytes  # larger loads are streamed
        self.load_block_bytes = BLOCK_BYTES  # read at a time by a streamed load

    @property
    def dialect(self) -> Dialect:
        return self.client.dialect

    # -- reading ----------------------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        default_graphs: list[NamedNode] | None = None,
        named_graphs: list[NamedNode] | None = None,
    ) -> QueryResult:
        text = substitute(sparql, bindings or {})  # as the embedded store's substitutions bind them
        graphs = [g.value for g in default_graphs or []], [g.value for g in named_graphs or []]
        form = query_form(text)
        if form in {"SELECT", "ASK"}:
            return QueryResult.wrap(self._solutions(text, *graphs, paged=form == "SELECT"))
        return QueryResult("graph", triples=self._graph(text, *graphs))

    def _solutions(self, text: str, default_graphs: list[str], named_graphs: list[str], *, paged: bool) -> Any:
        response = self.client.query(text, RESULTS_JSON, default_graphs=default_graphs, named_graphs=named_graphs)
        body = response.content
        media_type = response.headers.get("Content-Type", "").split(";")[0].strip()
        fmt = QueryResultsFormat.from_media_type(media_type) or QueryResultsFormat.JSON
        unskolem = self._unskolemiser()
        if fmt == QueryResultsFormat.JSON and paged and self._truncated(response, body):
            document = self._all_pages(text, json.loads(body), default_graphs, named_graphs)
            body = json.dumps(document).encode()
        if fmt == QueryResultsFormat.JSON and unskolem.concerns(body):
            body = unskolem.json_results(body)
        return parse_query_results(body, format=fmt)

    def _truncated(self, response: Any, body: bytes) -> bool:
        """The engine said it cut the answer (a header), or the answer is as long as the engine's row limit."""
        dialect = self.dialect
        if dialect.truncation_header and dialect.truncation_header in response.headers:
            return True
        if dialect.max_rows is None or len(body) < 10 * dialect.max_rows:  # shorter than that many rows can be
            return False
        return len(json.loads(body).get("results", {}).get("bindings", [])) >= dialect.max_rows

    def _all_pages(
        self, text: str, first: dict[str, Any], default_graphs: list[str], named_graphs: list[str]
    ) -> dict[str, Any]:
        """The whole answer of a query the engine truncated, read again page by page."""
        variables: list[str] = first.get("head", {}).get("vars", [])
        size = min(self.dialect.max_rows or 10**9, len(first.get("results", {}).get("bindings", [])))
        if size == 0:
            return first
        rows: list[Any] = []
        while True:
            page = self.client.query(page_query(text, variables, size, len(rows)), RESULTS_JSON,
                                     default_graphs=default_graphs, named_graphs=named_graphs)  # fmt: skip
            bindings = json.loads(page.content).get("results", {}).get("bindings", [])
            rows.extend(bindings)
            if len(bindings) < size:
                return {"head": {"vars": variables}, "results": {"bindings": rows}}

    def _graph(self, text: str, default_graphs: list[str], named_graphs: list[str]) -> list[Triple]:
        accept = "application/n-triples"
        response = self.client.query(text, accept, default_graphs=default_graphs, named_graphs=named_graphs)
        media_type = response.headers.get("Content-Type", "").split(";")[0].strip()
        fmt = RdfFormat.from_media_type(media_type) or RdfFormat.N_TRIPLES
        if media_type == "text/plain":
            fmt = RdfFormat.N_TRIPLES  # Virtuoso's name for it
        triples = [quad.triple for quad in parse(response.content, format=fmt)]
        limit = self.dialect.max_rows
        if limit is not None and len(triples) >= limit:
            raise StoreError(
                f"the engine cut the answer at {limit:,} triples (its row limit, e.g. Virtuoso's ResultSetMaxRows): "
                "ask for less, or raise the engine's limit"
            )
        unskolem = self._unskolemiser()
        if unskolem.concerns(response.content):
            triples = [unskolem.triple(t) for t in triples]
        return triples

    def _unskolemiser(self) -> Unskolemiser:
        return Unskolemiser(self.skolem_prefix, self.dialect.blank_node_scheme)

    def _rows(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> Iterator[dict[str, Term]]:
        return self.query(sparql, bindings=bindings).rows()

    # -- writing ----------------------------------------------------------------------------------

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Run an update; with a change log it is recorded as changing everything (its graphs are not known).

        The text goes as written: the endpoint resolves relative IRIs against its own base, not ``base_iri``."""
        if self.change_log is None:
            self.client.update(sparql)
            return
        entry = self.change_log.record([], everything=True)
        if self.dialect.atomic_requests:
            self.client.update(joined_updates(sparql, entry))  # appended: error positions stay the user's
        else:
            # Recorded first, on the same first line: whatever part of the update commits is noticed.
            self.client.update(single_line(entry) + " ;\n" + sparql)

    def _write(
        self, operations: Sequence[str], graphs: Sequence[NamedNode | None], *, everything: bool = False
    ) -> None:
        """One update request of coopkg's own operations, with its change-log entry when there is a log."""
        dialect = self.dialect
        ops = list(operations)
        if self.change_log is not None:
            entry = self.change_log.record(graphs, everything=everything)
            ops = [*ops, entry] if dialect.atomic_requests else [entry, *ops]
        self.client.update(dialect.update_prologue + " ;\n".join(ops))

    def replace_graph(self, graph: NamedNode, triples: Iterable[Triple]) -> int:
        content = list(Skolemiser(self.skolem_prefix).triples(triples))
        self._replace([(graph, content)])
        return len(content)

    def replace_graphs(self, graphs: Sequence[tuple[NamedNode, bytes]]) -> None:
        latest = dict(graphs)
        if not latest:
            return
        skolem = Skolemiser(self.skolem_prefix)
        parsed = [
            (graph, list(skolem.triples(q.triple for q in parse(data, format=RdfFormat.N_TRIPLES))))
            for graph, data in latest.items()
        ]
        self._replace(parsed)

    def _replace(self, graphs: list[tuple[NamedNode, list[Triple]]]) -> None:
        dialect = self.dialect
        targets: list[NamedNode | None] = [graph for graph, _ in graphs]
        if dialect.atomic_requests:
            # One request is one transaction: empty each graph and fill it again, all at once.
            operations = []
            for graph, triples in graphs:
                operations.append("DROP SILENT GRAPH " + term_text(graph))
                if triples:
                    operations.append(self._insert_data(graph, triples))
            self._write(operations, targets)
            return
        created = self._create_new_graphs(graphs) if self.client.gsp_url else set()
        # Staged: the new versions are written beside the old ones, then moved in place, so that a failure
        # at any point leaves each graph's old version (and nothing of the new ones visible).
        kept = [(graph, triples) for graph, triples in graphs if graph.value not in created]
        staged = {graph.value: NamedNode(f"{STAGING}{uuid.uuid4().hex}") for graph, triples in kept if triples}
        operations = [self._insert_data(staged[g.value], triples) for g, triples in kept if triples]
        for graph, triples in kept:
            if triples:
                operations.append(f"MOVE SILENT {term_text(staged[graph.value])} TO {term_text(graph)}")
            else:
                operations.append("DROP SILENT GRAPH " + term_text(graph))
        try:
            self._write(operations, targets)  # the entry names the created graphs too, and follows their loads
        except StoreError:
            self._drop_quietly([*staged.values(), *(NamedNode(g) for g in created)])
            raise

    def _create_new_graphs(self, graphs: list[tuple[NamedNode, list[Triple]]]) -> set[str]:
        """Graphs that do not exist yet, loaded through the Graph Store Protocol (3-5x faster than INSERT
        DATA on Virtuoso, and nothing to stage: before the load there was nothing to lose). A failure
        removes the ones created here, so the batch is still all or nothing."""
        wanted = [graph for graph, triples in graphs if triples]
        if not wanted:
            return set()
        query = "SELECT ?g WHERE { " + values_clause("g", wanted) + " GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        existing = {row["g"].value for row in self._rows(query)}
        created: set[str] = set()
        try:
            for graph, triples in graphs:
                if triples and graph.value not in existing and self.dialect.graph_store_keeps(triples):
                    created.add(graph.value)  # before the load: a load that fails half-way is removed too
                    data = serialize(triples, format=RdfFormat.N_TRIPLES)
                    self.client.post_graph(graph.value, data, "application/n-triples", replace=True)
        except StoreError:
            self._drop_quietly([NamedNode(g) for g in created])
            raise
        return created

    def _drop_quietly(self, graphs: list[NamedNode]) -> None:
        # The request that failed is reported; a staging graph left over is never shown as data.
        if graphs:
            with contextlib.suppress(StoreError):
                self.client.update(" ;\n".join("DROP SILENT GRAPH " + term_text(g) for g in graphs))

    def _insert_data(self, graph: NamedNode | None, triples: list[Triple]) -> str:
        """One INSERT DATA operation, its triples in groups of at most the engine's group size.

        The default graph's triples cannot be grouped (``INSERT DATA { { … } }`` is no SPARQL: Oxigraph
        took it, Jena and Virtuoso refuse it): they are one operation per group, in the same request."""
        size = self.dialect.group_triples
        chunks = [
            serialize(triples[i : i + size], format=RdfFormat.N_TRIPLES).decode("utf-8")
            for i in range(0, len(triples), size)
        ]
        if graph is None:
            return " ;\n".join("INSERT DATA {\n" + chunk + "}" for chunk in chunks)
        opening = "GRAPH " + term_text(graph) + " {\n"
        return "INSERT DATA {\n" + "\n".join(opening + chunk + "}" for chunk in chunks) + "\n}"

    def drop_graph(self, graph: NamedNode) -> bool:
        existed = self.has_graph(graph)
        if existed:
            # Virtuoso refuses DROP GRAPH of a graph never created explicitly: existence was checked above.
            keyword = "DROP SILENT GRAPH " if self.dialect.drop_needs_silent else "DROP GRAPH "
            self._write([keyword + term_text(graph)], [graph])
        return existed

    def has_graph(self, graph: NamedNode) -> bool:
        return self.query("ASK { GRAPH ?g { ?s ?p ?o } }", bindings={"g": graph}).answer()

    def load_file(
        self, path: Path, graph: NamedNode | None, *, fmt: RdfFormat | None = None, base_iri: str | None = None
    ) -> int:
        """Through the Graph Store Protocol when there is one (:mod:`coopkg.store.loader`: a large N-Quads or
        N-Triples file passed on as it is, one request on Oxigraph, graph by graph and several at once
        elsewhere; one change-log entry at the end), else parsed here (so relative IRIs resolve against
        ``base_iri``) and written as ``INSERT DATA`` requests under the engine's limits, each with its entry.
        """
        fmt = fmt or rdf_format_for_path(path)
        if graph is None and not fmt.supports_datasets:
            raise BadInputError(f"{fmt.name} holds triples only: name the target graph")
        if self.client.gsp_url is not None:
            from coopkg.store.loader import GraphStoreLoad

            return GraphStoreLoad(self, graph, fmt, base_iri).run(path)
        skolem = Skolemiser(self.skolem_prefix)
        chunk = self.dialect.request_triples
        loaded = 0
        batch: dict[str, list[Triple]] = {}
        try:
            for quad in parse(path=str(path), format=fmt, base_iri=base_iri):
                target = graph.value if graph is not None else _graph_key(quad)
                batch.setdefault(target, []).append(skolem.triple(quad.triple))
                loaded += 1
                if loaded % chunk == 0:
                    self._flush(batch)
        except SyntaxError as error:
            raise BadInputError(f"cannot parse {path} as {fmt.name}: {error}") from error
        self._flush(batch)
        return loaded

    def _flush(self, batch: dict[str, list[Triple]]) -> None:
        """One chunk of a load by updates: one request, with its change-log entry."""
        if not batch:
            return
        targets = [NamedNode(target) if target else None for target in batch]
        inserts = [self._insert_data(target, triples) for target, triples in zip(targets, batch.values(), strict=True)]
        self._write(inserts, targets)
        batch.clear()

    # -- the dataset as coopkg reports it -----------------------------------------------------------

    def _is_hidden(self, graph: str) -> bool:
        """The engine's own graphs, the change log and staging graphs: never reported as the dataset's."""
        if graph.startswith(STAGING) or graph in self.dialect.hidden_graphs:
            return True
        return self.change_log is not None and graph == self.change_log.graph.value

    def named_graphs(self) -> list[NamedNode]:
        # GROUP BY, not DISTINCT: Virtuoso takes 25 s for SELECT DISTINCT ?g over 20,000 quads, 0.15 s for this.
        rows = self._rows("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return [r["g"] for r in rows if isinstance(r.get("g"), NamedNode) and not self._is_hidden(r["g"].value)]

    def graph_triples(self, graph: NamedNode) -> list[Triple]:
        rows = self._rows("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": graph})
        return [Triple(r["s"], r["p"], r["o"]) for r in rows]  # type: ignore[arg-type]

    def describe(self, subjects: list[NamedNode], graph: NamedNode) -> list[Triple]:
        triples: list[Triple] = []
        for start in range(0, len(subjects), 500):
            # Several values for one variable: a VALUES block written by the engine's serializer.
            values = values_clause("s", subjects[start : start + 500])
            rows = self._rows("SELECT ?s ?p ?o WHERE { " + values + " GRAPH ?g { ?s ?p ?o } }", {"g": graph})
            triples.extend(Triple(r["s"], r["p"], r["o"]) for r in rows)  # type: ignore[arg-type]
        return triples

    def graph_stats(self) -> list[GraphStats]:
        rows = self._rows(_STATS)
        return [GraphStats(r["g"].value, int(r["n"].value)) for r in rows if not self._is_hidden(r["g"].value)]

    def export(self, output: IO[bytes], fmt: RdfFormat) -> None:
        if not fmt.supports_datasets:
            # The union of coopkg's graphs, as a set of triples: the hidden graphs left out by the engine.
            hidden = sorted({*self.dialect.hidden_graphs, *([self.change_log.graph.value] if self.change_log else [])})
            excluded = f"FILTER(!STRSTARTS(STR(?g), {term_text(Literal(STAGING))})"
            if hidden:
                excluded += " && ?g NOT IN (" + ", ".join(term_text(NamedNode(g)) for g in hidden) + ")"
            rows = self._rows("SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } " + excluded + ") }")
            serialize((Triple(r["s"], r["p"], r["o"]) for r in rows), output, format=fmt)  # type: ignore[arg-type]
            return
        rows = self._rows("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        quads = (Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows if not self._is_hidden(r["g"].value))  # type: ignore[arg-type]
        serialize(quads, output, format=fmt)

    def close(self) -> None:
        self.client.close()


def _graph_key(quad: Quad) -> str:
    return quad.graph_name.value if isinstance(quad.graph_name, NamedNode) else ""
