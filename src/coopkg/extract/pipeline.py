"""The extraction pipeline: one document's text in, its evidenced facts out.

Stages, in order: segmentation and language (text), entity mentions (gazetteer, new
organisations, projects, agreements), then sentence-level facts (fundings, roles, periods,
places, indicators), then identity (IRIs) and the :class:`~coopkg.facts.Extraction`.
The language-specific phrasing lives in :mod:`coopkg.extract.languages`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from coopkg.errors import DocumentError
from coopkg.extract.dates import DateMention, find_dates, find_durations, months_between
from coopkg.extract.gazetteer import Entry, Gazetteer, unit_stems
from coopkg.extract.languages import Lexicon, lexicon
from coopkg.extract.numbers import Quantity, find_quantities, qualifier_before
from coopkg.extract.reader import read_path
from coopkg.extract.text import (
    Sentence,
    Token,
    detect_language,
    fold,
    is_arabic,
    key_form,
    match_forms,
    paragraphs,
    sentences,
    tokenize,
)
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
from coopkg.iris import IriMinter, document_id_for, slugify
from coopkg.reference import reference_triples

SUPPORTED_LANGUAGES = ("fr", "ar", "en")


@dataclass
class Mention:
    key: str  # entity key: a reference IRI, or "org:…", "project:…"
    kind: str  # organisation, region, project
    start: int
    end: int
    sentence: int
    method: str
    confidence: float
    anaphor: bool = False


@dataclass
class EntityState:
    key: str
    kind: str
    label: str
    lang: str
    type: str
    known: bool
    alt: list[tuple[str, str]] = field(default_factory=list)
    acronym: str | None = None


@dataclass
class ProjectState:
    start: str | None = None
    end: str | None = None
    months: int | None = None
    regions: dict[str, list[Evidence]] = field(default_factory=dict)
    participants: dict[tuple[str, str], list[Evidence]] = field(default_factory=dict)


_QUOTED = re.compile(r"[«“\"]\s*(?P<name>[^»”\"\n]{3,160}?)\s*[»”\"]")
_ACRONYM = r"[A-Z][A-Za-z0-9]*[A-Z0-9](?:[-/][A-Za-z0-9]+)*"
_FUNCTION_WORDS = {
    "de", "du", "des", "la", "le", "les", "l", "d", "et", "pour", "en", "a", "au", "aux", "sur", "of", "the",
    "and", "for", "in", "on", "to",
}  # fmt: skip
_ACTION_NOUNS = (
    r"construction|création|mise\s+en\s+place|réhabilitation|extension|renforcement|modernisation|aménagement|"
    r"réalisation|building|establishment|rehabilitation|expansion|upgrading|بناء|إحداث|احداث|إنشاء|انشاء|تأهيل|تاهيل|"
    r"تطوير|تعزيز|تشييد"
)
_FILENAME_LINE = re.compile(r"^\S+\.(?:jpe?g|png|gif|webp|pdf|docx?)$", re.IGNORECASE)


class Extractor:
    """Reusable: load the gazetteer once, then extract many documents."""

    def __init__(self, gazetteer: Gazetteer, minter: IriMinter) -> None:
        self.gazetteer = gazetteer
        self.minter = minter

    @classmethod
    def from_reference(cls, minter: IriMinter) -> Extractor:
        return cls(Gazetteer.from_triples(reference_triples(minter)), minter)

    def extract_path(self, path: Path, *, doc_id: str | None = None, max_bytes: int = 5_000_000) -> Extraction:
        source = read_path(path, max_bytes)
        return self.extract_text(
            source.text, source=path.name, doc_id=doc_id or document_id_for(path.name), title=source.title
        )

    def extract_text(self, text: str, *, source: str, doc_id: str, title: str | None = None) -> Extraction:
        return _Run(self, text, source, doc_id, title).extract()


class _Run:
    """The state of one document's extraction."""

    def __init__(self, extractor: Extractor, text: str, source: str, doc_id: str, title: str | None) -> None:
        self.gz = extractor.gazetteer
        self.minter = extractor.minter
        self.text = text
        self.source = source
        self.doc_id = doc_id
        self.title = title
        self.paras = paragraphs(text)
        self.language = _document_language(self.paras)
        if self.language not in SUPPORTED_LANGUAGES:
            name = {"und": "an undetermined language"}.get(self.language, f"'{self.language}'")
            raise DocumentError(f"{source}: written in {name}; coopkg reads French, Arabic and English")
        self.sentences = [s for s in sentences(text, self.paras) if not s.boilerplate]
        self.mentions: list[Mention] = []
        self.entities: dict[str, EntityState] = {}
        self.projects: dict[str, ProjectState] = {}
        self.fundings: dict[tuple[str, str, Decimal | None, str | None], Funding] = {}
        self.indicators: dict[tuple[object, ...], Indicator] = {}
        self.units: dict[str, Unit] = {}
        self._memo: dict[tuple[str, int], object] = {}

    def _dates(self, sentence: Sentence) -> tuple[DateMention, ...]:
        return self._cached("dates", sentence, lambda: find_dates(sentence.text))  # type: ignore[return-value]

    def _durations(self, sentence: Sentence) -> tuple[DateMention, ...]:
        return self._cached("durations", sentence, lambda: find_durations(sentence.text))  # type: ignore[return-value]

    def _quantities(self, sentence: Sentence) -> tuple[Quantity, ...]:
        return self._cached("quantities", sentence, lambda: find_quantities(sentence.text, sentence.language))  # type: ignore[return-value]

    def _cached(self, name: str, sentence: Sentence, compute: Callable[[], object]) -> object:
        key = (name, sentence.start)
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    # -- driver --------------------------------------------------------------------------

    def extract(self) -> Extraction:
        for index, sentence in enumerate(self.sentences):
            self._gazetteer_mentions(index, sentence)
            self._new_organisations(index, sentence)
            if sentence.language == "en":
                self._english_tail_head_organisations(index, sentence)
        self._acronym_mentions()
        self._short_references()
        self._drop_places_inside_names()
        for index, sentence in enumerate(self.sentences):
            self._named_projects(index, sentence)
        self._project_aliases()
        for index, sentence in enumerate(self.sentences):
            self._agreements(index, sentence)
        for index, sentence in enumerate(self.sentences):
            self._project_anaphora(index, sentence)
        self.mentions.sort(key=lambda m: (m.start, -m.end))
        for index, sentence in enumerate(self.sentences):
            lex = lexicon(sentence.language)
            self._fundings(index, sentence, lex)
            self._roles(index, sentence, lex)
            self._periods(index, sentence, lex)
            self._places(index, sentence, lex)
            self._indicators(index, sentence, lex)
        return self._build()

    # -- entity mentions -------------------------------------------------------------------

    def _known(self, entry: Entry) -> EntityState:
        state = self.entities.get(entry.iri)
        if state is None:
            label, lang = entry.label(self.language)
            state = EntityState(entry.iri, entry.kind, label, lang, entry.type, True)
            self.entities[entry.iri] = state
        return state

    def _gazetteer_mentions(self, index: int, sentence: Sentence) -> None:
        for match in self.gz.find(sentence.tokens):
            self._known(match.entry)
            acronym = match.last_token - match.first_token == 1 and sentence.tokens[match.first_token].is_upper
            self.mentions.append(
                Mention(
                    match.entry.iri,
                    match.entry.kind,
                    match.start,
                    match.end,
                    index,
                    "gazetteer-acronym" if acronym else "gazetteer",
                    0.9 if acronym else 0.95,
                )
            )

    def _overlaps(self, start: int, end: int, kinds: tuple[str, ...] = ("organisation", "project")) -> Mention | None:
        for m in self.mentions:
            if m.kind in kinds and m.start < end and start < m.end:
                return m
        return None

    def _new_entity(
        self, kind: str, name: str, lang: str, etype: str, acronym: str | None, *, key: str | None = None
    ) -> EntityState:
        canonical = _clean_name(name)
        prefix = "org:" if kind == "organisation" else "project:"
        key = key or prefix + slugify(canonical if canonical else (acronym or name))
        # An acronym introduced with its full name elsewhere in the text is the same entity.
        for state in self.entities.values():
            if state.kind == kind and not state.known and acronym and state.acronym == acronym:
                if canonical and state.label == state.acronym:
                    state.alt.append((state.label, state.lang))
                    state.label = canonical
                return state
        state = self.entities.get(key)
        if state is None:
            state = EntityState(key, kind, canonical or acronym or name, lang, etype, False, acronym=acronym)
            self.entities[key] = state
        if acronym and acronym != state.label and (acronym, lang) not in state.alt:
            state.alt.append((acronym, lang))
            state.acronym = state.acronym or acronym
        return state

    def _new_organisations(self, index: int, sentence: Sentence) -> None:
        lex = lexicon(sentence.language)
        if sentence.language == "ar":
            self._new_arabic_organisations(index, sentence, lex)
            return
        text = sentence.text
        heads = {fold(h) for h in lex.organisation_heads}
        # "Full Name (ACR)": the acronym's letters follow the initials of the name.
        for match in re.finditer(rf"\((?P<acr>{_ACRONYM})\)", text):
            acronym = match.group("acr")
            abs_start = sentence.start + match.start()
            tokens = [t for t in sentence.tokens if t.end <= abs_start][-14:]
            found = _name_before_acronym(tokens, acronym, heads)
            if found is None:
                continue
            first, last = found
            start, end = first.start, last.end
            if self._overlaps(start, end, ("organisation",)):
                continue
            window = [t for t in tokens if start <= t.start and t.end <= end]
            content = [t for t in window if fold(t.text) not in _FUNCTION_WORDS]
            if content and (
                re.fullmatch(lex.project_nouns, content[0].text, re.IGNORECASE)
                or re.fullmatch(lex.project_nouns, content[-1].text, re.IGNORECASE)
            ):
                # "le projet d'Appui à l'Employabilité des Jeunes (PAEJ)", "the Youth Skills for Employment
                # Activity (YSEA)": a project, not an organisation.
                if re.fullmatch(lex.project_nouns, content[-1].text, re.IGNORECASE):
                    self._add_project(
                        index, sentence, self.text[start:end], start, end, acronym, "pattern:project-acronym", 0.8
                    )
                continue
            name = self.text[start:end]
            state = self._new_entity("organisation", name, sentence.language, _org_type(name), acronym)
            self.mentions.append(Mention(state.key, "organisation", start, end, index, "pattern:name-acronym", 0.85))
            self.mentions.append(
                Mention(
                    state.key,
                    "organisation",
                    abs_start + 1,
                    abs_start + 1 + len(acronym),
                    index,
                    "pattern:name-acronym",
                    0.85,
                )
            )
        # "la Direction Nationale de la Formation Professionnelle": a capitalised head word and more capitals.
        tokens = sentence.tokens
        i = 0
        while i < len(tokens):
            token = tokens[i]
            # "the World Bank's Board of Directors" is the Bank; "Jordan's Ministry of Labour" is a ministry.
            possessive = self.text[max(0, token.start - 3) : token.start] in {"'s ", "’s "} and any(
                m.kind == "organisation" and m.end == token.start - 3 for m in self.mentions
            )
            if fold(token.text) in heads and token.is_capitalised and not _is_plural(token.text) and not possessive:
                j, content = i + 1, 1
                last = cut = i
                cut_content = 1
                ministry = fold(token.text) in {"ministere", "ministry"}
                while j < len(tokens):
                    gap = self.text[tokens[j - 1].end : tokens[j].start]
                    listing = ministry and gap.strip() == "," and tokens[j].is_capitalised
                    if (any(c in gap for c in ',;:()«»"“”.') and not listing) or gap.count(" ") > 1:
                        break  # a ministry's name may list its remits: "Ministry of Training, Apprenticeship and …"
                    word = tokens[j]
                    if j == i + 1 and _ADJECTIVE.fullmatch(word.text):
                        j += 1  # "Conseil régional de Béni Mellal-Khénifra", "Agence nationale de …"
                        continue
                    if re.fullmatch(lex.project_nouns, word.text, re.IGNORECASE):
                        # "Ministry of Employment for the Youth Inclusion Project": the project is not in the name.
                        last, content = cut, cut_content
                        break
                    if word.is_capitalised or (word.text.isdigit() and content > 1):
                        content += 1
                        last = j
                    elif fold(word.text) in _FUNCTION_WORDS:
                        if last == j - 1:
                            cut, cut_content = last, content
                    else:
                        break
                    j += 1
                if content >= 2:
                    start, end = token.start, tokens[last].end
                    if not self._overlaps(start, end) and not self._is_project_context(sentence, start, lex):
                        name = self.text[start:end]
                        state = self._new_entity("organisation", name, sentence.language, _org_type(name), None)
                        self.mentions.append(
                            Mention(state.key, "organisation", start, end, index, "pattern:head-word", 0.65)
                        )
                    i = last + 1
                    continue
            i += 1

    def _english_tail_head_organisations(self, index: int, sentence: Sentence) -> None:
        """ "the West African Development Bank": capitalised words ending with a head noun; a longer name
        replaces a shorter reference one inside it (the African Development Bank)."""
        for match in _EN_TAIL_ORG.finditer(sentence.text):
            start, end = sentence.start + match.start("name"), sentence.start + match.end("name")
            inside = [m for m in self.mentions if m.kind == "organisation" and start <= m.start and m.end <= end]
            if any(m.start == start and m.end == end for m in inside) or self._overlaps(start, end, ("project",)):
                continue
            if any(
                m.kind == "organisation" and m.start < end and start < m.end and m not in inside for m in self.mentions
            ):
                continue
            self.mentions = [m for m in self.mentions if m not in inside]
            name = self.text[start:end]
            state = self._new_entity("organisation", name, "en", _org_type(name.split()[-1]), self._acronym_after(end))
            self.mentions.append(Mention(state.key, "organisation", start, end, index, "pattern:tail-head", 0.7))

    def _is_project_context(self, sentence: Sentence, start: int, lex: Lexicon) -> bool:
        before = self.text[max(sentence.start, start - 25) : start]
        return bool(re.search(rf"(?:{lex.project_nouns})\s*[«\"“]?\s*$", before, re.IGNORECASE))

    def _new_arabic_organisations(self, index: int, sentence: Sentence, lex: Lexicon) -> None:
        tokens = sentence.tokens
        heads = _arabic_heads(lex)
        i = 0
        while i < len(tokens):
            candidates = [h for form in match_forms(tokens[i].text) for h in heads.get(form, ())]
            head = next((h for h in candidates if _arabic_head_at(tokens, i, h)), None)
            if head is None:
                i += 1
                continue
            j = i + len(head)
            if j < len(tokens) and fold(tokens[j].text).startswith("و") and not fold(tokens[j].text).startswith("وال"):
                i += 1  # "المؤسسة وسلسلة الابتكار": another noun coordinated to the head, not a name
                continue
            starts = {m.start for m in self.mentions if m.kind == "organisation"}
            while j < len(tokens) and j - i < 8:
                if self.text[tokens[j - 1].end : tokens[j].start].strip() or tokens[j].start in starts:
                    break  # punctuation, or another organisation's name ("الحكومة الألمانية والاتحاد الأوروبي")
                if _arabic_attribute(tokens[j].text):
                    j += 1
                elif (
                    fold(tokens[j].text).startswith("و")
                    and j + 1 < len(tokens)
                    and _arabic_attribute(tokens[j + 1].text)
                    and not self.text[tokens[j].end : tokens[j + 1].start].strip()
                ):
                    j += 2  # "مكتب التكوين المهني وإنعاش الشغل": a coordinated noun inside the name
                else:
                    break
            acronym = None
            tail = self.text[tokens[j - 1].end : tokens[j - 1].end + 16] if j > i else ""
            acr_match = re.match(rf"\s*\(?\s*({_ACRONYM})\s*\)?", tail)
            if acr_match:
                acronym = acr_match.group(1)
            attributes = j - i - len(head) + (len(head) - 1)
            place = next((m for m in self.mentions if m.kind == "region" and m.start == tokens[j - 1].end + 1), None)
            key = None
            if place is not None:  # "مجلس جهة سوس ماسة", "مدينة المهن والكفاءات بتامسنا"
                attributes += 1
                # "مدينة المهن والكفاءات بتامسنا" / "بتماسنا": one institution, whatever the place's spelling.
                words = [*head, *(key_form(t.text) for t in tokens[i + len(head) : j])]
                key = "org:" + slugify(" ".join(words)) + "-" + slugify(place.key.rsplit("/", 1)[-1])
                j = next((k for k, t in enumerate(tokens) if t.end == place.end), j - 1) + 1
            # "الحكومة الألمانية", "السفارة الفرنسية": one adjective makes a name for these heads.
            single = head[0] in {"حكومه", "سفاره"}
            if attributes >= 2 or (attributes >= 1 and (acronym or single or place is not None)):
                start = tokens[i].start + (
                    1 if fold(tokens[i].text)[:1] in "وفبلك" and not fold(tokens[i].text).startswith(head[0][:1]) else 0
                )
                end = tokens[j - 1].end
                if not self._overlaps(start, end) and not self._is_project_context(sentence, start, lex):
                    name = self.text[start:end]
                    state = self._new_entity("organisation", name, "ar", _org_type(name), acronym, key=key)
                    self.mentions.append(
                        Mention(state.key, "organisation", start, end, index, "pattern:ar-head-word", 0.6)
                    )
                i = j
                continue
            i += 1

    def _acronym_mentions(self) -> None:
        """Bare uses of acronyms learnt from "Full Name (ACR)", and unknown acronyms listed among organisations."""
        acronyms = {
            s.acronym: s for s in self.entities.values() if s.acronym and not s.known and s.kind == "organisation"
        }
        for index, sentence in enumerate(self.sentences):
            for token in sentence.tokens:
                state = acronyms.get(token.text)
                if state is not None and not self._overlaps(token.start, token.end, ("organisation",)):
                    self.mentions.append(
                        Mention(state.key, "organisation", token.start, token.end, index, "pattern:acronym", 0.8)
                    )
            self._listed_acronyms(index, sentence)

    def _short_references(self) -> None:
        """'la Banque' … no; 'الوكالة اليابانية' after 'الوكالة اليابانية للتعاون الدولي': the first words of a
        longer name used in the same document (at least two words, one meaning only)."""
        prefixes: dict[tuple[str, ...], set[str]] = {}
        for m in self.mentions:
            if m.kind != "organisation":
                continue
            keys = tuple(key_form(t.text) for t in tokenize(self.text[m.start : m.end]))
            for size in range(2, len(keys)):
                prefixes.setdefault(keys[:size], set()).add(m.key)
        unique = {k: next(iter(v)) for k, v in prefixes.items() if len(v) == 1}
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for key in sorted(unique, key=len, reverse=True):
            by_first.setdefault(key[0], []).append(key)
        for index, sentence in enumerate(self.sentences):
            toks = sentence.tokens
            keys = [key_form(t.text) for t in toks]
            i = 0
            while i < len(toks):
                firsts = {key_form(f) if is_arabic(f) else f for f in match_forms(toks[i].text)}
                found = next(
                    (
                        (unique[key], len(key))
                        for first in firsts
                        for key in by_first.get(first, ())
                        if tuple(keys[i + 1 : i + len(key)]) == key[1:]
                    ),
                    None,
                )
                if found and (toks[i].text[:1].isupper() or is_arabic(toks[i].text)):
                    start, end = toks[i].start, toks[i + found[1] - 1].end
                    if not self._overlaps(start, end, ("organisation",)):
                        self.mentions.append(
                            Mention(found[0], "organisation", start, end, index, "pattern:short-name", 0.7)
                        )
                    i += found[1]
                    continue
                i += 1

    def _drop_places_inside_names(self) -> None:
        """'Japan Social Development Fund' names no place; a place ending a name ('… de Tamesna') does."""
        orgs = [m for m in self.mentions if m.kind == "organisation"]
        self.mentions = [
            m
            for m in self.mentions
            if m.kind != "region" or not any(o.start <= m.start and m.end < o.end - 1 for o in orgs)
        ]

    def _listed_acronyms(self, index: int, sentence: Sentence) -> None:
        """'entre le MENEFP, l'OFPPT et l'AMCI': an unknown acronym coordinated with organisations is one."""
        lex = lexicon(sentence.language)
        orgs = [m for m in self.mentions if m.sentence == index and m.kind == "organisation"]
        if not orgs:
            return
        glue = re.compile(rf"^{lex.coordination}(?:{lex.determiners}\s*)?$", re.IGNORECASE)
        for token in sentence.tokens:
            if not (token.is_upper and 2 <= len(token.text) <= 10 and _ACRONYM_RE.fullmatch(token.text)):
                continue
            if self._overlaps(token.start, token.end, ("organisation", "region", "project")):
                continue
            neighbours = [
                m
                for m in orgs
                if glue.match(self.text[token.end : m.start]) or glue.match(self.text[m.end : token.start])
            ]
            if neighbours:
                state = self._new_entity("organisation", token.text, sentence.language, "Organisation", token.text)
                self.mentions.append(
                    Mention(state.key, "organisation", token.start, token.end, index, "pattern:listed-acronym", 0.6)
                )

    def _named_projects(self, index: int, sentence: Sentence) -> None:
        lex = lexicon(sentence.language)
        text = sentence.text
        nouns = re.compile(rf"(?<![\w])(?P<noun>{lex.project_nouns})\b", re.IGNORECASE)
        for noun in nouns.finditer(text):
            after = text[noun.end() :]
            # « Quoted name » shortly after the noun ("le projet « Jumelage Institutionnel »", "portant sur « … »")
            quoted = _QUOTED.search(after[:120])
            if quoted and not re.search(r"[.;]", after[: quoted.start()]):
                start = sentence.start + noun.end() + quoted.start("name")
                end = sentence.start + noun.end() + quoted.end("name")
                self._add_project(
                    index, sentence, self.text[start:end], start, end, None, "pattern:quoted-project", 0.85
                )
                continue
            # A proper name right after the noun: "projet Kafaat Liljamia", "مشروع THAMM", "programme STED-AMT"
            name = re.match(
                r"\s*(?P<name>(?:[A-Z][\w’'-]*|[A-Z0-9][A-Z0-9-]+)(?:\s+(?:[A-Z][\w’'-]*|[A-Z0-9][A-Z0-9-]+|de|d['’]|des|du|la|for|of|the|and|pour|et))*?)(?=\s*(?:\(|,|\.|;|:|$|\s[a-zà-ÿ\u0600-\u06ff]|\s+[«\"]))",
                after,
            )
            if name:
                raw = name.group("name").strip()
                raw = re.sub(r"\s+(?:de|d['’]|des|du|la|for|of|the|and|pour|et)$", "", raw)
                start = sentence.start + noun.end() + name.start("name")
                end = start + len(raw)
                if raw and not self._overlaps(start, end, ("organisation", "region")) and not _is_common_word(raw):
                    acronym = self._acronym_after(end)
                    self._add_project(index, sentence, raw, start, end, acronym, "pattern:named-project", 0.85)
                    continue
            # "Programme d'innovation entrepreneuriale (PIE)", "projet d'Appui à l'Emploi des Jeunes (PAEJ)":
            # a name closed by an acronym whose letters are the initials of its words.
            closing = re.match(rf"(?P<rest>[^()\n.;,]{{0,90}}?)\s*\((?P<acr>{_ACRONYM})\)", after)
            if closing and self._project_with_acronym(index, sentence, noun, closing):
                continue
        if sentence.language == "en":
            self._english_tail_named_projects(index, sentence)

    def _project_with_acronym(
        self, index: int, sentence: Sentence, noun: re.Match[str], closing: re.Match[str]
    ) -> bool:
        acronym = closing.group("acr")
        rest_start = sentence.start + noun.end()
        rest_end = rest_start + len(closing.group("rest"))
        rest_tokens = [t for t in sentence.tokens if rest_start <= t.start < rest_end]
        initials = [fold(t.text)[0] for t in rest_tokens if fold(t.text) not in _FUNCTION_WORDS]
        letters = [c.lower() for c in acronym if c.isupper()]
        with_noun = [fold(noun.group("noun"))[0], *initials]
        if not letters or not initials:
            return False
        if letters[0] == initials[0] and _subsequence(letters, initials):
            start = rest_tokens[0].start
        elif letters[0] == with_noun[0] and _subsequence(letters, with_noun):
            start = sentence.start + noun.start()
        else:
            return False
        end = sentence.start + noun.end() + len(closing.group("rest").rstrip())
        self._add_project(
            index, sentence, _capitalise(self.text[start:end]), start, end, acronym, "pattern:project-acronym", 0.85
        )
        return True

    def _english_tail_named_projects(self, index: int, sentence: Sentence) -> None:
        """'the Employability and Land Compact': capitalised words ending with a project noun."""
        for match in _EN_TAIL_PROJECT.finditer(sentence.text):
            start, end = sentence.start + match.start("name"), sentence.start + match.end("name")
            if len(tokenize(match.group("name"))) >= 2 and not self._overlaps(start, end, ("organisation", "project")):
                acronym = self._acronym_after(end)
                self._add_project(
                    index, sentence, match.group("name"), start, end, acronym, "pattern:named-project", 0.8
                )

    def _acronym_after(self, position: int) -> str | None:
        match = re.match(rf"\s*\((?P<acr>{_ACRONYM})\)", self.text[position : position + 20])
        return match.group("acr") if match else None

    def _add_project(
        self,
        index: int,
        sentence: Sentence,
        name: str,
        start: int,
        end: int,
        acronym: str | None,
        method: str,
        conf: float,
    ) -> EntityState:
        state = self._new_entity("project", name, sentence.language, "Project", acronym)
        kind = re.match(
            r"\s*(?:programme|program|برنامج|البرنامج)", self.text[max(0, start - 14) : start], re.IGNORECASE
        )
        if kind and state.type == "Project":
            state.type = "Programme"
        self.projects.setdefault(state.key, ProjectState())
        self.mentions.append(Mention(state.key, "project", start, end, index, method, conf))
        if acronym:
            a_start = self.text.find(acronym, end)
            if a_start != -1:
                self.mentions.append(
                    Mention(state.key, "project", a_start, a_start + len(acronym), index, method, conf)
                )
        return state

    def _project_aliases(self) -> None:
        """Every other use of a project's name or acronym in the text is a mention too."""
        for state in [s for s in self.entities.values() if s.kind == "project"]:
            names = {state.label, *(a for a, _ in state.alt)}
            for name in names:
                keys = [fold(t.text) for t in tokenize(name)]
                if not keys:
                    continue
                for index, sentence in enumerate(self.sentences):
                    toks = sentence.tokens
                    for i in range(len(toks) - len(keys) + 1):
                        if all(_token_equals(toks[i + k], keys[k], name) for k in range(len(keys))):
                            start, end = toks[i].start, toks[i + len(keys) - 1].end
                            if not self._overlaps(start, end, ("project", "organisation")):
                                self.mentions.append(Mention(state.key, "project", start, end, index, "alias", 0.85))

    def _agreements(self, index: int, sentence: Sentence) -> None:
        lex = lexicon(sentence.language)
        for match in re.finditer(rf"(?<![\w])(?:{lex.agreement_nouns})(?![\w])", sentence.text, re.IGNORECASE):
            start = sentence.start + match.start()
            end = sentence.start + match.end()
            if self._overlaps(start, end, ("project",)):
                continue
            parties = self._parties(sentence, end, lex)
            if len(parties) < 2:
                continue
            kind = (
                "Convention de partenariat"
                if sentence.language == "fr"
                else ("اتفاقية شراكة" if sentence.language == "ar" else "Partnership agreement")
            )
            names = [self._short_name(p) for p in parties]
            label = f"{kind} {' – '.join(names)}"
            key_parts = sorted(p for p in parties)
            # Two agreements between the same parties ("une convention … et un accord spécifique") stay two.
            noun = key_form(tokenize(match.group())[0].text)
            variant = (
                ""
                if noun in {"convention", "conventions", "اتفاقيه", "اتفاقيات", "agreement", "agreements"}
                else noun + "-"
            )
            key = (
                "project:agreement-"
                + variant
                + slugify("-".join(k.rsplit("/", 1)[-1].split(":")[-1] for k in key_parts))
            )
            state = self.entities.get(key)
            if state is None:
                state = EntityState(key, "project", label, sentence.language, "PartnershipAgreement", False)
                self.entities[key] = state
            project = self.projects.setdefault(key, ProjectState())
            self.mentions.append(Mention(key, "project", start, end, index, "pattern:agreement", 0.75))
            evidence = [self._evidence(sentence.start, sentence.end, "pattern:agreement", 0.75)]
            for party in parties:
                project.participants.setdefault((party, "partner"), []).extend(evidence)
            dates = [d for d in self._dates(sentence) if d.kind == "date"]
            if dates and project.start is None:
                project.start = dates[0].begin
            if _FINANCING.search(match.group()):
                self._financing_agreement(index, sentence, match, key, parties, lex)

    def _financing_agreement(
        self, index: int, sentence: Sentence, match: re.Match[str], agreement: str, parties: list[str], lex: Lexicon
    ) -> None:
        """A loan or grant agreement signed by a funder: the funder funds what the agreement is "to finance"."""
        funders = [p for p in parties if self._is_funder(p)]
        if not funders or len(funders) == len(parties):
            return
        end = sentence.start + match.end()
        purpose = _PURPOSE.search(self.text[end : sentence.end])
        funded = self._project_near(sentence, end + purpose.end(), before=False) if purpose else None
        moneys = self._amounts(sentence, lex)
        amount = min(moneys, key=lambda q: abs(q.start - end)) if moneys else None
        kind = _kind(None, match.group(), lex)
        for funder in funders:
            self._add_funding(
                sentence, funder, funded or agreement, amount, kind, f"pattern:financing-agreement:{lex.language}", 0.8
            )

    def _is_funder(self, key: str) -> bool:
        state = self.entities.get(key)
        return state is not None and state.type in {"DevelopmentBank", "DevelopmentAgency", "InternationalOrganisation"}

    def _short_name(self, key: str) -> str:
        state = self.entities[key]
        entry = self.gz.get(key)
        alts = [a for a, _ in (entry.alt_labels if entry else state.alt)]
        acronyms = sorted((a for a in alts if a.isupper() and " " not in a), key=len)
        return state.acronym or (acronyms[0] if acronyms else state.label)

    def _parties(self, sentence: Sentence, after: int, lex: Lexicon) -> list[str]:
        """Organisations of an agreement: 'entre X, Y et Z', else those of the sentence."""
        between = re.search(lex.between, self.text[after : sentence.end])
        if between:
            listed = self._orgs_after(after + between.end(), sentence, lex)
            if len(listed) >= 2:
                return [m.key for m in listed]
        keys: list[str] = []
        for m in self._sentence_mentions(sentence, "organisation"):
            if m.key not in keys:
                keys.append(m.key)
        return keys if len(keys) <= 4 else []

    def _project_anaphora(self, index: int, sentence: Sentence) -> None:
        lex = lexicon(sentence.language)
        for match in re.finditer(lex.project_anaphora, sentence.text, re.IGNORECASE):
            start, end = sentence.start + match.start(), sentence.start + match.end()
            if not self._overlaps(start, end, ("project",)):
                self.mentions.append(Mention("", "project", start, end, index, "anaphora", 0.75, anaphor=True))

    # -- resolution helpers -----------------------------------------------------------------

    def _sentence_mentions(self, sentence: Sentence, kind: str) -> list[Mention]:
        return [m for m in self.mentions if m.kind == kind and sentence.start <= m.start < sentence.end]

    def _salient_project(self) -> str | None:
        counts = Counter(m.key for m in self.mentions if m.kind == "project" and not m.anaphor)
        if not counts:
            return None
        best = max(counts.values())
        return next(m.key for m in self.mentions if m.kind == "project" and not m.anaphor and counts[m.key] == best)

    def _current_project(self, position: int) -> str | None:
        """The project a 'ce programme' at ``position`` refers to: the last one named, else the main one."""
        previous = [m for m in self.mentions if m.kind == "project" and not m.anaphor and m.end <= position]
        return previous[-1].key if previous else self._salient_project()

    def _project_near(self, sentence: Sentence, position: int, *, before: bool = True) -> str | None:
        named = [m for m in self._sentence_mentions(sentence, "project") if not m.anaphor]
        anaphora = [m for m in self._sentence_mentions(sentence, "project") if m.anaphor]
        if before:
            prior = [m for m in named if m.end <= position]
            prior_anaphora = [m for m in anaphora if m.end <= position]
            candidates = sorted(prior + prior_anaphora, key=lambda m: m.end)
            if candidates:
                last = candidates[-1]
                return self._current_project(last.start) if last.anaphor else last.key
            return None
        later = [m for m in named + anaphora if m.start >= position]
        if later:
            first = min(later, key=lambda m: m.start)
            return self._current_project(first.start) if first.anaphor else first.key
        return None

    def _orgs_after(self, position: int, sentence: Sentence, lex: Lexicon, *, limit: int = 40) -> list[Mention]:
        """Organisations named right after ``position``, with those coordinated to them.

        An amount may stand between ("un don de 2,5 millions d'euros de la BEI").
        """
        orgs = [m for m in self._sentence_mentions(sentence, "organisation") if m.start >= position]
        if not orgs:
            return []
        lead = re.compile(rf"^\s*(?:(?:de|of|from|من)\s+)?(?:{lex.determiners}\s*)?$", re.IGNORECASE)
        first = orgs[0]
        gap = self.text[position : first.start]
        if not (lead.match(gap) or _only_arabic_glue(gap)):
            money = [q for q in self._amounts(sentence, lex) if position <= q.start and q.end <= first.start]
            if not money or not lead.match(self.text[money[-1].end : first.start]):
                return []
            if not re.fullmatch(r"\s*(?:(?:de|of|worth|بقيمة|بمبلغ)\s+)?", self.text[position : money[0].start]):
                return []
        elif len(gap) > limit:
            return []
        found = [first]
        glue = re.compile(rf"^{lex.coordination}(?:{lex.determiners}\s*)?$", re.IGNORECASE)
        for nxt in orgs[1:]:
            between = self.text[found[-1].end : nxt.start]
            if nxt.start < found[-1].end:
                continue
            if glue.match(between) or (
                sentence.language == "ar" and between.strip() == "" and self.text[nxt.start] == "و"
            ):
                found.append(nxt)
            else:
                break
        unique: dict[str, Mention] = {}
        for m in found:
            unique.setdefault(m.key, m)
        return list(unique.values())

    def _org_before(self, sentence: Sentence, position: int) -> Mention | None:
        prior = [m for m in self._sentence_mentions(sentence, "organisation") if m.end <= position]
        return prior[-1] if prior else None

    def _evidence(self, start: int, end: int, method: str, confidence: float) -> Evidence:
        return Evidence(start, end, self.text[start:end], method, confidence)

    # -- facts ------------------------------------------------------------------------------

    def _fundings(self, index: int, sentence: Sentence, lex: Lexicon) -> None:
        text = sentence.text
        moneys = self._amounts(sentence, lex)
        for pattern, kind_hint, confidence in lex.funded_by:
            for m in lex.compiled(pattern).finditer(text):
                start, end = sentence.start + m.start(), sentence.start + m.end()
                funders = self._orgs_after(end, sentence, lex)
                if not funders:
                    continue
                funders += self._more_funders(sentence, funders[-1].end, lex)
                funded, how = self._funded_before(sentence, start, lex)
                if funded is None:
                    after = self._project_near(sentence, funders[-1].end, before=False)
                    funded, how = (after, "after") if after else (self._current_project(start), "context")
                if funded is None:
                    continue
                kind = _kind(m.groupdict().get("kind"), text, lex) if kind_hint == "unspecified" else kind_hint
                conf = confidence if how in {"named", "after"} else round(confidence * 0.8, 2)
                for i, funder in enumerate(funders):
                    if len(funders) == 1:
                        amount = _nearest_amount(moneys, funder.end, 1)
                    elif len([q for q in moneys if q.start >= funders[0].start]) < len(funders):
                        amount = None  # one figure for several co-funders is their total, not each one's share
                    else:
                        # Co-funders: each one's own figure, written after its name and before the next one.
                        amount = _amount_between(
                            moneys, funder.end, funders[i + 1].start if i + 1 < len(funders) else None
                        )
                    self._add_funding(
                        sentence, funder.key, funded, amount, kind, f"pattern:funded-by:{lex.language}", conf
                    )
        for pattern, _hint, confidence in lex.funds:
            for m in lex.compiled(pattern).finditer(text):
                start, end = sentence.start + m.start(), sentence.start + m.end()
                funder = self._org_before(sentence, start)
                if funder is not None and self.text[funder.end : start].count(",") > 1:
                    funder = None
                # "سيساهم المكتب في المرحلة الثانية": taking part, unless money follows the verb.
                taking_part = lex.language == "ar" and not m.groupdict().get("kind")
                if funder is not None and taking_part and not any(0 <= q.start - end <= 40 for q in moneys):
                    funder = None
                funders = [funder] if funder is not None else []
                if not funders and lex.language == "ar":
                    funders = self._subjects_after_verb(sentence, end, moneys, lex)  # verb-subject order
                if not funders:
                    continue
                if len(funders) > 1:
                    funded = self._project_near(sentence, start) or self._current_project(start)
                    if funded is not None:
                        kind = _kind(m.groupdict().get("kind"), text, lex)
                        for i, org in enumerate(funders):
                            amount = _amount_between(
                                moneys, org.end, funders[i + 1].start if i + 1 < len(funders) else None
                            )
                            self._add_funding(
                                sentence, org.key, funded, amount, kind, f"pattern:funds:{lex.language}", confidence
                            )
                    continue
                funder = funders[0]
                funded = (
                    self._project_near(sentence, end, before=False)
                    or self._org_funded_after(sentence, end, lex)
                    or self._current_project(start)
                )
                if funded is None or funded == funder.key:
                    continue
                kind = _kind(m.groupdict().get("kind"), text, lex)
                amount = _nearest_amount(moneys, end, 1)
                self._add_funding(
                    sentence, funder.key, funded, amount, kind, f"pattern:funds:{lex.language}", confidence
                )
        for pattern, _hint, confidence in lex.receives_from:
            for m in lex.compiled(pattern).finditer(text):
                start, end = sentence.start + m.start(), sentence.start + m.end()
                funders = self._orgs_after(end, sentence, lex)
                purpose = re.search(
                    r"\b(?:pour|for|destiné\w*\s+à)\b|لفائدة|من\s+أجل|لتمويل", self.text[end : sentence.end]
                )
                funded = self._project_near(sentence, end + purpose.end(), before=False) if purpose else None
                if funded is None:
                    funded, _ = self._funded_before(sentence, start, lex)
                if funded is None:
                    before = self._org_before(sentence, start)
                    funded = before.key if before else None
                if not funders or funded is None:
                    continue
                kind = _kind(m.groupdict().get("kind"), text, lex)
                for funder in funders:
                    if funder.key != funded:
                        amount = _nearest_amount(moneys, end, len(funders))
                        self._add_funding(
                            sentence, funder.key, funded, amount, kind, f"pattern:receives:{lex.language}", confidence
                        )

    def _more_funders(self, sentence: Sentence, position: int, lex: Lexicon) -> list[Mention]:
        """ "cofinancé par la BAD, qui a approuvé …, et par la BEI": funders named after a second "par"."""
        found: list[Mention] = []
        while True:
            more = _MORE_FUNDERS.search(self.text[position : min(sentence.end, position + 160)])
            if more is None:
                return found
            extra = self._orgs_after(position + more.end(), sentence, lex)
            if not extra:
                return found
            found += [m for m in extra if m.key not in {f.key for f in found}]
            position = extra[-1].end

    def _subjects_after_verb(
        self, sentence: Sentence, position: int, moneys: list[Quantity], lex: Lexicon
    ) -> list[Mention]:
        """Arabic verb-subject order: the organisation right after the verb (past a project or an adverb),
        and those coordinated with it, taken as funders only when money follows the first one."""
        first = self._subject_after_verb(sentence, position, moneys)
        if first is None:
            return []
        found = [first]
        for org in self._sentence_mentions(sentence, "organisation"):
            if org.start <= found[-1].end or org.key in {f.key for f in found}:
                continue
            between = self.text[found[-1].end : org.start]
            if re.fullmatch(r"[^،.;]{0,60}?[،,]\s*", between) and self.text[org.start] == "و":
                found.append(org)  # "الوكالة الفرنسية (AFD) بمنحة …، والاتحاد الأوروبي بمنحة …"
            elif not between.strip() and self.text[org.start] == "و":
                found.append(org)
            else:
                break
        return found

    def _subject_after_verb(self, sentence: Sentence, position: int, moneys: list[Quantity]) -> Mention | None:
        """The organisation right after a verb, past a project or an adverb, if money follows it."""
        filler = re.compile(r"^(?:\s|أيضا|ايضا|بدوره|بدورها|كذلك|المشروع|البرنامج)*$")
        projects = [m for m in self._sentence_mentions(sentence, "project") if m.start >= position]
        for org in self._sentence_mentions(sentence, "organisation"):
            if org.start < position:
                continue
            gap = self.text[position : org.start]
            for project in projects:
                if project.end <= org.start:
                    gap = gap.replace(self.text[project.start : project.end], " ")
            if filler.match(gap) and any(q.start > org.end for q in moneys):
                return org
            break
        return None

    def _funded_before(self, sentence: Sentence, position: int, lex: Lexicon) -> tuple[str | None, str]:
        project = self._project_near(sentence, position)
        if project:
            return project, "named"
        adhoc = self._noun_phrase_project(sentence, position, lex)
        if adhoc:
            return adhoc, "phrase"
        return None, ""

    def _noun_phrase_project(self, sentence: Sentence, position: int, lex: Lexicon) -> str | None:
        """'la construction de nouveaux centres … sur financement de X': the funded thing is a project."""
        chunk_start = sentence.start
        prefix = self.text[sentence.start : position]
        boundary = max(prefix.rfind(c) for c in ",;:،(")
        if boundary != -1:
            chunk_start = sentence.start + boundary + 1
        chunk = self.text[chunk_start:position]
        if boundary != -1 and _PARTICIPLE.fullmatch(chunk.strip()):
            # "the rehabilitation of the Ngalenka canal, financed through a loan from": the phrase before the comma.
            earlier = max(prefix[:boundary].rfind(c) for c in ",;:،(")
            chunk_start = sentence.start + earlier + 1 if earlier != -1 else sentence.start
            chunk = self.text[chunk_start : sentence.start + boundary]
            position = sentence.start + boundary
        head = re.search(rf"(?<![\w])(?:(?:{lex.project_nouns})|(?:{_ACTION_NOUNS}))(?![\w])", chunk, re.IGNORECASE)
        if head is None:
            return None
        start = chunk_start + head.start()
        phrase = self.text[start:position].strip()
        phrase = _trim_phrase(phrase)
        words = tokenize(phrase)
        if not 2 <= len(words) <= 14:
            return None
        end = start + len(phrase)
        state = self._new_entity("project", _capitalise(phrase), sentence.language, "Project", None)
        self.projects.setdefault(state.key, ProjectState())
        self.mentions.append(
            Mention(state.key, "project", start, end, self.sentences.index(sentence), "pattern:funded-phrase", 0.6)
        )
        self.mentions.sort(key=lambda m: (m.start, -m.end))
        return state.key

    def _org_funded_after(self, sentence: Sentence, position: int, lex: Lexicon) -> str | None:
        window = self.text[position : sentence.end]
        cue = re.search(
            r"(?:\b(?:à|au|aux|to|for|en\s+faveur\s+d[eu]|au\s+profit\s+d[eu])\b|لفائدة|لصالح|(?<=\s)ل)", window
        )
        if cue is None:
            return None
        orgs = self._orgs_after(position + cue.end(), sentence, lex)
        return orgs[0].key if orgs else None

    def _amounts(self, sentence: Sentence, lex: Lexicon) -> list[Quantity]:
        moneys = []
        for q in self._quantities(sentence):
            if not q.is_money:
                continue
            before = sentence.text[max(0, q.start - 30) : q.start]
            if re.search(
                rf"(?:{lex.equivalence})\s*(?:plus\s+de|près\s+de|environ|more\s+than|about)?\s*$",
                before,
                re.IGNORECASE,
            ):
                continue  # "soit plus de 9 millions de dirhams" restates the same money
            if re.search(
                r"\(\s*(?:about|approximately|around|some|environ|près\s+de|soit|حوالي|حوالى|أي|ما\s+يعادل)?\s*$",
                before,
            ):
                continue  # "(about $43 million)", "(حوالي 85 مليون درهم)": a conversion in brackets
            moneys.append(
                Quantity(q.value, q.start + sentence.start, q.end + sentence.start, q.currency, q.scaled, q.words)
            )
        return moneys

    def _add_funding(
        self, sentence: Sentence, funder: str, funded: str, amount: Quantity | None, kind: str, method: str, conf: float
    ) -> None:
        if funder == funded:
            return
        value = amount.value if amount else None
        currency = amount.currency if amount else None
        evidence = self._evidence(sentence.start, sentence.end, method, conf)
        # A funding restated without its amount is the same funding.
        for (f_funder, f_funded, f_value, _), existing in self.fundings.items():
            if f_funder == funder and f_funded == funded and (value is None or f_value is None or f_value == value):
                if value is not None and f_value is None:
                    del self.fundings[(f_funder, f_funded, f_value, _)]
                    existing.amount, existing.currency = value, currency
                    self.fundings[(funder, funded, value, currency)] = existing
                if existing.kind == "unspecified":
                    existing.kind = kind
                existing.add_evidence(evidence)
                self._participate(funded, funder, "funder", evidence)
                return
        funding = Funding(id="", funder=funder, funded=funded, amount=value, currency=currency, kind=kind)
        funding.add_evidence(evidence)
        self.fundings[(funder, funded, value, currency)] = funding
        self._participate(funded, funder, "funder", evidence)

    def _participate(self, project: str, organisation: str, role: str, evidence: Evidence) -> None:
        if project in self.projects and organisation in self.entities:
            self.projects[project].participants.setdefault((organisation, role), []).append(evidence)

    def _roles(self, index: int, sentence: Sentence, lex: Lexicon) -> None:
        for pattern, role in lex.roles:
            for m in lex.compiled(pattern).finditer(sentence.text):
                start, end = sentence.start + m.start(), sentence.start + m.end()
                orgs = self._orgs_after(end, sentence, lex)
                if not orgs:
                    continue
                project = self._project_near(sentence, start) or self._project_near(sentence, end, before=False)
                if project is None:
                    continue
                evidence = self._evidence(sentence.start, sentence.end, f"pattern:role:{lex.language}", 0.8)
                for org in orgs:
                    self._participate(project, org.key, role, evidence)
        participation = {
            "fr": r"\b(?:particip|contribu)(?:e|é|era|ent|ait)\b|\bprend\s+part\b|\ba\s+pris\s+part\b",
            "en": r"\b(?:participat|contribut)(?:es|ed|ing)\b|\btook\s+part\b|\btakes\s+part\b",
            "ar": r"(?:^|\s)(?:و|ف)?(?:شارك|يشارك|ساهم|يساهم|سيساهم|ستساهم|انخرط)",
        }[lex.language]
        for m in re.finditer(participation, sentence.text, re.IGNORECASE):
            start = sentence.start + m.start()
            org = self._org_before(sentence, start) or next(
                (
                    o
                    for o in self._sentence_mentions(sentence, "organisation")
                    if o.start >= start and o.start - start < 40
                ),
                None,
            )
            project = self._project_near(sentence, sentence.start + m.end(), before=False)
            if org is not None and project is not None:
                evidence = self._evidence(sentence.start, sentence.end, f"pattern:participates:{lex.language}", 0.7)
                self._participate(project, org.key, "partner", evidence)

    def _periods(self, index: int, sentence: Sentence, lex: Lexicon) -> None:
        named = [m for m in self._sentence_mentions(sentence, "project")]
        if not named:
            return
        mention = next((m for m in named if not m.anaphor), named[0])
        key = self._current_project(mention.start) if mention.anaphor else mention.key
        if key is None or key not in self.projects:
            return
        state = self.projects[key]
        dates = self._dates(sentence)
        for date in dates:
            if date.kind != "range":
                continue
            point = re.search(r"(?:\b(?:en|in|au\s+titre\s+de|for)|سنة|خلال\s+سنة)\s*$", sentence.text[: date.start])
            if state.start is None and state.end is None and not point:
                state.start, state.end = date.begin, date.until
        for date in dates:
            if date.kind != "date" or not date.begin:
                continue
            before = sentence.text[max(0, date.start - 45) : date.start]
            if not re.search(lex.start_cues, before, re.IGNORECASE):
                continue
            # A launch date refines a coarser start ("lancé en septembre 2019" within "2019 – 2022").
            if state.start is None or (date.begin.startswith(state.start) and len(date.begin) > len(state.start)):
                state.start = date.begin
        for duration in self._durations(sentence):
            if state.months is None:
                state.months = duration.months
        if state.months is None and state.start and state.end and len(state.start) >= 7 and len(state.end) >= 7:
            state.months = months_between(state.start, state.end)

    def _places(self, index: int, sentence: Sentence, lex: Lexicon) -> None:
        regions = self._sentence_mentions(sentence, "region")
        if not regions:
            return
        projects = [m for m in self._sentence_mentions(sentence, "project")]
        if not projects:
            return
        mention = next((m for m in projects if not m.anaphor), projects[0])
        key = self._current_project(mention.start) if mention.anaphor else mention.key
        if key is None or key not in self.projects:
            return
        locative = re.compile(lex.locative, re.IGNORECASE)
        glue = re.compile(
            rf"^(?:{lex.coordination}|\s+)(?:(?:{lex.determiners})\s*)?(?:(?:la\s+)?(?:région|ville|province)\s+(?:de|du|des)\s*(?:l['’])?)?$",
            re.IGNORECASE,
        )
        located = False
        previous_end = None
        for region in regions:
            before = self.text[max(sentence.start, region.start - 40) : region.start]
            clitic = sentence.language == "ar" and self.text[region.start] in "ب"
            if (
                locative.search(before)
                or clitic
                or (located and previous_end is not None and glue.match(self.text[previous_end : region.start]))
            ):
                located = True
                evidence = self._evidence(sentence.start, sentence.end, "pattern:project-place", 0.7)
                self.projects[key].regions.setdefault(region.key, []).append(evidence)
            else:
                located = False
            previous_end = region.end

    def _indicators(self, index: int, sentence: Sentence, lex: Lexicon) -> None:
        blocked = [(d.start, d.end) for d in self._dates(sentence)] + [
            (d.start, d.end) for d in self._durations(sentence)
        ]
        for q in self._quantities(sentence):
            if q.is_money or any(a <= q.start < b for a, b in blocked):
                continue
            end_abs = sentence.start + q.end
            follow = self.text[end_abs : end_abs + 12]
            if re.match(
                r"^(?:\s*%|\s*pour\s*cent|\s*percent|\s*بالمائة|\s*في\s+المائة|[a-zà-ÿ°]|\.\d|[-/]\d)",
                follow,
                re.IGNORECASE,
            ):
                continue  # percentages, ordinals (1er, 2e), versions (4.0), ranges of codes
            start_abs = sentence.start + q.start
            if self._overlaps(start_abs, end_abs, ("organisation", "project", "region")):
                continue
            before = self.text[max(sentence.start, start_abs - 6) : start_abs]
            if re.search(r"(?:n°|no\.?|nº|#)\s*$", before, re.IGNORECASE):
                continue
            tokens = sentence.tokens
            first = next((i for i, t in enumerate(tokens) if t.start >= end_abs), None)
            if first is None:
                continue
            if self.text[end_abs : tokens[first].start].strip(" ") not in {"", "de", "d'", "d’"}:
                continue
            unit = self._unit(tokens, first, lex, sentence.language)
            if unit is None:
                continue
            unit_iri, unit_end, unit_conf = unit
            if q.words and unit_conf < 0.8:
                continue  # "les deux parties": a count in words needs a known unit
            if q.scaled and q.value >= 1_000_000 and unit_conf < 0.8:
                continue
            qualifier, q_start = qualifier_before(self.text[sentence.start : start_abs], start_abs - sentence.start)
            span_start = sentence.start + q_start if qualifier else start_abs
            about = self._indicator_about(sentence, start_abs, lex)
            evidence = self._evidence(span_start, unit_end, f"pattern:indicator:{lex.language}", unit_conf)
            key = (about, q.value, unit_iri, qualifier)
            indicator = self.indicators.get(key)
            if indicator is None:
                indicator = Indicator(id="", about=about, value=q.value, unit=unit_iri, qualifier=qualifier)
                self.indicators[key] = indicator
            indicator.add_evidence(evidence)

    def _unit(self, tokens: list[Token], first: int, lex: Lexicon, language: str) -> tuple[str, int, float] | None:
        found = self.gz.find_unit(tokens, first)
        if found is None and not is_arabic(tokens[first].text):
            # "14 VTC training centres", "1,850 vocational teachers": a known unit one or two words on.
            for skip in (1, 2):
                if (
                    first + skip < len(tokens)
                    and self.text[tokens[first + skip - 1].end : tokens[first + skip].start] == " "
                ):
                    found = self.gz.find_unit(tokens, first + skip)
                    if found is not None:
                        break
        if found is not None:
            entry, end_index = found
            if self.text[tokens[end_index - 1].end : tokens[end_index - 1].end + 2] == "/h":
                return None  # "75 km/h" is a speed
            self.units.setdefault(
                entry.iri,
                Unit(id=entry.iri, label=entry.label(self.language)[0], lang=entry.label(self.language)[1], known=True),
            )
            return entry.iri, tokens[end_index - 1].end, 0.85
        word = tokens[first]
        folded = fold(word.text)
        if (
            len(folded) < 3
            or folded in _folded(lex.not_units)
            or any(s in _folded(lex.not_units) for s in unit_stems(folded))
            or not word.text.isalpha()
            or (not is_arabic(word.text) and word.text[:1].isupper())
            or folded in _FUNCTION_WORDS
            or folded in {"من", "في", "على", "الى", "عن", "مع", "بين", "منذ"}
        ):
            return None
        stem = unit_stems(folded)[-1]
        iri = self.minter.unit(stem).value
        self.units.setdefault(iri, Unit(id=iri, label=word.text, lang=language, known=False))
        return iri, word.end, 0.55

    def _indicator_about(self, sentence: Sentence, position: int, lex: Lexicon) -> str | None:
        project = self._project_near(sentence, position) or self._project_near(sentence, position, before=False)
        if project:
            return project
        if re.search(lex.organisation_anaphora, sentence.text, re.IGNORECASE):
            prior = [m for m in self.mentions if m.kind == "organisation" and m.end <= position]
            if prior:
                return prior[-1].key
        current = self._current_project(position)
        if current:
            return current
        orgs = self._sentence_mentions(sentence, "organisation")
        return orgs[0].key if orgs else None

    # -- assembly ---------------------------------------------------------------------------

    def _iri(self, key: str) -> str:
        if key.startswith("org:"):
            return self.minter.entity("organisation", key[4:]).value
        if key.startswith("project:"):
            return self.minter.entity("project", key[8:]).value
        return key

    def _build(self) -> Extraction:
        doc_iri = self.minter.document(self.doc_id).value
        info = DocumentInfo(self.doc_id, doc_iri, self.source, self.language, self.title or self._title(), self.text)
        extraction = Extraction(info)
        evidence: dict[str, list[Evidence]] = {}
        for m in self.mentions:
            if m.anaphor or not m.key:
                continue
            evidence.setdefault(m.key, []).append(self._evidence(m.start, m.end, m.method, m.confidence))
        used_projects = set(evidence) & set(self.projects)
        for key, state in sorted(self.entities.items()):
            if key not in evidence:
                continue
            iri = self._iri(key)
            if state.kind == "organisation":
                entity = Organisation(iri, label=state.label, lang=state.lang, type=state.type, known=state.known)
                extraction.organisations.append(entity)
            elif state.kind == "region":
                entity = Region(iri, label=state.label, lang=state.lang, type=state.type, known=state.known)
                extraction.regions.append(entity)
            else:
                continue
            for text, lang in state.alt:
                entity.add_alt(text, lang)
            entity.add_evidence(*evidence[key])
        for key in sorted(used_projects):
            state = self.entities[key]
            data = self.projects[key]
            project = Project(
                self._iri(key),
                label=state.label,
                lang=state.lang,
                type=state.type,
                start=data.start,
                end=data.end,
                duration_months=data.months,
                regions=sorted(data.regions),
            )
            for text, lang in state.alt:
                project.add_alt(text, lang)
            project.add_evidence(*evidence[key])
            for (org, role), items in sorted(data.participants.items()):
                if org in evidence:
                    project.add_participant(self._iri(org), role, items)
            extraction.projects.append(project)
        for funding in self.fundings.values():
            if funding.funder not in evidence or funding.funded not in evidence:
                continue
            funding.funder, funding.funded = self._iri(funding.funder), self._iri(funding.funded)
            funding.id = fact_id(
                self.minter, "funding", funding.funder, funding.funded, funding.amount, funding.currency
            )
            extraction.fundings.append(funding)
        for indicator in self.indicators.values():
            indicator.about = self._iri(indicator.about) if indicator.about and indicator.about in evidence else None
            indicator.id = fact_id(
                self.minter,
                "indicator",
                indicator.about,
                indicator.value,
                indicator.unit,
                indicator.qualifier,
                self.doc_id if indicator.about is None else "",
            )
            extraction.indicators.append(indicator)
        extraction.units = sorted(self.units.values(), key=lambda u: u.id)
        extraction.fundings.sort(key=lambda f: f.id)
        extraction.indicators.sort(key=lambda i: i.id)
        return extraction

    def _title(self) -> str | None:
        for para in self.paras:
            line = para.text.strip()
            if para.boilerplate or _FILENAME_LINE.match(line) or not line:
                continue
            if len(line) <= 160 and not line.endswith((".", ":", "،")):
                return line
            return None
        return None


