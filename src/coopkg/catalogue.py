"""The JSON API's answers: organisations (with name search), projects, places, indicators, sources.

Oxigraph has no text search, so names are searched in the views' name index (:mod:`coopkg.viewdb`)
of every label and acronym, normalised like the extractor's gazetteer (case, accents, Arabic
letter variants and clitics). Organisations, projects and documents are read from the views
(shared by the processes of a machine); the rest is read from the store and kept until the next
write.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

from coopkg.errors import NotFoundError
from coopkg.funding_index import FundingIndex
from coopkg.queries import internal_query
from coopkg.store.base import Repository
from coopkg.terms import local_name
from coopkg.viewdb import names, sources
from coopkg.viewdb.paged import Paged
from coopkg.viewdb.records import Named, places_from_rows
from coopkg.viewdb.sources import LIST_SOURCES

__all__ = ["LIST_SOURCES", "Catalogue", "Named", "Ranked"]


def _label(by_lang: dict[str, str], lang: str = "fr") -> str | None:
    for key in (lang, "fr", "en", "ar", ""):
        if key in by_lang:
            return by_lang[key]
    return next(iter(by_lang.values()), None)


class Ranked(Paged[Named]):
    """Organisations or projects matching a search, best first then by label (all, by label, without one);
    counted and paged by the views, not held in memory."""

    def __init__(self, fundings: FundingIndex, kind: str, q: str | None, type_: str | None = None) -> None:
        self._fundings, self._kind = fundings, kind
        self._empty = False
        self._plain = not q  # in label order: pages read the index, not a sorted copy
        self.candidates = names.BROAD  # names a search reads at most (a listing reads them all)
        if not q:  # in label order, straight from the index
            self._matches = "SELECT id AS entity, sort_key, 0 AS score FROM entity WHERE kind = ?"
            self._params: list[object] = [kind]
            if type_:
                self._matches += " AND type_lower = ?"
                self._params.append(type_.lower())
        else:
            statement = names.matching(fundings.db.read(), kind, q)
            self._empty = statement is None
            sql, params = (statement.sql, statement.params) if statement is not None else ("", [])
            self.candidates = statement.candidates if statement is not None else 0
            self._matches = f"SELECT entity, sort_key, score FROM ({sql}) WHERE score > 0"
            self._params = list(params)
            if type_:
                self._matches += " AND entity IN (SELECT id FROM entity WHERE kind = ? AND type_lower = ?)"
                self._params += [kind, type_.lower()]
        self._total: int | None = 0 if self._empty else None

    def __len__(self) -> int:
        if self._total is None:
            db = self._fundings.db.read()
            (n,) = db.execute(f"SELECT count(*) FROM ({self._matches})", self._params).fetchone()
            self._total = int(n)
        return self._total

    def page(self, offset: int, limit: int) -> list[Named]:
        """``limit`` of them from ``offset`` (and their number, counted on the way)."""
        if self._empty or limit <= 0:
            return []
        rows = (
            self._fundings.db.read()
            .execute(
                "SELECT p.entity, e.record, p.total FROM (SELECT entity, sort_key, score, count(*) OVER () AS total "
                f"FROM ({self._matches}) ORDER BY score DESC, sort_key, entity LIMIT ? OFFSET ?) p "
                "JOIN entity e ON e.kind = ? AND e.id = p.entity ORDER BY p.score DESC, p.sort_key, p.entity",
                [*self._params, limit, offset, self._kind],
            )
            .fetchall()
        )
        if rows:
            self._total = int(rows[0][2])
        return [Named.from_json(iri, record) for iri, record, _ in rows]

    def __iter__(self) -> Iterator[Named]:
        if self._empty:
            return iter(())
        rows = self._fundings.db.read().execute(
            f"SELECT p.entity, e.record FROM ({self._matches}) p JOIN entity e ON e.kind = ? AND e.id = p.entity "
            "ORDER BY p.score DESC, p.sort_key, p.entity",
            [*self._params, self._kind],
        )
        return (Named.from_json(iri, record) for iri, record in rows)

    def ids_sql(self) -> tuple[str, list[object]]:
        """The IRIs of the matches, as a subquery and its parameters."""
        if self._empty:
            return "SELECT NULL WHERE 0", []
        return f"SELECT entity FROM ({self._matches})", list(self._params)


class _Entities(Mapping[str, Named]):
    """Organisations (or projects, or documents by graph) by IRI, read from the views when asked."""

    def __init__(self, fundings: FundingIndex, kind: str) -> None:
        self._fundings, self._kind = fundings, kind

    def _rows(self, sql: str, params: tuple[object, ...]) -> Any:
        return self._fundings.db.read().execute(sql, params)

    def __getitem__(self, iri: str) -> Named:
        if self._kind == "documents":
            row = self._rows("SELECT id, record FROM document WHERE graph = ?", (iri,)).fetchone()
        else:
            row = self._rows("SELECT id, record FROM entity WHERE kind = ? AND id = ?", (self._kind, iri)).fetchone()
        if row is None:
            raise KeyError(iri)
        return Named.from_json(row[0], row[1])

    def __contains__(self, iri: object) -> bool:
        try:
            self[iri]  # type: ignore[index]
        except KeyError:
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        if self._kind == "documents":
            return (g for (g,) in self._rows("SELECT graph FROM document ORDER BY graph", ()))
        return (i for (i,) in self._rows("SELECT id FROM entity WHERE kind = ? ORDER BY sort_key, id", (self._kind,)))

    def __len__(self) -> int:
        if self._kind == "documents":
            (n,) = self._rows("SELECT count(*) FROM document", ()).fetchone()
        else:
            (n,) = self._rows("SELECT count(*) FROM entity WHERE kind = ?", (self._kind,)).fetchone()
        return int(n)

    def all(self) -> dict[str, Named]:
        """Every one of them, in one read (places: a few thousand)."""
        rows = self._rows("SELECT id, record FROM entity WHERE kind = ?", (self._kind,))
        return {iri: Named.from_json(iri, record) for iri, record in rows}

    def some(self, iris: list[str]) -> dict[str, Named]:
        """Those of ``iris`` it has, in one read."""
        rows = self._rows("SELECT id, record FROM entity WHERE kind = ? AND id IN (SELECT value FROM json_each(?))",
                          (self._kind, json.dumps(sorted(set(iris)))))  # fmt: skip
        return {iri: Named.from_json(iri, record) for iri, record in rows}

    def types(self, iris: list[str]) -> dict[str, str]:
        """The types of several of them, in one read."""
        rows = self._rows(
            "SELECT id, json_extract(record, '$[0]') FROM entity WHERE kind = ? AND id IN "
            "(SELECT value FROM json_each(?))",
            (self._kind, json.dumps(sorted(set(iris)))),
        )
        return {iri: kind for iri, kind in rows}


class Catalogue:
    def __init__(self, repo: Repository, fundings: FundingIndex) -> None:
        self.repo = repo
        self.fundings = fundings
        self._lock = threading.Lock()
        self._participations: dict[str, list[tuple[str, str]]] | None = None
        self._participation: dict[str, tuple[str, str, str]] = {}
        self._texts: dict[str, str] = {}
        self._mentioned: dict[str, int] | None = None
        self._mentioned_orgs: set[str] | None = None
        self._indicators: list[dict[str, Any]] | None = None
        self._first_sources: dict[str, list[dict[str, Any]]] = {}

    def invalidate(self) -> None:
        with self._lock:
            self._participations = None
            self._texts = {}
            self._mentioned = None
            self._mentioned_orgs = None
            self._indicators = None
            self._first_sources = {}

    # -- indexes -----------------------------------------------------------------------------------

    def organisations_index(self) -> _Entities:
        return _Entities(self.fundings, "organisations")

    def projects_index(self) -> _Entities:
        return _Entities(self.fundings, "projects")

    def places_index(self) -> _Entities:
        """Every place of the gazetteer and the documents: labels, type, ``isoCode``, ``broader``."""
        return _Entities(self.fundings, "places")

    def documents_index(self) -> Mapping[str, Named]:
        """Documents by the graph that holds them (``extra``: graph, identifier, language, source)."""
        return _Entities(self.fundings, "documents")

    def documents_of(self, iris: list[str]) -> dict[str, Named]:
        """Documents by their IRI (those of ``iris`` the views know)."""
        rows = self.fundings.db.read().execute(
            "SELECT id, record FROM document WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(set(iris))),),
        )
        return {iri: Named.from_json(iri, record) for iri, record in rows}

    def mentioned(self) -> dict[str, int]:
        """How many things the documents mention, by main class (Organisation, Project, Funding, …)."""
        with self._lock:
            if self._mentioned is None:
                rows = internal_query("mentioned").run(self.repo).rows()
                self._mentioned = {local_name(r["kind"].value): int(r["n"].value) for r in rows}
            return self._mentioned

    def mentioned_organisations(self) -> set[str]:
        with self._lock:
            if self._mentioned_orgs is None:
                rows = internal_query("mentioned-organisations").run(self.repo).rows()
                self._mentioned_orgs = {r["org"].value for r in rows}
            return self._mentioned_orgs

    def participations(self) -> dict[str, list[tuple[str, str]]]:
        """Project → (organisation, role) for every participation."""
        with self._lock:
            if self._participations is None:
                found: dict[str, list[tuple[str, str]]] = defaultdict(list)
                each: dict[str, tuple[str, str, str]] = {}
                for row in internal_query("participations").run(self.repo).rows():
                    pair = (row["organisation"].value, row["role"].value)
                    if pair not in found[row["project"].value]:
                        found[row["project"].value].append(pair)
                    each[row["p"].value] = (row["project"].value, *pair)
                self._participations, self._participation = dict(found), each
            return self._participations

    def participation(self, iri: str) -> tuple[str, str, str] | None:
        """(project, organisation, role) of one participation."""
        self.participations()
        return self._participation.get(iri)

    def document_text(self, document: str) -> str:
        """A document's text (kept until the next write: quotes are shown in their sentences)."""
        with self._lock:
            cached = self._texts.get(document)
        if cached is not None:
            return cached
        rows = list(internal_query("document-text").run(self.repo, {"document": document}).rows())
        text = rows[0]["text"].value if rows else ""
        with self._lock:
            if len(self._texts) > 256:
                self._texts.clear()
            self._texts[document] = text
        return text

    def evidence_in(self, document: str, graph: str) -> list[dict[str, Any]]:
        """Every quote a document holds (in its graph): the fact it supports, the fact's kind, the offsets."""
        found: dict[str, dict[str, Any]] = {}
        rows = internal_query("evidence-in-document").run(self.repo, {"document": document, "g": graph}).rows()
        for row in rows:
            item = found.setdefault(row["evidence"].value, {
                "evidence": row["evidence"].value, "fact": row["fact"].value, "types": set(),
                "start": int(row["start"].value), "end": int(row["end"].value)})  # fmt: skip
            item["types"].add(local_name(row["type"].value))
        return sorted(found.values(), key=lambda e: (e["start"], -e["end"]))

    # -- organisations --------------------------------------------------------------------------

    def search_organisations(self, q: str | None, type_: str | None) -> Ranked:
        return Ranked(self.fundings, "organisations", q, type_)

    def organisation(self, iri: str) -> Named:
        org = self.organisations_index().get(iri)
        if org is None:
            raise NotFoundError(f"no organisation <{iri}>")
        return org

    def roles_of(self, iri: str) -> list[dict[str, str]]:
        """The parts an organisation takes in projects: participation, project, role (from the participations index)."""
        self.participations()
        each = self._participation
        return [{"id": p, "project": project, "role": role}
                for p, (project, organisation, role) in sorted(each.items(), key=lambda kv: (kv[1][0], kv[0]))
                if organisation == iri]  # fmt: skip

    def partners_of(self, iri: str, lang: str) -> list[dict[str, Any]]:
        from coopkg.queries import saved_query

        rows = saved_query("partners-of-organisation").run(self.repo, {"organisation": iri, "lang": lang}).rows()
        return [
            {"id": r["partner"].value, "relations": r["relations"].value.split(", ") if "relations" in r else []}
            for r in rows
        ]

    # -- projects -------------------------------------------------------------------------------

    def search_projects(self, q: str | None) -> Ranked:
        return Ranked(self.fundings, "projects", q)

    def project(self, iri: str) -> Named:
        project = self.projects_index().get(iri)
        if project is None:
            raise NotFoundError(f"no project <{iri}>")
        return project

    def project_details(self, iri: str) -> dict[str, Any]:
        details: dict[str, Any] = {
            "start": None,
            "end": None,
            "durationMonths": None,
            "regions": [],
            "participants": [],
        }
        for row in internal_query("project-details").run(self.repo, {"project": iri}).rows():
            if "start" in row:
                details["start"] = row["start"].value
            if "end" in row:
                details["end"] = row["end"].value
            if "months" in row:
                details["durationMonths"] = int(row["months"].value)
            if "region" in row and row["region"].value not in details["regions"]:
                details["regions"].append(row["region"].value)
            if "participant" in row:
                pair = {"id": row["p"].value, "organisation": row["participant"].value, "role": row["role"].value}
                if pair not in details["participants"]:
                    details["participants"].append(pair)
        return details

    # -- places, indicators, fundings ---------------------------------------------------------------

    def regions(self) -> list[Named]:
        found = places_from_rows(internal_query("regions").run(self.repo).rows())
        return sorted(found.values(), key=lambda r: r.label().casefold())

    def indicators(self) -> list[dict[str, Any]]:
        """Every indicator (kept until the next write)."""
        with self._lock:
            cached = self._indicators
        if cached is None:
            cached = self._read_indicators()
            with self._lock:
                self._indicators = cached
        return cached

    def indicator(self, iri: str) -> dict[str, Any] | None:
        return next((i for i in self.indicators() if i["id"] == iri), None)

    def _read_indicators(self) -> list[dict[str, Any]]:
        out = []
        rows = list(internal_query("indicators").run(self.repo).rows())
        units: dict[str, dict[str, str]] = defaultdict(dict)  # indicator → its unit's labels by language
        for row in rows:
            if "unitLabel" in row:
                units[row["indicator"].value][row["unitLabel"].language or ""] = row["unitLabel"].value
        for row in rows:
            value = row["value"].value
            out.append(
                {
                    "id": row["indicator"].value,
                    "value": float(value) if "." in value else int(value),
                    "unit": _label(units.get(row["indicator"].value, {})) or local_name(row["unit"].value),
                    "unitId": row["unit"].value,
                    "qualifier": row["qualifier"].value if "qualifier" in row else None,
                    "about": row["about"].value if "about" in row else None,
                    "period": row["period"].value if "period" in row else None,
                }
            )
        unique = {i["id"]: i for i in out}
        for i in unique.values():
            i["unitLabels"] = units.get(i["id"], {})
        return sorted(unique.values(), key=lambda i: (-i["value"], i["id"]))

    def sources(self, fact: str) -> list[dict[str, Any]]:
        """The documents that state ``fact``, each with its evidence quotes."""
        return self.sources_of([fact]).get(fact, [])

    def first_sources_of(self, facts: list[str]) -> dict[str, list[dict[str, Any]]]:
        """Up to :data:`LIST_SOURCES` sources of each fact (lists: an organisation may be cited in
        thousands of documents): kept in the views for organisations and projects, else read once per snapshot."""
        missing = [f for f in facts if f not in self._first_sources]
        if missing:
            if len(self._first_sources) > 20_000:
                self._first_sources.clear()
            found = sources.read(self.fundings.db.read(), missing)
            rows = [r for fact in missing if fact not in found
                    for r in internal_query("sources-first").run(self.repo, {"fact": fact}).rows()]  # fmt: skip
            grouped = self._group_sources(rows)
            for fact in missing:
                self._first_sources[fact] = found[fact] if fact in found else grouped.get(fact, [])[:LIST_SOURCES]
        return {fact: self._first_sources[fact] for fact in facts}

    def sources_of(self, facts: list[str]) -> dict[str, list[dict[str, Any]]]:
        """Sources of several facts in one query (a page of a list)."""
        if not facts:
            return {}
        return self._group_sources(list(internal_query("sources-of").run_for_each(self.repo, "fact", facts).rows()))

    def _group_sources(self, rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
        # Where each document comes from is in the views (a lookup), not another query on the store.
        known = self.documents_of([row["document"].value for row in rows]) if rows else {}
        return sources.group(rows, {iri: doc.extra.get("source") for iri, doc in known.items()})

    def labels_for(self, iris: list[str]) -> dict[str, Named]:
        """Labels and types of several resources in one query (a page of SPARQL results)."""
        found: dict[str, Named] = {}
        if not iris:
            return found
        for row in internal_query("entity-labels").run_for_each(self.repo, "iri", iris).rows():
            item = found.setdefault(row["iri"].value, Named(row["iri"].value))
            if "pref" in row:
                item.labels[row["pref"].language or ""] = row["pref"].value
            if "type" in row and not item.type:
                item.type = local_name(row["type"].value)
        return found

    def labels_of(self, iri: str) -> Named:
        item = Named(iri)
        for row in internal_query("entity-labels").run(self.repo, {"iri": iri}).rows():
            if "pref" in row:
                item.labels[row["pref"].language or ""] = row["pref"].value
            if "alt" in row:
                item.alt.append(row["alt"].value)
                item.alt_by_lang.setdefault(row["alt"].language or "", []).append(row["alt"].value)
            if "type" in row and not item.type:
                item.type = local_name(row["type"].value)
        return item
