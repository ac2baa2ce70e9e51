"""SPARQL-based constraints evaluated in Python, with the verdicts rdflib's SPARQL engine gives.

A constraint is run natively only when its query is, whitespace aside and with the same
prefixes, the query an implementation here was written for; any other SPARQL constraint
leaves the shapes to pyshacl (:class:`coopkg.shacl.shapes.Unsupported`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from pyoxigraph import Literal, NamedNode

from coopkg.shacl.constraints import Fallback
from coopkg.shacl.graph import Term
from coopkg.shacl.literals import XSD_STRING, typed_view

if TYPE_CHECKING:
    from coopkg.shacl.validator import Run

COOPKG = "https://w3id.org/coopkg/ontology#"
OA = "http://www.w3.org/ns/oa#"
TEXT = NamedNode(COOPKG + "text")
HAS_SOURCE = NamedNode(OA + "hasSource")
HAS_SELECTOR = NamedNode(OA + "hasSelector")
EXACT = NamedNode(OA + "exact")
START = NamedNode(OA + "start")
END = NamedNode(OA + "end")

XSD = "http://www.w3.org/2001/XMLSchema#"
# The datatypes rdflib's SPARQL arithmetic accepts (operators.numeric); the integer ones give ints.
_INTEGER_TYPES = frozenset(
    XSD + name
    for name in (
        "integer", "nonPositiveInteger", "negativeInteger", "nonNegativeInteger", "positiveInteger",
        "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte", "long", "int", "short", "byte",
    )
)  # fmt: skip
_NUMERIC_TYPES = _INTEGER_TYPES | {XSD + "decimal", XSD + "float", XSD + "double"}
_DURATIONS = frozenset(XSD + name for name in ("duration", "dayTimeDuration", "yearMonthDuration"))

_SPACE = re.compile(r"\s+")


def normalise_query(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


QUOTE_MATCHES_TEXT = normalise_query(
    """
    SELECT $this ?value WHERE {
        $this coopkg:text ?text .
        ?target oa:hasSource $this ; oa:hasSelector ?q , ?p .
        ?q oa:exact ?value .
        ?p oa:start ?start ; oa:end ?end .
        FILTER (SUBSTR(?text, ?start + 1, ?end - ?start) != ?value)
    }
    """
)


_ERROR = object()  # the expression is a SPARQL error: the FILTER is false, no result


def _offset(term: Term) -> object:
    """An offset as rdflib's arithmetic reads it: an int, or _ERROR for a non-numeric term."""
    if type(term) is not Literal or term.language is not None:
        return _ERROR
    datatype = term.datatype.value
    if datatype in _DURATIONS:
        raise Fallback(f"offset {term}: rdflib's date arithmetic")
    if datatype not in _NUMERIC_TYPES:
        return _ERROR
    view = typed_view(term)
    if datatype in _INTEGER_TYPES and not view.ill_typed and type(view.value) is int:
        return view.value
    raise Fallback(f"offset {term}: rdflib stops the query on a non-integer offset")


def _text(term: Term) -> Literal | None:
    """The text SUBSTR works on, or None when SUBSTR is a SPARQL error (not a string literal)."""
    if type(term) is not Literal:
        return None
    return term if term.language is not None or term.datatype == XSD_STRING else None


def _differs(text: Literal, start: int, end: int, value: Term) -> bool:
    """rdflib's ``SUBSTR(text, start + 1, end - start) != value``: not the same string in the same language."""
    if type(value) is not Literal:
        return True
    if value.language != text.language or (value.language is None and value.datatype != XSD_STRING):
        return True
    return text.value[start:end] != value.value


def quotes_off_their_offsets(run: Run, document: Term) -> list[Term]:
    """The quotes (oa:exact) of the selectors pointing at ``document`` that are not its text at their offsets.

    As rdflib evaluates the constraint: SUBSTR(text, start + 1, end - start) is Python's
    ``text[start:end]`` (code points, negative offsets counted from the end) and keeps the
    text's language, a row whose expression is an error is no result, and pyshacl keeps each
    distinct quote once.
    """
    graph = run.graph
    texts = [t for t in map(_text, graph.objects(document, TEXT)) if t is not None]
    if not texts:
        return []
    found: dict[Term, None] = {}
    for target in graph.subjects(HAS_SOURCE, document):
        selectors = list(graph.objects(target, HAS_SELECTOR))
        spans: list[tuple[int, int]] = []
        for selector in selectors:
            for first in graph.objects(selector, START):
                for last in graph.objects(selector, END):
                    start, end = _offset(first), _offset(last)
                    if start is not _ERROR and end is not _ERROR:
                        spans.append((start, end))  # type: ignore[arg-type]
        if not spans:
            continue
        for selector in selectors:
            for value in graph.objects(selector, EXACT):
                if value not in found and any(_differs(t, s, e, value) for t in texts for s, e in spans):
                    found[value] = None
    return list(found)


NATIVE_QUERIES: dict[tuple[str, frozenset[tuple[str, str]]], Callable[[Run, Term], list[Term]]] = {
    (QUOTE_MATCHES_TEXT, frozenset({("coopkg", COOPKG), ("oa", OA)})): quotes_off_their_offsets,
}
