"""Query execution with a real time limit.

pyoxigraph's Python API has no timeout or cancellation, and a query cannot be stopped inside
the process that runs it while the engine computes. The service therefore runs as several
worker processes under a supervisor (``coopkg serve``, see the README), and each worker
evaluates queries itself, in a thread, on its read-only snapshot of the store
(:mod:`coopkg.store.snapshots`):

* the caller waits for the answer up to the query's limit (the server's, or a shorter one the
  client asked for), then answers 503 at once;
* the query is then *cancelled*: its answer is serialised into a sink that raises on its next
  write, which stops the engine at the next 8 KB of output. A query that streams its solutions
  stops there, and the worker goes on;
* only a query still running past the **server's** limit plus :data:`RETIRE_GRACE` (an
  aggregate, a sort, an OFFSET: work that writes nothing until the end) makes the worker
  *retire*: it stops taking connections, lets its other requests finish for a moment, and exits,
  which frees the CPU; the supervisor starts a fresh worker. A worker younger than
  :data:`MIN_LIFETIME` (``COOPKG_MIN_WORKER_LIFETIME``) does not retire, so no client can make the workers cycle faster than that;
  while queries past their limit hold all the threads, new queries get 503 at once;
* outside a supervisor (``create_app`` in another server) nothing would start a replacement, so
  the worker only answers 503 and logs that the query runs on (``Settings.supervised``).

The threads that evaluate have 1 GB stacks (address space, used only as deep as the engine
recurses), so that no text that passes :mod:`coopkg.query_guard`'s depth limit, or anything far
deeper, can overflow one. Evaluating in the worker itself, not in a helper process, keeps a
point lookup at the engine's own speed.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pyoxigraph import NamedNode, QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat, Store, Variable

from coopkg import lookups
from coopkg.errors import BadInputError, QuerySyntaxError, QueryTimeoutError, StoreError, TooLargeError
from coopkg.store.base import Term

log = logging.getLogger("coopkg.query")
RETIRE_GRACE = 0.8  # seconds a retiring worker gives its other requests before it exits
MIN_LIFETIME = 20.0  # default seconds a worker serves before an overrun may make it retire
ENGINE_STACK = 1 << 30  # bytes of stack for the threads that evaluate
T = TypeVar("T")


@dataclass(frozen=True)
class Answer:
    kind: str  # solutions, boolean, graph
    body: bytes
    media_type: str


@dataclass(frozen=True)
class QueryRequest:
    query: str
    result_format: str  # a QueryResultsFormat or RdfFormat media type, chosen by the caller per kind
    graph_format: str
    bindings: Mapping[str, Term] | None = None
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    max_bytes: int = 50_000_000
    base_iri: str | None = None  # resolves the query's relative IRIs (None: they are errors)


class _Stop(Exception):
    def __init__(self, status: str, payload: object) -> None:
        self.status, self.payload = status, payload


@dataclass
class _Sink:
    """Where the engine writes an answer: stops it past the size limit or once cancelled."""

    limit: int
    cancelled: threading.Event
    parts: list[bytes] = field(default_factory=list)
    size: int = 0

    def write(self, data: bytes) -> int:
        if self.cancelled.is_set():
            raise _Stop("cancelled", None)
        self.size += len(data)
        if self.size > self.limit:
            raise _Stop("too_large", self.size)
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Nothing buffered here."""


def _evaluate(store: Store, request: QueryRequest, cancelled: threading.Event) -> tuple[str, Any]:
    substitutions = {Variable(k): v for k, v in (request.bindings or {}).items()} or None
    sink = _Sink(request.max_bytes, cancelled)
    try:
        raw = store.query(
            request.query,
            use_default_graph_as_union=request.default_graphs is None,
            default_graph=[NamedNode(g) for g in request.default_graphs] if request.default_graphs else None,
            named_graphs=[NamedNode(g) for g in request.named_graphs] if request.named_graphs else None,
            substitutions=substitutions,
            base_iri=request.base_iri,
        )
        if isinstance(raw, QuerySolutions | QueryBoolean):
            fmt = QueryResultsFormat.from_media_type(request.result_format)
            kind = "solutions" if isinstance(raw, QuerySolutions) else "boolean"
        else:
            fmt = RdfFormat.from_media_type(request.graph_format)
            kind = "graph"
        raw.serialize(sink, format=fmt)
    except _Stop as stop:
        return stop.status, stop.payload
    except SyntaxError as error:
        return "syntax", str(error)
    except (ValueError, RuntimeError) as error:
        return "bad", str(error)
    except OSError as error:
        return "store", str(error)
    return "ok", (kind, b"".join(sink.parts), fmt.media_type)


