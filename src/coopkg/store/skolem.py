"""Blank nodes across the remote backend's boundary: skolemised on the way in, given back on the way out.

A blank node sent to an endpoint is a problem twice over: Virtuoso refuses one in ``INSERT DATA``
(SP031 "Blank node is not allowed in a constant clause"), and a write cut into several requests or
Graph Store posts would turn one blank node into several (each request has its own). So every
blank node is replaced, before it is written, by a skolem IRI ``{prefix}{uuid}`` (RDF 1.1 §3.5),
one per blank node and write. On the way out the remote backend turns those IRIs, and the engine's
own blank-node names (Virtuoso's ``nodeID://b10000``), back into blank nodes, so that results,
graphs and exports look as they do on the embedded store.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from pyoxigraph import BlankNode, NamedNode, Quad, Triple

DEFAULT_PREFIX = "https://w3id.org/coopkg/.well-known/genid/"


class Skolemiser:
    """One write's blank nodes, each replaced by a fresh skolem IRI (the same one wherever it occurs)."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self._names: dict[str, NamedNode] = {}

    def term(self, term: Any) -> Any:
        if isinstance(term, BlankNode):
            named = self._names.get(term.value)
            if named is None:
                named = self._names[term.value] = NamedNode(f"{self.prefix}{uuid.uuid4().hex}")
            return named
        return term

    def triple(self, triple: Triple) -> Triple:
        if not isinstance(triple.subject, BlankNode) and not isinstance(triple.object, BlankNode):
            return triple
        return Triple(self.term(triple.subject), triple.predicate, self.term(triple.object))

    def triples(self, triples: Iterable[Triple]) -> Iterator[Triple]:
        return (self.triple(t) for t in triples)


class Unskolemiser:
    """Skolem IRIs of ``prefix`` and an engine's blank-node names back to blank nodes."""

    def __init__(self, prefix: str, engine_scheme: str | None) -> None:
        self.prefix = prefix
        self.scheme = engine_scheme
        self._markers = [prefix.encode()] + ([engine_scheme.encode()] if engine_scheme else [])

    def concerns(self, body: bytes) -> bool:
        """Whether a serialised answer may hold a term to give back (a cheap test before any rewriting)."""
        return any(marker in body for marker in self._markers)

    def term(self, term: Any) -> Any:
        if isinstance(term, NamedNode) and term.value.startswith(self.prefix):
            return BlankNode(_label(term.value[len(self.prefix) :]))
        return term

    def triple(self, triple: Triple) -> Triple:
        return Triple(self.term(triple.subject), triple.predicate, self.term(triple.object))

    def quad(self, quad: Quad) -> Quad:
        return Quad(self.term(quad.subject), quad.predicate, self.term(quad.object), quad.graph_name)

    def json_results(self, body: bytes) -> bytes:
        """SPARQL JSON results with skolem IRIs and engine blank-node names as plain blank nodes."""
        document = json.loads(body)
        for binding in document.get("results", {}).get("bindings", []):
            for value in binding.values():
                kind, text = value.get("type"), value.get("value", "")
                if kind == "uri" and text.startswith(self.prefix):
                    value.update(type="bnode", value=_label(text[len(self.prefix) :]))
                elif kind == "bnode" and self.scheme and text.startswith(self.scheme):
                    value["value"] = _label(text[len(self.scheme) :])
        return json.dumps(document).encode()


def _label(text: str) -> str:
    """A valid blank-node label for any identifier (letters, digits, '_' and '-' kept; others hex-coded)."""
    kept = "".join(c if c.isascii() and (c.isalnum() or c in "_-") else f"x{ord(c):x}" for c in text)
    return "b" + kept if not kept or not kept[0].isalpha() else kept
