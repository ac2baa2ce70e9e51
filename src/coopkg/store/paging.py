"""Reading a SELECT answer whole from an engine that truncates answers (Virtuoso's ``ResultSetMaxRows``).

A truncated answer is read again in pages: the query becomes a subquery, ordered (by its own
``ORDER BY``, or else by every variable it projects, so that pages do not overlap), with
``LIMIT``/``OFFSET`` outside it. That is the form Virtuoso pages: an ``ORDER BY`` next to an
``OFFSET`` past its ``MaxSortedTopRows`` (10,000) fails with SR353, the same order inside a
subquery does not. Whether a query has its own order is read from its parse (rdflib's SPARQL
grammar), not from its text.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

from pyparsing import ParseBaseException
from rdflib.plugins.sparql.parser import Query

from coopkg.errors import StoreError
from coopkg.store.sparql_text import VARIABLE_NAME, tokens

_parser_lock = threading.Lock()  # pyparsing's packrat cache is shared by all threads


def page_query(text: str, variables: list[str], limit: int, offset: int) -> str:
    """Page ``offset // limit`` of the SELECT query ``text``, whose answer has ``variables``."""
    # This rewrites the query's own text; it binds no client value. The variables come from the engine's answer
    # (only names reach the text), and LIMIT and OFFSET take integer tokens, which no substitution or VALUES can
    # bind: they are written as the integers they were checked to be.
    if not all(VARIABLE_NAME.fullmatch(v) for v in variables):
        raise StoreError("the engine answered with a variable that is not a SPARQL name")
    limit, offset = int(limit), int(offset)
    start = _select_offset(text)
    prologue, body = text[:start], text[start:]
    if not is_ordered(text):
        order = " ".join(f"?{v}" for v in variables)
        body = f"SELECT * WHERE {{ {{ {body}\n}} }} ORDER BY {order}"
    return f"{prologue}SELECT * WHERE {{ {{ {body}\n}} }} LIMIT {limit} OFFSET {offset}"


@lru_cache(maxsize=256)
def is_ordered(text: str) -> bool:
    """Whether the query's own answer is ordered (an ``ORDER BY`` of the query, not of a subquery)."""
    try:
        with _parser_lock:
            tree: Any = Query.parse_string(text, parse_all=True)
    except (ParseBaseException, RecursionError):
        return False  # ordered by its variables, then: pages are still stable
    return dict.get(tree[1], "orderby") is not None


def _select_offset(text: str) -> int:
    for kind, value, offset in tokens(text):
        if kind == "word" and value.upper() == "SELECT":
            return offset
    raise ValueError("not a SELECT query")
