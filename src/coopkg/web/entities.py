"""The page of an IRI minted here: a reading page by kind of thing, and its linked-data view (``?view=data``)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from coopkg import views
from coopkg.errors import NotFoundError
from coopkg.explore import kind_label, role_label, term_label
from coopkg.reference import ontology_labels
from coopkg.service import Services
from coopkg.terms import COOPKG, OA, RDF, RDFS, SKOS, local_name
from coopkg.web import i18n
from coopkg.web.highlight import segments
from coopkg.web.render import page

DATA_VIEW = "data"


async def entity_page(
    request: Request, services: Services, iri: str, triples: list[Triple], alternates: list[dict[str, str]]
) -> HTMLResponse:
    lang = i18n.choose_language(request)
    if request.query_params.get("view") == DATA_VIEW:
        return data_page(request, iri, triples, alternates, lang)
    path = iri[len(services.minter.base) :] if iri.startswith(services.minter.base) else ""
    kind, _, rest = path.removeprefix("id/").partition("/")
    common = {"lang": lang, "iri": iri, "alternates": alternates, "data_href": _data_href(request)}
    try:
        if kind == "organisation":
            body = await services.read(lambda: _with_sources(services, views.organisation, iri, lang))
            for partner in body["partners"]:
                partner["relationLabels"] = [i18n.relation(r, lang) for r in partner["relations"]]
            return page("organisation.html", request, o=body, **common)
        if kind == "project":
            body = await services.read(lambda: _with_sources(services, views.project, iri, lang))
            return page("project.html", request, p=body, **common)
        if kind == "region":
            body = await services.read(lambda: _with_sources(services, views.region, iri, lang))
            return page("region.html", request, r=body, **common)
        if kind == "document" and "/" not in rest:
            body = await services.read(lambda: views.document(services, rest, lang))
            return page("document.html", request, d=body, **_document_parts(body, lang), **common)
    except NotFoundError:
        pass  # not of the kind its IRI says (or not indexed): the generic page below
    fact = await services.read(lambda: _fact(services, iri, triples, lang))
    return page("fact.html", request, f=fact, **common)


def _document_parts(body: dict[str, Any], lang: str) -> dict[str, Any]:
    """The text cut for highlighting, the legend and the facts grouped by kind."""
    for quote in body["quotes"]:
        quote["kindName"] = term_label(quote["kind"], lang)
    order = {k: i for i, k in enumerate(views.KINDS)}
    groups: dict[str, list[dict[str, Any]]] = {}
    for quote in sorted(body["quotes"], key=lambda q: (order.get(q["kind"], 99), q["start"])):
        groups.setdefault(quote["kind"], []).append(quote)
    return {
        "parts": segments(body["text"], body["quotes"]),
        "groups": [{"kind": k, "name": term_label(k, lang), "quotes": qs} for k, qs in groups.items()],
        "kinds": [{"kind": k, "name": term_label(k, lang), "n": len(qs)} for k, qs in groups.items()],
    }


def _data_href(request: Request) -> str:
    return request.url.path + "?view=" + DATA_VIEW


def _with_sources(services: Services, view: Any, iri: str, lang: str) -> dict[str, Any]:
    """A view of one thing with its own quotes, and the quotes of its fundings, in their sentences."""
    body = view(services, iri, lang)
    body["sources"] = views.in_sentences(services, body.get("sources", []))
    fundings = [f for key in ("fundingsGiven", "fundingsReceived", "fundings") for f in body.get(key, [])]
    sources = services.catalogue.sources_of([f["id"] for f in fundings])
    for f in fundings:
        f["sources"] = sources.get(f["id"], [])
        f["kindLabel"] = kind_label(f["kind"], lang)
    return body


def _fact(services: Services, iri: str, triples: list[Triple], lang: str) -> dict[str, Any]:
    """A funding, participation, indicator, piece of evidence or other thing, titled by what it says."""
    node = NamedNode(iri)
    out: dict[str, list[Any]] = {}
    for t in triples:
        if t.subject == node:
            out.setdefault(t.predicate.value, []).append(t.object)
    types = [local_name(o.value) for o in out.get(RDF.type.value, [])]
    label_of = lambda i: _label(i, triples, lang)  # noqa: E731
    rows: list[dict[str, Any]] = []
    title = label_of(iri)
    sources_of = iri
    if "Funding" in types and iri in services.fundings.fundings:
        item = views.funding_item(services, services.fundings.fundings[iri], lang)
        title = item["label"]
        amount = f"{i18n.amount(item['amount'], lang)} {item['currency']}" if item["amount"] is not None else None
        rows = [_row("funder", item["funder"]["label"], item["funder"]["id"]),
                _row("funded", item["funded"]["label"], item["funded"]["id"]),
                _row("amount", amount or i18n.words(lang)["not_stated_short"]),
                _row("kind", kind_label(item["kind"], lang)), _row("year", item["date"] or "")]  # fmt: skip
    elif "Participation" in types:
        who = _one(out, COOPKG.participant)
        role = _one(out, COOPKG.role)
        project = next(
            (t.subject.value for t in triples if t.object == node and t.predicate == COOPKG.hasParticipation), None
        )
        role_name = role_label(local_name(role).removesuffix("Role").lower(), lang) if role else ""
        title = " — ".join(
            x for x in (label_of(who) if who else "", role_name, label_of(project) if project else "") if x
        )
        rows = [_row("organisations", label_of(who), who) if who else None, _row("role", role_name),
                _row("projects", label_of(project), project) if project else None]  # fmt: skip
    elif "Indicator" in types:
        title = views.fact_label(services, iri, "Indicator", lang)
        about = _one(out, COOPKG.about)
        if about:
            title += " — " + label_of(about)
        rows = [_row("value", views.fact_label(services, iri, "Indicator", lang)),
                _row("about", label_of(about), about) if about else None,
                _row("period", _one(out, COOPKG.period) or "")]  # fmt: skip
    elif "Annotation" in types or "Evidence" in types:
        body = _one(out, OA.hasBody)
        sources_of = body or iri
        if body:
            said = views.fact_label(services, body, _kind_of(triples, body), lang)
            title = i18n.words(lang)["evidence_of"].format(x=said)
            rows = [_row("states", said, body), _row("method", _one(out, COOPKG.method) or ""),
                    _row("confidence", _one(out, COOPKG.confidence) or "")]  # fmt: skip
    sources = views.in_sentences(services, services.catalogue.sources(sources_of))
    if sources_of != iri:
        sources = _only_this_evidence(services, sources, iri)
    type_names = [term_label(t, lang) for t in types if t not in {"Annotation"}]
    return {"title": title, "types": type_names, "rows": [r for r in rows if r], "sources": sources}


def _only_this_evidence(services: Services, sources: list[dict[str, Any]], iri: str) -> list[dict[str, Any]]:
    """Of a fact's quotes, the one a piece of evidence (``…/id/document/{id}/evidence/{hash}``) points at."""
    document = iri.split("/evidence/", 1)[0]
    graph = services.minter.document_graph(document.rsplit("/", 1)[-1]).value
    spans = {(e["start"], e["end"]) for e in services.catalogue.evidence_in(document, graph) if e["evidence"] == iri}
    kept = []
    for s in sources:
        evidence = [e for e in s["evidence"] if (e["start"], e["end"]) in spans and s["document"] == document]
        if evidence:
            kept.append({**s, "evidence": evidence})
    return kept or sources


