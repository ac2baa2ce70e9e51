"""One thing at a time: a funding, an organisation, a project, a place, a document.

What the JSON API answers for them and what their pages show, computed once here from the
funding view, the catalogue and the explorer; the web layer only formats it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeVar

from coopkg.catalogue import Catalogue, Named, Ranked
from coopkg.errors import NotFoundError
from coopkg.explore import Explorer, FundingFilter, language_name, numeric_code, role_label, term_label
from coopkg.extract.text import paragraphs, sentences
from coopkg.funding_index import IndexedFunding
from coopkg.queries import saved_query
from coopkg.terms import local_name

if TYPE_CHECKING:
    from coopkg.service import Services

ALL = 1_000_000  # "every funding" for the views of one thing
SEARCHED = ("organisations", "projects")  # what GET /api/organisations and /api/projects search

T = TypeVar("T")


def named_item(entity: Named, lang: str, sources: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The shape every listed thing shares: id, label in ``lang``, labels by language, alternatives, type."""
    item: dict[str, Any] = {
        "id": entity.id,
        "label": entity.label(lang),
        "labels": dict(sorted(entity.labels.items())),
        "altLabels": list(entity.alt),
        "altLabelsByLanguage": {lang: list(texts) for lang, texts in sorted(entity.alt_by_lang.items()) if lang},
        "type": entity.type,
    }
    if sources is not None:
        item["sources"] = sources
    return item


def page(items: list[dict[str, Any]], total: int, limit: int, offset: int) -> dict[str, Any]:
    return {"items": items, "total": total, "limit": limit, "offset": offset}


def sourced_page(
    catalogue: Catalogue,
    found: Sequence[T],
    limit: int,
    offset: int,
    id_of: Callable[[T], str],
    item: Callable[[T, list[dict[str, Any]]], dict[str, Any]],
) -> dict[str, Any]:
    """One page of ``found``, each item with its first sources (all of them at the item's own endpoint)."""
    chosen = found[offset : offset + limit]
    sources = catalogue.first_sources_of([id_of(x) for x in chosen])
    return page([item(x, sources.get(id_of(x), [])) for x in chosen], len(found), limit, offset)


def search(services: Services, kind: str, q: str | None, type_: str | None = None) -> Ranked:
    """The organisations or projects (``kind``, one of :data:`SEARCHED`) that ``q`` matches, best first;
    organisations of type ``type_`` only, when given."""
    if kind == "organisations":
        return services.catalogue.search_organisations(q, type_)
    return services.catalogue.search_projects(q)


def search_page(services: Services, found: Ranked, limit: int, offset: int, lang: str) -> dict[str, Any]:
    """The answer of GET /api/organisations or /api/projects: a page of a :func:`search`."""
    return sourced_page(services.catalogue, found, limit, offset, lambda x: x.id, lambda x, s: named_item(x, lang, s))


def funding_item(
    services: Services,
    f: IndexedFunding,
    lang: str,
    sources: dict[str, list[dict[str, Any]]] | None = None,
    labels: dict[str, dict[str, str]] | None = None,
) -> dict[str, Any]:
    """``labels``: the parties' labels, read already (a page reads them at once)."""
    index = services.fundings
    if labels is None or f.funder not in labels or f.funded not in labels:
        labels = index.labels_for([f.funder, f.funded])
    funder, funded = index.label(f.funder, lang, labels), index.label(f.funded, lang, labels)
    languages = sorted({key for iri in (f.funder, f.funded) for key in labels.get(iri, {}) if key})
    by_language = {
        key: f"{index.label(f.funder, key, labels)} → {index.label(f.funded, key, labels)}" for key in languages
    }
    item: dict[str, Any] = {
        "id": f.id,
        "label": f"{funder} → {funded}",
        "labels": by_language,
        "funder": {"id": f.funder, "label": funder},
        "funded": {"id": f.funded, "label": funded},
        "amount": float(f.amount) if f.amount is not None else None,
        "currency": f.currency,
        "amountId": f.amount_id,
        "kind": f.kind,
        "year": f.year,
        "date": f.date,
    }
    if sources is not None:
        item["sources"] = sources.get(f.id, [])
    return item


