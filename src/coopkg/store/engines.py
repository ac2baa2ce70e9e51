"""What SPARQL engines do differently: one small dialect per engine the remote backend knows.

The remote backend speaks SPARQL 1.1 (Protocol, Update, Graph Store Protocol); a dialect says
where an engine departs from it, measured on the engines themselves (see the README's
"Engines" section and docs/scale.md):

* ``atomic_requests``: whether one update request is one transaction. Oxigraph: yes. Virtuoso
  7.2 over HTTP: the operations of a request commit together, but an operation that fails
  leaves the ones before it committed (``DROP; INSERT; <failing op>`` keeps the DROP and the
  INSERT), so a replace is staged (see :mod:`coopkg.store.remote`).
* ``group_triples``: the most triples in one ``{ ... }`` group of ``INSERT DATA``. Virtuoso's
  parser gives up past ~4,990 (SP030 "memory exhausted"); Jena's (4.5, Fuseki's too) recurses once
  per triple of a group and overflows a thread's default 1 MB stack past ~11,000 (a 400 "Parse
  error: null"); several groups in one operation are fine on both.
* ``update_prologue``: Virtuoso compiles ``INSERT DATA`` into SQL text limited to 10,000 lines
  (SP031 past ~1,400 triples) unless ``define sql:big-data-const 1`` passes the data as one constant.
* ``hidden_graphs``: the engine's own graphs, never shown as coopkg's (stats, graphs, export,
  dump). They stay in the union a query sees: Virtuoso's ``define input:default-graph-exclude``
  would leave them out, but with it any ``GRAPH <iri> { … }`` pattern answers wrongly (no rows,
  or a count of 1), so it is not used.
* ``max_rows``: the most rows the engine answers before it truncates (Virtuoso's
  ``ResultSetMaxRows``, 10,000 by default): it says so in ``X-SPARQL-MaxRows`` for SELECT, and not
  at all for CONSTRUCT; a result of exactly that size is taken as truncated too.
* ``blank_node_scheme``: Virtuoso names blank nodes ``nodeID://b10000`` in SPARQL JSON results.
* ``graph_store_coerces_integers``: Virtuoso's Graph Store loader turns an ill-typed integer into a
  number (``"abc"^^xsd:integer`` is stored as 0, ``"1.5"`` as 1) where its updates refuse it (SR341):
  such data is written by update, so that it is refused rather than changed.
* ``graph_store_reads_turtle``: Virtuoso's Graph Store loader reads what it is sent as Turtle, whatever
  its media type: a relative IRI in N-Triples is resolved against the graph's IRI instead of refused, so
  a bulk load passes on only bytes that hold none (:mod:`coopkg.store.bulk`).
* ``graph_store_datasets``: a whole N-Quads dataset can be posted to the graph store in one request
  (``POST /store`` on Oxigraph, each quad to its graph); elsewhere a bulk load posts graph by graph
  (Virtuoso's graph store takes Turtle, N-Triples and RDF/XML only: 22023 for N-Quads or TriG).
* ``graph_store_bulk``: the query parameter that asks the graph store for the engine's bulk loader
  (Oxigraph's ``no_transaction``: its bulk loader, twice as fast as a transaction here and half the
  disk, all or nothing still: a request it cannot parse leaves nothing).
* ``load_requests``: graph-store requests a bulk load keeps in flight (two on Virtuoso: the next graph
  is on its way while one is loaded; more made it slower on two cores, 6 at once 38 k triples/s
  against 50–59 k. Oxigraph's bulk loader runs best alone); ``graph_store_bytes``: the most bytes in one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Literal as Choice

from pyoxigraph import Literal, Triple

from coopkg.errors import BadInputError, CoopkgError, QuerySyntaxError, StoreError

EngineName = Choice["oxigraph", "virtuoso", "jena", "generic"]
MESSAGE_LIMIT = 400  # characters of an engine's message kept in an error (never the whole request)


@dataclass(frozen=True)
class Dialect:
    """How to talk to one kind of engine (the defaults are SPARQL 1.1 as written)."""

    name: EngineName
    atomic_requests: bool = True
    group_triples: int = 50_000
    request_triples: int = 50_000
    update_prologue: str = ""
    hidden_graphs: frozenset[str] = field(default_factory=frozenset)
    max_rows: int | None = None
    truncation_header: str | None = None
    blank_node_scheme: str | None = None
    drop_needs_silent: bool = False  # DROP GRAPH of a graph never created explicitly fails (Virtuoso)
    graph_store_coerces_integers: bool = False
    graph_store_reads_turtle: bool = False
    graph_store_datasets: bool = False
    graph_store_bulk: str | None = None
    load_requests: int = 2
    graph_store_bytes: int = 16 << 20

    def graph_store_keeps(self, triples: Iterable[Triple]) -> bool:
        """Whether the engine's Graph Store loader stores these triples as they are."""
        if not self.graph_store_coerces_integers:
            return True
        for triple in triples:
            term = triple.object
            if (
                isinstance(term, Literal)
                and term.datatype.value in _XSD_INTEGERS
                and not _INTEGER.fullmatch(term.value)
            ):
                return False
        return True

    def with_max_rows(self, rows: int | None) -> Dialect:
        return self if rows is None else replace(self, max_rows=rows)

    def error(self, status: int, body: str, what: str, where: str) -> CoopkgError:
        """The coopkg error for an engine's refusal: bad input only when the engine says the text is wrong."""
        message = self.message(body)
        if self._is_syntax_error(status, body):
            if what == GRAPH_STORE:
                return BadInputError(f"the engine could not parse the data sent to its graph store: {message}")
            return QuerySyntaxError(f"malformed SPARQL {what}: {message}")
        return StoreError(f"the engine refused the {what} at {where}: HTTP {status}: {message}")

    def message(self, body: str) -> str:
        """The engine's message, without the request it echoes, shortened."""
        text = body
        if self.name == "virtuoso":
            text = text.split("\nSPARQL query:", 1)[0]
        if text.lstrip()[:9].lower() in {"<!doctype", "<html>"}:
            text = _TAG.sub(" ", text.split("</title>", 1)[-1])  # Virtuoso's graph store answers in HTML
        text = " ".join(text.split())
        return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 1] + "…"

    def is_retryable(self, status: int, body: str) -> bool:
        """Whether the engine rolled the request back for a conflict with another one (try it again).

        Virtuoso picks a victim when two transactions deadlock (SQL state 40001, SR172), a reader as
        well as a writer: it is rolled back whole, so sending it again is safe. Its SPARQL compiler now and
        then refuses a ``big-data-const`` update it compiles at other times (SP031 "can be compiled and executed
        but not translated to an accurate SQL text", seen under concurrent reads): nothing was run, so again."""
        if self.name != "virtuoso":
            return False
        deadlock = status >= 500 and ("40001" in body or "SR172" in body)
        return deadlock or (status == 400 and "SP031" in body and "not translated to an accurate SQL text" in body)

    def _is_syntax_error(self, status: int, body: str) -> bool:
        if self.name == "virtuoso":
            # SP030 is the parser's "syntax error", SP029 its Turtle loader's (the graph store's, answered
            # with a 500); SP031 and the 42000/22023 classes are the engine's internal limits, permissions
            # and run-time failures: store errors, whatever the status.
            if "SP029: TURTLE RDF loader" in body.split("\nSPARQL query:", 1)[0]:
                return True
            return status == 400 and _VIRTUOSO_CODE.search(body) is not None and "SP030" in body
        return status == 400


