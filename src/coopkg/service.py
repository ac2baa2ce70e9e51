"""The service core the web layer calls: query engine, write path, funding view.

The web layer parses requests, calls these, and negotiates formats; it holds no business logic.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import math
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol, TypeVar
from urllib.parse import urljoin

from pyoxigraph import NamedNode, QueryResultsFormat, RdfFormat, Triple

from coopkg.catalogue import Catalogue
from coopkg.errors import BadInputError, NotFoundError, QueryTimeoutError, TooLargeError
from coopkg.funding_index import FundingIndex
from coopkg.iris import IriMinter
from coopkg.query_guard import Kind, TextLimits, check_size, refuse_outbound
from coopkg.queryexec import Answer, DeepStackPool, InlineQueryEngine, QueryRequest, keep_running, retire_process
from coopkg.reference import is_installed
from coopkg.settings import Settings
from coopkg.store import EmbeddedRepository, Repository, open_repository
from coopkg.store.changelog import ChangeFollower
from coopkg.store.snapshots import Change, Generations
from coopkg.store.writer import WriterClient
from coopkg.update_dataset import with_dataset
from coopkg.viewdb.files import Views

if TYPE_CHECKING:
    # Imported where used: extraction, validation (pyshacl, rdflib) and the remote store (httpx) serve
    # only document writes, graph writes and the remote backend, and were a third of a worker's start.
    from coopkg.extract.pipeline import Extractor
    from coopkg.facts import Extraction
    from coopkg.ingest import Ingestor, Outcome
    from coopkg.validate import ReferenceIndex, ValidationReport

log = logging.getLogger(__name__)
PENDING_WAIT = 10.0  # seconds a request waits for the snapshot of a write answered before it


class QueryEngine(Protocol):
    def run(self, request: QueryRequest, timeout: float) -> Answer: ...

    def close(self) -> None: ...


class RemoteQueryEngine:
    """Queries sent to the remote endpoint; its own time limit (e.g. `oxigraph serve --timeout-s`) applies, and its
    own base IRI to relative IRIs (the text goes as written)."""

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

    def close(self) -> None:
        """Nothing to release."""


T = TypeVar("T")
_updates = DeepStackPool(max_workers=1, thread_name_prefix="coopkg-update")  # writes are one at a time anyway


def parse_timeout(raw: str | None) -> float | None:
    """A client's ``timeout=`` in seconds: a finite positive number, or 400."""
    if raw is None or raw == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        raise BadInputError(f"timeout must be a number of seconds, got {raw!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise BadInputError(f"timeout must be a positive, finite number of seconds, got {raw!r}")
    return value


@dataclass
class Services:
    """What the web layer needs, built once in the app's lifespan (once per worker process)."""

    settings: Settings
    minter: IriMinter
    repo: Repository  # embedded: a read-only view of the newest snapshot, following new ones
    engine: QueryEngine
    snapshots: Generations | None = None
    writer: WriterClient | None = None  # the writer of `coopkg serve`, when there is one
    follower: ChangeFollower | None = None  # remote: this process's place in the store's change log

    def __post_init__(self) -> None:
        self._write_lock = threading.Lock()
        self._sync_lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._pending_stamp: tuple[int, int] | None = None
        self._reference: ReferenceIndex | None = None
        self.generation = 0  # embedded: the snapshot held; remote: changes applied from the log
        self._polled = -math.inf  # remote: when the last freshness check began (time.monotonic())
        self._answers: dict[bytes, bytes] = {}  # search answers of this generation, by request target

    @classmethod
    def open(cls, settings: Settings) -> Services:
        minter = IriMinter(settings.base_iri)
        if settings.backend == "remote":
            from coopkg.store.remote import RemoteRepository

            repo = open_repository(settings)
            # The log's heads are read before any view is built from the store: see ChangeFollower.
            log = repo.change_log if isinstance(repo, RemoteRepository) else None
            follower = ChangeFollower(log, repo) if log is not None and settings.follow_changes else None
            return cls(settings, minter, repo, RemoteQueryEngine(repo), follower=follower)
        snapshots = Generations(settings.store)
        snapshots.publish_if_stale()
        first = snapshots.open_latest()
        reader = EmbeddedRepository.over(first.store)
        engine = InlineQueryEngine(
            lambda: reader.store,
            threads=settings.query_threads,
            limit=settings.query_timeout,
            on_overrun=retire_process if settings.supervised else keep_running,
            inline_lookups=settings.supervised,
            min_lifetime=settings.min_worker_lifetime,
        )
        writer = WriterClient(settings.writer_socket) if settings.writer_socket else None
        services = cls(settings, minter, reader, engine, snapshots, writer)
        services.generation = first.number
        return services

    @cached_property
    def extractor(self) -> Extractor:
        from coopkg.extract.pipeline import Extractor

        extractor = Extractor.from_reference(self.minter)
        # Its lexicons and gazetteer live as long as the worker: out of the garbage collector's scans,
        # which would otherwise stall a write now and then for a full collection.
        gc.freeze()
        return extractor

    @cached_property
    def ingestor(self) -> Ingestor:
        from coopkg.ingest import Ingestor

        ingestor = Ingestor(self.repo, self.minter, self.extractor, max_bytes=self.settings.max_document_bytes)
        if self.snapshots is not None:
            ingestor.context_source = self._reference_index
        return ingestor

    def _reference_index(self) -> ReferenceIndex:
        """The snapshot's reference data in memory: a document's context without a store read per IRI.

        Rebuilt after any change that may have touched it (not after document writes).
        """
        index = self._reference
        if index is None:
            from coopkg.validate import ReferenceIndex

            graph = self.minter.reference_graph
            index = self._reference = ReferenceIndex(graph, self.repo.graph_triples(graph))
        return index

    @cached_property
    def views(self) -> Views:
        """The views file: over the embedded store, the machine's (brought up to this process's snapshot, which
        builds nothing when another process did); over a remote store, this process's own."""
        if self.snapshots is not None:
            views = Views.beside(self.snapshots.root)
            with self._sync_lock:
                views.catch_up(self.generation, self.repo, self.snapshots.changes)
            return views
        if self.follower is not None:
            with self._sync_lock:
                self.follower.restart()  # the first view: what it reads is at least as new as these heads
        views = Views.of_process()
        views.rebuild(self.repo)
        return views

    @cached_property
    def fundings(self) -> FundingIndex:
        return FundingIndex(self.repo, self.views)

    @cached_property
    def catalogue(self) -> Catalogue:
        return Catalogue(self.repo, self.fundings)

    def close(self) -> None:
        self.engine.close()
        if "views" in self.__dict__:
            self.views.close()
        if self.snapshots is not None:
            self.snapshots.release()
        else:
            self.repo.close()

    # -- keeping up with writes (of this process or of another) --------------------------------

    def sync(self, *, writing_documents: bool = False) -> None:
        """Follow the newest snapshot, and wait for one that committed writes await: two ``stat`` when nothing changed.

        ``writing_documents``: for a document about to be written, which is validated with the reference
        data only, no need to wait for the snapshot of other documents written just before.
        """
        if self.snapshots is None:
            self._follow(time.monotonic())
            return
        stamp = self.snapshots.pointer_stamp()
        pending = self.snapshots.pending_stamp()
        if stamp == self._stamp and pending == self._pending_stamp:
            return
        with self._sync_lock:
            if pending != self._pending_stamp:
                # Writes were answered before their snapshot: a request that comes after them sees them.
                awaited, beyond_documents = self.snapshots.pending()
                if awaited <= self.snapshots.latest():
                    self._pending_stamp = pending
                elif beyond_documents or not writing_documents:
                    if not self.snapshots.wait_for(awaited, PENDING_WAIT):
                        log.warning("generation %d was not published within %.0f s; answering from %d",
                                    awaited, PENDING_WAIT, self.snapshots.latest())  # fmt: skip
                    self._pending_stamp = pending
                stamp = self.snapshots.pointer_stamp()
            if stamp == self._stamp:
                return
            if self.snapshots.latest() != self.generation:
                newest = self.snapshots.open_latest()
                change = self.snapshots.changes(self.generation, newest.number)
                self.repo.store = newest.store  # type: ignore[attr-defined]
                self.generation = newest.number
                self._apply(change)
            self._stamp = stamp

    def sync_engine(self) -> None:
        """Before a query the engine answers: embedded, follow the snapshots; remote, the endpoint is current."""
        if self.snapshots is not None:
            self.sync()

    def _follow(self, asked: float) -> None:
        """Remote: bring the views up to the store's change log (one small query when nothing changed).

        ``asked``: when the request began. A check that began after it saw every write answered
        before it, so requests waiting on the lock share one check instead of queueing one each.
        """
        if self.follower is None or not self._has_views():
            return
        with self._sync_lock:
            if self._polled >= asked:
                return
            began = time.monotonic()
            change = self.follower.poll()
            if change is not None:
                if any(self.minter.document_id_of_graph(g) is None for g in change.written):
                    change = Change(everything=True)  # the ontology or reference data: every view may change
                self._apply(change)
                self.generation += 1
            self._polled = began

    def _has_views(self) -> bool:
        # A view built later reads the store then and starts current: only built ones need following.
        # The heads are read again just before the funding view (the first) is built, so a write the
        # follower has not seen yet is at most applied twice, which is harmless.
        return "views" in self.__dict__

    def _behind(self) -> bool:
        """Whether a newer snapshot was published, or a write awaits one (two ``stat``)."""
        return self.snapshots is not None and (
            self.snapshots.pointer_stamp() != self._stamp or self.snapshots.pending_stamp() != self._pending_stamp
        )

    def holds_newest(self) -> bool:
        """Embedded, with the newest snapshot open and no write awaiting one: what it reads now is current."""
        return self.snapshots is not None and not self._behind()

    def keep_answer(self, target: bytes, body: bytes, generation: int) -> None:
        """Keep a search answer computed on ``generation`` (dropped if a newer one came meanwhile).

        Embedded only: over a remote store, knowing an answer is current takes a query, not a ``stat``.
        """
        if self.snapshots is not None and generation == self.generation and len(body) < 200_000:
            if len(self._answers) >= 4096:
                self._answers.clear()
            self._answers[target] = body

    def kept_answer(self, target: bytes) -> bytes | None:
        """A search answer of the current snapshot, or None (also when a newer snapshot exists)."""
        return None if self._behind() else self._answers.get(target)

    def _apply(self, change: Change) -> None:
        self._answers = {}
        if change.everything:
            self._reference = None
        if "catalogue" in self.__dict__:
            self.catalogue.invalidate()
        if "views" not in self.__dict__:
            return
        if self.snapshots is not None:
            # From the journal, once for the machine: the first process at this generation does it.
            self.views.catch_up(self.generation, self.repo, self.snapshots.changes)
        else:
            self.views.apply(self.repo, change)

    @contextmanager
    def _writing(self, change: Change) -> Iterator[Repository]:
        """The repository to write to; on success every worker's views follow the change."""
        if self.writer is not None:
            # Committed by the writer at once; the next request (in any worker) waits for the snapshot.
            with self.writer.writing(change) as writable:
                yield writable  # type: ignore[misc]
            return
        with self._write_lock:
            if self.snapshots is None:
                # Remote: the write carries its change-log entry; this process follows the log like any other.
                yield self.repo
                if self.follower is None:
                    self._apply(change)
                else:
                    self._follow(time.monotonic())
                return
            with self.snapshots.writing(change) as writable:
                yield writable
        self.sync()

    # -- queries ------------------------------------------------------------------------------

    def _limit(self, timeout: float | None) -> float:
        if timeout is None:
            return self.settings.query_timeout
        if not math.isfinite(timeout) or timeout <= 0:
            raise BadInputError("timeout must be a positive, finite number of seconds")
        return min(timeout, self.settings.query_timeout)

    @property
    def text_limits(self) -> TextLimits:
        return TextLimits(self.settings.max_query_bytes, self.settings.max_query_depth)

    def check_text(self, text: str, kind: Kind) -> None:
        """Size, nesting and (unless allowed) SERVICE/LOAD, before the engine sees the text."""
        limits = self.text_limits
        if kind == "update":
            limits = TextLimits(self.settings.max_body_bytes, limits.max_depth)
        check_size(text, kind, limits)
        if not self.settings.allow_service:
            refuse_outbound(text, kind)

    def query(self, request: QueryRequest, timeout: float | None = None) -> Answer:
        self.check_text(request.query, "query")
        self.sync_engine()
        return self.engine.run(request, self._limit(timeout))

    def lookup_now(self, request: QueryRequest, timeout: float | None = None) -> Answer | None:
        """A lookup's answer at once, on the caller's thread; None when the query must take the
        usual way (not a lookup, no inline engine, a newer snapshot to open first, or a text that
        needs parsing to be checked)."""
        if not isinstance(self.engine, InlineQueryEngine) or self._behind() or "service" in request.query.lower():
            return None
        self.check_text(request.query, "query")
        return self.engine.run_inline(request, self._limit(timeout))

    async def query_async(self, request: QueryRequest, timeout: float | None = None) -> Answer:
        """The same, awaited on the event loop (the evaluation itself runs in the engine's threads)."""
        limit = self._limit(timeout)
        if "service" in request.query.lower() or len(request.query) > 100_000:
            await asyncio.to_thread(self.check_text, request.query, "query")  # parsing takes milliseconds
        else:
            self.check_text(request.query, "query")
        if self._behind():
            await asyncio.to_thread(self.sync)  # opening a snapshot blocks: not on the loop
        if isinstance(self.engine, InlineQueryEngine):
            return await self.engine.run_async(request, limit)
        return await asyncio.to_thread(self.engine.run, request, limit)

    async def read(self, work: Callable[[], T]) -> T:
        """The core's own reads (the JSON API, pages) off the event loop, within the server's time limit."""
        if isinstance(self.engine, InlineQueryEngine):
            return await self.engine.call(work)
        try:
            return await asyncio.wait_for(asyncio.to_thread(work), self.settings.query_timeout)
        except TimeoutError:
            raise QueryTimeoutError(f"the request ran longer than {self.settings.query_timeout:g} s") from None

    # -- writes ---------------------------------------------------------------------------------

    def ensure_ready(self) -> bool:
        """Install the ontology and reference data into an empty store."""
        if is_installed(self.repo, self.minter):
            return False
        from coopkg.ingest import Ingestor

        change = Change(everything=True)
        with self._writing(change) as writable:
            return Ingestor(writable, self.minter, self.extractor).ensure_ready()

    def write_document(self, extraction: Extraction) -> Outcome:
        self.sync(writing_documents=True)
        graph = self.minter.document_graph(extraction.document.id)
        with self._writing(Change(written=[graph.value])) as writable:
            return self.ingestor.write(extraction, into=writable)

    def delete_document(self, doc_id: str) -> None:
        self.sync()
        graph = self.minter.document_graph(doc_id)
        with self._writing(Change(dropped=[graph.value])) as writable:
            if not writable.drop_graph(graph):
                raise NotFoundError(f"no document {doc_id!r} in the store")

    def document_json(self, doc_id: str) -> dict[str, Any]:
        """A stored document's facts, in the ``coopkg extract`` JSON shape."""
        from coopkg.facts_graph import extraction_json
        from coopkg.validate import document_context

        self.sync()
        graph = self.minter.document_graph(doc_id)
        triples = self.repo.graph_triples(graph)
        if not triples:
            raise NotFoundError(f"no document {doc_id!r}")
        context = document_context(self.repo, self.minter, triples)
        return extraction_json(self.minter.document(doc_id).value, triples, context)

    def endpoint_iri(self, name: str) -> str:
        """The IRI of the service's ``sparql`` or ``update`` endpoint: the base of the relative IRIs in what it
        is sent (a service defines its own base, SPARQL 1.1 Protocol §2.4)."""
        return urljoin(self.settings.base_iri, name)

    def update(self, sparql: str, *, using_graphs: Sequence[str] = (), using_named_graphs: Sequence[str] = ()) -> None:
        """Run an update; ``using_graphs`` and ``using_named_graphs``: the protocol's dataset for its WHERE clauses."""
        self.check_text(sparql, "update")
        sparql = with_dataset(sparql, using_graphs, using_named_graphs)
        base = self.endpoint_iri("update")
        with self._writing(Change(everything=True)) as writable:
            # In a deep-stack thread: the engine's parser recurses on nesting.
            _updates.submit(lambda: writable.update(sparql, base_iri=base)).result()

    def check_graph(self, triples: list[Triple]) -> ValidationReport:
        from coopkg.validate import document_context, validate_document

        self.sync()
        return validate_document(triples, document_context(self.repo, self.minter, triples))

    def put_graph(self, graph: NamedNode, triples: list[Triple]) -> ValidationReport:
        report = self.check_graph(triples)
        report.raise_for_violations(f"graph {graph.value}")
        with self._writing(self._change_of(graph)) as writable:
            writable.replace_graph(graph, triples)
        return report

    def post_graph(self, graph: NamedNode, triples: list[Triple]) -> ValidationReport:
        self.sync()
        existing = self.repo.graph_triples(graph)
        return self.put_graph(graph, _merge(existing, triples))

    def delete_graph(self, graph: NamedNode) -> None:
        with self._writing(self._change_of(graph, dropped=True)) as writable:
            if not writable.drop_graph(graph):
                raise NotFoundError(f"no graph {graph.value}")

    def _change_of(self, graph: NamedNode, dropped: bool = False) -> Change:
        if not self.minter.document_id_of_graph(graph.value):
            return Change(everything=True)  # the ontology or reference data: every view may change
        return Change(dropped=[graph.value]) if dropped else Change(written=[graph.value])


def prepare_views(settings: Settings) -> int:
    """Bring the machine's views up to the newest snapshot of the embedded store (``coopkg serve`` does it
    once before its workers start, so none of them waits for a build); the number of builds it took."""
    services = Services.open(settings)
    try:
        return services.views.rebuilds
    finally:
        services.close()


def _merge(existing: Iterable[Triple], added: Iterable[Triple]) -> list[Triple]:
    return list(dict.fromkeys([*existing, *added]))