# -- module helpers ------------------------------------------------------------------------------

_ACRONYM_RE = re.compile(_ACRONYM)
_PARTICIPLE = re.compile(
    r"(?:(?:qui\s+est|which\s+is|qui\s+sera)\s+)?(?:co-?)?(?:financé|financée|financés|financées|financed|funded|الممول|الممولة|ممول|ممولة)",
    re.IGNORECASE,
)
_ADJECTIVE = re.compile(r"[a-zéèêàç]+(?:al|ale|aux|ales|ionale?|ienne?|ique|aire|ive?|ée?)")
_EN_TAIL_ORG = re.compile(
    r"(?P<name>(?:(?!(?:The|A|An|This|Its)\s)[A-Z][\w’'-]+\s+(?:(?:and|for|of|the|&)\s+)?){1,6}"
    r"(?:Bank|Fund|Agency|Corporation|Foundation|Organization|Organisation|Institute|University|Council|Authority|Commission))\b"
)
_MORE_FUNDERS = re.compile(
    r"(?:,\s*)?(?:\bet\s+(?:également\s+|aussi\s+)?par|\band\s+(?:also\s+)?by|\s+و(?:من\s+طرف|من\s+قبل))\b",
    re.IGNORECASE,
)
_FINANCING = re.compile(
    r"قرض|منح|تمويل|هبة|prêt|pret|don\b|financement|subvention|loan|grant|financing|credit", re.IGNORECASE
)
_PURPOSE = re.compile(
    r"لتمويل|من\s+أجل\s+تمويل|pour\s+(?:le\s+)?financ\w*|destinée?\s+à\s+financer|to\s+(?:co-?)?finance|for\s+the\s+financing\s+of",
    re.IGNORECASE,
)
_EN_TAIL_PROJECT = re.compile(
    r"(?P<name>(?:[A-Z][\w’'-]+\s+(?:(?:and|for|of|the|in|&)\s+)?){1,8}(?:Project|Programme|Program|Initiative|Compact))\b"
)


