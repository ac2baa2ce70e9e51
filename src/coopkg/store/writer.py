"""The service's writer: the store held read-write for all workers, writes committed at once.

A write through the snapshots costs more than an extraction: opening the store read-write
(tens of milliseconds), committing, then a checkpoint (which flushes the store) and, in the
worker, opening it. ``coopkg serve`` therefore runs a writer in its supervisor process: it
keeps the store open while writes keep coming (and closes it, releasing the write lock for
the CLI, after a second without any), commits each write as it arrives, marks the generation
that will show it as *pending* and answers; a background thread publishes that generation.
Workers keep read-your-writes by waiting, before a request, for a pending generation to be
published (``Services.sync``): the reader after a write pays the checkpoint, not the writer.

The protocol, over a Unix socket in the snapshot folder: one JSON line (``op``, its arguments,
the change for the journal, the byte count of a payload), the payload, and one JSON line back.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import socket
import socketserver
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pyoxigraph import NamedNode, RdfFormat, Triple, serialize

from coopkg.errors import CoopkgError, StoreError, error_from_code
from coopkg.store.snapshots import Change, Generations, WriteSession

log = logging.getLogger(__name__)


def socket_path_for(snapshots: Path) -> Path:
    """Where the writer listens: in the snapshot folder, unless that path is too long for a Unix socket."""
    path = snapshots.resolve() / "writer.sock"
    if len(str(path).encode()) <= 100:  # sun_path holds 108 bytes
        return path
    return Path(tempfile.gettempdir()) / f"coopkg-writer-{hashlib.sha256(str(path).encode()).hexdigest()[:16]}.sock"


class WriterService:
    """Serves writes on ``socket_path`` for the store at ``store_path`` (one per ``coopkg serve``)."""

    def __init__(self, store_path: Path, socket_path: Path, *, idle: float = 1.0) -> None:
        self.generations = Generations(store_path)
        self.socket_path = socket_path
        self.idle = idle
        self._lock = threading.Lock()  # the store, the open session and the unpublished change
        self._session: WriteSession | None = None
        self._holder: contextlib.ExitStack | None = None
        self._unpublished = Change()
        self._last_write = 0.0
        self._wake = threading.Event()
        self._stopping = False
        self._server: socketserver.ThreadingUnixStreamServer | None = None
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        self.socket_path.unlink(missing_ok=True)
        service = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                service._handle(self.rfile, self.wfile)

        self._server = socketserver.ThreadingUnixStreamServer(str(self.socket_path), Handler)
        self._server.daemon_threads = True
        for target, name in ((self._server.serve_forever, "coopkg-writer"), (self._publisher, "coopkg-publisher")):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        """Stop serving; what was committed is published and the store closed."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        self._stopping = True
        self._wake.set()
        for thread in self._threads:
            thread.join(timeout=30)
        with self._lock:
            self._publish()
            self._close()
        self.socket_path.unlink(missing_ok=True)

    # -- one request -------------------------------------------------------------------------

    def _handle(self, rfile: Any, wfile: Any) -> None:
        line = rfile.readline()
        if not line:
            return
        request = json.loads(line)
        payload = rfile.read(request.get("bytes", 0))
        try:
            reply = self._apply(request, payload)
        except CoopkgError as error:
            reply = {"ok": False, "code": error.code, "message": error.message}
        except Exception as error:  # the worker waits for an answer: a bug is reported, not left hanging
            log.exception("the writer failed on %s", request.get("op"))
            reply = {"ok": False, "code": "internal", "message": f"the writer failed: {type(error).__name__}: {error}"}
        wfile.write(json.dumps(reply).encode() + b"\n")
        wfile.flush()

    def _apply(self, request: dict[str, Any], payload: bytes) -> dict[str, Any]:
        op = request["op"]
        with self._lock:
            repo = self._open().repo
            result: object = None
            if op == "replace_graphs":
                graphs, start = [], 0
                for iri, size in zip(request["graphs"], request["sizes"], strict=True):
                    graphs.append((NamedNode(iri), payload[start : start + size]))
                    start += size
                repo.replace_graphs(graphs)
            elif op == "drop_graph":
                result = repo.drop_graph(NamedNode(request["graph"]))
            elif op == "update":
                repo.update(request["sparql"], base_iri=request.get("base_iri"))
            elif op == "has_graph":
                return {"ok": True, "result": repo.has_graph(NamedNode(request["graph"])), "generation": 0}
            else:
                raise StoreError(f"the writer does not know {op!r}")
            self._last_write = time.monotonic()
            change = Change(**request.get("change", {}))
            if op == "drop_graph" and not result:
                change = Change()
            if not change:
                return {"ok": True, "result": result, "generation": 0}
            self._unpublished.merge(change)
            generation = self.generations.latest() + 1  # published under this lock: the next one
            self.generations.mark_pending(generation, beyond_documents=self._unpublished.everything)
        self._wake.set()
        return {"ok": True, "result": result, "generation": generation}

    # -- the store, held while writes come ---------------------------------------------------

    def _open(self) -> WriteSession:
        if self._session is None:
            holder = contextlib.ExitStack()
            self._session = holder.enter_context(self.generations.session())  # waits for the CLI's lock
            self._holder = holder
        return self._session

    def _publish(self) -> None:
        if self._session is not None and self._unpublished:
            self._session.commit(self._unpublished)  # on failure it stays, for the next attempt
            self._unpublished = Change()

    def _close(self) -> None:
        if self._holder is not None:
            self._holder.close()
        self._session = self._holder = None

    def _publisher(self) -> None:
        while not self._stopping:
            self._wake.wait(timeout=self.idle / 2)
            self._wake.clear()
            with self._lock:
                try:
                    self._publish()
                except Exception:  # the loop must go on: readers wait for what it publishes
                    log.exception("publishing a generation failed; the next write retries")
                if self._session is not None and time.monotonic() - self._last_write >= self.idle:
                    self._close()  # let the CLI (or another tool) take the store