def explore(services: Services, flt: FundingFilter, lang: str, *, facets: bool = False) -> dict[str, Any]:
    """A page of fundings; with ``facets``, the facets and totals of the whole selection too."""
    explorer = Explorer(services.fundings, services.catalogue)
    chosen = explorer.select(flt, lang)
    shown = chosen[flt.offset : flt.offset + flt.limit]
    sources = services.catalogue.sources_of([f.id for f in shown])
    labels = services.fundings.labels_for(iri for f in shown for iri in (f.funder, f.funded))
    where, places = explorer.places_of_each(shown)
    items = []
    for f in shown:
        item = funding_item(services, f, lang, sources, labels)
        countries, _ = where[f.funded]
        item["countries"] = [{"id": c, "label": places[c].label(lang) if c in places else local_name(c)}
                             for c in sorted(countries)]  # fmt: skip
        items.append(item)
    body: dict[str, Any] = {
        "items": items,
        "total": len(chosen),
        "limit": flt.limit,
        "offset": flt.offset,
    }
    if facets:
        body["facets"] = explorer.facets(chosen, lang)
        body["facetsLeftOut"] = explorer.left_out
        body["totals"] = explorer.totals(chosen, lang)
    return body


def network(services: Services, flt: FundingFilter, lang: str) -> dict[str, Any]:
    """The network of a page of the selection: its first ``limit`` fundings in the sort order."""
    explorer = Explorer(services.fundings, services.catalogue)
    return explorer.network(explorer.select(flt, lang)[flt.offset : flt.offset + flt.limit], lang)


# -- sources, in their sentences ----------------------------------------------------------------------


