"""The funding view: every funding, its parties' labels and places, totals per funder.

"Who funded what" lists, filtered and sorted, and "total per funder" over the whole graph are
answered from this view in milliseconds instead of a SPARQL aggregate over the store. The view
is a table of the views file (:mod:`coopkg.viewdb`): shared by the processes of a machine over
the embedded store (built once per state of the store, followed graph by graph), private to the
process otherwise. A page is an indexed read; nothing here holds the fundings in memory.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pyoxigraph import NamedNode

from coopkg.store.base import Repository
from coopkg.store.snapshots import Change
from coopkg.viewdb.db import ViewDb
from coopkg.viewdb.files import Views
from coopkg.viewdb.paged import Paged
from coopkg.viewdb.records import FundingQuery, IndexedFunding

__all__ = ["FundingIndex", "FundingQuery", "IndexedFunding", "Selection", "Where"]

_COLUMNS = "id, funder, funded, amount, currency, amount_id, kind, year, date"


def _funding(row: Sequence[Any]) -> IndexedFunding:
    fid, funder, funded, amount, currency, amount_id, kind, year, date = row
    return IndexedFunding(fid, funder, funded, None if amount is None else Decimal(amount), currency, amount_id,
                          kind, year, date)  # fmt: skip


@dataclass
class Where:
    """Conditions on the funding table, as SQL pieces and their bound parameters (never pasted values)."""

    clauses: list[str] = field(default_factory=list)
    params: list[object] = field(default_factory=list)

    def add(self, clause: str, *params: object) -> None:
        self.clauses.append(clause)
        self.params.extend(params)

    @property
    def sql(self) -> str:
        return " AND ".join(self.clauses) if self.clauses else "1"

    def of_query(self, query: FundingQuery) -> Where:
        if query.funder:
            self.add("funder = ?", query.funder)
        if query.funded:
            self.add("funded = ?", query.funded)
        if query.currency:
            self.add("currency = ?", query.currency.upper())
        if query.year_from is not None:
            self.add("year IS NOT NULL AND year >= ?", query.year_from)
        if query.year_to is not None:
            self.add("year IS NOT NULL AND year <= ?", query.year_to)
        if query.region:
            # A place without known ancestors lies in itself only (as ``ancestors.get(place, {place})``).
            self.add(
                "EXISTS (SELECT 1 FROM party_region r WHERE r.entity = funding.funded AND ("
                "EXISTS (SELECT 1 FROM ancestor a WHERE a.region = r.region AND a.ancestor = ?) OR "
                "(r.region = ? AND NOT EXISTS (SELECT 1 FROM ancestor a WHERE a.region = r.region))))",
                query.region,
                query.region,
            )
        return self


class Selection(Paged[IndexedFunding]):
    """The fundings a :class:`Where` keeps, in a sort order: counted and paged by the view, not in memory.

    Sorted by amount or date: present values in that order (ties by IRI the same way), then the
    fundings without one by IRI; any other key: by IRI.
    """

    def __init__(self, index: FundingIndex, where: Where, sort: str) -> None:
        self.index = index
        self.where = where
        key = sort.lstrip("-")
        self.column = {"amount": "amount_key", "date": "date"}.get(key)
        self.descending = sort.startswith("-")
        self._counts: tuple[int, int] | None = None

    def _count(self) -> tuple[int, int]:
        """(with the sort key, without it)."""
        if self._counts is None and not self.where.clauses:  # every funding: counted when the view changed
            db = self.index.db
            every = int(db.meta("fundings") or 0)
            present = every if self.column is None else int(db.meta(f"fundings {self.column}") or 0)
            self._counts = (present, every - present)
        if self._counts is None:
            db, where = self.index.db.read(), self.where
            if self.column is None:
                (n,) = db.execute(f"SELECT count(*) FROM funding WHERE {where.sql}", where.params).fetchone()
                self._counts = (int(n), 0)
            else:
                (n, absent) = db.execute(
                    f"SELECT count({self.column}), count(*) - count({self.column}) FROM funding WHERE {where.sql}",
                    where.params,
                ).fetchone()
                self._counts = (int(n), int(absent))
        return self._counts

    def __len__(self) -> int:
        present, absent = self._count()
        return present + absent

    def page(self, offset: int, limit: int) -> list[IndexedFunding]:
        return [_funding(row) for row in self.rows(_COLUMNS, offset, limit)]

    def __iter__(self) -> Iterator[IndexedFunding]:
        return (_funding(row) for row in self.rows(_COLUMNS))

    def rows(self, columns: str, offset: int = 0, limit: int | None = None) -> Iterator[Sequence[Any]]:
        """``columns`` of the selected fundings in the sort order, from ``offset`` (all, or ``limit`` of them)."""
        db, where = self.index.db.read(), self.where
        if limit is not None and limit <= 0:
            return
        direction = "DESC" if self.descending else "ASC"
        if self.column is None:
            yield from self._rows(db, columns, where.sql, where.params, "id", offset, limit)
            return
        present, _ = self._count()
        shown = 0
        if offset < present:
            order = f"{self.column} {direction}, id {direction}"
            for row in self._rows(db, columns, f"{where.sql} AND {self.column} IS NOT NULL", where.params, order,
                                  offset, limit):  # fmt: skip
                shown += 1
                yield row
        rest = None if limit is None else limit - shown
        if rest is None or rest > 0:
            yield from self._rows(db, columns, f"{where.sql} AND {self.column} IS NULL", where.params, "id",
                                  max(0, offset - present), rest)  # fmt: skip

    @staticmethod
    def _rows(db: sqlite3.Connection, columns: str, where: str, params: list[object], order: str, offset: int,
              limit: int | None) -> Iterator[Sequence[Any]]:  # fmt: skip
        sql = f"SELECT {columns} FROM funding WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?"
        yield from db.execute(sql, [*params, -1 if limit is None else limit, offset])


class _Fundings(Mapping[str, IndexedFunding]):
    """Every funding by its IRI (with the graphs that state it), read from the view when asked."""

    def __init__(self, index: FundingIndex) -> None:
        self._index = index

    def __getitem__(self, iri: str) -> IndexedFunding:
        db = self._index.db.read()
        row = db.execute(f"SELECT {_COLUMNS} FROM funding WHERE id = ?", (iri,)).fetchone()
        if row is None:
            raise KeyError(iri)
        funding = _funding(row)
        funding.graphs = {g for (g,) in db.execute("SELECT graph FROM funding_graph WHERE funding = ?", (iri,))}
        return funding

    def __contains__(self, iri: object) -> bool:
        db = self._index.db.read()
        return db.execute("SELECT 1 FROM funding WHERE id = ?", (iri,)).fetchone() is not None

    def __iter__(self) -> Iterator[str]:
        return (fid for (fid,) in self._index.db.read().execute("SELECT id FROM funding ORDER BY id"))

    def __len__(self) -> int:
        (n,) = self._index.db.read().execute("SELECT count(*) FROM funding").fetchone()
        return int(n)


class FundingIndex:
    """The funding view over ``repo``: the views given (shared), or private ones built now."""

    def __init__(self, repo: Repository, views: Views | None = None) -> None:
        self.repo = repo
        if views is None:
            views = Views.of_process()
            views.rebuild(repo)
        self.views = views
        self.fundings: Mapping[str, IndexedFunding] = _Fundings(self)

    @property
    def db(self) -> ViewDb:
        return self.views.db

    # -- maintenance (private views: shared ones follow the generations) ---------------------------

    def rebuild(self) -> None:
        self.views.rebuild(self.repo)

    def graph_written(self, graph: NamedNode) -> None:
        """A document graph was replaced: drop what it stated, read what it states now."""
        self.views.apply(self.repo, Change(written=[graph.value]))

    def graph_dropped(self, graph: NamedNode) -> None:
        self.views.apply(self.repo, Change(dropped=[graph.value]))

    # -- reading ----------------------------------------------------------------------------

    def labels_for(self, iris: Iterable[str]) -> dict[str, dict[str, str]]:
        """Labels by language of the parties ``iris`` (one read)."""
        wanted = sorted(set(iris))
        found: dict[str, dict[str, str]] = {iri: {} for iri in wanted}
        rows = self.db.read().execute(
            "SELECT entity, lang, text FROM party_label WHERE entity IN (SELECT value FROM json_each(?)) "
            "ORDER BY entity, lang",
            (json.dumps(wanted),),
        )
        for entity, lang, text in rows:
            found[entity][lang] = text
        return found

    def labels_of(self, iri: str) -> dict[str, str]:
        return self.labels_for([iri])[iri]

    def label(self, iri: str, lang: str = "fr", labels: Mapping[str, Mapping[str, str]] | None = None) -> str:
        """``iri``'s label in ``lang`` (else French, English, Arabic, none, any); ``labels``: read already."""
        by_lang = labels[iri] if labels is not None and iri in labels else self.labels_of(iri)
        for key in (lang, "fr", "en", "ar", ""):
            if key in by_lang:
                return by_lang[key]
        return next(iter(by_lang.values()), iri.rsplit("/", 1)[-1])

    def regions_of(self, entity: str) -> set[str]:
        rows = self.db.read().execute("SELECT region FROM party_region WHERE entity = ?", (entity,))
        return {region for (region,) in rows}

    def ancestors_of(self, place: str) -> set[str]:
        """``place`` and the places it lies in ({place} when none are known)."""
        rows = self.db.read().execute("SELECT ancestor FROM ancestor WHERE region = ?", (place,))
        return {a for (a,) in rows} or {place}

    def ancestors(self) -> dict[str, set[str]]:
        """Every place with its ancestors (a few thousand rows: read whole for facets)."""
        found: dict[str, set[str]] = {}
        for region, ancestor in self.db.read().execute("SELECT region, ancestor FROM ancestor"):
            found.setdefault(region, set()).add(ancestor)
        return found

    def select(self, where: Where, sort: str = "-amount") -> Selection:
        return Selection(self, where, sort)

    def search(self, query: FundingQuery) -> tuple[int, list[IndexedFunding]]:
        """Matching fundings, sorted: their number and one page."""
        with self.db.snapshot():
            chosen = self.select(Where().of_query(query), query.sort)
            return len(chosen), chosen.page(query.offset, query.limit)

    def totals_by_funder(self) -> list[dict[str, object]]:
        """Sum of stated amounts per funder and currency (no conversion), largest first; fundings without
        a stated amount in a row of their own (currency and total None)."""
        return [
            {"funder": funder, "currency": currency or None, "total": None if total is None else Decimal(total),
             "fundings": count}
            for funder, currency, total, count in self.db.read().execute(
                "SELECT funder, currency, total, fundings FROM funder_total ORDER BY total_key DESC, funder, currency")
        ]  # fmt: skip
