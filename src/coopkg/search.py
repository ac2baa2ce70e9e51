"""Name search over the organisations or projects: an index built once per snapshot, not a scan per request.

The ranking is :func:`score`'s (exact name 100, or 95 for an acronym or other name; the query
as the start of a name 80; every query word the start of a word of the name 60; the query
inside a name 40), applied only to the *candidates* the index finds:

* every name's key (its words, normalised like the extractor's gazetteer) and the key with
  each form of the name's first word in place of its first key word (clitics off, or a leading
  article the key drops) → exact matches;
* every distinct word, sorted → the names with a word starting with each query word (bisect);
* every trigram of a name's joined key → the names that can contain the query (checked with
  ``in``); a query shorter than three characters is checked against every name.

A request costs the candidates it has, not the size of the catalogue.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from coopkg.extract.text import is_arabic, match_forms, name_tokens, tokenize


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
    """Search index over items with names: ``names[i]`` are item ``i``'s (text, is preferred) pairs."""

    def __init__(self, names: list[list[tuple[str, bool]]]) -> None:
        self._names: list[list[_Name]] = []
        self._exact: dict[tuple[str, ...], set[int]] = defaultdict(set)
        words: dict[str, set[int]] = defaultdict(set)
        self._trigrams: dict[str, set[int]] = defaultdict(set)
        self._joined: list[str] = []
        for index, pairs in enumerate(names):
            built = []
            for text, preferred in pairs:
                keys = name_tokens(text)
                forms = frozenset(_first_forms(text))
                built.append(_Name(keys, preferred, forms))
                if not keys:
                    continue
                self._exact[keys].add(index)
                for form in forms:
                    self._exact[(form, *keys[1:])].add(index)
                for word in keys:
                    words[word].add(index)
                joined = " ".join(keys)
                for start in range(len(joined) - 2):
                    self._trigrams[joined[start : start + 3]].add(index)
            self._names.append(built)
            self._joined.append("\n".join(n.joined for n in built))
        self._words = sorted(words)
        self._postings = [words[w] for w in self._words]

    def search(self, query: str) -> list[tuple[int, int]]:
        """(item, score) of every item that matches ``query``, in no particular order."""
        q = name_tokens(query)
        if not q:
            return []
        q_first = _first_forms(query) if is_arabic(query) else set()
        candidates = set(self._exact.get(q, ()))
        for form in q_first:
            candidates |= self._exact.get((form, *q[1:]), set())
        candidates |= self._with_word_prefixes(q)
        joined = " ".join(q)
        if len(joined) >= 3:
            grams = sorted((self._trigrams.get(joined[i : i + 3], set()) for i in range(len(joined) - 2)), key=len)
            candidates |= set.intersection(*grams) if grams and grams[0] else set()
        else:
            candidates |= {i for i, text in enumerate(self._joined) if joined in text}
        found = []
        for index in candidates:
            value = _score(q, q_first, self._names[index])
            if value:
                found.append((index, value))
        return found

    def _with_word_prefixes(self, q: tuple[str, ...]) -> set[int]:
        """Items with, for every query word, a word that starts with it."""
        result: set[int] | None = None
        for part in sorted(set(q), key=len, reverse=True):
            start = bisect.bisect_left(self._words, part)
            matching: set[int] = set()
            for position in range(start, len(self._words)):
                if not self._words[position].startswith(part):
                    break
                matching |= self._postings[position]
            result = matching if result is None else result & matching
            if not result:
                return set()
        return result or set()
