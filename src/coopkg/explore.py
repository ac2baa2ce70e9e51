"""The fundings explorer: who funded what, filtered, searched, sorted, with facets and totals.

Read by both the JSON API (``/api/fundings``) and the pages (the front page's table, charts,
map and network): one computation over the funding view (:mod:`coopkg.funding_index`) and
the catalogue's indexes, never a second copy. Amounts are never converted between
currencies, and a funding whose amount is not stated is counted apart, never as zero.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pycountry

from coopkg.catalogue import Catalogue, Named
from coopkg.funding_index import FundingIndex, FundingQuery, IndexedFunding, Selection, Where
from coopkg.reference import ontology_labels
from coopkg.terms import COOPKG

NO_AMOUNT = "none"  # the currency facet's value for fundings whose amount is not stated
SORTS = ("amount", "-amount", "date", "-date", "funder", "-funder", "funded", "-funded")
FACETS = ("funder", "funderType", "country", "region", "year", "currency", "kind", "language")
LANGUAGE_NAMES = {
    "fr": {"fr": "français", "en": "French", "ar": "الفرنسية"},
    "en": {"fr": "anglais", "en": "English", "ar": "الإنجليزية"},
    "ar": {"fr": "arabe", "en": "Arabic", "ar": "العربية"},
}
_NO_AMOUNT_LABEL = {"fr": "montant non précisé", "en": "amount not stated", "ar": "المبلغ غير محدد"}


@dataclass
class FundingFilter:
    """What a view of the fundings asks for; None means no constraint."""

    q: str | None = None  # a name of the funder or of what is funded, in any language
    funder: str | None = None
    funded: str | None = None
    funder_type: str | None = None  # DevelopmentAgency, GovernmentBody, …
    region: str | None = None  # a place: fundings of what lies in it or inside it
    year: int | None = None
    year_from: int | None = None
    year_to: int | None = None
    currency: str | None = None  # ISO 4217, or NO_AMOUNT
    kind: str | None = None  # grant, loan, unspecified
    language: str | None = None  # of a document that states the funding
    sort: str = "-amount"
    limit: int = 20
    offset: int = 0


def term_label(local: str, lang: str) -> str:
    """The ontology's label of ``coopkg:{local}`` in ``lang`` (a class, a role, a kind)."""
    labels = ontology_labels().get(COOPKG.term(local).value, {})
    return labels.get(lang) or labels.get("en") or local


def kind_label(kind: str, lang: str) -> str:
    return term_label(kind.capitalize() + "Funding", lang)


def role_label(role: str, lang: str) -> str:
    return term_label(role.capitalize() + "Role", lang)


def language_name(code: str, lang: str) -> str:
    return LANGUAGE_NAMES.get(code, {}).get(lang, code)


def numeric_code(alpha2: str | None) -> str | None:
    """ISO 3166-1 numeric code (what the map's boundary data is keyed by) of an alpha-2 code."""
    country = pycountry.countries.get(alpha_2=alpha2) if alpha2 and len(alpha2) == 2 else None
    return country.numeric if country is not None else None


class SortedSelection(list[IndexedFunding]):
    """A selection sorted by a name: read whole, with the conditions that chose it (for facets)."""

    def __init__(self, items: list[IndexedFunding], where: Where) -> None:
        super().__init__(items)
        self.where = where


