"""The document object every stage of the pipeline takes and returns.

It holds the text and what the stages found in it, in the order they find it: sentences
(segment), money, counts and dates (quantities), mentions of organisations, places and projects
(names, projects), the entities they refer to (coreference), funding events and relations
(fundings, relations, indicators). The last stage turns it into a :class:`coopkg.facts.Extraction`.
"""

from __future__ import annotations

import re
from bisect import insort
from dataclasses import dataclass, field
from decimal import Decimal

from coopkg.extract.dates import DateMention
from coopkg.extract.gazetteer import Entry, Gazetteer
from coopkg.extract.lexicon import Locale, locale
from coopkg.extract.numbers import Quantity
from coopkg.extract.text import Paragraph, Sentence
from coopkg.facts import Evidence
from coopkg.iris import IriMinter, slugify

ORGANISATION, REGION, PROJECT = "organisation", "region", "project"


@dataclass
class Mention:
    """A span of the text that names (or refers back to) an entity."""

    key: str  # a reference IRI, or "org:…", "project:…" for entities found in the text
    kind: str  # organisation, region, project
    start: int
    end: int
    sentence: int
    method: str
    confidence: float
    anaphor: bool = False


@dataclass
class Entity:
    """What the document says of one organisation, place or project."""

    key: str
    kind: str
    label: str
    lang: str
    type: str
    known: bool
    alt: list[tuple[str, str]] = field(default_factory=list)
    acronym: str | None = None
    country: str | None = None  # the state a government entity stands for (an ISO 3166-1 code)

    def also_named(self, name: str | None) -> None:
        """Add another name it goes by, in its language, unless it already has it."""
        if name and name != self.label and (name, self.lang) not in self.alt:
            self.alt.append((name, self.lang))


@dataclass
class ProjectFacts:
    participants: dict[tuple[str, str], list[Evidence]] = field(default_factory=dict)
    regions: dict[str, list[Evidence]] = field(default_factory=dict)
    start: str | None = None
    end: str | None = None
    months: int | None = None


@dataclass
class FundingEvent:
    """A financing act: who pays, for what or whom, how much, of which kind, where it is said."""

    funder: str
    funded: str | None
    recipient: str | None
    amount: Quantity | None
    kind: str
    evidence: list[Evidence]
    sentence: int


@dataclass
class IndicatorFact:
    about: str | None
    value: Decimal
    unit: str
    unit_label: str
    qualifier: str | None
    evidence: list[Evidence]


