"""Last stage: the document's facts, with IRIs, as a :class:`coopkg.facts.Extraction`.

Reference entities keep their IRIs; new ones get IRIs from their normalised name (Arabic names
hashed), so the same name gives the same IRI in every document; fundings and indicators get IRIs
from a hash of their parts. Only entities with a mention in the text are kept.
"""

from __future__ import annotations

import re

from coopkg.extract.doc import ORGANISATION, REGION, Doc
from coopkg.facts import (
    DocumentInfo,
    Evidence,
    Extraction,
    Funding,
    Indicator,
    Organisation,
    Project,
    Region,
    Unit,
    fact_id,
)

_FILENAME_LINE = re.compile(r"^\S+\.(?:jpe?g|png|gif|webp|pdf|docx?)$", re.IGNORECASE)


def assemble(doc: Doc) -> Extraction:
    info = DocumentInfo(doc.doc_id, doc.minter.document(doc.doc_id).value, doc.source, doc.language,
                        doc.title or title(doc), doc.text)  # fmt: skip
    extraction = Extraction(info)
    evidence: dict[str, list[Evidence]] = {}
    for m in doc.mentions:
        if not m.anaphor and m.key:
            evidence.setdefault(m.key, []).append(doc.evidence(m.start, m.end, m.method, m.confidence))
    for key, entity in sorted(doc.entities.items()):
        if key not in evidence or entity.kind not in (ORGANISATION, REGION):
            continue
        cls = Organisation if entity.kind == ORGANISATION else Region
        fact = cls(iri(doc, key), label=entity.label, lang=entity.lang, type=entity.type, known=entity.known)
        for text, lang in entity.alt:
            fact.add_alt(text, lang)
        fact.add_evidence(*evidence[key])
        (extraction.organisations if entity.kind == ORGANISATION else extraction.regions).append(fact)
    for key in sorted(set(evidence) & set(doc.projects)):
        entity, facts = doc.entities[key], doc.projects[key]
        project = Project(iri(doc, key), label=entity.label, lang=entity.lang, type=entity.type, start=facts.start,
                          end=facts.end, duration_months=facts.months, regions=sorted(facts.regions))  # fmt: skip
        for text, lang in entity.alt:
            project.add_alt(text, lang)
        project.add_evidence(*evidence[key])
        for (org, role), items in sorted(facts.participants.items()):
            if org in evidence:
                project.add_participant(iri(doc, org), role, items)
        extraction.projects.append(project)
    for event in doc.fundings:
        if event.funder not in evidence or event.funded not in evidence:
            continue
        funder, funded = iri(doc, event.funder), iri(doc, event.funded)  # type: ignore[arg-type]
        value = event.amount.value if event.amount else None
        currency = event.amount.currency if event.amount else None
        funding = Funding(id=fact_id(doc.minter, "funding", funder, funded, value, currency), funder=funder,
                          funded=funded, amount=value, currency=currency, kind=event.kind)  # fmt: skip
        funding.add_evidence(*event.evidence)
        extraction.fundings.append(funding)
    for fact in doc.indicators:
        about = iri(doc, fact.about) if fact.about and fact.about in evidence else None
        indicator = Indicator(id=fact_id(doc.minter, "indicator", about, fact.value, fact.unit, fact.qualifier,
                                         doc.doc_id if about is None else ""),
                              about=about, value=fact.value, unit=fact.unit, qualifier=fact.qualifier,
                              unit_label=(fact.unit_label, doc.language) if fact.unit_label else None)  # fmt: skip
        indicator.add_evidence(*fact.evidence)
        extraction.indicators.append(indicator)
    extraction.units = sorted((Unit(id=u, label=label, lang=lang, known=known) for u, (label, lang, known)
                               in doc.units.items()), key=lambda u: u.id)  # fmt: skip
    _unique_ids(extraction)
    extraction.fundings.sort(key=lambda f: f.id)
    extraction.indicators.sort(key=lambda i: i.id)
    return extraction


def _unique_ids(extraction: Extraction) -> None:
    """Two facts with the same parts are one fact (a figure restated in two places)."""
    for name in ("fundings", "indicators"):
        merged: dict[str, Funding | Indicator] = {}
        for fact in getattr(extraction, name):
            if fact.id in merged:
                merged[fact.id].add_evidence(*fact.evidence)
            else:
                merged[fact.id] = fact
        setattr(extraction, name, list(merged.values()))


def iri(doc: Doc, key: str) -> str:
    if key.startswith("org:"):
        return doc.minter.entity("organisation", key[4:]).value
    if key.startswith("project:"):
        return doc.minter.entity("project", key[8:]).value
    return key


def title(doc: Doc) -> str | None:
    for para in doc.paragraphs:
        line = para.text.strip()
        if para.boilerplate or _FILENAME_LINE.match(line) or not line:
            continue
        if len(line) <= 160 and not line.endswith((".", ":", "،")):
            return line
        return None
    return None
