"""Lookups: queries whose whole work is bounded by the size of their answer, counted before they run.

A lookup may be evaluated on a worker's event loop (a thread hop would cost more than the
query). What makes a query one is decided in two steps:

1. **Its parse** (rdflib's SPARQL algebra, cached per *shape*: the query with its IRIs replaced by
   numbered placeholders, so point lookups that differ only by the IRIs they name are parsed
   once): a SELECT or ASK whose algebra holds only basic graph patterns, OPTIONAL, FILTER
   (without EXISTS), projection, DISTINCT, ORDER BY and LIMIT/OFFSET, where every triple pattern
   has a fixed subject and a fixed or variable predicate (no property path).
2. **Its answer's size**, on the store, per request: the triples that can match each pattern are
   counted through the index (stopping past the bound), and the product of the counts bounds the
   number of solutions the engine can build, whatever the join order, OFFSET or FILTER. Only a
   query under :data:`MAX_SOLUTIONS` runs on the loop; any other goes to the thread pool with
   its time limit. So the self-join with an OFFSET of 10¹¹ that a shape test accepts is counted
   at its real size and never blocks the loop.

rdflib is imported with the first query looked at (it was a sixth of a worker's start-up).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from pyoxigraph import NamedNode, Store

if TYPE_CHECKING:
    from rdflib.plugins.sparql.parserutils import CompValue

MAX_SOLUTIONS = 10_000  # a lookup builds at most this many solutions
MAX_TEXT = 2_000  # longer texts are not looked at as lookups
MAX_BRACKETS = 64  # nor texts with more brackets: the loop's stack is the process's own
_IRI_REF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_PLACEHOLDER = "urn:coopkg:iri:"
_ALLOWED = {"SelectQuery", "AskQuery", "Project", "Slice", "OrderBy", "Distinct", "Reduced", "Filter", "LeftJoin",
            "Join", "BGP"}  # fmt: skip
_lock = threading.Lock()  # pyparsing's packrat cache is shared by all threads


@dataclass(frozen=True)
class Pattern:
    """A triple pattern: each position a fixed IRI, one of the query's own IRIs (its index, and the
    local name a prefix adds to it), or None for anything."""

    subject: str | tuple[int, str]
    predicate: str | tuple[int, str] | None
    object: str | tuple[int, str] | None
    optional: bool


def plan(text: str) -> tuple[Pattern, ...] | None:
    """The triple patterns of a lookup, or None if the query is not shaped like one."""
    if len(text) > MAX_TEXT or sum(text.count(c) for c in "{([") > MAX_BRACKETS:
        return None
    counter = iter(range(1 << 30))
    # A comment ends at a carriage return for the engine, at a line feed only for rdflib.
    shape = _IRI_REF.sub(lambda _: f"<{_PLACEHOLDER}{next(counter)}:>", text).replace("\r", "\n")
    return _plan(shape)


def solutions_bound(store: Store, text: str, patterns: tuple[Pattern, ...], limit: int = MAX_SOLUTIONS) -> int:
    """An upper bound of the solutions ``patterns`` can have on ``store`` (``limit + 1`` once past the limit)."""
    iris = [m.group()[1:-1] for m in _IRI_REF.finditer(text)]
    bound = 1
    for pattern in patterns:
        terms = [_term(position, iris) for position in (pattern.subject, pattern.predicate, pattern.object)]
        if terms[0] is None:
            return limit + 1  # a placeholder that does not name an IRI: the shape was misread
        count = 0
        for _ in store.quads_for_pattern(terms[0], terms[1], terms[2], None):
            count += 1
            if count > limit:
                return limit + 1
        bound *= max(count, 1) if pattern.optional else count
        if bound > limit:
            return limit + 1
    return bound


def _term(position: str | tuple[int, str] | None, iris: list[str]) -> NamedNode | None:
    if position is None:
        return None
    try:
        return NamedNode(position if isinstance(position, str) else iris[position[0]] + position[1])
    except (ValueError, IndexError):
        return None  # a relative IRI (resolved by the engine against a BASE), or a misread shape


@lru_cache(maxsize=1024)
def _plan(shape: str) -> tuple[Pattern, ...] | None:
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import Query

    try:
        with _lock:
            algebra = translateQuery(Query.parse_string(shape, parse_all=True)).algebra
    except (ParseBaseException, RecursionError, ValueError, TypeError, KeyError, AttributeError):
        return None  # not parsed here: the engine decides, in the thread pool
    patterns: list[Pattern] = []
    if not _collect(algebra, patterns, optional=False):
        return None
    return tuple(patterns)


def _collect(node: CompValue, out: list[Pattern], optional: bool) -> bool:
    if node.name not in _ALLOWED or dict.get(node, "datasetClause"):  # CompValue.get defaults to the key
        return False
    if node.name == "Filter" and _has_pattern(node["expr"]):
        return False
    if node.name == "BGP":
        for triple in node["triples"]:
            pattern = _pattern(triple, optional)
            if pattern is None:
                return False
            out.append(pattern)
        return True
    if node.name == "LeftJoin":
        return (
            not _has_pattern(node["expr"])
            and _collect(node["p1"], out, optional)
            and _collect(node["p2"], out, optional=True)
        )
    if node.name == "Join":
        return _collect(node["p1"], out, optional) and _collect(node["p2"], out, optional)
    return _collect(node["p"], out, optional)


def _pattern(triple: tuple[Any, Any, Any], optional: bool) -> Pattern | None:
    from rdflib.term import URIRef, Variable

    subject, predicate, obj = triple
    if not isinstance(subject, URIRef) or not isinstance(predicate, URIRef | Variable):
        return None  # a variable or blank node subject, or a property path
    return Pattern(_position(subject), _position(predicate), _position(obj), optional)


def _position(term: object) -> str | tuple[int, str] | None:
    from rdflib.term import URIRef

    if not isinstance(term, URIRef):
        return None  # a variable, blank node or literal matches anything here (an over-count)
    value = str(term)
    if not value.startswith(_PLACEHOLDER):
        return value
    index, _, local = value[len(_PLACEHOLDER) :].partition(":")
    return int(index), local


def _has_pattern(expression: object) -> bool:
    """Whether an expression holds EXISTS / NOT EXISTS (a graph pattern of its own)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [expression]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            if item.name in {"Builtin_EXISTS", "Builtin_NOTEXISTS"}:
                return True
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set):
            stack.extend(item)
    return False
