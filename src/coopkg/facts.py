"""The facts of one document: the extractor's output, its JSON contract and its RDF graph.

One model feeds both ``coopkg extract --format json`` and the named graph written to the
store, so the two never disagree.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pyoxigraph import Literal, NamedNode, Triple

from coopkg.iris import IriMinter, digest
from coopkg.langtags import language_tag
from coopkg.terms import (
    COOPKG,
    DCTERMS,
    OA,
    PROV,
    RDF,
    SKOS,
    XSD,
    funding_kind_concept,
    qualifier_concept,
    role_concept,
)

Terms = tuple[NamedNode, NamedNode, NamedNode | Literal]  # one triple's subject, predicate, object


def ntriples(terms: Iterable[Terms]) -> bytes:
    """The triples as N-Triples, what ``serialize`` would write for ``Triple(*t)`` of each.

    A term's ``str`` is its N-Triples form; a document's graph names a few hundred subjects and
    predicates thousands of times, so each distinct term is written once: a third cheaper than
    making a ``Triple`` per tuple for ``serialize``.
    """
    text: dict[NamedNode | Literal, str] = {}
    lines = []
    for s, p, o in terms:
        subject = text.get(s)
        if subject is None:
            subject = text[s] = str(s)
        predicate = text.get(p)
        if predicate is None:
            predicate = text[p] = str(p)
        lines.append(f"{subject} {predicate} {o} .\n")
    return "".join(lines).encode()


Label = tuple[str, str]  # (text, language)


@dataclass(frozen=True, order=True)
class Evidence:
    """One span of the document text that states a fact."""

    start: int
    end: int
    quote: str
    method: str = "rule"
    confidence: float = 0.9

    def to_json(self) -> dict[str, Any]:
        return {
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "method": self.method,
            "confidence": self.confidence,
        }


@dataclass
class Fact:
    id: str
    evidence: list[Evidence] = field(default_factory=list)

    def add_evidence(self, *items: Evidence) -> None:
        self.evidence = one_per_span([*self.evidence, *items])


def one_per_span(items: Iterable[Evidence]) -> list[Evidence]:
    """One piece of evidence per span: two rules that find a fact in the same words give one, the surer
    (an evidence node has one method and one confidence)."""
    kept: dict[tuple[int, int], Evidence] = {}
    for item in items:
        best = kept.get((item.start, item.end))
        if best is None or item.confidence > best.confidence:
            kept[(item.start, item.end)] = item
    return sorted(kept.values())


@dataclass
class Entity(Fact):
    """An organisation, project, region or unit: labelled; ``known`` ones come from the reference data."""

    label: str = ""
    lang: str = "fr"
    alt_labels: list[Label] = field(default_factory=list)
    type: str = ""
    known: bool = False

    def add_alt(self, text: str, lang: str) -> None:
        if text != self.label and (text, lang) not in self.alt_labels:
            self.alt_labels.append((text, lang))


@dataclass
class Organisation(Entity):
    type: str = "Organisation"

    def to_json(self) -> dict[str, Any]:
        return _entity_json(self)


@dataclass
class Region(Entity):
    type: str = "Region"

    def to_json(self) -> dict[str, Any]:
        return _entity_json(self)


@dataclass
class Participant:
    organisation: str
    role: str
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Project(Entity):
    type: str = "Project"
    start: str | None = None
    end: str | None = None
    duration_months: int | None = None
    regions: list[str] = field(default_factory=list)
    participants: list[Participant] = field(default_factory=list)

    def add_participant(self, organisation: str, role: str, evidence: list[Evidence]) -> None:
        for p in self.participants:
            if p.organisation == organisation and p.role == role:
                p.evidence = one_per_span([*p.evidence, *evidence])
                return
        self.participants.append(Participant(organisation, role, one_per_span(evidence)))

    def to_json(self) -> dict[str, Any]:
        body = _entity_json(self)
        body.update(
            start=self.start,
            end=self.end,
            durationMonths=self.duration_months,
            regions=list(self.regions),
            participants=[{"organisation": p.organisation, "role": p.role} for p in self.participants],
        )
        return body


@dataclass
class Funding(Fact):
    funder: str = ""
    funded: str = ""
    amount: Decimal | None = None
    currency: str | None = None
    kind: str = "unspecified"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "funder": self.funder,
            "funded": self.funded,
            "amount": None if self.amount is None else float(self.amount),
            "currency": self.currency,
            "kind": self.kind,
            "evidence": [e.to_json() for e in self.evidence],
        }


@dataclass
class Unit(Entity):
    type: str = "Unit"


@dataclass
class Indicator(Fact):
    about: str | None = None
    value: Decimal = Decimal(0)
    unit: str = ""
    qualifier: str | None = None
    period: str | None = None
    unit_label: Label | None = None  # the unit as the document words it: ("jeunes entrepreneurs", "fr")

    def to_json(self, unit_labels: dict[str, str]) -> dict[str, Any]:
        return {
            "id": self.id,
            "about": self.about,
            "value": float(self.value) if self.value != self.value.to_integral() else int(self.value),
            "unit": self.unit_label[0] if self.unit_label else unit_labels.get(self.unit, self.unit),
            "unitId": self.unit,
            "qualifier": self.qualifier,
            "period": self.period,
            "evidence": [e.to_json() for e in self.evidence],
        }


@dataclass
class DocumentInfo:
    id: str
    iri: str
    source: str
    language: str
    title: str | None
    text: str

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def to_json(self) -> dict[str, Any]:
        return {"id": self.iri, "source": self.source, "language": self.language, "title": self.title}


@dataclass
class Extraction:
    """Everything the pipeline found in one document."""

    document: DocumentInfo
    organisations: list[Organisation] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    fundings: list[Funding] = field(default_factory=list)
    regions: list[Region] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.organisations or self.projects or self.fundings or self.regions or self.indicators)

    def to_json(self) -> dict[str, Any]:
        unit_labels = {u.id: u.label for u in self.units}
        return {
            "document": self.document.to_json(),
            "organisations": [o.to_json() for o in self.organisations],
            "projects": [p.to_json() for p in self.projects],
            "fundings": [f.to_json() for f in self.fundings],
            "regions": [r.to_json() for r in self.regions],
            "indicators": [i.to_json(unit_labels) for i in self.indicators],
        }

    def summary(self) -> dict[str, int]:
        return {
            "organisations": len(self.organisations),
            "projects": len(self.projects),
            "fundings": len(self.fundings),
            "regions": len(self.regions),
            "indicators": len(self.indicators),
        }

    def to_triples(self, minter: IriMinter) -> list[Triple]:
        return GraphWriter(self, minter).triples()

    def to_terms(self, minter: IriMinter) -> list[Terms]:
        """:meth:`to_triples` as (subject, predicate, object) tuples, in the same order."""
        return GraphWriter(self, minter).terms()


def _entity_json(entity: Entity) -> dict[str, Any]:
    return {
        "id": entity.id,
        "label": entity.label,
        "altLabels": [text for text, _ in entity.alt_labels],
        "type": entity.type,
        "evidence": [e.to_json() for e in entity.evidence],
    }


def date_literal(value: str) -> Literal:
    """'2017' → xsd:gYear, '2017-08' → xsd:gYearMonth, '2017-08-01' → xsd:date."""
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}.get(len(value))
    if datatype is None:
        raise ValueError(f"not a date: {value!r}")
    return Literal(value, datatype=datatype)


def labelled(text: str, language: str) -> Literal:
    """A label as written to the graph: its tag follows the script of its letters (coopkg.langtags)."""
    return Literal(text, language=language_tag(text, language))


def decimal_literal(value: Decimal | float | int) -> Literal:
    text = format(Decimal(str(value)).normalize(), "f")
    return Literal(text, datatype=XSD.decimal)


class GraphWriter:
    """Turns an :class:`Extraction` into the triples of the document's named graph."""

    def __init__(self, extraction: Extraction, minter: IriMinter) -> None:
        self.x = extraction
        self.minter = minter
        self.doc = NamedNode(extraction.document.iri)
        # Kept as tuples: the validator indexes the terms themselves, and reading them back out of
        # Triple objects (a new Python object per term) cost more than making the triples.
        self.out: list[Terms] = []

    def add(self, s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> None:
        self.out.append((s, p, o))

    def triples(self) -> list[Triple]:
        return [Triple(s, p, o) for s, p, o in self.terms()]

    def terms(self) -> list[Terms]:
        self._document()
        for org in self.x.organisations:
            self._entity(org, COOPKG.term(org.type))
        for region in self.x.regions:
            self._entity(region, COOPKG.term(region.type))
        for unit in self.x.units:
            if not unit.known:
                node = NamedNode(unit.id)
                self.add(node, RDF.type, COOPKG.Unit)
                self.add(node, SKOS.prefLabel, labelled(unit.label, unit.lang))
        for project in self.x.projects:
            self._project(project)
        for funding in self.x.fundings:
            self._funding(funding)
        for indicator in self.x.indicators:
            self._indicator(indicator)
        # Deduplicate while keeping a stable order: identical input gives identical output.
        return list(dict.fromkeys(self.out))

    def _document(self) -> None:
        info = self.x.document
        self.add(self.doc, RDF.type, COOPKG.Document)
        self.add(self.doc, DCTERMS.identifier, Literal(info.id))
        self.add(self.doc, DCTERMS.language, Literal(info.language))
        self.add(self.doc, DCTERMS.source, Literal(info.source))
        if info.title:
            self.add(self.doc, DCTERMS.title, labelled(info.title, info.language))
        self.add(self.doc, COOPKG.text, Literal(info.text))
        self.add(self.doc, COOPKG.contentHash, Literal(info.content_hash))

    def _evidence(self, fact: NamedNode, items: list[Evidence], *, activity: bool = False) -> None:
        # PROV-O: an Entity is derived from the document; an Activity (a project) cannot be, its
        # description is influenced by it (Activity and Entity are disjoint).
        self.add(fact, PROV.wasInfluencedBy if activity else PROV.wasDerivedFrom, self.doc)
        text = self.x.document.text
        # One evidence node per span: two rules that find the same fact in the same words would
        # give one node two methods and two confidences; the surer one is kept.
        by_span: dict[tuple[int, int], Evidence] = {}
        for item in items:
            kept = by_span.get((item.start, item.end))
            if kept is None or item.confidence > kept.confidence:
                by_span[(item.start, item.end)] = item
        for item in by_span.values():
            node = self.minter.evidence(self.x.document.id, fact.value, item.start, item.end)
            target = NamedNode(node.value + "#target")
            quote = NamedNode(node.value + "#quote")
            position = NamedNode(node.value + "#position")
            self.add(fact, COOPKG.evidence, node)
            self.add(node, RDF.type, COOPKG.Evidence)
            self.add(node, OA.hasBody, fact)
            self.add(node, OA.hasTarget, target)
            self.add(node, COOPKG.method, Literal(item.method))
            self.add(node, COOPKG.confidence, decimal_literal(item.confidence))
            self.add(target, RDF.type, OA.SpecificResource)
            self.add(target, OA.hasSource, self.doc)
            self.add(target, OA.hasSelector, quote)
            self.add(target, OA.hasSelector, position)
            self.add(quote, RDF.type, OA.TextQuoteSelector)
            self.add(quote, OA.exact, Literal(item.quote))
            self.add(quote, OA.prefix, Literal(text[max(0, item.start - 32) : item.start]))
            self.add(quote, OA.suffix, Literal(text[item.end : item.end + 32]))
            self.add(position, RDF.type, OA.TextPositionSelector)
            # xsd:integer, not nonNegativeInteger: Oxigraph stores the derived type as xsd:integer.
            self.add(position, OA.start, Literal(str(item.start), datatype=XSD.integer))
            self.add(position, OA.end, Literal(str(item.end), datatype=XSD.integer))

    def _labels(self, node: NamedNode, entity: Entity) -> None:
        pref = labelled(entity.label, entity.lang)
        self.add(node, SKOS.prefLabel, pref)
        for text, lang in entity.alt_labels:
            alt = labelled(text, lang)
            if alt != pref:  # SKOS S13: a preferred label is not also an alternative one
                self.add(node, SKOS.altLabel, alt)

    def _entity(self, entity: Entity, cls: NamedNode) -> None:
        node = NamedNode(entity.id)
        if not entity.known:
            # Reference entities keep their description in the reference graph; a document adds only its evidence.
            self.add(node, RDF.type, cls)
            self._labels(node, entity)
        self._evidence(node, entity.evidence)

    def _project(self, project: Project) -> None:
        node = NamedNode(project.id)
        self.add(node, RDF.type, COOPKG.term(project.type))
        self._labels(node, project)
        if project.start:
            self.add(node, COOPKG.startDate, date_literal(project.start))
        if project.end:
            self.add(node, COOPKG.endDate, date_literal(project.end))
        if project.duration_months:
            self.add(node, COOPKG.durationMonths, Literal(str(project.duration_months), datatype=XSD.integer))
        for region in project.regions:
            self.add(node, COOPKG.region, NamedNode(region))
        self._evidence(node, project.evidence, activity=True)
        for p in project.participants:
            part = self.minter.hashed("participation", project.id, p.organisation, p.role)
            self.add(node, COOPKG.hasParticipation, part)
            self.add(part, RDF.type, COOPKG.Participation)
            self.add(part, COOPKG.participant, NamedNode(p.organisation))
            self.add(part, COOPKG.role, role_concept(p.role))
            self._evidence(part, p.evidence or project.evidence[:1])

    def _funding(self, funding: Funding) -> None:
        node = NamedNode(funding.id)
        funder, funded = NamedNode(funding.funder), NamedNode(funding.funded)
        self.add(node, RDF.type, COOPKG.Funding)
        self.add(node, COOPKG.funder, funder)
        self.add(node, COOPKG.fundedItem, funded)
        self.add(node, COOPKG.fundingKind, funding_kind_concept(funding.kind))
        self.add(funded, COOPKG.isFundedBy, funder)
        if funding.amount is not None and funding.currency:
            amount = NamedNode(funding.id + "#amount")
            self.add(node, COOPKG.amount, amount)
            self.add(amount, RDF.type, COOPKG.MonetaryAmount)
            self.add(amount, COOPKG.value, decimal_literal(funding.amount))
            self.add(amount, COOPKG.currency, Literal(funding.currency))
        self._evidence(node, funding.evidence)

    def _indicator(self, indicator: Indicator) -> None:
        node = NamedNode(indicator.id)
        self.add(node, RDF.type, COOPKG.Indicator)
        self.add(node, COOPKG.value, decimal_literal(indicator.value))
        self.add(node, COOPKG.unit, NamedNode(indicator.unit))
        if indicator.unit_label:
            self.add(node, COOPKG.unitLabel, labelled(*indicator.unit_label))
        if indicator.about:
            self.add(node, COOPKG.about, NamedNode(indicator.about))
        if indicator.qualifier:
            self.add(node, COOPKG.qualifier, qualifier_concept(indicator.qualifier))
        if indicator.period:
            self.add(node, COOPKG.period, date_literal(indicator.period))
        self._evidence(node, indicator.evidence)


def fact_id(minter: IriMinter, kind: str, *parts: object) -> str:
    return minter.entity(kind, digest(*parts)[:16]).value