def _kind_of(triples: list[Triple], iri: str) -> str:
    types = {local_name(t.object.value) for t in triples if t.subject.value == iri and t.predicate == RDF.type}
    return "Indicator" if "Indicator" in types else next(iter(sorted(types)), "")


def _row(key: str, text: str | None, href: str | None = None) -> dict[str, Any]:
    return {"key": key, "text": text or "", "href": href}


def _one(out: dict[str, list[Any]], predicate: NamedNode) -> str | None:
    values = out.get(predicate.value)
    return values[0].value if values else None


def _label(iri: str, triples: list[Triple], lang: str) -> str:
    """The label of ``iri`` in ``lang``: from the triples at hand, else the ontology, else its local name."""
    labels = {
        (t.object.language or ""): t.object.value
        for t in triples
        if t.subject == NamedNode(iri) and t.predicate in (SKOS.prefLabel, RDFS.label) and isinstance(t.object, Literal)
    } or ontology_labels().get(iri, {})
    for key in (lang, "fr", "en", "ar", ""):
        if key in labels:
            return labels[key]
    return local_name(iri) or iri


def data_page(
    request: Request, iri: str, triples: list[Triple], alternates: list[dict[str, str]], lang: str
) -> HTMLResponse:
    """Every triple about ``iri``: the linked-data view, property and class names in the reader's language."""
    node = NamedNode(iri)
    rows, incoming = [], []
    for t in triples:
        if t.subject == node:
            is_iri = isinstance(t.object, NamedNode)
            value = t.object.value if not isinstance(t.object, BlankNode) else "_:" + t.object.value
            literal_lang = t.object.language if isinstance(t.object, Literal) else None
            rows.append({"p": t.predicate.value, "p_label": _label(t.predicate.value, [], lang), "o": value,
                         "o_label": _label(value, triples, lang) if is_iri else value, "is_iri": is_iri,
                         "lang": literal_lang, "dir": "rtl" if literal_lang == "ar" else None})  # fmt: skip
        elif t.object == node and isinstance(t.subject, NamedNode):
            incoming.append({"s": t.subject.value, "s_label": _label(t.subject.value, triples, lang),
                             "p_label": _label(t.predicate.value, [], lang)})  # fmt: skip
    rows.sort(key=lambda r: (r["p"] != RDF.type.value, r["p_label"]))
    types = [{"iri": r["o"], "label": r["o_label"]} for r in rows if r["p"] == RDF.type.value]
    return page("resource.html", request, lang=lang, iri=iri, title=_label(iri, triples, lang), types=types,
                rows=rows, incoming=incoming[:200], alternates=alternates,
                reading_href=request.url.path)  # fmt: skip
