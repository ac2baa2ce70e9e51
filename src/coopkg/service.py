"""The service core the web layer calls: query engine, write path, funding view.

The web layer parses requests, calls these, and negotiates formats; it holds no business logic.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

from pyoxigraph import NamedNode, QueryResultsFormat, RdfFormat, Triple

from coopkg.catalogue import Catalogue
from coopkg.errors import BadInputError, ForbiddenQueryError, NotFoundError, TooLargeError
from coopkg.extract.pipeline import Extractor
from coopkg.facts import Extraction
from coopkg.facts_graph import extraction_json
from coopkg.funding_index import FundingIndex
from coopkg.ingest import Ingestor, Outcome
from coopkg.iris import IriMinter
from coopkg.queryexec import Answer, QueryRequest, SnapshotQueryPool
from coopkg.settings import Settings
from coopkg.store import EmbeddedRepository, Repository, open_repository
from coopkg.store.sparql_text import uses_service
from coopkg.validate import ValidationReport, document_context, validate_document


class QueryEngine(Protocol):
    def run(self, request: QueryRequest, timeout: float) -> Answer: ...

    def refresh(self) -> None: ...

    def close(self) -> None: ...


class RemoteQueryEngine:
    """Queries sent to the remote endpoint; its own time limit (e.g. `oxigraph serve --timeout-s`) applies."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo

    def run(self, request: QueryRequest, timeout: float) -> Answer:
        result = self.repo.query(
            request.query,
            bindings=request.bindings,
            default_graphs=[NamedNode(g) for g in request.default_graphs] if request.default_graphs else None,
            named_graphs=[NamedNode(g) for g in request.named_graphs] if request.named_graphs else None,
        )
        if result.kind == "graph":
            fmt: QueryResultsFormat | RdfFormat = RdfFormat.from_media_type(request.graph_format)  # type: ignore[assignment]
        else:
            fmt = QueryResultsFormat.from_media_type(request.result_format)  # type: ignore[assignment]
        body = result.serialize(fmt) or b""
        if len(body) > request.max_bytes:
            raise TooLargeError(f"the result is {len(body):,} bytes, over the {request.max_bytes:,}-byte limit")
        return Answer(result.kind, body, fmt.media_type)

    def refresh(self) -> None:
        """Nothing to do: the endpoint always answers from its current state."""

    def close(self) -> None:
        """Nothing to release."""


def check_query_allowed(text: str, allow_service: bool) -> None:
    # pyoxigraph evaluates SERVICE against any URL it is given: refuse it (no server-side request forgery).
    if not allow_service and uses_service(text):
        raise ForbiddenQueryError("SERVICE (federated query) is disabled on this endpoint")


@dataclass
class Services:
    """What the web layer needs, built once in the app's lifespan."""

    settings: Settings
    minter: IriMinter
    repo: Repository
    engine: QueryEngine

    def __post_init__(self) -> None:
        self._write_lock = threading.Lock()

    @classmethod
    def open(cls, settings: Settings) -> Services:
        minter = IriMinter(settings.base_iri)
        repo = open_repository(settings)
        engine: QueryEngine
        if isinstance(repo, EmbeddedRepository):
            snapshots = Path(str(settings.store) + "-snapshots")
            engine = SnapshotQueryPool(repo.store, snapshots, workers=settings.query_workers)
        else:
            engine = RemoteQueryEngine(repo)
        return cls(settings, minter, repo, engine)

    @cached_property
    def extractor(self) -> Extractor:
        return Extractor.from_reference(self.minter)

    @cached_property
    def ingestor(self) -> Ingestor:
        return Ingestor(self.repo, self.minter, self.extractor, max_bytes=self.settings.max_document_bytes)

    @cached_property
    def fundings(self) -> FundingIndex:
        return FundingIndex(self.repo)

    @cached_property
    def catalogue(self) -> Catalogue:
        return Catalogue(self.repo, self.fundings)

    def close(self) -> None:
        self.engine.close()
        self.repo.close()

    # -- queries ------------------------------------------------------------------------------

    def query(self, request: QueryRequest, timeout: float | None = None) -> Answer:
        check_query_allowed(request.query, self.settings.allow_service)
        limit = self.settings.query_timeout if timeout is None else min(timeout, self.settings.query_timeout)
        if limit <= 0:
            raise BadInputError("timeout must be positive")
        return self.engine.run(request, limit)

    # -- writes: every one refreshes the query snapshot and the funding view ----------------------

    def _after_write(self, graph: NamedNode | None, dropped: bool = False) -> None:
        self.engine.refresh()
        if "catalogue" in self.__dict__:
            self.catalogue.invalidate()
        if "fundings" not in self.__dict__:
            return
        if graph is None:
            self.fundings.rebuild()
        elif dropped:
            self.fundings.graph_dropped(graph)
        else:
            self.fundings.graph_written(graph)

    def ensure_ready(self) -> bool:
        with self._write_lock:
            installed = self.ingestor.ensure_ready()
            if installed:
                self._after_write(None)
            return installed

    def write_document(self, extraction: Extraction) -> Outcome:
        with self._write_lock:
            outcome = self.ingestor.write(extraction)
            self._after_write(self.minter.document_graph(extraction.document.id))
            return outcome

    def delete_document(self, doc_id: str) -> None:
        with self._write_lock:
            self.ingestor.drop(doc_id)
            self._after_write(self.minter.document_graph(doc_id), dropped=True)

    def document_json(self, doc_id: str) -> dict[str, Any]:
        """A stored document's facts, in the ``coopkg extract`` JSON shape."""
        graph = self.minter.document_graph(doc_id)
        triples = self.repo.graph_triples(graph)
        if not triples:
            raise NotFoundError(f"no document {doc_id!r}")
        context = document_context(self.repo, self.minter, triples)
        return extraction_json(self.minter.document(doc_id).value, triples, context)

    def update(self, sparql: str) -> None:
        check_query_allowed(sparql, self.settings.allow_service)
        with self._write_lock:
            self.repo.update(sparql)
            self._after_write(None)

    def check_graph(self, triples: list[Triple]) -> ValidationReport:
        return validate_document(triples, document_context(self.repo, self.minter, triples))

    def put_graph(self, graph: NamedNode, triples: list[Triple]) -> ValidationReport:
        report = self.check_graph(triples)
        report.raise_for_violations(f"graph {graph.value}")
        with self._write_lock:
            self.repo.replace_graph(graph, triples)
            self._after_write(graph if self.minter.document_id_of_graph(graph.value) else None)
        return report

    def post_graph(self, graph: NamedNode, triples: list[Triple]) -> ValidationReport:
        existing = self.repo.graph_triples(graph)
        return self.put_graph(graph, _merge(existing, triples))

    def delete_graph(self, graph: NamedNode) -> None:
        with self._write_lock:
            if not self.repo.drop_graph(graph):
                raise NotFoundError(f"no graph {graph.value}")
            self._after_write(graph if self.minter.document_id_of_graph(graph.value) else None, dropped=True)


def _merge(existing: Iterable[Triple], added: Iterable[Triple]) -> list[Triple]:
    return list(dict.fromkeys([*existing, *added]))