def in_sentences(services: Services, sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each quote with the sentence(s) around it (``before``, ``after``), and ``passages``: each
    sentence once, cut into ``pieces`` marked where a quote covers them."""
    documents = services.catalogue.documents_of([source["document"] for source in sources])
    out = []
    for source in sources:
        text = services.catalogue.document_text(source["document"])
        spans = _sentence_spans(text)
        quotes, passages = [], {}
        for ev in source["evidence"]:
            start, end = ev["start"], ev["end"]
            around = [s for s in spans if s[0] < max(end, start + 1) and s[1] > start]
            left = min([s[0] for s in around] + [start])
            right = max([s[1] for s in around] + [end])
            quotes.append({**ev, "before": text[left:start], "after": text[end:right]})
            passages.setdefault((left, right), []).append((start, end))
        doc = documents.get(source["document"])
        out.append({**source, "evidence": quotes, "title": doc.label() if doc else None,
                    "language": doc.extra["language"] if doc else None,
                    "passages": [_passage(text, left, right, marks) for (left, right), marks in passages.items()]})  # fmt: skip
    return out


def _passage(text: str, left: int, right: int, marks: list[tuple[int, int]]) -> dict[str, Any]:
    cuts = sorted({left, right, *(max(left, s) for s, _ in marks), *(min(right, e) for _, e in marks)})
    pieces = [
        {"text": text[a:b], "mark": any(s <= a and e >= b for s, e in marks)} for a, b in itertools.pairwise(cuts)
    ]
    first = min(marks)
    return {"start": first[0], "end": first[1], "pieces": pieces, "quotes": len(marks)}


@lru_cache(maxsize=64)
def _sentence_spans(text: str) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in sentences(text, paragraphs(text))] if text else []


# -- totals ---------------------------------------------------------------------------------------------


def _sum(fundings: list[IndexedFunding], lang: str, services: Services) -> dict[str, Any]:
    return Explorer(services.fundings, services.catalogue).totals(fundings, lang)


# -- an organisation, a project, a place ----------------------------------------------------------------


def organisation(services: Services, iri: str, lang: str) -> dict[str, Any]:
    """Fundings given and received (with totals), projects and roles, partners, places, indicators, period."""
    catalogue = services.catalogue
    org = catalogue.organisation(iri)
    body = named_item(org, lang, catalogue.sources(iri))
    explorer = Explorer(services.fundings, catalogue)
    given = list(explorer.select(FundingFilter(funder=iri, limit=ALL)))
    received = list(explorer.select(FundingFilter(funded=iri, limit=ALL)))
    labels = services.fundings.labels_for(i for f in given + received for i in (f.funder, f.funded))
    roles = catalogue.roles_of(iri)
    body["typeLabel"] = term_label(org.type, lang) if org.type else None
    body["fundingsGiven"] = [funding_item(services, f, lang, labels=labels) for f in given]
    body["fundingsReceived"] = [funding_item(services, f, lang, labels=labels) for f in received]
    body["totalsGiven"] = explorer.totals(given, lang)["byCurrency"]
    body["totalsReceived"] = explorer.totals(received, lang)["byCurrency"]
    body["amountNotStated"] = {"given": sum(f.amount is None for f in given),
                               "received": sum(f.amount is None for f in received)}  # fmt: skip
    body["projects"] = [
        {"id": r["id"], "project": {"id": r["project"], "label": catalogue.labels_of(r["project"]).label(lang)},
         "role": r["role"], "roleLabel": role_label(r["role"], lang)}
        for r in roles
    ]  # fmt: skip
    body["partners"] = [
        {"id": p["id"], "label": catalogue.labels_of(p["id"]).label(lang), "relations": p["relations"]}
        for p in catalogue.partners_of(iri, lang)
    ]
    known = catalogue.projects_index()
    projects = sorted({r["project"] for r in roles} | {f.funded for f in given if f.funded in known})
    details = [catalogue.project_details(p) for p in projects]
    body["regions"] = _places(services, sorted({r for d in details for r in d["regions"]}), lang)
    body["indicators"] = [i for i in catalogue.indicators() if i["about"] in {iri, *projects}]
    starts = [d["start"] for d in details if d["start"]] + [f.date for f in given + received if f.date]
    ends = [d["end"] for d in details if d["end"]]
    body["period"] = {"start": min(starts) if starts else None, "end": max(ends) if ends else None}
    return body


def project(services: Services, iri: str, lang: str) -> dict[str, Any]:
    catalogue = services.catalogue
    body = named_item(catalogue.project(iri), lang, catalogue.sources(iri))
    details = catalogue.project_details(iri)
    body.update(details)
    body["typeLabel"] = term_label(body["type"], lang) if body["type"] else None
    body["participants"] = [
        {"id": p["id"], "organisation": p["organisation"], "label": catalogue.labels_of(p["organisation"]).label(lang),
         "role": p["role"], "roleLabel": role_label(p["role"], lang)}
        for p in details["participants"]
    ]  # fmt: skip
    funded = list(Explorer(services.fundings, catalogue).select(FundingFilter(funded=iri, limit=ALL)))
    body["fundings"] = [funding_item(services, f, lang) for f in funded]
    body["funders"] = sorted({f.funder for f in funded})
    body["totals"] = _sum(funded, lang, services)["byCurrency"]
    body["amountNotStated"] = sum(f.amount is None for f in funded)
    body["places"] = _places(services, details["regions"], lang)
    body["indicators"] = [i for i in catalogue.indicators() if i["about"] == iri]
    return body


def region(services: Services, iri: str, lang: str) -> dict[str, Any]:
    """A place: what lies in it and around it, the fundings and projects there."""
    catalogue = services.catalogue
    places = catalogue.places_index().all()
    if iri not in places:
        raise NotFoundError(f"no place <{iri}>")
    place = places[iri]
    body = named_item(place, lang, catalogue.sources(iri))
    body["typeLabel"] = term_label(place.type, lang) if place.type else None
    body["isoCode"] = place.extra.get("isoCode")
    body["numeric"] = numeric_code(place.extra.get("isoCode"))
    body["broader"] = _places(services, place.extra.get("broader", []), lang)
    inside = [p for p in places.values() if iri in p.extra.get("broader", [])]
    mentioned = {r.id for r in catalogue.regions()}
    body["narrower"] = _places(services, sorted(p.id for p in inside if p.id in mentioned), lang)
    explorer = Explorer(services.fundings, catalogue)
    funded = list(explorer.select(FundingFilter(region=iri, limit=ALL)))
    labels = services.fundings.labels_for(i for f in funded for i in (f.funder, f.funded))
    body["fundings"] = [funding_item(services, f, lang, labels=labels) for f in funded]
    body["totals"] = explorer.totals(funded, lang)["byCurrency"]
    body["amountNotStated"] = sum(f.amount is None for f in funded)
    rows = saved_query("projects-in-region").run(services.repo, {"region": iri, "lang": lang}).rows()
    projects = sorted({row["project"].value for row in rows})
    body["projects"] = [{"id": p, "label": catalogue.labels_of(p).label(lang)} for p in projects]
    return body


def _places(services: Services, iris: list[str], lang: str) -> list[dict[str, Any]]:
    places = services.catalogue.places_index()
    return [{"id": i, "label": places[i].label(lang) if i in places else local_name(i),
             "type": places[i].type if i in places else None} for i in iris]  # fmt: skip


# -- a document -------------------------------------------------------------------------------------


def document(services: Services, doc_id: str, lang: str) -> dict[str, Any]:
    """A document's text and every quote in it, with the fact each supports (for highlighting in place)."""
    catalogue = services.catalogue
    iri = services.minter.document(doc_id).value
    graph = services.minter.document_graph(doc_id).value
    doc = catalogue.documents_index().get(graph)
    if doc is None:
        raise NotFoundError(f"no document {doc_id!r}")
    text = catalogue.document_text(iri)
    quotes = []
    for ev in catalogue.evidence_in(iri, graph):
        kind = _kind(ev["types"])
        quotes.append({"evidence": ev["evidence"], "fact": ev["fact"], "kind": kind, "start": ev["start"],
                       "end": ev["end"], "label": fact_label(services, ev["fact"], kind, lang)})  # fmt: skip
    return {
        "id": iri,
        "identifier": doc.extra["identifier"],
        "title": doc.label(),
        "source": doc.extra["source"],
        "language": doc.extra["language"],
        "languageName": language_name(doc.extra["language"], lang),
        "text": text,
        "quotes": quotes,
    }


KINDS = ("Funding", "Participation", "Indicator", "Project", "Organisation", "Region")


def _kind(types: set[str]) -> str:
    from coopkg.extract.gazetteer import ORGANISATION_CLASSES, REGION_CLASSES

    if types & ORGANISATION_CLASSES:
        return "Organisation"
    if types & REGION_CLASSES:
        return "Region"
    if types & {"Project", "Programme", "PartnershipAgreement"}:
        return "Project"
    return next((k for k in KINDS if k in types), sorted(types)[0] if types else "")


def fact_label(services: Services, iri: str, kind: str, lang: str) -> str:
    """What a fact says, in words: 'Union européenne → Kafaat Liljamia', '1200 bénéficiaires'."""
    funding = services.fundings.fundings.get(iri)
    if funding is not None:
        return funding_item(services, funding, lang)["label"]
    if kind == "Indicator":
        found = services.catalogue.indicator(iri)
        if found is not None:
            return f"{found['value']:,} {unit_label(found, lang)}".replace(",", "\u202f")
    if kind == "Participation":
        known = services.catalogue.participation(iri)
        if known is not None:
            project, organisation, role = known
            labels = services.catalogue.labels_for([project, organisation])
            name = lambda i: labels[i].label(lang) if i in labels else local_name(i)  # noqa: E731
            return f"{name(organisation)} — {role_label(role, lang)} — {name(project)}"
    return services.catalogue.labels_of(iri).label(lang)


def unit_label(indicator: dict[str, Any], lang: str) -> str:
    labels = indicator.get("unitLabels") or {}
    return labels.get(lang) or indicator["unit"]


def documents(services: Services) -> list[dict[str, Any]]:
    """Every document: title, identifier, language, source, number of facts it supports."""
    rows = saved_query("documents").run(services.repo).rows()
    return [
        {"id": r["document"].value, "label": r["title"].value if "title" in r else r["identifier"].value,
         "labels": {}, "identifier": r["identifier"].value, "source": r["source"].value if "source" in r else None,
         "language": r["language"].value, "facts": int(r["facts"].value)}
        for r in rows
    ]  # fmt: skip


def labels(services: Services, iris: list[str], lang: str) -> list[dict[str, Any]]:
    """Labels of resources (a funding by what it says), for tables of SPARQL results."""
    found = services.catalogue.labels_for(iris)
    out = [named_item(n, lang) for n in found.values() if n.labels]
    for iri in iris:
        funding = services.fundings.fundings.get(iri)
        if funding is not None and iri not in found:
            item = funding_item(services, funding, lang)
            out.append(
                {"id": iri, "label": item["label"], "labels": item["labels"], "altLabels": [], "type": "Funding"}
            )
    return out
