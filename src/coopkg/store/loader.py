"""Bulk loads through the Graph Store Protocol: `coopkg load` over an endpoint with ``COOPKG_GSP_URL``.

How a file goes to the engine, by its size, its format and the engine's dialect:

* **Small files** (under ``stream_bytes``, 64 MB: about 250,000 triples) are parsed here whole
  before anything is sent, as they always were: a file that does not parse writes nothing, and the
  change-log entry names its graphs.
* **Large N-Quads and N-Triples files** are passed on as they are, in blocks (:mod:`coopkg.store.bulk`):
  the engine parses them, and Python never makes an object per quad. A block that needs the parser
  after all (a blank node to skolemise, a line that cannot be placed, a relative IRI or an ill-typed
  integer for Virtuoso's loader) is parsed here, and the rest of the file is not.
* **Large files in other formats** are parsed here and written as they are read.

To an engine that takes a whole dataset in one request (Oxigraph: ``POST /store``, through its bulk
loader), the file is **one streamed request, all or nothing**: what does not parse, or a broken
connection, leaves the store as it was. To the others (Virtuoso, a generic engine), each graph is
posted on its own (large graphs in pieces of ``graph_store_bytes``), with ``load_requests`` of them
in flight at once; a graph that fails stops the load, the posts in flight are waited for, and the
graphs already written stay (each graph's post is as atomic as the engine makes it: Virtuoso's
loader commits as it goes).

With a change log, the load records **one entry when it is done**, naming its graphs (or
"everything", past 64 of them); a load that failed after writing some graphs records them before
the error is raised, and one that wrote nothing records nothing. A reader's views see the load
when it has finished (``/sparql`` sees each graph as it is written).
"""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyoxigraph import BlankNode, NamedNode, Quad, RdfFormat, Triple, parse, serialize

from coopkg.errors import BadInputError, StoreError
from coopkg.store import bulk
from coopkg.store.changelog import MAX_GRAPHS
from coopkg.store.skolem import Skolemiser

if TYPE_CHECKING:
    from coopkg.store.remote import RemoteRepository

STREAM_BYTES = 64 << 20  # files at least this large are streamed (see the module's docstring)
PARSED_BATCH = 50_000  # quads parsed here and serialised at a time
LOAD_TIMEOUT = 600.0  # seconds a load request may wait on the engine (its bulk loader commits at the end)
NQUADS, NTRIPLES = "application/n-quads", "application/n-triples"


class _Written:
    """What a load has written: the graphs its change-log entry names, and its triples."""

    def __init__(self) -> None:
        self.graphs: dict[str, None] = {}  # in the order written; "" is the default graph
        self.everything = False
        self.triples = 0

    def add(self, graph: str) -> None:
        if self.everything or graph in self.graphs:
            return
        if graph == "" or len(self.graphs) >= MAX_GRAPHS:
            self.everything = True  # the default graph, or more graphs than an entry names
            return
        self.graphs[graph] = None

    def __bool__(self) -> bool:
        return self.everything or bool(self.graphs)


class _InFlight:
    """Requests run by a few threads, at most ``2 × workers`` waiting: the first failure is raised."""

    def __init__(self, workers: int) -> None:
        self._pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="coopkg-load")
        self._pending: deque[Future[None]] = deque()
        self._limit = 2 * max(1, workers)

    def submit(self, task: Callable[..., None], *args: Any) -> None:
        while self._pending and (len(self._pending) >= self._limit or self._pending[0].done()):
            self._pending.popleft().result()
        self._pending.append(self._pool.submit(task, *args))

    def finish(self) -> None:
        while self._pending:
            self._pending.popleft().result()

    def close(self) -> None:
        """Wait for whatever is still in flight (a failed load is reported once nothing is being written)."""
        for future in self._pending:
            with contextlib.suppress(Exception):
                future.result()
        self._pending.clear()
        self._pool.shutdown(wait=True)