def _document_language(paras: list) -> str:
    weights: Counter[str] = Counter()
    for para in paras:
        if not para.boilerplate:
            weights[para.language] += len(para.text)
    if not weights:
        return detect_language(" ".join(p.text for p in paras))
    return weights.most_common(1)[0][0]


def _clean_name(name: str) -> str:
    name = re.sub(r"\s+", " ", name.replace("’", "'")).strip(' ,;:-–«»"“”')
    name = re.sub(r"^(?:l'|la |le |les |the |d'|de la |du )", "", name, flags=re.IGNORECASE)
    return name


def _capitalise(phrase: str) -> str:
    phrase = _clean_name(phrase)
    return phrase[:1].upper() + phrase[1:] if phrase and not is_arabic(phrase[:1]) else phrase


def _trim_phrase(phrase: str) -> str:
    """Drop a trailing date or filler from a noun phrase ('… سنة 2008', '… en 2008', '… lancé')."""
    phrase = re.sub(r"\s+(?:سنة|عام|في|en|in|au|à)\s+\d{4}\s*$", "", phrase)
    phrase = re.sub(r"\s+\d{4}\s*$", "", phrase)
    phrase = re.sub(r"\s+(?:a\s+été|ont\s+été|est|sont|sera|seront|was|were|is|are|will\s+be|تم|قد)\s*$", "", phrase)
    return phrase.strip(" ,;:")


