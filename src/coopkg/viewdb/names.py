"""The name index in SQL: each name's rows, and the statement that ranks the items for one search.

The ranking is :func:`coopkg.search.score`'s, computed per name and maxed per item:

* 100 (a preferred label) or 95 (another name) when the name's key, or the key with a form of
  its first word in place of its first key word, is the query's key (or one of the query's
  first-word forms, for Arabic) — the ``name_key`` rows;
* 80 when the query's key words start the name's key;
* 60 when every query word starts a word of the name — the ``name_word`` rows (a range each);
* 40 when the query's key occurs in the name's key — the ``name_text`` trigrams (FTS5).

A search reads the candidates of its *rarest* piece only (the query word with the fewest names
starting with it, the two trigrams in the fewest names) and checks the other pieces on each
candidate's text, so a precise query costs its few candidates, not the catalogue.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from coopkg.extract.text import is_arabic, match_forms, name_tokens, tokenize

SEPARATOR = "\x1f"  # between the words of an exact key (never in a word)
_PREFIX_END = "\U0010ffff"  # every string that starts with p lies in [p, p + this)
_BOUND = 2_000  # past this many names, a word counts as "very common" when choosing the rarest
_FEW = 64  # first counted to this: a precise query's rarest word is found without counting the common ones


def first_forms(text: str) -> set[str]:
    tokens = tokenize(text)
    return set(match_forms(tokens[0].text)) if tokens else set()


def grams(text: str) -> list[str]:
    return list(dict.fromkeys(text[i : i + 3] for i in range(len(text) - 2)))


@dataclass(frozen=True)
class NameRow:
    """One name of an item, as the index keeps it."""

    preferred: bool
    keys: tuple[str, ...]
    forms: frozenset[str]

    @property
    def joined(self) -> str:
        return " ".join(self.keys)

    def exact_keys(self) -> set[str]:
        return {SEPARATOR.join(self.keys)} | {SEPARATOR.join((f, *self.keys[1:])) for f in self.forms}


def name_rows(pairs: Iterable[tuple[str, bool]]) -> list[NameRow]:
    """The rows of an item's (text, is preferred) names; a name without words has none."""
    rows = []
    for text, preferred in pairs:
        keys = name_tokens(text)
        if keys:
            rows.append(NameRow(preferred, keys, frozenset(first_forms(text))))
    return rows


def insert_names(db: sqlite3.Connection, kind: str, items: Iterable[tuple[str, str, list[NameRow]]]) -> None:
    """Index the names of ``items`` ((entity, its sort key, its rows)); the entities must have none indexed yet."""
    names, keys, words, texts, counts = [], [], [], [], {}
    (start,) = db.execute("SELECT coalesce(max(id), 0) FROM name").fetchone()
    number = start
    for entity, sort_key, rows in items:
        for row in rows:
            number += 1
            joined = row.joined
            names.append((number, kind, entity, int(row.preferred), joined, json.dumps(sorted(row.forms)), sort_key))
            keys += [(kind, key, number) for key in row.exact_keys()]
            words += [(kind, word, number) for word in set(row.keys)]
            texts.append((number, joined))
            for gram in grams(joined):
                counts[gram] = counts.get(gram, 0) + 1
    db.executemany("INSERT INTO name VALUES (?, ?, ?, ?, ?, ?, ?)", names)
    db.executemany("INSERT OR IGNORE INTO name_key VALUES (?, ?, ?)", sorted(keys))
    db.executemany("INSERT OR IGNORE INTO name_word VALUES (?, ?, ?)", sorted(words))
    db.executemany("INSERT INTO name_text (rowid, joined) VALUES (?, ?)", texts)
    _count_grams(db, counts)


def delete_names(db: sqlite3.Connection, kind: str, entities: Iterable[str]) -> None:
    """Forget every name of ``entities``."""
    counts: dict[str, int] = {}
    for entity in entities:
        found = db.execute("SELECT id, preferred, joined, forms FROM name WHERE kind = ? AND entity = ?",
                           (kind, entity)).fetchall()  # fmt: skip
        for number, preferred, joined, forms in found:
            row = NameRow(bool(preferred), tuple(joined.split(" ")), frozenset(json.loads(forms)))
            db.executemany("DELETE FROM name_key WHERE kind = ? AND key = ? AND name = ?",
                           [(kind, key, number) for key in row.exact_keys()])  # fmt: skip
            db.executemany("DELETE FROM name_word WHERE kind = ? AND word = ? AND name = ?",
                           [(kind, word, number) for word in set(row.keys)])  # fmt: skip
            db.execute("DELETE FROM name_text WHERE rowid = ?", (number,))
            db.execute("DELETE FROM name WHERE id = ?", (number,))
            for gram in grams(joined):
                counts[gram] = counts.get(gram, 0) - 1
    _count_grams(db, counts)


def _count_grams(db: sqlite3.Connection, counts: dict[str, int]) -> None:
    db.executemany(
        "INSERT INTO name_gram (gram, names) VALUES (?, ?) ON CONFLICT (gram) DO UPDATE SET names = names + excluded.names",
        sorted(counts.items()),
    )


def _quoted(gram: str) -> str:
    return '"' + gram.replace('"', '""') + '"'


@dataclass(frozen=True)
class Matching:
    """A search's statement: ``(entity, sort_key, score)`` for every item that may match (score 0: it does not)."""

    sql: str
    params: list[object]
    candidates: int  # at most this many names are read and scored (:data:`BROAD` or more: unknown, maybe all)


BROAD = _BOUND  # a search that may read this many names or more


