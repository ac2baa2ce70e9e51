"""Filling the views from the store: all of it, or graph by graph after a write.

What one graph changes, and how it is followed (the same rules the in-memory views had):

* **fundings**: each remembers the graphs that state it; a graph written or dropped forgets
  itself from its fundings (a funding no graph states any more goes), and a written graph's
  fundings are read back (one stated elsewhere too keeps its row and gains the graph). The
  labels, places and start dates of their parties are read from the whole store; labels are
  replaced language by language, places added. Totals per funder are recomputed for the
  funders concerned. Where places lie (``ancestor``) changes with a rebuild only.
* **organisations and projects**: each remembers the graphs that state its type, a label or a
  start date; everything the written or dropped graph stated, or states now, is read again
  from the whole store (its type, labels and names), and its name rows are replaced.
* **documents**: the graph's row is replaced.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from pyoxigraph import NamedNode

from coopkg.queries import internal_query
from coopkg.store.base import Repository
from coopkg.store.snapshots import Change
from coopkg.viewdb import names, sources
from coopkg.viewdb.records import (
    IndexedFunding,
    Named,
    amount_key,
    named_from_parts,
    named_from_rows,
    places_from_rows,
    search_names,
)

KINDS = {"organisations": ("organisations", "org"), "projects": ("projects", "project")}  # searched by name
PLACES = "places"
CHUNK = 200  # IRIs per VALUES block


def build(db: sqlite3.Connection, repo: Repository, *, first_sources: bool = True) -> None:
    """Fill empty tables from the whole store (``first_sources``: the lists' sources too)."""
    fundings, labels, regions = read_fundings(repo, None)
    _store_fundings(db, fundings, labels, regions)
    db.executemany(
        "INSERT OR IGNORE INTO ancestor VALUES (?, ?)",
        sorted(
            (row["region"].value, row["ancestor"].value) for row in internal_query("region-ancestors").run(repo).rows()
        ),
    )
    _recompute_totals(db, None)
    _count_fundings(db)
    for kind, (query, var) in KINDS.items():
        _store_entities(db, kind, named_from_rows(internal_query(query).run(repo).rows(), var).values())
    _store_places(db, places_from_rows(internal_query("places").run(repo).rows()).values())
    db.executemany(
        "INSERT OR IGNORE INTO entity_graph VALUES (?, ?)",
        sorted((row["g"].value, row["entity"].value) for row in internal_query("catalogue-graphs").run(repo).rows()),
    )
    _store_documents(db, internal_query("document-graphs").run(repo).rows())
    if first_sources:
        sources.build(db, repo)


def apply(db: sqlite3.Connection, repo: Repository, change: Change, *, first_sources: bool = True) -> None:
    """Follow ``change`` (document graphs written or dropped; never ``everything``: that is a rebuild)."""
    funders: set[str] = set()
    stated: set[str] = set()
    for graph in change.dropped:
        funders |= _forget_fundings(db, graph)
        stated |= _follow_entities(db, repo, graph, written=False)
        db.execute("DELETE FROM document WHERE graph = ?", (graph,))
    for graph in change.written:
        fundings, labels, regions = read_fundings(repo, NamedNode(graph))
        funders |= _forget_fundings(db, graph)
        _store_fundings(db, fundings, labels, regions)
        funders |= {f.funder for f in fundings.values()}
        stated |= _follow_entities(db, repo, graph, written=True)
        db.execute("DELETE FROM document WHERE graph = ?", (graph,))
        _store_documents(db, internal_query("document-graphs").run(repo, {"g": graph}).rows())
    if first_sources:
        sources.follow(db, repo, [*change.dropped, *change.written], set(change.written), stated)
    _recompute_totals(db, funders)
    _count_fundings(db)


# -- fundings ---------------------------------------------------------------------------------------


def read_fundings(
    repo: Repository, graph: NamedNode | None
) -> tuple[dict[str, IndexedFunding], dict[str, dict[str, str]], dict[str, set[str]]]:
    """The fundings a graph states (None: every graph), and their parties' labels and places."""
    bindings = {"g": graph.value} if graph is not None else {}
    rows = list(internal_query("funding-index").run(repo, bindings).rows())
    notations = {r["concept"].value: r["notation"].value for r in internal_query("notations").run(repo).rows()}
    entities = {row[key].value for row in rows for key in ("funder", "funded")}
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    regions: dict[str, set[str]] = defaultdict(set)
    starts: dict[str, str] = {}
    details = internal_query("funding-index-labels")
    if graph is None:
        found: Iterable[Any] = details.run(repo).rows()
    else:
        ordered = sorted(entities)
        found = [r for i in range(0, len(ordered), CHUNK)
                 for r in details.run_for_each(repo, "entity", ordered[i : i + CHUNK]).rows()]  # fmt: skip
    for row in found if entities else ():
        entity = row["entity"].value
        if "label" in row:
            labels[entity][row["label"].language or ""] = row["label"].value
        if "region" in row:
            regions[entity].add(row["region"].value)
        if "start" in row:
            starts[entity] = row["start"].value
    fundings: dict[str, IndexedFunding] = {}
    for row in rows:
        fid = row["funding"].value
        existing = fundings.get(fid)
        if existing is not None:
            existing.graphs.add(row["g"].value)
            continue
        funded = row["funded"].value
        date = row["start"].value if "start" in row else starts.get(funded)
        fundings[fid] = IndexedFunding(
            id=fid,
            funder=row["funder"].value,
            funded=funded,
            amount=Decimal(row["amount"].value) if "amount" in row else None,
            currency=row["currency"].value if "currency" in row else None,
            amount_id=row["money"].value if isinstance(row.get("money"), NamedNode) else None,
            kind=notations.get(row["kind"].value, "unspecified") if "kind" in row else "unspecified",
            year=int(date[:4]) if date is not None and date[:4].isdigit() else None,
            date=date,
            graphs={row["g"].value},
        )
    return fundings, labels, regions


def _store_fundings(
    db: sqlite3.Connection,
    fundings: dict[str, IndexedFunding],
    labels: dict[str, dict[str, str]],
    regions: dict[str, set[str]],
) -> None:
    # A funding already stated by another graph keeps its row and gains the graph. Rows go in in key
    # order: a build fills the tables' B-trees from one end rather than all over.
    db.executemany(
        "INSERT OR IGNORE INTO funding VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        sorted((f.id, f.funder, f.funded, None if f.amount is None else str(f.amount),
                None if f.amount is None else amount_key(f.amount), f.currency, f.amount_id, f.kind, f.year, f.date)
               for f in fundings.values()),
    )  # fmt: skip
    db.executemany("INSERT OR IGNORE INTO funding_graph VALUES (?, ?)",
                   sorted((g, f.id) for f in fundings.values() for g in f.graphs))  # fmt: skip
    db.executemany("INSERT OR REPLACE INTO party_label VALUES (?, ?, ?)",
                   sorted((e, lang, text) for e, by_lang in labels.items() for lang, text in by_lang.items()))  # fmt: skip
    db.executemany("INSERT OR IGNORE INTO party_region VALUES (?, ?)",
                   sorted((e, place) for e, places in regions.items() for place in places))  # fmt: skip