def _org_type(name: str) -> str:
    first = fold(name.split()[0]) if name.split() else ""
    folded = fold(name)
    table = [
        (("ministere", "ministry", "departement", "department", "direction", "directorate", "office", "delegation",
          "ambassade", "embassy", "secretariat", "haut", "agence nationale", "وزاره", "مديريه", "مندوبيه", "كتابه",
          "مكتب", "سفاره"), "GovernmentBody"),
        (("universite", "university", "institut", "institute", "ecole", "school", "academie", "academy", "college",
          "cite", "جامعه", "معهد", "مدرسه", "اكاديميه", "مدينه"), "EducationInstitution"),
        (("banque", "bank", "بنك"), "DevelopmentBank"),
        (("association", "federation", "confederation", "fondation", "foundation", "chambre", "chamber", "syndicat",
          "cooperative", "reseau", "network", "alliance", "جمعيه", "فيدراليه", "كونفدراليه", "غرفه", "تعاونيه"),
         "CivilSocietyOrganisation"),
        (("societe", "company", "corporation", "entreprise", "groupe", "شركه"), "Company"),
        (("agence", "agency", "وكاله"), "DevelopmentAgency"),
        (("organisation", "organization", "منظمه", "union", "اتحاد"), "InternationalOrganisation"),
    ]  # fmt: skip
    for heads, etype in table:
        if first in heads or any(folded.startswith(h + " ") for h in heads if " " in h):
            if etype == "DevelopmentAgency" and (
                "nationale" in folded or "national" in folded or "marocaine" in folded
            ):
                return "GovernmentBody"
            return etype
    return "Organisation"