class WriterClient:
    """The writer seen from a worker: the write operations of a repository."""

    def __init__(self, socket_path: Path, *, timeout: float = 120.0) -> None:
        self.socket_path = socket_path
        self.timeout = timeout

    @contextlib.contextmanager
    def writing(self, change: Change) -> Iterator[BoundWriter]:
        yield BoundWriter(self, change)

    def call(self, request: dict[str, Any], payload: bytes = b"") -> dict[str, Any]:
        request = {**request, "bytes": len(payload)}
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
                connection.settimeout(self.timeout)
                connection.connect(str(self.socket_path))
                connection.sendall(json.dumps(request).encode() + b"\n" + payload)
                with connection.makefile("rb") as answers:
                    line = answers.readline()
        except OSError as error:
            raise StoreError(f"the service's writer at {self.socket_path} did not answer: {error}") from error
        if not line:
            raise StoreError("the service's writer closed the connection without answering")
        reply: dict[str, Any] = json.loads(line)
        if not reply.get("ok"):
            raise error_from_code(reply.get("code", "internal"), reply.get("message", "the writer failed"))
        return reply


class BoundWriter:
    """Writes through the writer, each recorded in the journal as ``change``."""

    def __init__(self, client: WriterClient, change: Change) -> None:
        self._client = client
        self._change = {"written": change.written, "dropped": change.dropped, "everything": change.everything}
        self.generation = 0  # the generation that will show the writes (pending until published)

    def _call(self, request: dict[str, Any], payload: bytes = b"") -> object:
        reply = self._client.call({**request, "change": self._change}, payload)
        self.generation = max(self.generation, int(reply.get("generation", 0)))
        return reply.get("result")

    def replace_graph(self, graph: NamedNode, triples: list[Triple]) -> int:
        data = serialize(triples, format=RdfFormat.N_TRIPLES)
        self.replace_graphs([(graph, data)])
        return len(triples)

    def replace_graphs(self, graphs: list[tuple[NamedNode, bytes]]) -> None:
        payload = b"".join(data for _, data in graphs)
        request = {"op": "replace_graphs", "graphs": [g.value for g, _ in graphs], "sizes": [len(d) for _, d in graphs]}
        self._call(request, payload)

    def drop_graph(self, graph: NamedNode) -> bool:
        return bool(self._call({"op": "drop_graph", "graph": graph.value}))

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        self._call({"op": "update", "sparql": sparql, "base_iri": base_iri})

    def has_graph(self, graph: NamedNode) -> bool:
        return bool(self._call({"op": "has_graph", "graph": graph.value}))
