"""The first sources of each organisation and project, kept in the views: a page of a list reads them
from there, not from the store (a query per item was most of a search's cost at 10^5 projects).

What is kept is what ``sources-first`` answers for the item (its first pieces of evidence in the
engine's order, grouped by document), cut to :data:`LIST_SOURCES` documents. When the views are
built, an item with one piece of evidence takes it from one read of every piece (``sources-all``:
with one row, there is no order to keep), and an item with more is read alone, as a request did.
A write reads again the items whose evidence the graph held or holds, and those it (re)states.
Views private to a process (the remote backend) keep none: their lists query the store per item.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from coopkg.queries import internal_query
from coopkg.store.base import Repository

LIST_SOURCES = 5  # sources per item in a list; an item's own endpoint has them all
KINDS = ("organisations", "projects")


def group(rows: Iterable[Mapping[str, Any]], origin: Mapping[str, str | None]) -> dict[str, list[dict[str, Any]]]:
    """Evidence rows (of ``sources-first`` or ``sources-of``) by fact, then by document in the rows' order;
    ``origin``: each document's source (its file or address)."""
    found: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for row in rows:
        doc = row["document"].value
        entry = found[row["fact"].value].setdefault(doc, {"document": doc, "source": origin.get(doc), "evidence": []})
        entry["evidence"].append(
            {
                "id": row["evidence"].value,
                "quote": row["quote"].value,
                "start": int(row["start"].value),
                "end": int(row["end"].value),
            }
        )
    return {fact: list(by_document.values()) for fact, by_document in found.items()}


def _origins(db: sqlite3.Connection) -> dict[str, str | None]:
    return dict(db.execute("SELECT id, json_extract(record, '$[4].source') FROM document").fetchall())


def _listed(db: sqlite3.Connection, entities: Iterable[str] | None) -> list[str]:
    """The organisations and projects of the views (among ``entities``, when given)."""
    kinds = json.dumps(KINDS)
    if entities is None:
        rows = db.execute("SELECT id FROM entity WHERE kind IN (SELECT value FROM json_each(?))", (kinds,))
    else:
        rows = db.execute(
            "SELECT id FROM entity WHERE kind IN (SELECT value FROM json_each(?)) AND id IN (SELECT value FROM json_each(?))",
            (kinds, json.dumps(sorted(set(entities)))),
        )
    return sorted({iri for (iri,) in rows})


def _first(repo: Repository, fact: str, origin: Mapping[str, str | None]) -> list[dict[str, Any]]:
    rows = internal_query("sources-first").run(repo, {"fact": fact}).rows()
    return group(rows, origin).get(fact, [])[:LIST_SOURCES]


def build(db: sqlite3.Connection, repo: Repository) -> None:
    """Every listed item's first sources, and the graphs that hold each fact's evidence (the documents are stored)."""
    listed = set(_listed(db, None))
    rows: dict[str, list[Any]] = defaultdict(list)
    graphs: set[tuple[str, str]] = set()
    for row in internal_query("sources-all").run(repo).rows():
        fact = row["fact"].value
        graphs.add((row["g"].value, fact))  # every fact's: one may be listed after a later write
        if fact in listed:
            rows[fact].append(row)
    origin = _origins(db)
    kept = []
    for fact in sorted(listed):
        found = rows.get(fact, [])
        sources = group(found, origin).get(fact, [])[:LIST_SOURCES] if len(found) <= 1 else _first(repo, fact, origin)
        kept.append((fact, json.dumps(sources, ensure_ascii=False)))
    db.executemany("INSERT OR REPLACE INTO first_source VALUES (?, ?)", kept)
    db.executemany("INSERT OR IGNORE INTO source_graph VALUES (?, ?)", sorted(graphs))


def follow(
    db: sqlite3.Connection, repo: Repository, graphs: Iterable[str], written: set[str], stated: set[str]
) -> None:
    """After ``graphs`` were written (those in ``written``) or dropped, and the documents stored: the first
    sources of the items whose evidence they held or hold, and of ``stated`` (items they state)."""
    affected = set(stated)
    for graph in graphs:
        affected |= {e for (e,) in db.execute("SELECT entity FROM source_graph WHERE graph = ?", (graph,))}
        db.execute("DELETE FROM source_graph WHERE graph = ?", (graph,))
        if graph in written:
            now = {row["fact"].value for row in internal_query("sources-all").run(repo, {"g": graph}).rows()}
            affected |= now
            db.executemany("INSERT OR IGNORE INTO source_graph VALUES (?, ?)", [(graph, e) for e in sorted(now)])
    db.executemany("DELETE FROM first_source WHERE entity = ?", [(e,) for e in sorted(affected)])
    origin = _origins(db)
    db.executemany("INSERT OR REPLACE INTO first_source VALUES (?, ?)",
                   [(e, json.dumps(_first(repo, e, origin), ensure_ascii=False)) for e in _listed(db, affected)])  # fmt: skip


def read(db: sqlite3.Connection, facts: list[str]) -> dict[str, list[dict[str, Any]]]:
    """The kept first sources of those of ``facts`` the views list (the others are not kept)."""
    rows = db.execute("SELECT entity, sources FROM first_source WHERE entity IN (SELECT value FROM json_each(?))",
                      (json.dumps(sorted(set(facts))),))  # fmt: skip
    return {entity: json.loads(text) for entity, text in rows}