def _forget_fundings(db: sqlite3.Connection, graph: str) -> set[str]:
    """Drop ``graph`` from the fundings it states; those no graph states go. Their funders."""
    ids = [fid for (fid,) in db.execute("SELECT funding FROM funding_graph WHERE graph = ?", (graph,))]
    if not ids:
        return set()
    db.execute("DELETE FROM funding_graph WHERE graph = ?", (graph,))
    funders = set()
    for fid in ids:
        found = db.execute("SELECT funder FROM funding WHERE id = ?", (fid,)).fetchone()
        if found is not None:
            funders.add(found[0])
        if db.execute("SELECT 1 FROM funding_graph WHERE funding = ? LIMIT 1", (fid,)).fetchone() is None:
            db.execute("DELETE FROM funding WHERE id = ?", (fid,))
    return funders


def _count_fundings(db: sqlite3.Connection) -> None:
    """How many fundings, and how many have an amount or a date: an unfiltered page needs no count of its own."""
    every, amounts, dates = db.execute("SELECT count(*), count(amount_key), count(date) FROM funding").fetchone()
    db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                   [("fundings", str(every)), ("fundings amount_key", str(amounts)), ("fundings date", str(dates))])  # fmt: skip


def _recompute_totals(db: sqlite3.Connection, funders: set[str] | None) -> None:
    """Totals per funder and currency, exact (decimals summed as decimals); None: every funder."""
    if funders is None:
        db.execute("DELETE FROM funder_total")
        rows = db.execute("SELECT funder, amount, currency FROM funding")
    else:
        db.executemany("DELETE FROM funder_total WHERE funder = ?", ((f,) for f in funders))
        rows = (r for f in sorted(funders)
                for r in db.execute("SELECT funder, amount, currency FROM funding WHERE funder = ?", (f,)))  # fmt: skip
    totals: dict[tuple[str, str], list[Any]] = {}
    for funder, amount, currency in rows:
        stated = amount is not None and currency is not None
        entry = totals.setdefault((funder, currency if stated else ""), [Decimal(0) if stated else None, 0])
        if stated:
            entry[0] += Decimal(amount)
        entry[1] += 1
    # Ordered as the answer is: largest first, an unstated amount as 0, then by funder.
    db.executemany(
        "INSERT INTO funder_total VALUES (?, ?, ?, ?, ?)",
        ((funder, currency, None if total is None else str(total), amount_key(total or Decimal(0)), count)
         for (funder, currency), (total, count) in totals.items()),
    )  # fmt: skip


