"""The embedded backend: pyoxigraph on disk (or in memory for tests and tools)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO

from pyoxigraph import NamedNode, RdfFormat, Store, Triple, Variable

from coopkg.errors import BadInputError, QuerySyntaxError, StoreError
from coopkg.store.base import GraphStats, QueryResult, Repository, Term, rdf_format_for_path
from coopkg.store.sparql_text import drop_graph_update, replace_graph_update, replace_graphs_update, term_text

BULK_BYTES = 2_000_000  # new graphs past this size (about 20 documents) go through the bulk loader
_STATS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


KEPT_LOGS = 2  # RocksDB's old info logs kept in a store folder


def prune_logs(store_path: Path, keep: int = KEPT_LOGS) -> None:
    """Delete all but the newest ``keep`` of RocksDB's ``LOG.old.*`` info logs.

    Every read-write open starts a new info log (about 135 KB) and keeps the old one; pyoxigraph
    exposes no option to bound them, and a write opens the store, so they would pile up.
    """
    old = sorted(store_path.glob("LOG.old.*"), key=lambda p: p.name)  # the suffix is a timestamp
    for log_file in old[: max(0, len(old) - keep)]:
        log_file.unlink(missing_ok=True)


class EmbeddedRepository(Repository):
    """A pyoxigraph :class:`Store`; ``path=None`` keeps it in memory."""

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        self.path = path
        try:
            if path is None:
                self.store = Store()
            elif read_only:
                self.store = Store.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                self.store = Store(str(path))
        except OSError as error:
            hint = " (is another coopkg process, such as `coopkg serve`, using it?)" if "lock" in str(error) else ""
            raise StoreError(f"cannot open the store at {path}: {error}{hint}") from error

    @classmethod
    def over(cls, store: Store) -> EmbeddedRepository:
        """A repository over an already open store (a read-only snapshot, say)."""
        repo = cls.__new__(cls)
        repo.path, repo.store = None, store
        return repo

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        default_graphs: list[NamedNode] | None = None,
        named_graphs: list[NamedNode] | None = None,
    ) -> QueryResult:
        substitutions = {Variable(name): term for name, term in (bindings or {}).items()}
        try:
            raw = self.store.query(
                sparql,
                use_default_graph_as_union=default_graphs is None,
                default_graph=default_graphs,
                named_graphs=named_graphs,
                substitutions=substitutions or None,
            )
        except SyntaxError as error:
            raise QuerySyntaxError(f"malformed SPARQL query: {error}") from error
        except OSError as error:
            raise StoreError(f"query failed: {error}") from error
        except RuntimeError as error:
            # SEP-0007 substitution: a SELECT must project the variables it is given values for.
            raise BadInputError(f"cannot bind parameters: {error}") from error
        return QueryResult.wrap(raw)

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        try:
            self.store.update(sparql, base_iri=base_iri)
        except SyntaxError as error:
            raise QuerySyntaxError(f"malformed SPARQL update: {error}") from error
        except OSError as error:
            raise StoreError(f"update failed: {error}") from error

    def replace_graph(self, graph: NamedNode, triples: Iterable[Triple]) -> int:
        # One SPARQL update is one transaction in Oxigraph: the drop and the insert commit together.
        triples = list(triples)
        self.update(replace_graph_update(graph, triples))
        return len(triples)

    def replace_graphs(self, graphs: Sequence[tuple[NamedNode, bytes]]) -> None:
        latest = dict(graphs)
        if not latest:
            return
        if any(self.store.contains_named_graph(g) for g in latest):
            self.update(replace_graphs_update(list(latest.items())))  # drops and inserts: one transaction
            return
        data = b"".join(term_text(g).encode() + b" {\n" + ntriples + b"}\n" for g, ntriples in latest.items())
        try:
            if len(data) >= BULK_BYTES:
                # The bulk loader writes sorted files and ingests them all at once (atomic since pyoxigraph
                # 0.5): half the CPU of a transaction, but a fixed cost that only large batches amortise.
                # lenient: the engine wrote these terms, no need to check them again.
                self.store.bulk_load(data, format=RdfFormat.TRIG, lenient=True)
            else:
                self.store.load(data, format=RdfFormat.TRIG)  # one transaction
        except SyntaxError as error:
            raise BadInputError(f"cannot parse the graphs to write: {error}") from error
        except OSError as error:
            raise StoreError(f"write failed: {error}") from error

    def drop_graph(self, graph: NamedNode) -> bool:
        existed = self.store.contains_named_graph(graph)
        if existed:
            self.update(drop_graph_update(graph))
        return existed

    def load_file(
        self, path: Path, graph: NamedNode | None, *, fmt: RdfFormat | None = None, base_iri: str | None = None
    ) -> int:
        fmt = fmt or rdf_format_for_path(path)
        if graph is None and not fmt.supports_datasets:
            raise BadInputError(f"{fmt.name} holds triples only: name the target graph")
        before = self._count(graph)
        try:
            self.store.bulk_load(path=str(path), format=fmt, to_graph=graph, base_iri=base_iri)
        except SyntaxError as error:
            raise BadInputError(f"cannot parse {path} as {fmt.name}: {error}") from error
        except OSError as error:
            raise StoreError(f"cannot load {path}: {error}") from error
        return self._count(graph) - before

    def _count(self, graph: NamedNode | None) -> int:
        if graph is None:
            return len(self.store)
        query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        row = next(self.query(query, bindings={"g": graph}).rows(), {})
        return int(row["n"].value) if row else 0

    def named_graphs(self) -> list[NamedNode]:
        return [g for g in self.store.named_graphs() if isinstance(g, NamedNode)]

    def has_graph(self, graph: NamedNode) -> bool:
        return self.store.contains_named_graph(graph)

    def graph_triples(self, graph: NamedNode) -> list[Triple]:
        return [q.triple for q in self.store.quads_for_pattern(None, None, None, graph)]

    def describe(self, subjects: list[NamedNode], graph: NamedNode) -> list[Triple]:
        return [q.triple for s in subjects for q in self.store.quads_for_pattern(s, None, None, graph)]

    def graph_stats(self) -> list[GraphStats]:
        return [GraphStats(r["g"].value, int(r["n"].value)) for r in self.query(_STATS).rows()]

    def __len__(self) -> int:
        return len(self.store)

    def export(self, output: IO[bytes], fmt: RdfFormat) -> None:
        if fmt.supports_datasets:
            self.store.dump(output, format=fmt)
        else:
            self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").serialize(fmt, output)

    def flush(self) -> None:
        if self.path is not None:
            self.store.flush()

    def close(self) -> None:
        self.flush()
        del self.store
        if self.path is not None:
            prune_logs(self.path)
