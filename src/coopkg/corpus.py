"""Ingesting a corpus: worker processes extract and validate, one writer writes batches.

Extraction and validation cost tens of milliseconds of Python per document and share nothing,
so they run in worker processes (one per core by default), each holding the extractor and an
in-memory copy of the store's reference data (the context documents are validated with; an
ingest holds the store's write lock, so that copy cannot go stale). The writer, in the calling
process, gathers the prepared documents in their input order and writes them in batches: one
transaction and, when a service reads the store, one published generation per batch. A
document is wholly in (its batch committed) or wholly out; one that fails is reported and
skipped. Only counts, reasons and a bounded number of examples are kept: memory does not grow
with the number of documents.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import RdfFormat, parse, serialize

from coopkg.errors import CoopkgError
from coopkg.extract.pipeline import Extractor
from coopkg.ingest import Prepared, prepare
from coopkg.iris import IriMinter
from coopkg.store.base import Repository
from coopkg.store.snapshots import Change, WriteSession
from coopkg.validate import ReferenceIndex

EXAMPLES = 5  # files named per reason in a summary
KEPT = 50  # documents whose outcome is kept whole (the per-document table of small ingests)


@dataclass
class Settings:
    """What a worker needs to prepare documents (picklable: sent once to each worker)."""

    base_iri: str
    max_bytes: int
    reference: bytes  # the store's reference graph, N-Triples


@dataclass
class Summary:
    """An ingest in numbers: counts, reasons with examples, throughput."""

    total: int
    workers: int
    written: int = 0
    rejected: int = 0
    failed: int = 0
    empty: int = 0
    warnings: int = 0
    batches: int = 0
    elapsed: float = 0.0
    reasons: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (status, reason) -> examples
    reason_counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    outcomes: list[Prepared] = field(default_factory=list)  # the first KEPT documents, without their graphs
    aborted: str | None = None

    @property
    def done(self) -> int:
        return self.written + self.rejected + self.failed

    def rate(self) -> float:
        return self.done / self.elapsed if self.elapsed > 0 else 0.0

    def record(self, prepared: Prepared, status: str) -> None:
        if status == "written":
            self.written += 1
            self.empty += prepared.empty
            self.warnings += bool(prepared.warnings)
        else:
            setattr(self, status, getattr(self, status) + 1)
            key = (status, prepared.reason or prepared.message)
            self.reason_counts[key] += 1
            examples = self.reasons.setdefault(key, [])
            if len(examples) < EXAMPLES:
                examples.append(prepared.source)
        if len(self.outcomes) < KEPT:
            kept = Prepared(**{**prepared.__dict__, "ntriples": b"", "status": status})
            self.outcomes.append(kept)


# -- worker side ---------------------------------------------------------------------------------

_preparer: Callable[[Path], Prepared] | None = None


def _start_worker(settings: Settings) -> None:
    global _preparer
    _preparer = preparer(settings)
    # The extractor's gazetteer and the reference index live as long as the worker: keep the
    # garbage collector from scanning them again on every collection of a document's objects.
    gc.freeze()


def preparer(settings: Settings) -> Callable[[Path], Prepared]:
    """A function that prepares one file, with its own extractor and copy of the reference data."""
    minter = IriMinter(settings.base_iri)
    extractor = Extractor.from_reference(minter)
    triples = (q.triple for q in parse(settings.reference, format=RdfFormat.N_TRIPLES))
    context = ReferenceIndex(minter.reference_graph, triples)
    return lambda path: prepare(path, extractor, minter, context, settings.max_bytes)


def _prepare_in_worker(path: Path) -> Prepared:
    assert _preparer is not None, "worker not started"
    return _preparer(path)


# -- writer side ---------------------------------------------------------------------------------


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def reference_settings(repo: Repository, minter: IriMinter, max_bytes: int) -> Settings:
    """What the workers need, with the store's reference data as it is now."""
    reference = serialize(repo.graph_triples(minter.reference_graph), format=RdfFormat.N_TRIPLES)
    return Settings(minter.base, max_bytes, reference)