# -- organisations, projects, documents ------------------------------------------------------------


def _store_entities(db: sqlite3.Connection, kind: str, items: Iterable[Named]) -> None:
    listed = sorted(items, key=lambda item: item.id)
    db.executemany(
        "INSERT OR REPLACE INTO entity VALUES (?, ?, ?, ?, ?)",
        [(kind, item.id, item.type.lower(), item.label().casefold(), item.to_json()) for item in listed],
    )
    names.insert_names(
        db, kind, ((item.id, item.label().casefold(), names.name_rows(search_names(item))) for item in listed)
    )


def _follow_entities(db: sqlite3.Connection, repo: Repository, graph: str, *, written: bool) -> set[str]:
    """Read again what ``graph`` stated or states of organisations and projects; those things."""
    before = {e for (e,) in db.execute("SELECT entity FROM entity_graph WHERE graph = ?", (graph,))}
    now: set[str] = set()
    if written:
        rows = internal_query("graph-subjects").run(repo, {"g": graph}).rows()
        now = {row["entity"].value for row in rows if isinstance(row["entity"], NamedNode)}
    affected = sorted(before | now)
    typed: dict[str, list[tuple[str, str]]] = {kind: [] for kind in (*KINDS, PLACES)}
    name_rows: list[Any] = []
    for start in range(0, len(affected), CHUNK):
        chunk = affected[start : start + CHUNK]
        for row in internal_query("entity-types").run_for_each(repo, "entity", chunk).rows():
            typed[row["kind"].value].append((row["entity"].value, row["type"].value))
    named = sorted({iri for kind in KINDS for iri, _ in typed[kind]})
    for start in range(0, len(named), CHUNK):
        name_rows += internal_query("entity-names").run_for_each(repo, "entity", named[start : start + CHUNK]).rows()
    for kind in KINDS:
        names.delete_names(db, kind, affected)
        db.executemany("DELETE FROM entity WHERE kind = ? AND id = ?", ((kind, e) for e in affected))
        _store_entities(db, kind, named_from_parts(typed[kind], name_rows).values())
    places = sorted({iri for iri, _ in typed[PLACES]})
    place_rows = [r for start in range(0, len(places), CHUNK)
                  for r in internal_query("places").run_for_each(repo, "region", places[start : start + CHUNK]).rows()]  # fmt: skip
    db.executemany("DELETE FROM entity WHERE kind = ? AND id = ?", ((PLACES, e) for e in affected))
    _store_places(db, places_from_rows(place_rows).values())
    known = {iri for pairs in typed.values() for iri, _ in pairs}
    db.execute("DELETE FROM entity_graph WHERE graph = ?", (graph,))
    db.executemany("INSERT OR IGNORE INTO entity_graph VALUES (?, ?)", ((graph, e) for e in now & known))
    return set(affected)


def _store_places(db: sqlite3.Connection, places: Iterable[Named]) -> None:
    db.executemany("INSERT OR REPLACE INTO entity VALUES (?, ?, ?, ?, ?)",
                   sorted((PLACES, p.id, p.type.lower(), p.label().casefold(), p.to_json()) for p in places))  # fmt: skip


def _store_documents(db: sqlite3.Connection, rows: Iterable[Any]) -> None:
    found: dict[str, Named] = {}
    for row in rows:
        doc = Named(row["document"].value, "Document")
        if "title" in row:
            doc.labels[row["language"].value] = row["title"].value
        doc.extra = {"graph": row["g"].value, "identifier": row["identifier"].value,
                     "language": row["language"].value,
                     "source": row["source"].value if "source" in row else None}  # fmt: skip
        found[row["g"].value] = doc
    db.executemany("INSERT OR REPLACE INTO document VALUES (?, ?, ?, ?)",
                   ((g, d.id, d.extra["language"], d.to_json()) for g, d in found.items()))  # fmt: skip