class DeepStackPool(ThreadPoolExecutor):
    """A thread pool whose threads have :data:`ENGINE_STACK`-byte stacks."""

    _creating = threading.Lock()

    def _adjust_thread_count(self) -> None:
        with DeepStackPool._creating:
            previous = threading.stack_size(ENGINE_STACK)
            try:
                super()._adjust_thread_count()  # type: ignore[misc]
            finally:
                threading.stack_size(previous)


@dataclass
class _Running:
    started: float
    cancelled: threading.Event
    future: Future[Any]
    what: str = ""  # for the log, when it overruns: the query's start, or the core's read
    reported: bool = False


class InlineQueryEngine:
    """Evaluates queries in this process's thread pool on the store ``store_of()`` returns."""

    def __init__(
        self,
        store_of: Callable[[], Store],
        *,
        threads: int,
        limit: float,
        on_overrun: Callable[[], bool],
        inline_lookups: bool,
        min_lifetime: float = MIN_LIFETIME,
    ) -> None:
        self._store_of = store_of
        self._inline_lookups = inline_lookups  # only where a supervisor replaces a worker the guard stops
        self._threads = max(1, threads)
        self._pool = DeepStackPool(max_workers=self._threads, thread_name_prefix="coopkg-query")
        self._calls = DeepStackPool(max_workers=8, thread_name_prefix="coopkg-call")
        self._limit = limit
        self._on_overrun = on_overrun
        self._guard = LoopGuard()
        self._born = time.monotonic()
        self._min_lifetime = min_lifetime
        self._running: dict[int, _Running] = {}
        self._lock = threading.Lock()
        self._watchdog: threading.Thread | None = None
        self.retiring = False

    # -- submitting ---------------------------------------------------------------------------

    def _track(
        self, pool: ThreadPoolExecutor, work: Callable[[threading.Event], T], what: str
    ) -> tuple[_Running, Future[T]]:
        with self._lock:
            overdue = sum(1 for r in self._running.values() if r.cancelled.is_set())
            if pool is self._pool and overdue >= self._threads:
                raise StoreError("every query thread is busy with queries past their time limit; try again shortly")
            cancelled = threading.Event()
            future = pool.submit(work, cancelled)
            running = _Running(time.monotonic(), cancelled, future, what)
            self._running[id(future)] = running
        future.add_done_callback(self._done)
        self._start_watchdog()
        return running, future

    def _done(self, future: Future[Any]) -> None:
        with self._lock:
            self._running.pop(id(future), None)

    def submit(self, request: QueryRequest) -> tuple[_Running, Future[tuple[str, Any]]]:
        store = self._store_of()
        what = " ".join(request.query.split())[:200]
        return self._track(self._pool, lambda cancelled: _evaluate(store, request, cancelled), what)

    def run(self, request: QueryRequest, timeout: float) -> Answer:
        running, future = self.submit(request)
        try:
            status, payload = future.result(timeout)
        except FutureTimeout:
            raise self.overran(running, timeout) from None
        return _answer(status, payload, request)

    def run_inline(self, request: QueryRequest, timeout: float) -> Answer | None:
        """A lookup's answer evaluated on the caller's thread (the event loop); None for other queries.

        Only a query whose answer is counted small on the store (:mod:`coopkg.lookups`) runs here.
        """
        if not self._inline_lookups or request.bindings or request.default_graphs or request.named_graphs:
            return None
        patterns = lookups.plan(request.query)
        if patterns is None:
            return None
        store = self._store_of()
        if lookups.solutions_bound(store, request.query, patterns) > lookups.MAX_SOLUTIONS:
            return None
        self._guard.arm(timeout)
        try:
            status, payload = _evaluate(store, request, threading.Event())
        finally:
            self._guard.disarm()
        return _answer(status, payload, request)

    async def run_async(self, request: QueryRequest, timeout: float) -> Answer:
        answer = self.run_inline(request, timeout)
        if answer is not None:
            return answer
        running, future = self.submit(request)
        try:
            status, payload = await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)), timeout)
        except TimeoutError:
            raise self.overran(running, timeout) from None
        return _answer(status, payload, request)

    async def call(self, work: Callable[[], T], timeout: float | None = None) -> T:
        """Run ``work`` (reads of the store by the core) in a thread, within the server's time limit."""
        limit = self._limit if timeout is None else timeout
        what = getattr(work, "__qualname__", repr(work))
        running, future = self._track(self._calls, lambda _cancelled: work(), what)
        try:
            return await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)), limit)
        except TimeoutError:
            raise self.overran(running, limit) from None

    def overran(self, running: _Running, timeout: float) -> QueryTimeoutError:
        running.cancelled.set()  # a streaming answer stops at its next write
        return QueryTimeoutError(f"the query ran longer than {timeout:g} s and was stopped")

    # -- the watchdog: retire when a query cannot be stopped otherwise -----------------------------

    def _start_watchdog(self) -> None:
        if self._watchdog is None:
            with self._lock:
                if self._watchdog is None:
                    self._watchdog = threading.Thread(target=self._watch, name="coopkg-watchdog", daemon=True)
                    self._watchdog.start()

    def _watch(self) -> None:
        while not self.retiring:
            time.sleep(0.1)
            now = time.monotonic()
            with self._lock:
                overdue = [r for r in self._running.values() if now - r.started > self._limit + RETIRE_GRACE]
            for running in overdue:
                if not running.reported:
                    running.reported = True
                    log.warning("past the server's limit after %.1f s: %s", now - running.started, running.what)
                running.cancelled.set()
            if overdue and now - self._born >= self._min_lifetime:
                self.retiring = self._on_overrun()

    def close(self) -> None:
        # Never wait: a runaway query would hold the shutdown; the process exit stops it.
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._calls.shutdown(wait=False, cancel_futures=True)


