"""Literals as pyshacl sees them: through rdflib, which normalises and types their lexical forms.

The reference validator (pyshacl) reads every literal as an rdflib ``Literal``: ``"05"^^xsd:integer``
becomes ``5``, ``"2020-02-30"^^xsd:date`` is ill-typed, ``"1e5"^^xsd:decimal`` is the decimal
100000. To give the same verdicts, the fast validator asks rdflib once per distinct typed
literal (strings and language-tagged strings need no conversion) and keeps the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rdflib
from pyoxigraph import Literal, NamedNode

XSD_STRING = NamedNode("http://www.w3.org/2001/XMLSchema#string")
RDF_LANGSTRING = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#langString")

_CACHE_LIMIT = 200_000


@dataclass(frozen=True, slots=True)
class TypedView:
    """What rdflib makes of a typed (non-string) literal."""

    term: Literal  # the literal with rdflib's normalised lexical form: the identity pyshacl uses
    lexical: str
    ill_typed: bool | None
    value: Any  # rdflib's Python value (None when it has no converter or the literal is ill-typed)
    parsed: rdflib.Literal


_views: dict[tuple[str, str], TypedView] = {}


def typed_view(literal: Literal) -> TypedView:
    """rdflib's reading of a literal whose datatype is neither xsd:string nor rdf:langString."""
    datatype = literal.datatype.value
    key = (literal.value, datatype)
    view = _views.get(key)
    if view is None:
        parsed = rdflib.Literal(literal.value, datatype=rdflib.URIRef(datatype))
        lexical = str(parsed)
        term = literal if lexical == literal.value else Literal(lexical, datatype=literal.datatype)
        view = TypedView(term, lexical, parsed.ill_typed, parsed.value, parsed)
        if len(_views) >= _CACHE_LIMIT:
            _views.clear()
        _views[key] = view
    return view


def is_plain(literal: Literal) -> bool:
    """An xsd:string literal without a language tag (rdflib's plain literal)."""
    return literal.language is None and literal.datatype == XSD_STRING


def canonical(literal: Literal) -> Literal:
    """The literal as rdflib identifies it (normalised lexical form for typed literals)."""
    if literal.language is not None or literal.datatype == XSD_STRING:
        return literal
    return typed_view(literal).term


def to_rdflib(literal: Literal) -> rdflib.Literal:
    if literal.language is not None:
        return rdflib.Literal(literal.value, lang=literal.language)
    if literal.datatype == XSD_STRING:
        return rdflib.Literal(literal.value)
    return typed_view(literal).parsed


def python_value(literal: Literal) -> Any:
    """rdflib's ``Literal.value``: the string itself for strings."""
    if literal.language is not None or literal.datatype == XSD_STRING:
        return literal.value
    return typed_view(literal).value


def lexical(literal: Literal) -> str:
    """rdflib's ``str(literal)``."""
    if literal.language is not None or literal.datatype == XSD_STRING:
        return literal.value
    return typed_view(literal).lexical