class CorpusIngest:
    """Prepares files in worker processes and writes them in batches through ``session``."""

    def __init__(
        self,
        session: WriteSession,
        minter: IriMinter,
        settings: Settings,
        *,
        workers: int,
        batch_size: int = 256,
        batch_bytes: int = 32_000_000,
        batch_seconds: float = 5.0,
        tail_batch: int = 32,
        on_done: Callable[[Prepared, str], None] | None = None,
    ) -> None:
        self.session = session
        self.minter = minter
        self.settings = settings
        self.workers = workers
        self.batch_size = batch_size
        self.batch_bytes = batch_bytes
        self.batch_seconds = batch_seconds
        self.tail_batch = tail_batch
        self.on_done = on_done

    def run(self, files: list[Path]) -> Summary:
        summary = Summary(total=len(files), workers=self.workers)
        started = time.perf_counter()
        batch: list[Prepared] = []
        size = 0
        last_write = time.monotonic()
        left = len(files)  # not yet prepared
        # One writing thread: a batch is written (the store releases the GIL) while the next is gathered.
        with ThreadPoolExecutor(1, thread_name_prefix="coopkg-writer") as writer:
            writing: tuple[list[Prepared], Future[None]] | None = None
            try:
                for prepared in self._prepared(files):
                    left -= 1
                    if prepared.status != "ready":
                        self._done(summary, prepared, prepared.status)
                        continue
                    batch.append(prepared)
                    size += len(prepared.ntriples)
                    due = time.monotonic() - last_write >= self.batch_seconds and (writing is None or writing[1].done())
                    if len(batch) >= self.batch_size or size >= self.batch_bytes or due or self._tail(batch, left):
                        self._finish(writing, summary)
                        writing = (batch, writer.submit(self._write, batch))
                        batch, size, last_write = [], 0, time.monotonic()
                self._finish(writing, summary)
                writing = None
                if batch:
                    self._finish((batch, writer.submit(self._write, batch)), summary)
                    batch = []
            except CoopkgError as error:  # the store failed, or a worker died: stop, say why
                summary.aborted = error.message
                if writing is not None:  # a batch not yet recorded: it went in, or it is out
                    if writing[1].exception() is None:
                        self._record_written(writing[0], summary)
                    else:
                        batch = writing[0] + batch
                for prepared in batch:
                    self._done(summary, prepared, "failed", f"not written: {error.message}")
            finally:
                summary.elapsed = time.perf_counter() - started
        return summary

    def _tail(self, batch: list[Prepared], left: int) -> bool:
        """Near the end, whether to write the batch now: the last batch is written while every worker
        is idle, so the batches shrink (each at least as large as what is left) to keep it small."""
        return len(batch) >= self.tail_batch and len(batch) >= left

    def _finish(self, writing: tuple[list[Prepared], Future[None]] | None, summary: Summary) -> None:
        """Wait for the batch being written; its documents are then written (or the error is raised)."""
        if writing is None:
            return
        batch, future = writing
        future.result()
        self._record_written(batch, summary)

    def _record_written(self, batch: list[Prepared], summary: Summary) -> None:
        summary.batches += 1
        for prepared in batch:
            self._done(summary, prepared, "written")

    def _done(self, summary: Summary, prepared: Prepared, status: str, message: str | None = None) -> None:
        if message is not None:
            prepared.message = prepared.reason = message
        summary.record(prepared, status)
        if self.on_done is not None:
            self.on_done(prepared, status)

    def _write(self, batch: list[Prepared]) -> None:
        graphs = [(self.minter.document_graph(p.doc_id or ""), p.ntriples) for p in batch]
        self.session.repo.replace_graphs(graphs)
        self.session.commit(Change(written=list(dict.fromkeys(g.value for g, _ in graphs))))

    def _prepared(self, files: list[Path]) -> Iterator[Prepared]:
        """Each file prepared, in input order; at most a few per worker in flight (bounded memory)."""
        if self.workers <= 1:
            prepare_one = preparer(self.settings)
            gc.freeze()  # as in a worker: the extractor lives as long as the ingest
            for path in files:
                yield _guarded(prepare_one, path)
            return
        context = multiprocessing.get_context("spawn")  # no fork of a process holding the store open
        with ProcessPoolExecutor(
            self.workers, mp_context=context, initializer=_start_worker, initargs=(self.settings,)
        ) as pool:
            pending: deque[tuple[Path, Future[Prepared]]] = deque()
            queue = iter(files)
            try:
                for path in queue:
                    pending.append((path, pool.submit(_prepare_in_worker, path)))
                    if len(pending) >= 4 * self.workers:
                        yield _result(*pending.popleft())
                while pending:
                    yield _result(*pending.popleft())
            except BaseException:
                for _, future in pending:
                    future.cancel()
                raise


def _guarded(prepare_one: Callable[[Path], Prepared], path: Path) -> Prepared:
    try:
        return prepare_one(path)
    except Exception as error:  # noqa: BLE001 - a bug on one document must not stop the others; it is reported
        return _internal(path, error)


def _result(path: Path, future: Future[Prepared]) -> Prepared:
    try:
        return future.result()
    except BrokenProcessPool as error:
        raise CoopkgError(f"a worker process died while preparing {path.name}: {error}") from error
    except Exception as error:  # noqa: BLE001 - a bug on one document must not stop the others; it is reported
        return _internal(path, error)


def _internal(path: Path, error: BaseException) -> Prepared:
    reason = f"internal error (a bug: please report it): {type(error).__name__}: {error}"
    return Prepared(path.name, None, "failed", f"{path.name}: {reason}", reason=reason)
