"""The JSON-LD face of the JSON API: a context under which an answer means what the graph says.

An answer asked for as ``application/ld+json`` is its JSON, with a few keys added or retyped, and
``@context`` pointing at :data:`CONTEXT` (served at ``/api/context.jsonld``). Expanded, it gives
only triples the graph holds about the same resources, with the same IRIs, datatypes and language
tags (tests/test_jsonld.py checks every answer against ``/sparql``). How:

* Keys that are conveniences of the JSON, not statements of the graph (a label chosen for one
  language, the counts of a page, a year taken from a date, the quotes grouped by document) are
  mapped to ``null``: JSON-LD processors drop them. There is no ``@vocab``: a key the context
  does not name means nothing either, so no term is invented.
* IRIs are ``@type: @id``; the controlled values (``kind``, ``role``, ``qualifier``) are
  ``@type: @vocab`` with scoped contexts naming their concepts; ``type`` values are class terms.
* ``labels`` is a ``@language`` map of ``skos:prefLabel``; the face adds ``altLabelsByLanguage``.
* Decimals are strings with ``@type: xsd:decimal`` (a JSON number with a fraction would turn
  into an ``xsd:double`` lexical form); dates are value objects with their own type (``xsd:date``,
  ``xsd:gYearMonth`` or ``xsd:gYear``, as precise as the source).
* The nodes the JSON flattens get their IRIs: ``monetaryAmount`` (the ``coopkg:MonetaryAmount``
  of a funding), participations, and ``evidence`` (each fact's annotations, dereferenceable down
  to the quote and its offsets).
* Nested answers use ``@reverse`` (an organisation's fundings, a project's indicators) and
  ``@included`` (the facts of a document).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from coopkg.langtags import language_tag
from coopkg.terms import ORGANISATION_TYPES, QUALIFIERS, REGION_TYPES, qualifier_concept

COOPKG = "https://w3id.org/coopkg/ontology#"
PROJECT_TYPES = ("Project", "Programme", "PartnershipAgreement")
_DATE_TYPES = {4: "xsd:gYear", 7: "xsd:gYearMonth", 10: "xsd:date"}

Body = dict[str, Any]
Face = Callable[[Body], Body]


def _organisation_context() -> dict[str, Any]:
    """An organisation's answer: its fundings and its parts in projects, seen from its side."""
    return {
        "fundingsGiven": {"@reverse": "coopkg:funder"},
        "fundingsReceived": {"@reverse": "coopkg:fundedItem"},
        "projects": {"@reverse": "coopkg:participant",
                     "@context": {"project": {"@reverse": "coopkg:hasParticipation", "@type": "@id"}}},
        # Computed from its projects and fundings (the explorer's view): no statement about it.
        "regions": None, "period": None,
    }  # fmt: skip


def _project_context() -> dict[str, Any]:
    """A project's answer: its fundings and indicators point at it; its regions are its own."""
    return {
        "fundings": {"@reverse": "coopkg:fundedItem"},
        "indicators": {"@reverse": "coopkg:about"},
        "regions": {"@id": "coopkg:region", "@type": "@id"},
    }


def _class_terms() -> dict[str, Any]:
    """A term per class, with a type-scoped context where a class's answers use keys their own way."""
    scoped: dict[str, dict[str, Any]] = {"Funding": {"labels": None}, "Indicator": {"labels": None},
                                         "Document": {"labels": None}}  # fmt: skip
    scoped |= {name: _organisation_context() for name in ORGANISATION_TYPES}
    scoped |= {name: _project_context() for name in PROJECT_TYPES}
    names = (*ORGANISATION_TYPES, *REGION_TYPES, *PROJECT_TYPES, "Funding", "Indicator", "Document", "Unit")
    return {
        name: {"@id": f"coopkg:{name}", "@context": scoped[name]} if name in scoped else f"coopkg:{name}"
        for name in names
    }


