"""Name search over the organisations or projects: an index, not a scan per request.

The ranking is :func:`score`'s (exact name 100, or 95 for an acronym or other name; the query
as the start of a name 80; every query word the start of a word of the name 60; the query
inside a name 40), applied only to the *candidates* the index finds:

* every name's key (its words, normalised like the extractor's gazetteer) and the key with
  each form of the name's first word in place of its first key word (clitics off, or a leading
  article the key drops) → exact matches;
* every word → the names with a word starting with each query word (a range of an index);
* every trigram of a name's joined key → the names that can contain the query (checked with
  ``instr``); a query shorter than three characters is checked against every name.

The index is SQL (:mod:`coopkg.viewdb.names`): :func:`score` is the rule it is tested against.
A request costs the candidates of its rarest piece, not the size of the catalogue.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from coopkg.extract.text import is_arabic, match_forms, name_tokens, tokenize
from coopkg.viewdb.names import insert_names, name_rows, scores
from coopkg.viewdb.schema import INDEXES, TABLES


def _first_forms(text: str) -> set[str]:
    tokens = tokenize(text)
    return set(match_forms(tokens[0].text)) if tokens else set()


def score(query: str, names: list[tuple[str, bool]]) -> int:
    """How well ``query`` matches one of ``names`` (text, is preferred label); 0 if not at all."""
    return _score(name_tokens(query), _first_forms(query) if is_arabic(query) else set(), [
        _Name(name_tokens(name), preferred, frozenset(_first_forms(name))) for name, preferred in names
    ])  # fmt: skip


@dataclass(frozen=True)
class _Name:
    keys: tuple[str, ...]
    preferred: bool
    first_forms: frozenset[str]

    @property
    def joined(self) -> str:
        return " ".join(self.keys)


def _score(q: tuple[str, ...], q_first: set[str], names: Iterable[_Name]) -> int:
    if not q:
        return 0
    joined_q = " ".join(q)
    best = 0
    for name in names:
        keys = name.keys
        if not keys:
            continue
        tail_equal = keys[1:] == q[1:] and len(keys) == len(q)
        if keys == q or (tail_equal and (keys[0] in q_first or q[0] in name.first_forms)):
            best = max(best, 100 if name.preferred else 95)
        elif keys[: len(q)] == q:
            best = max(best, 80)
        elif all(any(k.startswith(part) for k in keys) for part in q):
            best = max(best, 60)
        elif joined_q in name.joined:
            best = max(best, 40)
    return best


class NameIndex:
    """Search index over items with names: ``names[i]`` are item ``i``'s (text, is preferred) pairs.

    The views' name tables (:mod:`coopkg.viewdb.names`) in a private in-memory database: the same
    statement answers a search here and in the views that the service's processes share.
    """

    def __init__(self, names: list[list[tuple[str, bool]]]) -> None:
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.executescript(TABLES + INDEXES)
        with self._db:
            insert_names(self._db, _ITEMS, ((str(i), "", name_rows(pairs)) for i, pairs in enumerate(names)))

    def search(self, query: str) -> list[tuple[int, int]]:
        """(item, score) of every item that matches ``query``, in no particular order."""
        return [(int(item), value) for item, value in scores(self._db, _ITEMS, query)]


_ITEMS = "items"
