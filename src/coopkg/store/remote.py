"""The remote backend: any SPARQL 1.1 query/update endpoint pair, through SPARQLWrapper.

The Graph Store Protocol is used, where configured, for bulk loads. The endpoint must
answer queries over the union of its graphs by default (``oxigraph serve
--union-default-graph``; Fuseki's ``unionDefaultGraph``), as the embedded store does.
"""

from __future__ import annotations

import urllib.error
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
from coopkg.store.sparql_text import (
    drop_graph_update,
    inject_values,
    insert_data,
    replace_graph_update,
    replace_graphs_update,
    values_clause,
)

_STATS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
_INSERT_CHUNK = 50_000


class RemoteRepository(Repository):
    """A SPARQL 1.1 Protocol endpoint pair, plus the Graph Store Protocol where offered."""

    def __init__(self, query_url: str, update_url: str, *, gsp_url: str | None = None, timeout: float = 60.0) -> None:
        self.query_url = query_url
        self.update_url = update_url
        self.gsp_url = gsp_url
        self.timeout = timeout
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
        wrapper = self._wrapper(inject_values(sparql, bindings or {}))
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

    def update(self, sparql: str) -> None:
        wrapper = self._wrapper(sparql)
        if not wrapper.isSparqlUpdateRequest():
            raise BadInputError("not a SPARQL update")
        self._send(wrapper, "update")

    def replace_graph(self, graph: NamedNode, triples: Iterable[Triple]) -> int:
        # One update request is one transaction on the endpoints we target (Oxigraph, Fuseki, GraphDB).
        triples = list(triples)
        self.update(replace_graph_update(graph, triples))
        return len(triples)

    def replace_graphs(self, graphs: Sequence[tuple[NamedNode, bytes]]) -> None:
        if graphs:
            self.update(replace_graphs_update(list(dict(graphs).items())))

    def drop_graph(self, graph: NamedNode) -> bool:
        existed = self.has_graph(graph)
        if existed:
            self.update(drop_graph_update(graph))
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
        for target, triples in batch.items():
            self.update(insert_data(NamedNode(target) if target else None, triples))
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
        return self._count(graph) - before

    def _count(self, graph: NamedNode | None) -> int:
        if graph is None:
            return len(self)
        query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        row = next(self.query(query, bindings={"g": graph}).rows(), {})
        return int(row["n"].value) if row else 0

    def named_graphs(self) -> list[NamedNode]:
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows()
        return [r["g"] for r in rows if isinstance(r.get("g"), NamedNode)]

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
        return [GraphStats(r["g"].value, int(r["n"].value)) for r in self.query(_STATS).rows()]

    def export(self, output: IO[bytes], fmt: RdfFormat) -> None:
        if not fmt.supports_datasets:
            self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").serialize(fmt, output)
            return
        solutions = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }").solutions
        assert isinstance(solutions, QuerySolutions)
        quads = (Quad(s["s"], s["p"], s["o"], s["g"]) for s in solutions)
        serialize(quads, output, format=fmt)

    def close(self) -> None:
        self._http.close()


def _graph_key(quad: Quad) -> str:
    return quad.graph_name.value if isinstance(quad.graph_name, NamedNode) else ""


def _remote_message(error: Exception) -> str:
    text = str(error)
    return text.split("Response:", 1)[-1].strip().strip("b'\"").replace("\\n", " ").strip()