CONTEXT: dict[str, Any] = {
    "@context": {
        "@version": 1.1,
        "coopkg": COOPKG,
        "skos": "http://www.w3.org/2004/02/skos/core#",
        "oa": "http://www.w3.org/ns/oa#",
        "dcterms": "http://purl.org/dc/terms/",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
        "id": "@id",
        "type": "@type",
        "items": "@graph",
        # The facts of a document: nodes of their own, not properties of the answer.
        "document": "@included",
        "organisations": "@included",
        "projects": "@included",
        "fundings": "@included",
        "regions": "@included",
        "indicators": "@included",
        "labels": {"@id": "skos:prefLabel", "@container": "@language"},
        "altLabelsByLanguage": {"@id": "skos:altLabel", "@container": "@language"},
        "evidence": {"@id": "coopkg:evidence", "@type": "@id", "@context": {
            "method": "coopkg:method",
            "confidence": {"@id": "coopkg:confidence", "@type": "xsd:decimal"},
            "quote": None, "start": None, "end": None,
        }},
        "funder": {"@id": "coopkg:funder", "@type": "@id"},
        "funded": {"@id": "coopkg:fundedItem", "@type": "@id"},
        "funders": {"@id": "coopkg:isFundedBy", "@type": "@id"},
        "monetaryAmount": {"@id": "coopkg:amount", "@type": "@id", "@context": {
            "value": {"@id": "coopkg:value", "@type": "xsd:decimal"},
            "currency": "coopkg:currency",
        }},
        "kind": {"@id": "coopkg:fundingKind", "@type": "@vocab", "@context": {
            "grant": "coopkg:GrantFunding", "loan": "coopkg:LoanFunding", "unspecified": "coopkg:UnspecifiedFunding",
        }},
        "start": "coopkg:startDate",
        "end": "coopkg:endDate",
        "period": "coopkg:period",
        "durationMonths": {"@id": "coopkg:durationMonths", "@type": "xsd:integer"},
        "participants": {"@id": "coopkg:hasParticipation", "@type": "@id", "@context": {
            "organisation": {"@id": "coopkg:participant", "@type": "@id"},
        }},
        "role": {"@id": "coopkg:role", "@type": "@vocab", "@context": {
            r: f"coopkg:{r.capitalize()}Role"
            for r in ("funder", "lead", "extending", "implementer", "partner", "beneficiary")
        }},
        "about": {"@id": "coopkg:about", "@type": "@id"},
        "value": {"@id": "coopkg:value", "@type": "xsd:decimal"},
        "unitId": {"@id": "coopkg:unit", "@type": "@id"},
        "qualifier": {"@id": "coopkg:qualifier", "@type": "@vocab", "@context": {
            q: f"coopkg:{qualifier_concept(q).value.rsplit('#', 1)[1]}" for q in QUALIFIERS
        }},
        "isoCode": "coopkg:isoCode",
        "broader": {"@id": "skos:broader", "@type": "@id"},
        "identifier": "dcterms:identifier",
        "source": "dcterms:source",
        "language": "dcterms:language",
        "title": "dcterms:title",
        **_class_terms(),
        # Conveniences of the JSON: no statement of the graph.
        **dict.fromkeys(("label", "altLabels", "sources", "amount", "currency", "amountId", "year", "date",
                         "unit", "partners", "facts", "url", "warnings", "total", "limit", "offset"), None),
        # What the explorer computes (coopkg.views): names in one language, sums, counts, neighbours.
        **dict.fromkeys(("typeLabel", "roleLabel", "countries", "facets", "facetsLeftOut", "totals", "totalsGiven",
                         "totalsReceived", "amountNotStated", "numeric", "narrower", "places"), None),
    }
}  # fmt: skip

_CLASSES = {name for name, term in CONTEXT["@context"].items() if name[:1].isupper()}


def decimal_text(value: float | int | Decimal) -> str:
    """A number as the graph writes it (coopkg.facts.decimal_literal): canonical, no exponent."""
    return format(Decimal(str(value)).normalize(), "f")