class GraphStoreLoad:
    """One file loaded into ``repo`` through its graph store (see the module's docstring)."""

    def __init__(self, repo: RemoteRepository, target: NamedNode | None, fmt: RdfFormat, base_iri: str | None) -> None:
        self.repo = repo
        self.client = repo.client
        self.dialect = repo.dialect
        self.target = target
        self.fmt = fmt
        self.base_iri = base_iri
        self.written = _Written()
        self.skolem = Skolemiser(repo.skolem_prefix)
        self.timeout = max(LOAD_TIMEOUT, self.client.timeout)

    def run(self, path: Path) -> int:
        try:
            size = path.stat().st_size
        except OSError as error:
            raise BadInputError(f"cannot read {path}: {error.strerror or error}") from error
        streamed = size >= self.repo.stream_bytes
        raw = streamed and self.fmt in (RdfFormat.N_QUADS, RdfFormat.N_TRIPLES)
        try:
            if self.dialect.graph_store_datasets:
                chunks: Iterable[bytes] = self._raw_chunks(path) if raw else self._parsed_chunks(path)
                if not streamed:
                    chunks = list(chunks)  # parsed to the end before the request starts
                self.client.post_graph(self._target_value(), chunks, NTRIPLES if self.target else NQUADS,
                                       dataset=self.target is None, bulk=True, timeout=self.timeout)  # fmt: skip
            else:
                pieces = self._raw_pieces(path) if raw else self._parsed_pieces(path)
                self._post_graphs(list(pieces) if not streamed else pieces)
        except BaseException:
            if self.written and not self.dialect.graph_store_datasets:
                with contextlib.suppress(StoreError):
                    self._record()  # what was written before the failure stays: every process should see it
            raise
        self._record()
        return self.written.triples

    def _target_value(self) -> str | None:
        return self.target.value if self.target is not None else None

    def _record(self) -> None:
        log = self.repo.change_log
        if log is None or not self.written:
            return
        graphs: list[NamedNode | None] = [NamedNode(g) for g in self.written.graphs]
        self.client.update(log.record(graphs, everything=self.written.everything))

    # -- one request: the whole dataset, streamed (Oxigraph) ------------------------------------

    def _raw_chunks(self, path: Path) -> Iterator[bytes]:
        """The file's blocks as they are (N-Quads, or N-Triples for a target graph); the graphs named from
        their runs of lines until there are too many to name."""
        offset = 0
        for block in bulk.blocks(path, self.repo.load_block_bytes):
            where, offset = f"{path} (from byte {offset:,})", offset + len(block)
            if b"_:" in block:
                yield self._reparsed(block, where)  # skolemised, so that each blank node stays one node
                continue
            if self.target is not None:
                self.written.add(self.target.value)
                if self.fmt == RdfFormat.N_QUADS:
                    runs = bulk.graph_runs(block)
                    if runs is None:
                        yield self._reparsed(block, where)
                        continue
                    self.written.triples += bulk.count_lines(block)
                    yield b"".join(run.triples(block) for run in runs)
                    continue
            elif not self.written.everything:
                runs = bulk.graph_runs(block)
                for run in runs if runs is not None else []:
                    self.written.add(run.graph[1:-1].decode("utf-8") if run.graph else "")
                if runs is None:
                    self.written.everything = True
            self.written.triples += bulk.count_lines(block)
            yield block

    def _reparsed(self, data: bytes, where: str) -> bytes:
        """A block parsed here and written again, its blank nodes skolemised."""
        return self._serialized(list(self._quads(data, where)))

    def _parsed_chunks(self, path: Path) -> Iterator[bytes]:
        for quads in self._quad_batches(path):
            yield self._serialized(quads)

    def _serialized(self, quads: list[Quad]) -> bytes:
        for quad in quads:
            self.written.add(self._key(quad))
        self.written.triples += len(quads)
        if self.target is not None:
            return serialize([q.triple for q in quads], format=RdfFormat.N_TRIPLES)
        return serialize(quads, format=RdfFormat.N_QUADS)

    # -- graph by graph, several at once (Virtuoso, a generic engine) ---------------------------

    def _post_graphs(self, pieces: Iterable[tuple[str, bytes | list[Triple]]]) -> None:
        flight = _InFlight(self.dialect.load_requests)
        try:
            for graph, content in pieces:
                self.written.add(graph)
                if isinstance(content, bytes):
                    for part in _parts(content, self.dialect.graph_store_bytes):
                        flight.submit(self._post_one, graph, part)
                else:
                    flight.submit(self._insert_one, graph, content)
            flight.finish()
        finally:
            flight.close()

    def _post_one(self, graph: str, data: bytes) -> None:
        self.client.post_graph(graph or None, data, NTRIPLES, timeout=self.timeout)

    def _insert_one(self, graph: str, triples: list[Triple]) -> None:
        """Triples the engine's graph store would change (Virtuoso's coerced integers): by update, to be refused."""
        self.client.update(
            self.dialect.update_prologue + self.repo._insert_data(NamedNode(graph) if graph else None, triples)
        )

    def _raw_pieces(self, path: Path) -> Iterator[tuple[str, bytes | list[Triple]]]:
        """Each graph's N-Triples, cut from the file's blocks; a graph still open at the end of a block is
        carried into the next (up to a block's size), so that most graphs are one request."""
        carry = b""
        blocks = bulk.blocks(path, self.repo.load_block_bytes)
        block = next(blocks, None)
        offset = 0  # of ``data`` in the file
        dialect = self.dialect
        while block is not None:
            following = next(blocks, None)
            data = carry + block if carry else block
            where = f"{path} (from byte {offset:,})"
            offset += len(data)
            carry = b""
            if bulk.needs_parser(data, relative_iris=dialect.graph_store_reads_turtle,
                                 integers=dialect.graph_store_coerces_integers):  # fmt: skip
                yield from self._grouped(self._quads(data, where))
            elif self.target is not None and self.fmt == RdfFormat.N_TRIPLES:
                self.written.triples += bulk.count_lines(data)
                yield self.target.value, data
            else:
                runs = bulk.graph_runs(data, checked=False)
                if runs is None:
                    yield from self._grouped(self._quads(data, where))
                else:
                    if following is not None and runs and runs[-1].end - runs[-1].start < self.repo.load_block_bytes:
                        carry = data[runs[-1].start :]
                        offset -= len(carry)
                        runs = runs[:-1]
                    for run in runs:
                        self.written.triples += data.count(b"\n", run.start, run.end)
                        graph = self._target_value() or (run.graph[1:-1].decode("utf-8") if run.graph else "")
                        yield graph, run.triples(data)
            block = following

    def _parsed_pieces(self, path: Path) -> Iterator[tuple[str, bytes | list[Triple]]]:
        for quads in self._quad_batches(path):
            yield from self._grouped(quads)

    def _grouped(self, quads: Iterable[Quad]) -> Iterator[tuple[str, bytes | list[Triple]]]:
        """Quads parsed here, as each graph's N-Triples (or its triples, for an update where the engine's
        graph store would change them)."""
        graphs: dict[str, list[Triple]] = {}
        for quad in quads:
            graphs.setdefault(self._key(quad), []).append(quad.triple)
        for graph, triples in graphs.items():
            self.written.triples += len(triples)
            if self.dialect.graph_store_keeps(triples):
                yield graph, serialize(triples, format=RdfFormat.N_TRIPLES)
            else:
                yield graph, triples

    # -- parsing here ---------------------------------------------------------------------------

    def _quad_batches(self, path: Path) -> Iterator[list[Quad]]:
        batch: list[Quad] = []
        for quad in self._quads(path):
            batch.append(quad)
            if len(batch) == PARSED_BATCH:
                yield batch
                batch = []
        if batch:
            yield batch

    def _quads(self, source: Path | bytes, where: str = "") -> Iterator[Quad]:
        """The quads of a file or a block, blank nodes skolemised (one IRI per label in the whole file)."""
        skolem = self.skolem
        try:
            if isinstance(source, Path):
                quads = parse(path=str(source), format=self.fmt, base_iri=self.base_iri)
            else:
                quads = parse(source, format=self.fmt, base_iri=self.base_iri)
            for quad in quads:
                subject, obj, graph = quad.subject, quad.object, quad.graph_name
                if isinstance(subject, BlankNode) or isinstance(obj, BlankNode) or isinstance(graph, BlankNode):
                    quad = Quad(skolem.term(subject), quad.predicate, skolem.term(obj), skolem.term(graph))
                yield quad
        except SyntaxError as error:
            raise BadInputError(f"cannot parse {where or source} as {self.fmt.name}: {error}") from error
        except OSError as error:
            raise BadInputError(f"cannot read {where or source}: {error.strerror or error}") from error

    def _key(self, quad: Quad) -> str:
        """The graph a quad goes to: the target, its own, or "" (the default graph)."""
        if self.target is not None:
            return self.target.value
        graph = quad.graph_name
        return graph.value if isinstance(graph, NamedNode) else ""


def _parts(data: bytes, limit: int) -> Iterator[bytes]:
    """``data`` (whole lines) in pieces of at most about ``limit`` bytes, cut at ends of lines."""
    if len(data) <= limit:
        yield data
        return
    start = 0
    while start < len(data):
        cut = data.rfind(b"\n", start, start + limit) + 1
        if cut <= start:
            cut = data.find(b"\n", start + limit) + 1 or len(data)  # one line longer than the limit
        yield data[start:cut]
        start = cut