class LoopGuard:
    """Last resort for a lookup evaluated on the event loop: past its limit plus a grace, exit.

    Nothing can answer the client then (the loop is busy), so the connection drops; the
    supervisor replaces the worker. A lookup is counted small before it runs, so this only
    fires if the engine's work is not what the count says.
    """

    def __init__(self, grace: float = RETIRE_GRACE) -> None:
        self._deadline = 0.0
        self._grace = grace
        self._thread: threading.Thread | None = None

    def arm(self, limit: float) -> None:
        """Watch the loop for ``limit`` seconds (plus the grace), until :meth:`disarm`."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._watch, name="coopkg-loop-guard", daemon=True)
            self._thread.start()
        self._deadline = time.monotonic() + limit + self._grace

    def disarm(self) -> None:
        self._deadline = 0.0

    def _watch(self) -> None:
        while True:
            time.sleep(0.1)
            deadline = self._deadline
            if deadline and time.monotonic() > deadline:
                log.error("a lookup query blocked the event loop past its limit: this worker exits")
                os._exit(70)


def retire_process(grace: float = RETIRE_GRACE) -> bool:
    """Stop this worker gracefully (SIGTERM to itself), and for certain after ``grace`` seconds."""
    log.warning("a query overran the server's time limit: this worker exits and the supervisor replaces it")
    os.kill(os.getpid(), signal.SIGTERM)
    timer = threading.Timer(grace, os._exit, args=(0,))
    timer.daemon = True
    timer.start()
    return True


def keep_running() -> bool:
    log.warning("a query overran its time limit; it runs on until done (no supervisor to replace this worker)")
    return True  # said once: nothing else to do


def _answer(status: str, payload: Any, request: QueryRequest) -> Answer:
    if status == "ok":
        kind, body, media_type = payload
        return Answer(kind, body, media_type)
    if status == "syntax":
        raise QuerySyntaxError(f"malformed SPARQL query: {payload}")
    if status == "bad":
        raise BadInputError(str(payload))
    if status == "too_large":
        raise TooLargeError(
            f"the result is over the {request.max_bytes:,}-byte limit (stopped at {payload:,} bytes); add a LIMIT"
        )
    if status == "cancelled":
        raise QueryTimeoutError("the query was stopped at its time limit")
    raise StoreError(str(payload))