def date_value(text: str | None) -> dict[str, str] | None:
    """A date as precise as its source, with that precision's type (the JSON has the text only)."""
    if not text or len(text) not in _DATE_TYPES:
        return None
    return {"@value": text, "@type": _DATE_TYPES[len(text)]}


# -- faces: one per kind of item; pages and nested answers are made of them ----------------------------


def _evidence_of(item: Body) -> list[dict[str, str]]:
    """The annotations behind an item's quotes (sources) or its own evidence list (a document's facts)."""
    ids = [e["id"] for s in item.get("sources") or [] for e in s.get("evidence", []) if e.get("id")]
    return [{"id": i} for i in dict.fromkeys(ids)]


def _common(item: Body, default_type: str | None = None) -> Body:
    out = copy.deepcopy(item)
    kind = out.get("type") or default_type
    if kind in _CLASSES:
        out["type"] = kind
    else:
        out.pop("type", None)  # an unknown class would be resolved against the document's address
    if "labels" in out:
        out["labels"] = {lang: text for lang, text in out["labels"].items() if lang}
    if "sources" in out:
        out["evidence"] = _evidence_of(item)
    elif "evidence" in out:
        out["evidence"] = [_annotation(e) for e in out["evidence"] if e.get("id")]
    return out


def _annotation(evidence: Body) -> Body:
    out = {"id": evidence["id"], "method": evidence.get("method")}
    if evidence.get("confidence") is not None:
        out["confidence"] = decimal_text(evidence["confidence"])
    return {k: v for k, v in out.items() if v is not None}


def entity(item: Body) -> Body:
    """An organisation, project, region or unit."""
    out = _common(item)
    for key in ("start", "end"):
        if key in out:
            out[key] = date_value(out[key])
    if "participants" in out:
        out["participants"] = [dict(p) for p in out["participants"] if p.get("id")]
    if "fundings" in out and isinstance(out["fundings"], list):
        out["fundings"] = [funding(f) for f in item["fundings"]]
    if "indicators" in out:
        out["indicators"] = [indicator(i) for i in item["indicators"]]
    for key in ("fundingsGiven", "fundingsReceived"):
        if key in out:
            out[key] = [funding(f) for f in item[key]]
    if "projects" in out:
        out["projects"] = [dict(p) for p in out["projects"] if p.get("id")]
    return {k: v for k, v in out.items() if v is not None}


def funding(item: Body) -> Body:
    out = _common(item, "Funding")
    if item.get("amountId") and item.get("amount") is not None:
        out["monetaryAmount"] = {
            "id": item["amountId"],
            "value": decimal_text(item["amount"]),
            **({"currency": item["currency"]} if item.get("currency") else {}),
        }
    return out


def indicator(item: Body) -> Body:
    out = _common(item, "Indicator")
    out["value"] = decimal_text(item["value"])
    if "period" in out:
        out["period"] = date_value(out["period"])
    return {k: v for k, v in out.items() if v is not None}


def document(item: Body) -> Body:
    """A document as listed (``/api/documents``) or as the head of its facts."""
    out = _common(item, "Document")
    if out.get("title"):
        language = out.get("language") or ""
        out["title"] = {"@value": out["title"], "@language": language_tag(out["title"], language)}
    return {k: v for k, v in out.items() if v is not None}


def page(face: Face) -> Face:
    """A list answer: its items, each with ``face``."""

    def paged(body: Body) -> Body:
        return {**body, "items": [face(i) for i in body["items"]]}

    return paged


def extraction(body: Body) -> Body:
    """A document's facts (the ``coopkg extract`` JSON read back from its graph)."""
    return {
        **body,
        "document": document(body["document"]),
        "organisations": [entity(o) for o in body["organisations"]],
        "projects": [entity(p) for p in body["projects"]],
        "fundings": [funding(f) for f in body["fundings"]],
        "regions": [entity(r) for r in body["regions"]],
        "indicators": [indicator(i) for i in body["indicators"]],
    }
