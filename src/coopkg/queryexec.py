"""Query execution with a real time limit.

pyoxigraph's Python API has no timeout or cancellation, so the service does not evaluate
queries in its own process. The design:

* the serving process keeps the one writable store;
* after each write it takes a RocksDB checkpoint of the store (``Store.backup``: hard links,
  a few milliseconds) into a new *generation* directory — an immutable snapshot;
* a pool of worker processes opens the latest snapshot read-only (safe: nothing ever writes
  a checkpoint) and evaluates queries there, serialising the answer with the engine;
* a query that runs past its limit has its worker killed (SIGKILL: the CPU is free at once)
  and replaced; the caller gets :class:`QueryTimeoutError`, other workers keep serving;
* every query names the current generation, so answers are always current after a write;
  a snapshot directory is deleted once no worker uses it.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import queue
import shutil
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from pyoxigraph import NamedNode, QueryResultsFormat, RdfFormat, Store, Variable

from coopkg.errors import BadInputError, QuerySyntaxError, QueryTimeoutError, StoreError, TooLargeError
from coopkg.store.base import Term

_CONTEXT = multiprocessing.get_context("spawn")  # no fork: RocksDB's threads do not survive it


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
        from pyoxigraph import QueryBoolean, QuerySolutions

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


def _worker_main(connection: Connection) -> None:  # pragma: no cover - runs in the worker process
    store: Store | None = None
    opened: str | None = None
    while True:
        try:
            message = connection.recv()
        except EOFError:
            return
        snapshot, request = message
        try:
            if snapshot != opened:
                store = Store.read_only(snapshot)
                opened = snapshot
            assert store is not None
            connection.send(_evaluate(store, request))
        except OSError as error:
            connection.send(("store", f"cannot open snapshot {snapshot}: {error}"))


class _Worker:
    def __init__(self) -> None:
        self.connection, child = _CONTEXT.Pipe()
        self.process = _CONTEXT.Process(target=_worker_main, args=(child,), daemon=True, name="coopkg-query")
        self.process.start()
        child.close()
        self.snapshot: str | None = None

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.connection.close()


class SnapshotQueryPool:
    """Evaluates queries on snapshots of an embedded store, in killable worker processes."""

    def __init__(self, store: Store, snapshot_root: Path, *, workers: int = 2) -> None:
        self.store = store
        self.root = snapshot_root
        self.root.mkdir(parents=True, exist_ok=True)
        for stale in self.root.glob("gen-*"):
            shutil.rmtree(stale, ignore_errors=True)
        self._generation = itertools.count(1)
        self._lock = threading.Lock()
        self.current = ""
        self.refresh()
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: list[_Worker] = []
        for _ in range(max(1, workers)):
            worker = _Worker()
            self._workers.append(worker)
            self._idle.put(worker)

    def refresh(self) -> None:
        """Take a new snapshot after a write; later queries see it."""
        with self._lock:
            target = self.root / f"gen-{next(self._generation):08d}"
            self.store.flush()
            self.store.backup(str(target))
            self.current = str(target)
        self._collect()

    def _collect(self) -> None:
        in_use = {w.snapshot for w in list(getattr(self, "_workers", []))} | {self.current}
        for folder in self.root.glob("gen-*"):
            if str(folder) not in in_use:
                shutil.rmtree(folder, ignore_errors=True)

    def run(self, request: QueryRequest, timeout: float) -> Answer:
        deadline = time.monotonic() + timeout
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty as error:
            raise QueryTimeoutError(f"all query workers stayed busy for {timeout:g} s; try again later") from error
        snapshot = self.current
        try:
            worker.connection.send((snapshot, request))
            worker.snapshot = snapshot
            remaining = max(0.0, deadline - time.monotonic())
            if not worker.connection.poll(remaining):
                worker.kill()
                worker = self._replace(worker)
                raise QueryTimeoutError(f"the query ran longer than {timeout:g} s and was stopped")
            status, payload = worker.connection.recv()
        except (EOFError, OSError, BrokenPipeError) as error:
            worker.kill()
            worker = self._replace(worker)
            raise StoreError(f"the query worker failed: {error}") from error
        finally:
            self._idle.put(worker)
        return _answer(status, payload, request)

    def _replace(self, dead: _Worker) -> _Worker:
        fresh = _Worker()
        self._workers = [fresh if w is dead else w for w in self._workers]
        return fresh

    def close(self) -> None:
        for worker in self._workers:
            with contextlib.suppress(Exception):
                worker.kill()
        shutil.rmtree(self.root, ignore_errors=True)


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
