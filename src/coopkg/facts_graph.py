"""Read a document's named graph back into the ``coopkg extract`` JSON shape.

The inverse of :class:`coopkg.facts.GraphWriter`: what the API answers for a stored document
is exactly what was written, whatever the extractor does today.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from pyoxigraph import Literal, NamedNode, Triple

from coopkg.extract.gazetteer import ORGANISATION_CLASSES, REGION_CLASSES
from coopkg.terms import COOPKG, DCTERMS, OA, RDF, SKOS, local_name

_PROJECT_CLASSES = {"Project", "Programme", "PartnershipAgreement"}


class _Graph:
    def __init__(self, triples: list[Triple]) -> None:
        self.out: dict[str, dict[str, list[NamedNode | Literal]]] = defaultdict(lambda: defaultdict(list))
        for t in triples:
            self.out[t.subject.value][t.predicate.value].append(t.object)  # type: ignore[arg-type]

    def values(self, s: str, p: NamedNode) -> list[NamedNode | Literal]:
        return self.out.get(s, {}).get(p.value, [])

    def one(self, s: str, p: NamedNode) -> str | None:
        values = self.values(s, p)
        return values[0].value if values else None

    def types(self, s: str) -> set[str]:
        return {local_name(v.value) for v in self.values(s, RDF.type)}


def _number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() else value


def extraction_json(doc_iri: str, triples: list[Triple], context: list[Triple]) -> dict[str, Any]:
    graph, ref = _Graph(triples), _Graph(context + triples)
    language = graph.one(doc_iri, DCTERMS.language) or "fr"

    def evidence(fact: str) -> list[dict[str, Any]]:
        items = []
        for node in graph.values(fact, COOPKG.evidence):
            target = graph.one(node.value, OA.hasTarget) or ""
            quote = position = None
            for selector in graph.values(target, OA.hasSelector):
                kinds = graph.types(selector.value)
                if "TextQuoteSelector" in kinds:
                    quote = graph.one(selector.value, OA.exact)
                if "TextPositionSelector" in kinds:
                    position = selector.value
            items.append(
                {
                    "id": node.value,
                    "quote": quote,
                    "start": int(graph.one(position or "", OA.start) or 0),
                    "end": int(graph.one(position or "", OA.end) or 0),
                    "method": graph.one(node.value, COOPKG.method),
                    "confidence": float(graph.one(node.value, COOPKG.confidence) or 0),
                }
            )
        return sorted(items, key=lambda e: (e["start"], e["end"]))

    def labelled(iri: str) -> dict[str, Any]:
        prefs = {v.language: v.value for v in ref.values(iri, SKOS.prefLabel) if isinstance(v, Literal)}
        label = next((prefs[k] for k in (language, "fr", "en", "ar") if k in prefs), next(iter(prefs.values()), ""))
        alts = [v.value for v in ref.values(iri, SKOS.altLabel)]
        kinds = ref.types(iri)
        specific = sorted(kinds - {"Organisation", "Region", "Project"}) or sorted(kinds)
        return {
            "id": iri,
            "label": label,
            "altLabels": alts,
            "type": specific[0] if specific else "",
            "evidence": evidence(iri),
        }

    facts = [s for s in graph.out if graph.values(s, COOPKG.evidence)]
    body: dict[str, Any] = {
        "document": {
            "id": doc_iri,
            "source": graph.one(doc_iri, DCTERMS.source),
            "language": language,
            "title": graph.one(doc_iri, DCTERMS.title),
        },
        "organisations": [],
        "projects": [],
        "fundings": [],
        "regions": [],
        "indicators": [],
    }
    for fact in sorted(facts):
        kinds = ref.types(fact)
        if kinds & ORGANISATION_CLASSES:
            body["organisations"].append(labelled(fact))
        elif kinds & REGION_CLASSES:
            body["regions"].append(labelled(fact))
        elif kinds & _PROJECT_CLASSES:
            item = labelled(fact)
            participants = []
            for part in graph.values(fact, COOPKG.hasParticipation):
                role = graph.one(part.value, COOPKG.role) or ""
                participants.append(
                    {
                        "id": part.value,
                        "organisation": graph.one(part.value, COOPKG.participant),
                        "role": local_name(role).removesuffix("Role").lower(),
                    }
                )
            months = graph.one(fact, COOPKG.durationMonths)
            item.update(
                start=graph.one(fact, COOPKG.startDate),
                end=graph.one(fact, COOPKG.endDate),
                durationMonths=int(months) if months else None,
                regions=sorted(v.value for v in graph.values(fact, COOPKG.region)),
                participants=sorted(participants, key=lambda p: (p["organisation"] or "", p["role"])),
            )
            body["projects"].append(item)
        elif "Funding" in kinds:
            money = next(iter(graph.values(fact, COOPKG.amount)), None)
            amount = money.value if money is not None else None
            kind = graph.one(fact, COOPKG.fundingKind) or ""
            body["fundings"].append(
                {
                    "id": fact,
                    "funder": graph.one(fact, COOPKG.funder),
                    "funded": graph.one(fact, COOPKG.fundedItem),
                    "amount": _number(graph.one(amount, COOPKG.value) or "0") if amount else None,
                    "currency": graph.one(amount, COOPKG.currency) if amount else None,
                    "amountId": amount if isinstance(money, NamedNode) else None,
                    "kind": local_name(kind).removesuffix("Funding").lower() or "unspecified",
                    "evidence": evidence(fact),
                }
            )
        elif "Indicator" in kinds:
            unit = graph.one(fact, COOPKG.unit) or ""
            qualifier = graph.one(fact, COOPKG.qualifier)
            unit_labels = {v.language: v.value for v in ref.values(unit, SKOS.prefLabel) if isinstance(v, Literal)}
            body["indicators"].append(
                {
                    "id": fact,
                    "about": graph.one(fact, COOPKG.about),
                    "value": _number(graph.one(fact, COOPKG.value) or "0"),
                    "unit": graph.one(fact, COOPKG.unitLabel)
                    or next(
                        (unit_labels[k] for k in (language, "fr", "en", "ar") if k in unit_labels), local_name(unit)
                    ),
                    "unitId": unit,
                    "qualifier": _qualifier_name(qualifier),
                    "period": graph.one(fact, COOPKG.period),
                    "evidence": evidence(fact),
                }
            )
    return body


def _qualifier_name(iri: str | None) -> str | None:
    if not iri:
        return None
    name = local_name(iri)
    return "".join("-" + c.lower() if c.isupper() else c for c in name).lstrip("-")