GRAPH_STORE = "graph store request"  # what a graph-store request is called in errors
_VIRTUOSO_CODE = re.compile(r"Virtuoso \w+ Error SP\d{3}")
_TAG = re.compile(r"<[^>]*>")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_XSD_INTEGERS = frozenset(
    f"http://www.w3.org/2001/XMLSchema#{name}"
    for name in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "nonPositiveInteger",
                 "positiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")
)  # fmt: skip

GENERIC = Dialect("generic")
OXIGRAPH = Dialect("oxigraph", graph_store_datasets=True, graph_store_bulk="no_transaction", load_requests=1)
VIRTUOSO = Dialect(
    "virtuoso",
    atomic_requests=False,
    group_triples=3_000,
    request_triples=30_000,
    update_prologue="define sql:big-data-const 1 ",
    hidden_graphs=frozenset(
        {
            "http://www.openlinksw.com/schemas/virtrdf#",
            "http://www.w3.org/ns/ldp#",
            "http://localuriqaserver/sparql",
            "http://www.w3.org/2002/07/owl#",
            "http://www.openlinksw.com/schemas/oplweb#",
        }
    ),
    max_rows=10_000,
    truncation_header="X-SPARQL-MaxRows",
    blank_node_scheme="nodeID://",
    drop_needs_silent=True,
    graph_store_coerces_integers=True,
    graph_store_reads_turtle=True,
    load_requests=2,
    graph_store_bytes=8 << 20,
)
# Jena (TDB2 behind Fuseki, or any endpoint over Jena's ARQ) is SPARQL 1.1 as written but for its parser's depth.
JENA = Dialect("jena", group_triples=3_000)
DIALECTS: dict[str, Dialect] = {d.name: d for d in (GENERIC, OXIGRAPH, VIRTUOSO, JENA)}


def dialect_for_server(server_header: str) -> Dialect:
    """The dialect an HTTP ``Server`` header names (``Virtuoso/07.20.3229 …``, ``Oxigraph/0.5.13``,
    ``Apache Jena Fuseki (4.10.0)``)."""
    product = server_header.strip().lower()
    if product.startswith("virtuoso"):
        return VIRTUOSO
    if product.startswith("oxigraph"):
        return OXIGRAPH
    if product.startswith("apache jena"):
        return JENA
    return GENERIC