def _is_plural(word: str) -> bool:
    folded = fold(word)
    return folded.endswith(("s", "x")) and folded not in {"fonds", "office", "nations", "affaires"}


def _is_common_word(raw: str) -> bool:
    return fold(raw) in {"le", "la", "les", "ce", "cette", "un", "une", "des", "the", "this", "a"}


def _name_before_acronym(tokens: list[Token], acronym: str, heads: set[str]) -> tuple[Token, Token] | None:
    """The tokens of the full name an acronym abbreviates, ending right before '(ACR)'."""
    if not tokens:
        return None
    letters = [c.lower() for c in acronym if c.isupper()] or [c.lower() for c in acronym if c.isalpha()]
    for size in range(min(len(tokens), 12), 0, -1):
        window = tokens[-size:]
        if not window[0].text[:1].isupper():
            continue
        content = [t for t in window if fold(t.text) not in _FUNCTION_WORDS]
        initials = [fold(t.text)[0] for t in content]
        if not content or fold(content[0].text)[0] != letters[0]:
            continue
        if (
            _subsequence(letters, initials)
            and (len(content) >= 2)
            and (fold(window[0].text) in heads or len(content) <= len(letters) + 2)
        ):
            return window[0], window[-1]
    return None


def _subsequence(needle: list[str], haystack: list[str]) -> bool:
    it = iter(haystack)
    return all(any(c == h for h in it) for c in needle)