@dataclass
class Doc:
    text: str
    source: str
    doc_id: str
    title: str | None
    gazetteer: Gazetteer
    minter: IriMinter
    language: str = "und"
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    money: dict[int, list[Quantity]] = field(default_factory=dict)  # sentence index → amounts (document offsets)
    counts: dict[int, list[Quantity]] = field(default_factory=dict)  # sentence index → other numbers
    dates: dict[int, tuple[DateMention, ...]] = field(default_factory=dict)
    durations: dict[int, tuple[DateMention, ...]] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)
    projects: dict[str, ProjectFacts] = field(default_factory=dict)
    fundings: list[FundingEvent] = field(default_factory=list)
    indicators: list[IndicatorFact] = field(default_factory=list)
    units: dict[str, tuple[str, str, bool]] = field(default_factory=dict)  # IRI → (label, language, known)

    # -- language ---------------------------------------------------------------------------

    def lex(self, sentence: Sentence) -> Locale:
        return locale(sentence.language if sentence.language in ("fr", "ar", "en") else self.language)

    # -- entities ---------------------------------------------------------------------------

    def known(self, entry: Entry) -> Entity:
        entity = self.entities.get(entry.iri)
        if entity is None:
            label, lang = entry.label(self.language)
            entity = Entity(entry.iri, entry.kind, label, lang, entry.type, True)
            self.entities[entry.iri] = entity
        return entity

    def new_entity(
        self, kind: str, name: str, lang: str, etype: str, acronym: str | None = None, *, key: str | None = None
    ) -> Entity:
        """The entity a new name stands for: the one already named by the same acronym or key, or a new one."""
        canonical = clean_name(name)
        prefix = "org:" if kind == ORGANISATION else "project:"
        key = key or prefix + slugify(canonical if canonical else (acronym or name))
        for entity in self.entities.values():
            if entity.kind == kind and not entity.known and acronym and entity.acronym == acronym:
                if canonical and entity.label == entity.acronym:
                    entity.alt.append((entity.label, entity.lang))
                    entity.label = canonical
                return entity
        entity = self.entities.get(key)
        if entity is None:
            entity = Entity(key, kind, canonical or acronym or name, lang, etype, False, acronym=acronym)
            self.entities[key] = entity
        if acronym and acronym != entity.label and (acronym, lang) not in entity.alt:
            entity.alt.append((acronym, lang))
            entity.acronym = entity.acronym or acronym
        if kind == PROJECT:
            self.projects.setdefault(entity.key, ProjectFacts())
        return entity

    def mention(self, mention: Mention) -> None:
        """Add a mention, keeping them ordered by position."""
        insort(self.mentions, mention, key=lambda m: (m.start, -m.end))

    def overlapping(self, start: int, end: int, kinds: tuple[str, ...] = (ORGANISATION, PROJECT)) -> Mention | None:
        return next((m for m in self.mentions if m.kind in kinds and m.start < end and start < m.end), None)

    def in_sentence(self, sentence: Sentence, kind: str, *, named: bool = False) -> list[Mention]:
        return [
            m for m in self.mentions
            if m.kind == kind and sentence.start <= m.start < sentence.end and not (named and m.anaphor)
        ]  # fmt: skip

    def is_agreement(self, key: str) -> bool:
        entity = self.entities.get(key)
        return entity is not None and entity.type == "PartnershipAgreement"

    def is_state(self, key: str) -> bool:
        entity = self.entities.get(key)
        return entity is not None and entity.kind == REGION and entity.type == "Country"

    def entity_type(self, key: str) -> str:
        entity = self.entities.get(key)
        return entity.type if entity else ""

    # -- projects in context ----------------------------------------------------------------

    def salient_project(self) -> str | None:
        """The project the document is mostly about: the one named most often, first on ties."""
        named = [m for m in self.mentions if m.kind == PROJECT and not m.anaphor]
        if not named:
            return None
        counts: dict[str, int] = {}
        for m in named:
            counts[m.key] = counts.get(m.key, 0) + 1
        best = max(counts.values())
        return next(m.key for m in named if counts[m.key] == best)

    def current_project(self, position: int) -> str | None:
        """What 'ce programme' at ``position`` refers to: the last project named, else the main one."""
        previous = [m for m in self.mentions if m.kind == PROJECT and not m.anaphor and m.end <= position]
        return previous[-1].key if previous else self.salient_project()

    def resolve(self, mention: Mention) -> str | None:
        return self.current_project(mention.start) if mention.anaphor else mention.key

    def project_near(self, sentence: Sentence, position: int, *, before: bool = True) -> str | None:
        mentions = self.in_sentence(sentence, PROJECT)
        if before:
            prior = [m for m in mentions if m.end <= position]
            return self.resolve(max(prior, key=lambda m: m.end)) if prior else None
        later = [m for m in mentions if m.start >= position]
        return self.resolve(min(later, key=lambda m: m.start)) if later else None

    # -- evidence ---------------------------------------------------------------------------

    def evidence(self, start: int, end: int, method: str, confidence: float) -> Evidence:
        return Evidence(start, end, self.text[start:end], method, round(confidence, 2))

    def sentence_evidence(self, sentence: Sentence, method: str, confidence: float) -> Evidence:
        return self.evidence(sentence.start, sentence.end, method, confidence)

    def participate(self, project: str, organisation: str, role: str, evidence: Evidence) -> None:
        if project in self.projects and organisation in self.entities and project != organisation:
            self.projects[project].participants.setdefault((organisation, role), []).append(evidence)


def clean_name(name: str) -> str:
    name = re.sub(r"\s+", " ", name.replace("’", "'")).strip(' ,;:-–«»"“”')
    return re.sub(r"^(?:l'|la |le |les |the |d'|de la |du )", "", name, flags=re.IGNORECASE)


def capitalise(phrase: str) -> str:
    phrase = clean_name(phrase)
    return phrase[:1].upper() + phrase[1:] if phrase and not phrase[:1].isdigit() and phrase[:1].isalpha() else phrase
