"""The repository interface shared by the embedded and the remote store."""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    NamedNode,
    Quad,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Triple,
    serialize,
)
from pyoxigraph import Literal as RdfLiteral

from coopkg.errors import BadInputError

Term = NamedNode | BlankNode | RdfLiteral
ResultKind = Literal["solutions", "boolean", "graph"]

RDF_FORMATS: dict[str, RdfFormat] = {
    "turtle": RdfFormat.TURTLE,
    "ttl": RdfFormat.TURTLE,
    "trig": RdfFormat.TRIG,
    "ntriples": RdfFormat.N_TRIPLES,
    "nt": RdfFormat.N_TRIPLES,
    "nquads": RdfFormat.N_QUADS,
    "nq": RdfFormat.N_QUADS,
    "jsonld": RdfFormat.JSON_LD,
    "json-ld": RdfFormat.JSON_LD,
    "rdfxml": RdfFormat.RDF_XML,
    "xml": RdfFormat.RDF_XML,
    "rdf": RdfFormat.RDF_XML,
    "owl": RdfFormat.RDF_XML,
    "n3": RdfFormat.N3,
}
RESULT_FORMATS: dict[str, QueryResultsFormat] = {
    "json": QueryResultsFormat.JSON,
    "srj": QueryResultsFormat.JSON,
    "xml": QueryResultsFormat.XML,
    "srx": QueryResultsFormat.XML,
    "csv": QueryResultsFormat.CSV,
    "tsv": QueryResultsFormat.TSV,
}


def rdf_format(name: str) -> RdfFormat:
    """An RDF format from a short name, a file extension or a media type."""
    key = name.lower().lstrip(".")
    if key in RDF_FORMATS:
        return RDF_FORMATS[key]
    fmt = RdfFormat.from_media_type(key) or RdfFormat.from_extension(key)
    if fmt is None:
        raise BadInputError(f"unknown RDF format {name!r}; use one of {', '.join(sorted(RDF_FORMATS))}")
    return fmt


def rdf_format_for_path(path: Path) -> RdfFormat:
    suffix = path.suffix.lower().lstrip(".")
    if suffix == "json":
        return RdfFormat.JSON_LD
    return rdf_format(suffix) if suffix else rdf_format("turtle")


@dataclass
class QueryResult:
    """The answer to a query, from either backend, serialisable by the engine in any format."""

    kind: ResultKind
    variables: list[str] = field(default_factory=list)
    solutions: QuerySolutions | None = None
    boolean: QueryBoolean | None = None
    triples: list[Triple] | QueryTriples | None = None

    @classmethod
    def wrap(cls, raw: QuerySolutions | QueryBoolean | QueryTriples) -> QueryResult:
        if isinstance(raw, QuerySolutions):
            return cls("solutions", [v.value for v in raw.variables], solutions=raw)
        if isinstance(raw, QueryBoolean):
            return cls("boolean", boolean=raw)
        return cls("graph", triples=raw)

    def rows(self) -> Iterator[dict[str, Term]]:
        """Solutions as dicts of bound variables (unbound ones are left out). Consumes the result."""
        if self.solutions is None:
            raise BadInputError("this query does not return solutions (use SELECT)")
        names = self.variables
        for solution in self.solutions:
            row = {}
            for name in names:
                value = solution[name]
                if value is not None:
                    row[name] = value
            yield row

    def graph(self) -> list[Triple]:
        if self.triples is None:
            raise BadInputError("this query does not return a graph (use CONSTRUCT or DESCRIBE)")
        if not isinstance(self.triples, list):
            self.triples = list(self.triples)
        return self.triples

    def serialize(self, fmt: QueryResultsFormat | RdfFormat, output: IO[bytes] | None = None) -> bytes | None:
        """Serialise with the engine (keeps datatypes and language tags). Consumes the result."""
        if self.kind == "graph":
            if not isinstance(fmt, RdfFormat):
                raise BadInputError(f"a graph result cannot be written as {fmt.name}")
            return serialize(self.graph(), output, format=fmt)
        if not isinstance(fmt, QueryResultsFormat):
            raise BadInputError(f"a {self.kind} result cannot be written as {fmt.name}")
        raw = self.boolean if self.kind == "boolean" else self.solutions
        assert raw is not None
        return raw.serialize(output, format=fmt)

    def answer(self) -> bool:
        """The truth value of an ASK query."""
        if self.kind != "boolean":
            raise BadInputError("only an ASK query has a truth value")
        return bool(self.boolean)


@dataclass(frozen=True)
class GraphStats:
    graph: str
    triples: int


class Repository(abc.ABC):
    """A quad store with named graphs; queries see the union of all graphs as their default graph."""

    @abc.abstractmethod
    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        default_graphs: list[NamedNode] | None = None,
        named_graphs: list[NamedNode] | None = None,
    ) -> QueryResult:
        """Run a SPARQL query. ``bindings`` fix variables to terms without touching the query text."""

    @abc.abstractmethod
    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Run a SPARQL update, all or nothing; ``base_iri`` resolves its relative IRIs (None: they are errors)."""

    @abc.abstractmethod
    def replace_graph(self, graph: NamedNode, triples: Iterable[Triple]) -> int:
        """Replace the content of ``graph`` atomically: readers see the old or the new, never a mix."""

    @abc.abstractmethod
    def replace_graphs(self, graphs: Sequence[tuple[NamedNode, bytes]]) -> None:
        """Replace several graphs in one transaction, each given as N-Triples written by the engine.

        Each graph is wholly replaced or not at all, and all of them together: a batch of
        documents is one commit. A graph named twice gets its last content.
        """

    @abc.abstractmethod
    def drop_graph(self, graph: NamedNode) -> bool:
        """Remove a named graph; returns whether it existed."""

    @abc.abstractmethod
    def load_file(
        self, path: Path, graph: NamedNode | None, *, fmt: RdfFormat | None = None, base_iri: str | None = None
    ) -> int:
        """Bulk-load an RDF file into ``graph`` (or, for dataset formats with ``graph=None``, its own graphs).

        Meant for large initial loads: use :meth:`replace_graph` where atomicity matters.
        """

    @abc.abstractmethod
    def named_graphs(self) -> list[NamedNode]:
        """All named graphs."""

    @abc.abstractmethod
    def graph_triples(self, graph: NamedNode) -> list[Triple]:
        """The triples of one named graph."""

    @abc.abstractmethod
    def describe(self, subjects: list[NamedNode], graph: NamedNode) -> list[Triple]:
        """The triples of ``graph`` whose subject is one of ``subjects``."""

    @abc.abstractmethod
    def graph_stats(self) -> list[GraphStats]:
        """Triples per named graph."""

    @abc.abstractmethod
    def export(self, output: IO[bytes], fmt: RdfFormat) -> None:
        """Write the whole dataset (dataset formats) or the union graph (triple formats)."""

    def has_graph(self, graph: NamedNode) -> bool:
        return any(g == graph for g in self.named_graphs())

    def __len__(self) -> int:
        return sum(s.triples for s in self.graph_stats())

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release the store."""

    def __enter__(self) -> Repository:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def to_quads(triples: Iterable[Triple], graph: NamedNode | DefaultGraph) -> Iterator[Quad]:
    for t in triples:
        yield Quad(t.subject, t.predicate, t.object, graph)