class Explorer:
    """Filters, facets and totals over the funding view; cheap to build (it holds no state of its own)."""

    def __init__(self, fundings: FundingIndex, catalogue: Catalogue) -> None:
        self.fundings = fundings
        self.catalogue = catalogue
        self.left_out: dict[str, int] = {}  # per facet, the values the last facets() did not list

    # -- choosing ---------------------------------------------------------------------------------

    def select(self, flt: FundingFilter, lang: str = "fr") -> Sequence[IndexedFunding]:
        """Every funding the filter keeps, in its sort order (names sort in ``lang``): counted and paged
        by the view; sorted by a name, read whole and sorted here."""
        by_index = flt.sort if flt.sort in {"amount", "-amount", "date", "-date"} else "-amount"
        query = FundingQuery(flt.funder, flt.funded, flt.region, flt.year_from, flt.year_to, None, by_index)
        where = self._conditions(flt, Where().of_query(query))
        chosen = self.fundings.select(where, by_index)
        if flt.sort.lstrip("-") not in {"funder", "funded"}:
            return chosen
        attribute = flt.sort.lstrip("-")
        everything = list(chosen)
        labels = self.fundings.labels_for(getattr(f, attribute) for f in everything)
        ordered = sorted(everything, key=lambda f: self.fundings.label(getattr(f, attribute), lang, labels).casefold(),
                         reverse=flt.sort.startswith("-"))  # fmt: skip
        return SortedSelection(ordered, where)

    def _conditions(self, flt: FundingFilter, where: Where) -> Where:
        if flt.q:
            names = [self.catalogue.search_organisations(flt.q, None).ids_sql(),
                     self.catalogue.search_projects(flt.q).ids_sql()]  # fmt: skip
            either = " UNION ".join(sql for sql, _ in names)
            params = [p for _, ps in names for p in ps]
            where.add(f"(funder IN ({either}) OR funded IN ({either}))", *params, *params)
        if flt.funder_type:
            where.add("funder IN (SELECT id FROM entity WHERE kind = 'organisations' AND type_lower = ?)",
                      flt.funder_type.lower())  # fmt: skip
        if flt.year is not None:
            where.add("year = ?", flt.year)
        if flt.currency:
            if flt.currency.lower() == NO_AMOUNT:
                where.add("(amount IS NULL OR currency IS NULL)")
            else:
                where.add("amount IS NOT NULL AND currency = ?", flt.currency.upper())
        if flt.kind:
            where.add("kind = ?", flt.kind)
        if flt.language:
            where.add("EXISTS (SELECT 1 FROM funding_graph g JOIN document d ON d.graph = g.graph "
                      "WHERE g.funding = funding.id AND d.language = ?)", flt.language)  # fmt: skip
        return where

    def _count(self, where: Where, key: str, extra: str = "1") -> Counter[Any]:
        """How many fundings ``where`` keeps have each value of ``key`` (an SQL expression of the funding)."""
        rows = self.fundings.db.read().execute(
            f"SELECT {key}, count(*) FROM funding WHERE {where.sql} AND {extra} GROUP BY 1", where.params
        )
        return Counter(dict(rows.fetchall()))

    def places_of_each(
        self, fundings: list[IndexedFunding]
    ) -> tuple[dict[str, tuple[set[str], set[str]]], dict[str, Named]]:
        """:meth:`places_of` for several fundings (a page) in three reads, by funded item; and the places."""
        funded = sorted({f.funded for f in fundings})
        db = self.fundings.db.read()
        regions: dict[str, set[str]] = defaultdict(set)
        for entity, region in db.execute(
            "SELECT entity, region FROM party_region WHERE entity IN (SELECT value FROM json_each(?))",
            (json.dumps(funded),),
        ):
            regions[entity].add(region)
        wanted = sorted({r for found in regions.values() for r in found})
        ancestors: dict[str, set[str]] = {}
        for region, ancestor in db.execute(
            "SELECT region, ancestor FROM ancestor WHERE region IN (SELECT value FROM json_each(?))",
            (json.dumps(wanted),),
        ):
            ancestors.setdefault(region, set()).add(ancestor)
        around = sorted(set(wanted) | {a for found in ancestors.values() for a in found})
        index = self.catalogue.places_index().some(around)
        by_funded = {f.funded: self.places_of(f, regions.get(f.funded, set()), ancestors, index) for f in fundings}
        return by_funded, index

    def places_of(
        self,
        funding: IndexedFunding,
        regions: set[str] | None = None,
        ancestors: dict[str, set[str]] | None = None,
        index: Mapping[str, Named] | None = None,
    ) -> tuple[set[str], set[str]]:
        """The countries and the other places where what a funding pays for lies (``regions``, ``ancestors``,
        ``index``: read already)."""
        places = self.fundings.regions_of(funding.funded) if regions is None else regions
        index = self.catalogue.places_index() if index is None else index
        countries, others = set(), set()
        for place in places:
            around_it = ancestors.get(place, {place}) if ancestors is not None else self.fundings.ancestors_of(place)
            for around in around_it:
                kind = index[around].type if around in index else ""
                if kind == "Country":
                    countries.add(around)
                elif kind != "SupranationalRegion" and around == place:
                    others.add(around)
        return countries, others

    # -- facets and totals ------------------------------------------------------------------------

    def facets(self, chosen: Selection | SortedSelection, lang: str, top: int = 50) -> dict[str, list[dict[str, Any]]]:
        """For each facet, its ``top`` values among ``chosen`` with their counts, most frequent first
        (years: latest first); how many values were left out is :meth:`omitted`'s. Counted by the view
        (a funding counts once per value: a country once however many of its places the funding is in)."""
        counts: dict[str, Counter[Any]] = {name: Counter() for name in FACETS}
        where, db = chosen.where, self.fundings.db.read()
        counts["funder"] = self._count(where, "funder")
        types = self.catalogue.organisations_index().types(list(counts["funder"]))
        for funder, n in counts["funder"].items():
            if types.get(funder):
                counts["funderType"][types[funder]] += n
        counts["year"] = self._count(where, "year", "year IS NOT NULL")
        counts["currency"] = self._count(where, f"CASE WHEN amount IS NOT NULL THEN currency ELSE '{NO_AMOUNT}' END")
        counts["kind"] = self._count(where, "kind")
        # A funding counts once per language of the documents that state it.
        counts["language"] = Counter(dict(db.execute(
            "SELECT d.language, count(DISTINCT g.funding) FROM funding_graph g JOIN document d ON d.graph = g.graph "
            f"WHERE g.funding IN (SELECT id FROM funding WHERE {where.sql}) GROUP BY d.language", where.params)))  # fmt: skip
        regions: dict[str, set[str]] = defaultdict(set)
        for entity, region in db.execute(
            f"SELECT entity, region FROM party_region WHERE entity IN (SELECT funded FROM funding WHERE {where.sql})",
            where.params,
        ):
            regions[entity].add(region)
        ancestors, index = self.fundings.ancestors(), self.catalogue.places_index().all()
        by_places: dict[frozenset[str], tuple[set[str], set[str]]] = {}  # many things lie in the same places
        for funded, n in self._count(where, "funded").items():
            places = frozenset(regions.get(funded, ()))
            if places not in by_places:
                by_places[places] = self.places_of(IndexedFunding("", "", funded, None, None, None, "", None, None),
                                                    set(places), ancestors, index)  # fmt: skip
            countries, others = by_places[places]
            for country in countries:
                counts["country"][country] += n
            for other in others:
                counts["region"][other] += n

        def place(iri: str) -> dict[str, Any]:
            named = index.get(iri, Named(iri))
            code = named.extra.get("isoCode")
            return {"label": named.label(lang), "code": code, "numeric": numeric_code(code)}

        describe: dict[str, Callable[[Any], dict[str, Any]]] = {
            "funder": lambda v: {"label": self.fundings.label(v, lang)},
            "funderType": lambda v: {"label": term_label(v, lang)},
            "country": place,
            "region": place,
            "year": lambda v: {"label": str(v)},
            "currency": lambda v: {
                "label": _NO_AMOUNT_LABEL.get(lang, _NO_AMOUNT_LABEL["en"]) if v == NO_AMOUNT else v
            },
            "kind": lambda v: {"label": kind_label(v, lang)},
            "language": lambda v: {"label": language_name(v, lang)},
        }
        out: dict[str, list[dict[str, Any]]] = {}
        self.left_out = {}
        for name, counter in counts.items():
            ordered = sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))
            if name == "year":
                ordered = sorted(counter.items(), key=lambda kv: -kv[0])
            self.left_out[name] = max(0, len(ordered) - top)
            out[name] = [{"value": value, "count": n, **describe[name](value)} for value, n in ordered[:top]]
        return out

    def totals(self, chosen: Iterable[IndexedFunding], lang: str) -> dict[str, Any]:
        """Sums of stated amounts per currency, per funder and per year; unstated amounts counted apart."""
        by_currency: dict[str, list[Any]] = {}
        by_funder: dict[tuple[str, str], list[Any]] = {}
        by_year: dict[tuple[int, str], list[Any]] = {}
        unknown: Counter[str] = Counter()
        # A selection of the view gives its columns in its order (ties in a sum keep that order), not objects.
        rows = (chosen.rows("funder, amount, currency, year") if isinstance(chosen, Selection)
                else ((f.funder, f.amount, f.currency, f.year) for f in chosen))  # fmt: skip
        for funder, amount, currency, year in rows:
            if amount is None or currency is None:
                unknown[funder] += 1
                continue
            value = Decimal(amount)
            for table, key in ((by_currency, currency), (by_funder, (funder, currency)), (by_year, (year, currency))):
                if isinstance(key, tuple) and key[0] is None:
                    continue
                entry = table.setdefault(key, [Decimal(0), 0])  # type: ignore[arg-type]
                entry[0] += value
                entry[1] += 1
        labels = self.fundings.labels_for(funder for funder, _ in by_funder)
        return {
            "byCurrency": [{"currency": c, "total": float(t), "fundings": n}
                           for c, (t, n) in sorted(by_currency.items(), key=lambda kv: -kv[1][0])],
            "byFunder": [{"funder": {"id": fu, "label": self.fundings.label(fu, lang, labels)}, "currency": c,
                          "total": float(t), "fundings": n}
                         for (fu, c), (t, n) in sorted(by_funder.items(), key=lambda kv: -kv[1][0])],
            "byYear": [{"year": y, "currency": c, "total": float(t), "fundings": n}
                       for (y, c), (t, n) in sorted(by_year.items())],
            "amountNotStated": sum(unknown.values()),
        }  # fmt: skip

    # -- the network ------------------------------------------------------------------------------

    def network(self, chosen: Iterable[IndexedFunding], lang: str) -> dict[str, list[dict[str, Any]]]:
        """Funders → what they fund → its beneficiaries and other participants (by role), as nodes and links."""
        nodes: dict[str, dict[str, Any]] = {}
        links: dict[tuple[str, str, str], dict[str, Any]] = {}
        participations = self.catalogue.participations()
        orgs, projects = self.catalogue.organisations_index(), self.catalogue.projects_index()

        def node(iri: str, group: str) -> None:
            named = orgs.get(iri) or projects.get(iri)
            label = named.label(lang) if named is not None else self.fundings.label(iri, lang)
            current = nodes.setdefault(iri, {"id": iri, "label": label, "group": group})
            if group == "funder":
                current["group"] = "funder"

        amounts: dict[tuple[str, str], list[Any]] = defaultdict(list)
        for f in chosen:
            node(f.funder, "funder")
            node(f.funded, "project" if f.funded in projects else "beneficiary")
            link = links.setdefault((f.funder, f.funded, "funds"), {"source": f.funder, "target": f.funded,
                                                                    "kind": "funds", "fundings": 0})  # fmt: skip
            link["fundings"] += 1
            if f.amount is not None:
                amounts[(f.funder, f.funded)].append({"amount": float(f.amount), "currency": f.currency})
            for organisation, role in participations.get(f.funded, []):
                if role != "funder" and organisation != f.funder:
                    node(organisation, "beneficiary" if role == "beneficiary" else "participant")
                    links.setdefault((f.funded, organisation, role), {"source": f.funded, "target": organisation,
                                     "kind": role, "label": role_label(role, lang), "fundings": 0})  # fmt: skip
        for (source, target), stated in amounts.items():
            links[(source, target, "funds")]["amounts"] = stated
        return {"nodes": list(nodes.values()), "links": list(links.values())}
