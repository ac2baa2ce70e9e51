"""Query execution with a real time limit.

pyoxigraph's Python API has no timeout or cancellation, and a query cannot be stopped inside
the process that runs it. The service therefore runs as several worker processes under a
supervisor (``coopkg serve``, see the README), and each worker evaluates queries itself, in a
thread, on its read-only snapshot of the store (:mod:`coopkg.store.snapshots`):

* the caller waits for the answer up to the query's limit;
* past the limit the caller answers 503 at once, and the worker *retires*: it stops taking
  connections, lets its other requests finish for a moment (``RETIRE_GRACE``), and exits, which
  frees the CPU the runaway query was using; the supervisor starts a fresh worker, and the
  other workers keep answering meanwhile;
* outside a supervisor (``create_app`` in another server) nothing would start a replacement, so
  the worker only answers 503 and logs that the query runs on (``Settings.supervised``).

Evaluating in the worker itself, not in a helper process, keeps a point lookup at the engine's
own speed: no copy of the query or of the answer crosses a process boundary.
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
from dataclasses import dataclass
from typing import Any

from pyoxigraph import NamedNode, QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat, Store, Variable

from coopkg.errors import BadInputError, QuerySyntaxError, QueryTimeoutError, StoreError, TooLargeError
from coopkg.store.base import Term
from coopkg.store.sparql_text import is_lookup

log = logging.getLogger("coopkg.query")
RETIRE_GRACE = 0.8  # seconds a retiring worker gives its other requests before it exits


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


def _evaluate(store: Store, request: QueryRequest) -> tuple[str, Any]:
    substitutions = {Variable(k): v for k, v in (request.bindings or {}).items()} or None
    try:
        raw = store.query(
            request.query,
            use_default_graph_as_union=request.default_graphs is None,
            default_graph=[NamedNode(g) for g in request.default_graphs] if request.default_graphs else None,
            named_graphs=[NamedNode(g) for g in request.named_graphs] if request.named_graphs else None,
            substitutions=substitutions,
        )
        if isinstance(raw, QuerySolutions | QueryBoolean):
            fmt = QueryResultsFormat.from_media_type(request.result_format)
            kind = "solutions" if isinstance(raw, QuerySolutions) else "boolean"
        else:
            fmt = RdfFormat.from_media_type(request.graph_format)
            kind = "graph"
        body = raw.serialize(format=fmt)
    except SyntaxError as error:
        return "syntax", str(error)
    except (ValueError, RuntimeError) as error:
        return "bad", str(error)
    except OSError as error:
        return "store", str(error)
    if len(body) > request.max_bytes:
        return "too_large", len(body)
    return "ok", (kind, body, fmt.media_type)


class InlineQueryEngine:
    """Evaluates queries in this process's thread pool on the store ``store_of()`` returns."""

    def __init__(
        self, store_of: Callable[[], Store], *, threads: int, on_overrun: Callable[[], bool], inline_lookups: bool
    ) -> None:
        self._store_of = store_of
        self._inline_lookups = inline_lookups  # only where a supervisor replaces a worker the guard stops
        self._pool = ThreadPoolExecutor(max_workers=max(1, threads), thread_name_prefix="coopkg-query")
        self._on_overrun = on_overrun
        self._guard = LoopGuard()
        self.retiring = False

    def submit(self, request: QueryRequest) -> Future[tuple[str, Any]]:
        # A retiring worker still answers: requests already on its connections finish in its grace.
        return self._pool.submit(_evaluate, self._store_of(), request)

    def run(self, request: QueryRequest, timeout: float) -> Answer:
        future = self.submit(request)
        try:
            status, payload = future.result(timeout)
        except FutureTimeout:
            raise self.overran(timeout) from None
        return _answer(status, payload, request)

    def run_inline(self, request: QueryRequest, timeout: float) -> Answer | None:
        """A lookup's answer evaluated on the caller's thread (the event loop); None for other queries.

        Bounded by the IRIs it names, a lookup costs less than a thread hop. The guard stops the
        process if the bound ever fails to hold.
        """
        if not (self._inline_lookups and is_lookup(request.query)):
            return None
        self._guard.arm(timeout)
        try:
            status, payload = _evaluate(self._store_of(), request)
        finally:
            self._guard.disarm()
        return _answer(status, payload, request)

    async def run_async(self, request: QueryRequest, timeout: float) -> Answer:
        answer = self.run_inline(request, timeout)
        if answer is not None:
            return answer
        future = asyncio.wrap_future(self.submit(request))
        try:
            status, payload = await asyncio.wait_for(asyncio.shield(future), timeout)
        except TimeoutError:
            raise self.overran(timeout) from None
        return _answer(status, payload, request)

    def overran(self, timeout: float) -> QueryTimeoutError:
        if not self.retiring:
            self.retiring = self._on_overrun()
        return QueryTimeoutError(f"the query ran longer than {timeout:g} s and was stopped")

    def close(self) -> None:
        # Never wait: a runaway query would hold the shutdown; the process exit stops it.
        self._pool.shutdown(wait=False, cancel_futures=True)


class LoopGuard:
    """Last resort for a lookup evaluated on the event loop: past its limit plus a grace, exit.

    Nothing can answer the client then (the loop is busy), so the connection drops; the
    supervisor replaces the worker. Only a lookup that is not as cheap as its shape says gets here.
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
    log.warning("a query overran its time limit: this worker exits and the supervisor replaces it")
    os.kill(os.getpid(), signal.SIGTERM)
    timer = threading.Timer(grace, os._exit, args=(0,))
    timer.daemon = True
    timer.start()
    return True


def keep_running() -> bool:
    log.warning("a query overran its time limit; it runs on until done (no supervisor to replace this worker)")
    return False


def _answer(status: str, payload: Any, request: QueryRequest) -> Answer:
    if status == "ok":
        kind, body, media_type = payload
        return Answer(kind, body, media_type)
    if status == "syntax":
        raise QuerySyntaxError(f"malformed SPARQL query: {payload}")
    if status == "bad":
        raise BadInputError(str(payload))
    if status == "too_large":
        raise TooLargeError(f"the result is {payload:,} bytes, over the {request.max_bytes:,}-byte limit; add a LIMIT")
    raise StoreError(str(payload))
