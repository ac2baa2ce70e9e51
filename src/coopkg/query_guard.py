"""What a query or update may do, and how big it may be, decided before the engine sees it.

* **No outbound request.** Oxigraph fetches a URL for ``SERVICE`` (queries and updates' WHERE)
  and for ``LOAD``. Whether a text holds either is decided from rdflib's SPARQL parser
  (pyparsing, the grammar of the recommendation), not from a scan of the text. Parsing costs
  milliseconds, so a text is parsed only when the keyword can be in it at all: Oxigraph matches
  keywords on ASCII letters, case-insensitively, and does not expand ``\\u`` escapes outside
  IRIs and strings, so a text whose lower-cased form lacks ``service`` (and ``load``, for
  updates) has neither. A text that mentions one and that the parser cannot read is refused:
  the check fails closed. Two differences between the parsers are removed first: a comment
  ends at ``\\r`` for Oxigraph and only at ``\\n`` for rdflib, and rdflib expands ``\\u``
  escapes everywhere, Oxigraph only in IRIs and strings (the parser is called without that
  step). The parser is imported with the first text that needs it (a fifth of a worker's start-up
  otherwise). The worker processes cannot open network sockets anyway (:mod:`coopkg.sandbox`).
* **Sizes.** A text longer than the limit is refused (413), and one nested deeper than the
  limit (400): Oxigraph's parser and evaluator recurse on nesting, and a deep enough text
  overflows a thread's stack, which kills the process. The depth is counted conservatively:
  every opening bracket counts, closing ones only outside strings, IRIs and comments.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from coopkg.errors import BadInputError, ForbiddenQueryError, QuerySyntaxError, TooLargeError

if TYPE_CHECKING:
    from rdflib.plugins.sparql.parserutils import CompValue

Kind = Literal["query", "update"]
_FETCHING = {"ServiceGraphPattern": "SERVICE (a federated query)", "Load": "LOAD"}
_parser_lock = threading.Lock()  # pyparsing's packrat cache is shared by all threads


@dataclass(frozen=True)
class TextLimits:
    max_bytes: int = 1_000_000
    max_depth: int = 100


def check_size(text: str, kind: Kind, limits: TextLimits) -> None:
    """413 for a text over ``max_bytes``, 400 for one nested deeper than ``max_depth``."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limits.max_bytes:
        raise TooLargeError(f"the {kind} is {size:,} bytes, over the {limits.max_bytes:,}-byte limit")
    depth = nesting_depth(text)
    if depth > limits.max_depth:
        raise BadInputError(
            f"the {kind} is nested {depth} levels deep (brackets, braces and parentheses), "
            f"over the limit of {limits.max_depth}"
        )


_OPENERS = frozenset("{([")
_BRACKET = re.compile(r"[{}()\[\]]")
_SKIPPED = re.compile(
    r"""<[^<>"{}|^`\\\x00-\x20]*> | \#[^\r\n]*
      | '''(?:[^'\\]|\\.|'(?!''))*(?:'''|$) | \"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|$)
      | '(?:[^'\\\r\n]|\\.)*' | "(?:[^"\\\r\n]|\\.)*"
    """,
    re.VERBOSE | re.DOTALL,
)


def nesting_depth(text: str) -> int:
    """An upper bound of the bracket nesting of a SPARQL text.

    Openers count wherever they are; closers only outside comments, strings and IRIs. This is a
    lexical count: the engine's threads have stacks far deeper than the limit (see queryexec).
    """
    skipped = [(m.start(), m.end()) for m in _SKIPPED.finditer(text)]
    depth = deepest = 0
    spans = iter(skipped)
    span = next(spans, None)
    for bracket in _BRACKET.finditer(text):
        index, char = bracket.start(), bracket.group()
        while span is not None and index >= span[1]:
            span = next(spans, None)
        if char in _OPENERS:
            depth += 1
            deepest = max(deepest, depth)
        elif not (span is not None and span[0] <= index):
            depth = max(0, depth - 1)
    return deepest


def refuse_outbound(text: str, kind: Kind) -> None:
    """ForbiddenQueryError if the text makes the engine fetch a URL (SERVICE, LOAD)."""
    lowered = text.lower()
    if "service" not in lowered and (kind == "query" or "load" not in lowered):
        return  # neither keyword can be in it
    found = _fetching(text.replace("\r", "\n"), kind)
    if found:
        raise ForbiddenQueryError(
            f"{' and '.join(found)} is disabled on this endpoint: the service never fetches a URL"
        )


@lru_cache(maxsize=512)
def _fetching(text: str, kind: Kind) -> tuple[str, ...]:
    try:
        tree = _parse(text, kind)
    except (RecursionError, ValueError) as error:
        raise ForbiddenQueryError(
            f"the {kind} mentions SERVICE or LOAD, which are disabled, and cannot be checked ({_detail(error)})"
        ) from None
    return tuple(sorted({_FETCHING[name] for name in _names(tree) if name in _FETCHING}))


def _parse(text: str, kind: Kind) -> Any:
    """rdflib's parse tree; ValueError (the parser's message) for a text it cannot read."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import Query, UpdateUnit

    with _parser_lock:
        try:
            # parse_string, not rdflib's parseQuery: that one expands \u escapes everywhere first.
            return (Query if kind == "query" else UpdateUnit).parse_string(text, parse_all=True)
        except ParseBaseException as error:
            raise ValueError(str(error)) from None


def _detail(error: Exception) -> str:
    return "nested too deeply" if isinstance(error, RecursionError) else str(error).splitlines()[0]


def update_operations(text: str) -> list[CompValue]:
    """The operations of an update as rdflib's parser reads them (``Modify``, ``DeleteWhere``, ``InsertData``…)."""
    try:
        tree = _parse(text.replace("\r", "\n"), "update")  # a comment ends at \r for the engine too
    except (RecursionError, ValueError) as error:
        raise QuerySyntaxError(f"malformed SPARQL update: {_detail(error)}") from None
    return [operation for unit in tree if "request" in unit for operation in unit["request"]]


def _names(node: object) -> set[str]:
    """Names of every grammar production in a parse tree (iteratively: trees may be deep)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    names: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            names.add(item.name)
            stack.extend(item.values())
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple) or type(item).__name__ == "ParseResults":
            stack.extend(item)  # type: ignore[arg-type]
    return names