@cache
def _folded(words: frozenset[str]) -> frozenset[str]:
    return frozenset(fold(w) for w in words)


@cache
def _arabic_heads(lex: Lexicon) -> dict[str, list[tuple[str, ...]]]:
    """Head phrases indexed by the key form of their first word."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for head in lex.organisation_heads:
        keys = tuple(key_form(w) for w in head.split())
        index.setdefault(keys[0], []).append(keys)
        index.setdefault("ال" + keys[0], []).append(keys)
    return index


def _arabic_head_at(tokens: list[Token], i: int, head: tuple[str, ...]) -> bool:
    if i + len(head) > len(tokens):
        return False

    for k, part in enumerate(head):
        forms = match_forms(tokens[i + k].text)
        if part not in forms and ("ال" + part) not in forms:
            return False
    before = tokens[i - 1].text if i > 0 else ""
    return fold(before) not in {"هذه", "هذا", "مختلف", "جميع", "كل"}


def _arabic_attribute(token: str) -> bool:
    folded = fold(token)
    return (
        folded.startswith(("ال", "لل", "وال")) and len(folded) > 3 and folded not in {"التي", "الذي", "الذين", "اللتي"}
    )


def _only_arabic_glue(gap: str) -> bool:
    return gap.strip() in {"", "ال"}


def _token_equals(token: Token, key: str, name: str) -> bool:
    if name.isupper() and len(name) <= 10:
        return token.text == name or (fold(token.text) == key and token.is_upper)
    return fold(token.text) == key


def _kind(word: str | None, text: str, lex: Lexicon) -> str:
    probe = fold(word) if word else ""
    if probe in {
        "تمويل",
        "financement",
        "funding",
        "financing",
        "support",
        "دعم",
        "appui financier",
        "enveloppe",
        "contribution",
    }:
        probe = ""  # not decisive: the rest of the sentence says whether it is a loan or a grant
    if probe in {"pret", "loan", "credit", "قرض", "قرضا"} or (
        not probe and lex.loan_words and re.search(lex.loan_words, text, re.IGNORECASE)
    ):
        return "loan"
    if probe in {"don", "subvention", "grant", "منحه", "منحة"} or (
        not probe and lex.grant_words and re.search(lex.grant_words, text, re.IGNORECASE)
    ):
        return "grant"
    return "unspecified"


def _amount_between(moneys: list[Quantity], start: int, end: int | None) -> Quantity | None:
    """The first amount after a funder's name and before the next funder's."""
    return next((q for q in moneys if q.start >= start and (end is None or q.end <= end)), None)


def _nearest_amount(moneys: list[Quantity], position: int, parties: int) -> Quantity | None:
    if not moneys:
        return None
    if parties > 1 and len(moneys) < parties:
        return None  # one figure for several co-funders is a total, not each one's share
    return min(moneys, key=lambda q: abs(q.start - position))