def matching(db: sqlite3.Connection, kind: str, query: str) -> Matching | None:
    """The statement of every item of ``kind`` that ``query`` may match; None when the query has no words.
    Built from fixed pieces: the query's text only ever goes in as bound parameters."""
    q = name_tokens(query)
    if not q:
        return None
    q_first = first_forms(query) if is_arabic(query) else set()
    joined = " ".join(q)
    exact = [SEPARATOR.join(q)] + [SEPARATOR.join((form, *q[1:])) for form in sorted(q_first)]
    parts = sorted(set(q), key=len, reverse=True)
    # Every query word starts a word of the name: its first word, or one after a space.
    starts = " AND ".join("(substr(n.joined, 1, ?) = ? OR instr(n.joined, ?) > 0)" for _ in parts)
    starts_params: list[object] = [x for part in parts for x in (len(part), part, " " + part)]
    ctes = [f"exact (name) AS (SELECT name FROM name_key WHERE kind = ? AND key IN ({', '.join('?' * len(exact))}))"]
    params: list[object] = [kind, *exact]
    branches = ["SELECT name FROM exact"]
    candidates = _count(db, "SELECT 1 FROM name_key WHERE kind = ? AND key IN (SELECT value FROM json_each(?))",
                        [kind, json.dumps(exact)])  # fmt: skip
    if len(q) > 1:  # one word: a name with a word that starts with it contains it (the next branch)
        rarest, among = _rarest(db, kind, parts)
        candidates += among
        branches.append(f"SELECT n.id FROM name_word w JOIN name n ON n.id = w.name "
                        f"WHERE w.kind = ? AND w.word >= ? AND w.word < ? AND {starts}")  # fmt: skip
        params += [kind, rarest, rarest + _PREFIX_END, *starts_params]
    if len(joined) >= 3:
        chosen, among = _rarest_grams(db, grams(joined))
        candidates += among
        branches.append("SELECT n.id FROM name_text t CROSS JOIN name n ON n.id = t.rowid "
                        "WHERE name_text MATCH ? AND n.kind = ? AND instr(n.joined, ?) > 0")  # fmt: skip
        params += [" AND ".join(_quoted(g) for g in chosen), kind, joined]
    else:
        branches.append("SELECT id FROM name WHERE kind = ? AND instr(joined, ?) > 0")
        params += [kind, joined]
        candidates += BROAD  # every name of the kind is read
    sql = (
        "WITH " + ", ".join(ctes) + ", candidate (name) AS (" + " UNION ".join(branches) + ") "
        "SELECT n.entity AS entity, n.sort_key AS sort_key, max(CASE "
        "WHEN n.id IN (SELECT name FROM exact) THEN CASE WHEN n.preferred THEN 100 ELSE 95 END "
        "WHEN n.joined = ? OR substr(n.joined, 1, ?) = ? THEN 80 "
        f"WHEN {starts} THEN 60 "
        "WHEN instr(n.joined, ?) > 0 THEN 40 ELSE 0 END) AS score "
        "FROM candidate c JOIN name n ON n.id = c.name GROUP BY n.entity"
    )
    params += [joined, len(joined) + 1, joined + " ", *starts_params, joined]
    return Matching(sql, params, candidates)


def _rarest(db: sqlite3.Connection, kind: str, parts: list[str]) -> tuple[str, int]:
    """The first of ``parts`` with the fewest names that have a word starting with it (counted up to
    :data:`_BOUND`), and how many. Each is counted up to :data:`_FEW` first: when one has fewer, the
    others need no more counting (the same choice as counting each up to the bound, for a few rows each)."""
    few = [_names_starting(db, kind, part, _FEW) for part in parts]
    if min(few) < _FEW:
        return parts[few.index(min(few))], min(few)
    best, fewest = parts[0], _names_starting(db, kind, parts[0], _BOUND)
    for part in parts[1:]:
        count = _names_starting(db, kind, part, fewest)  # no need to count past the fewest so far
        if count < fewest:
            best, fewest = part, count
    return best, fewest


def _names_starting(db: sqlite3.Connection, kind: str, part: str, bound: int) -> int:
    return _count(db, "SELECT 1 FROM name_word WHERE kind = ? AND word >= ? AND word < ?",
                  [kind, part, part + _PREFIX_END], bound)  # fmt: skip


def _count(db: sqlite3.Connection, rows: str, params: list[object], bound: int = _BOUND) -> int:
    """How many rows ``rows`` gives, counted up to ``bound``."""
    (count,) = db.execute(f"SELECT count(*) FROM ({rows} LIMIT ?)", [*params, bound]).fetchone()
    return int(count)


def _rarest_grams(db: sqlite3.Connection, found: list[str]) -> tuple[list[str], int]:
    """The two of ``found`` in the fewest names (the first ones on a tie), in one read, and how many
    names (of any kind) hold the rarest."""
    rows = db.execute(
        "SELECT gram, names FROM name_gram WHERE gram IN (SELECT value FROM json_each(?))", (json.dumps(found),)
    )
    counts = dict(rows.fetchall())
    chosen = sorted(found, key=lambda gram: counts.get(gram, 0))[:2]
    return chosen, int(counts.get(chosen[0], 0))


def scores(db: sqlite3.Connection, kind: str, query: str) -> list[tuple[str, int]]:
    """(entity, score) of every item that matches ``query``, in no particular order."""
    statement = matching(db, kind, query)
    if statement is None:
        return []
    return [(entity, score) for entity, _, score in db.execute(statement.sql, statement.params) if score > 0]
