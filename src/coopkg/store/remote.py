"""The remote backend: any SPARQL 1.1 query/update endpoint pair, through SPARQLWrapper.

The Graph Store Protocol is used, where configured, for bulk loads. The endpoint must
answer queries over the union of its graphs by default (``oxigraph serve
--union-default-graph``; Fuseki's ``unionDefaultGraph``), as the embedded store does.

With a :class:`~coopkg.store.changelog.ChangeLog`, every write carries its change-log entry in
the same update request, and the log's graph is left out of the graphs, statistics and exports.
SELECT and ASK queries go over a kept-alive httpx connection (SPARQLWrapper opens one per query,
which doubles the cost of a small query such as the freshness check); CONSTRUCT, DESCRIBE and
updates go through SPARQLWrapper.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO

import httpx
from pyoxigraph import (
    NamedNode,
    Quad,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Triple,
    parse,
    parse_query_results,
    serialize,
)
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from coopkg.errors import BadInputError, QuerySyntaxError, StoreError
from coopkg.store.base import GraphStats, QueryResult, Repository, Term, rdf_format_for_path
from coopkg.store.changelog import ChangeLog
from coopkg.store.sparql_text import (
    drop_graph_update,
    inject_values,
    insert_data,
    joined_updates,
    query_form,
    replace_graph_update,
    replace_graphs_update,
    values_clause,
)

_STATS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
_INSERT_CHUNK = 50_000


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
    ) -> None:
        self.query_url = query_url
        self.update_url = update_url
        self.gsp_url = gsp_url
        self.timeout = timeout
        self.change_log = change_log
        self._http = httpx.Client(timeout=timeout)

    def _wrapper(self, text: str) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(self.query_url, updateEndpoint=self.update_url)
        wrapper.setMethod(POST)
        wrapper.setTimeout(int(self.timeout))
        wrapper.setQuery(text)
        return wrapper

    def _send(self, wrapper: SPARQLWrapper, what: str) -> tuple[bytes, str]:
        try:
            response = wrapper.query().response
            return response.read(), response.headers.get("Content-Type", "")
        except QueryBadFormed as error:
            raise QuerySyntaxError(f"malformed SPARQL {what}: {_remote_message(error)}") from error
        except (SPARQLWrapperException, urllib.error.URLError, OSError) as error:
            raise StoreError(f"remote {what} failed at {wrapper.endpoint}: {error}") from error

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        default_graphs: list[NamedNode] | None = None,
        named_graphs: list[NamedNode] | None = None,
    ) -> QueryResult:
        text = inject_values(sparql, bindings or {})
        if query_form(text) in {"SELECT", "ASK"}:
            return self._select(text, default_graphs or [], named_graphs or [])
        wrapper = self._wrapper(text)
        for graph in default_graphs or []:
            wrapper.addDefaultGraph(graph.value)
        for graph in named_graphs or []:
            wrapper.addNamedGraph(graph.value)
        is_graph_query = wrapper.queryType in {"CONSTRUCT", "DESCRIBE"}
        wrapper.setReturnFormat(TURTLE if is_graph_query else JSON)
        wrapper.setOnlyConneg(True)
        body, content_type = self._send(wrapper, "query")
        if is_graph_query:
            fmt = RdfFormat.from_media_type(content_type.split(";")[0].strip()) or RdfFormat.TURTLE
            return QueryResult("graph", triples=[q.triple for q in parse(body, format=fmt)])
        fmt = QueryResultsFormat.from_media_type(content_type.split(";")[0].strip()) or QueryResultsFormat.JSON
        return QueryResult.wrap(parse_query_results(body, format=fmt))

    def _select(self, text: str, default_graphs: list[NamedNode], named_graphs: list[NamedNode]) -> QueryResult:
        form = [("query", text)]
        form += [("default-graph-uri", g.value) for g in default_graphs]
        form += [("named-graph-uri", g.value) for g in named_graphs]
        headers = {"Accept": "application/sparql-results+json", "Content-Type": "application/x-www-form-urlencoded"}
        try:
            # httpx's pool is shared by threads; each request takes an idle kept-alive connection or opens one.
            response = self._http.post(self.query_url, content=urllib.parse.urlencode(form), headers=headers)
        except httpx.HTTPError as error:
            raise StoreError(f"remote query failed at {self.query_url}: {error}") from error
        if response.status_code == 400:
            raise QuerySyntaxError(f"malformed SPARQL query: {response.text.strip()}")
        if response.status_code >= 300:
            raise StoreError(
                f"remote query failed at {self.query_url}: HTTP {response.status_code} {response.text.strip()}"
            )
        media_type = response.headers.get("Content-Type", "").split(";")[0].strip()
        fmt = QueryResultsFormat.from_media_type(media_type) or QueryResultsFormat.JSON
        return QueryResult.wrap(parse_query_results(response.content, format=fmt))

    def update(self, sparql: str) -> None:
        """Run an update; with a change log it is recorded as changing everything (its graphs are not known)."""
        self._write(sparql, everything=True)

    def _write(self, sparql: str, graphs: Sequence[NamedNode | None] = (), *, everything: bool = False) -> None:
        """Send one update request, with its change-log entry when there is a log (the same transaction)."""
        wrapper = self._wrapper(sparql)
        if not wrapper.isSparqlUpdateRequest():
            raise BadInputError("not a SPARQL update")
        if self.change_log is not None:
            wrapper.setQuery(joined_updates(sparql, self.change_log.record(graphs, everything=everything)))
        self._send(wrapper, "update")

    def replace_graph(self, graph: NamedNode, triples: Iterable[Triple]) -> int:
        # One update request is one transaction on the endpoints we target (Oxigraph, Fuseki, GraphDB).
        triples = list(triples)
        self._write(replace_graph_update(graph, triples), [graph])
        return len(triples)

    def replace_graphs(self, graphs: Sequence[tuple[NamedNode, bytes]]) -> None:
        latest = dict(graphs)
        if latest:
            self._write(replace_graphs_update(list(latest.items())), list(latest))

    def drop_graph(self, graph: NamedNode) -> bool:
        existed = self.has_graph(graph)
        if existed:
            self._write(drop_graph_update(graph), [graph])
        return existed

    def has_graph(self, graph: NamedNode) -> bool:
        return self.query("ASK { GRAPH ?g { ?s ?p ?o } }", bindings={"g": graph}).answer()

    def load_file(
        self, path: Path, graph: NamedNode | None, *, fmt: RdfFormat | None = None, base_iri: str | None = None
    ) -> int:
        fmt = fmt or rdf_format_for_path(path)
        if graph is None and not fmt.supports_datasets:
            raise BadInputError(f"{fmt.name} holds triples only: name the target graph")
        if self.gsp_url and base_iri is None:
            return self._gsp_post(path, graph, fmt)
        try:
            quads = parse(path=str(path), format=fmt, base_iri=base_iri)
            loaded = 0
            batch: dict[str, list[Triple]] = {}
            for quad in quads:
                target = graph.value if graph is not None else _graph_key(quad)
                batch.setdefault(target, []).append(quad.triple)
                loaded += 1
                if loaded % _INSERT_CHUNK == 0:
                    self._flush(batch)
            self._flush(batch)
        except SyntaxError as error:
            raise BadInputError(f"cannot parse {path} as {fmt.name}: {error}") from error
        return loaded

    def _flush(self, batch: dict[str, list[Triple]]) -> None:
        if batch:
            targets = [NamedNode(target) if target else None for target in batch]
            inserts = [insert_data(target, triples) for target, triples in zip(targets, batch.values(), strict=True)]
            self._write(" ;\n".join(inserts), targets)  # one request per chunk, with its entry
        batch.clear()

    def _gsp_post(self, path: Path, graph: NamedNode | None, fmt: RdfFormat) -> int:
        assert self.gsp_url is not None
        before = self._count(graph)
        params = {"graph": graph.value} if graph is not None else {}
        with path.open("rb") as stream:
            response = self._http.post(
                self.gsp_url, params=params, content=stream, headers={"Content-Type": fmt.media_type}
            )
        if response.status_code == 400:
            raise BadInputError(f"cannot parse {path} as {fmt.name}: {response.text.strip()}")
        if response.status_code >= 300:
            raise StoreError(f"graph store refused {path}: HTTP {response.status_code} {response.text.strip()}")
        if self.change_log is not None:
            # The Graph Store Protocol has no room for a second operation: the entry follows the load at
            # once, in its own request (a reader between the two does not see the load in its views yet).
            self._send(self._wrapper(self.change_log.record([graph])), "update")
        return self._count(graph) - before

    def _count(self, graph: NamedNode | None) -> int:
        if graph is None:
            return len(self)
        query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        row = next(self.query(query, bindings={"g": graph}).rows(), {})
        return int(row["n"].value) if row else 0

    def _is_log(self, graph: str) -> bool:
        return self.change_log is not None and graph == self.change_log.graph.value

    def named_graphs(self) -> list[NamedNode]:
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows()
        return [r["g"] for r in rows if isinstance(r.get("g"), NamedNode) and not self._is_log(r["g"].value)]

    def graph_triples(self, graph: NamedNode) -> list[Triple]:
        return self.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", bindings={"g": graph}).graph()

    def describe(self, subjects: list[NamedNode], graph: NamedNode) -> list[Triple]:
        triples: list[Triple] = []
        for start in range(0, len(subjects), 500):
            # Several values for one variable: a VALUES block written by the engine's serializer.
            values = values_clause("s", subjects[start : start + 500])
            query = "CONSTRUCT { ?s ?p ?o } WHERE { " + values + " GRAPH ?g { ?s ?p ?o } }"
            triples.extend(self.query(query, bindings={"g": graph}).graph())
        return triples

    def graph_stats(self) -> list[GraphStats]:
        rows = self.query(_STATS).rows()
        return [GraphStats(r["g"].value, int(r["n"].value)) for r in rows if not self._is_log(r["g"].value)]

    def export(self, output: IO[bytes], fmt: RdfFormat) -> None:
        if not fmt.supports_datasets:
            if self.change_log is None:
                self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").serialize(fmt, output)
                return
            union = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?log { ?s ?p ?o } } }"
            self.query(union, bindings={"log": self.change_log.graph}).serialize(fmt, output)
            return
        solutions = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }").solutions
        assert isinstance(solutions, QuerySolutions)
        quads = (Quad(s["s"], s["p"], s["o"], s["g"]) for s in solutions if not self._is_log(s["g"].value))
        serialize(quads, output, format=fmt)

    def close(self) -> None:
        self._http.close()


def _graph_key(quad: Quad) -> str:
    return quad.graph_name.value if isinstance(quad.graph_name, NamedNode) else ""


def _remote_message(error: Exception) -> str:
    text = str(error)
    return text.split("Response:", 1)[-1].strip().strip("b'\"").replace("\\n", " ").strip()
