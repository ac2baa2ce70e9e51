"""Stage 5: mentions that refer to entities named elsewhere in the document, and the queries later
stages use to find the participants of a fact.

Bare uses of an acronym learnt from "Full Name (ACR)"; an unknown acronym listed among
organisations; the first words of a longer name used alone ("الوكالة اليابانية" for "الوكالة
اليابانية للتعاون الدولي"); places inside an organisation's name are not places mentioned; a
state that acts ("la Côte d'Ivoire a signé") is its government.
"""

from __future__ import annotations

import re
from functools import lru_cache

from coopkg.extract.doc import ORGANISATION, PROJECT, REGION, Doc, Mention
from coopkg.extract.lexicon import Locale
from coopkg.extract.stages import states
from coopkg.extract.stages.names import ACRONYM, listed_acronyms
from coopkg.extract.text import Sentence, is_arabic, key_form, match_forms, tokenize


def coreference(doc: Doc) -> Doc:
    _translated_names(doc)
    _bracketed_project_names(doc)
    _project_name_parts(doc)
    _acronyms(doc)
    _short_references(doc)
    _head_references(doc)
    _drop_places_inside_names(doc)
    return doc


_HEAD_REFERENCE = {
    "fr": re.compile(r"(?<![\w])(?:la|le|l['’])\s*(Banque|Fonds|Agence|Fondation|Organisation|Union|Office)(?![\w])"),
    "en": re.compile(r"(?<![\w])the\s+(Bank|Fund|Agency|Foundation|Organization|Organisation|Union|Facility)(?![\w])"),
    "ar": re.compile(r"(?<![\w])(?:[وفب]|ل)?(?:ال)(بنك|صندوق|وكالة|مؤسسة|منظمة|اتحاد)(?![\w])"),
}


def _head_references(doc: Doc) -> None:
    """ "la Banque", "the Fund", "الصندوق": the one organisation of the document with that head word."""
    for index, sentence in enumerate(doc.sentences):
        pattern = _HEAD_REFERENCE.get(sentence.language)
        if pattern is None:
            continue
        for match in pattern.finditer(sentence.text):
            start, end = sentence.start + match.start(1), sentence.start + match.end(1)
            if doc.overlapping(start - 4, end + 1, (ORGANISATION, REGION)) is not None:
                continue
            head = key_form(match.group(1))
            named = {m.key for m in doc.mentions if m.kind == ORGANISATION and not m.method.startswith("pattern:head-ref")
                     and _first_word(doc, m) == head}  # fmt: skip
            if len(named) == 1:
                start = sentence.start + match.start()
                doc.mention(Mention(named.pop(), ORGANISATION, start, end, index, "pattern:head-reference", 0.6))


def _first_word(doc: Doc, mention: Mention) -> str:
    tokens = tokenize(doc.text[mention.start : mention.end])
    words = [key_form(t.text) for t in tokens if key_form(t.text) not in {"la", "le", "l", "the"}]
    return words[0] if words else ""


_KNOWN_ACRONYM = re.compile(rf"\s*\(\s*({ACRONYM})\s*\)")


def _translated_names(doc: Doc) -> None:
    """ "the German Development Bank (KfW)", "la Banque allemande de développement (KfW)": a new name
    followed by the bracketed acronym of a known organisation is that organisation, named in translation
    (the initials differ, so the "Full Name (ACR)" rule could not join them)."""
    orgs = [m for m in doc.mentions if m.kind == ORGANISATION]
    for m in orgs:
        entity = doc.entities.get(m.key)
        if entity is None or entity.known:
            continue
        match = _KNOWN_ACRONYM.match(doc.text, m.end)
        if match is None:
            continue
        known = next((n for n in orgs if (n.start, n.end) == match.span(1)), None)
        target = doc.entities.get(known.key) if known is not None else None
        if target is None or not target.known:
            continue
        name = doc.text[m.start : m.end]
        if (name, entity.lang) not in target.alt and name != target.label:
            target.alt.append((name, entity.lang))
        for other in doc.mentions:
            if other.key == entity.key:
                other.key = target.key
        del doc.entities[entity.key]


def _bracketed_project_names(doc: Doc) -> None:
    """ "le Projet PACETEM (Programme pour l'Éducation des Enfants hors Écoles)": a project's name and, in
    brackets, its long form (or the other way round) are one project."""
    projects = [m for m in doc.mentions if m.kind == PROJECT]
    for m in projects:
        opening = re.match(r"\s*\(\s*", doc.text[m.end : m.end + 4])
        if opening is None:
            continue
        inner = next((n for n in projects if n.start == m.end + opening.end() and n.key != m.key), None)
        if inner is None or not re.match(r"\s*\)", doc.text[inner.end : inner.end + 3]):
            continue
        a, b = doc.entities.get(m.key), doc.entities.get(inner.key)
        if a is None or b is None or a.known or b.known:
            continue
        keep, drop = (a, b) if len(a.label) >= len(b.label) else (b, a)
        for name, lang in [(drop.label, drop.lang), *drop.alt]:
            if name != keep.label and (name, lang) not in keep.alt:
                keep.alt.append((name, lang))
        keep.acronym = keep.acronym or drop.acronym or (drop.label if drop.label.isupper() else None)
        for other in doc.mentions:
            if other.key == drop.key:
                other.key = keep.key
        del doc.entities[drop.key]
        doc.projects.pop(drop.key, None)


def _project_name_parts(doc: Doc) -> None:
    """ "du projet « formation et insertion professionnelle- Msomo na Hazi »" and "le projet Msomo na Hazi" (read
    "Msomo"): a capitalised project name whose words run inside one longer project name is that project."""
    projects = {k: e for k, e in doc.entities.items() if e.kind == PROJECT and not e.known}
    words = {k: [key_form(t.text) for t in tokenize(e.label)] for k, e in projects.items()}
    for key, entity in list(projects.items()):
        part = words[key]
        if not part or len(entity.label) < 4 or not entity.label[:1].isupper() or entity.type == "PartnershipAgreement":
            continue
        holders = [k for k, w in words.items() if k != key and k in projects and len(w) > len(part)
                   and any(w[i : i + len(part)] == part for i in range(len(w) - len(part) + 1))]  # fmt: skip
        if len(holders) != 1:
            continue
        keep = projects[holders[0]]
        for name, lang in [(entity.label, entity.lang), *entity.alt]:
            if name != keep.label and (name, lang) not in keep.alt:
                keep.alt.append((name, lang))
        for other in doc.mentions:
            if other.key == key:
                other.key = keep.key
        del doc.entities[key]
        doc.projects.pop(key, None)
        del projects[key]


def _acronyms(doc: Doc) -> None:
    acronyms = {e.acronym: e for e in doc.entities.values() if e.acronym and e.kind == ORGANISATION}
    for index, sentence in enumerate(doc.sentences):
        for token in sentence.tokens:
            entity = acronyms.get(token.text)
            if entity is not None and not doc.overlapping(token.start, token.end, (ORGANISATION,)):
                doc.mention(Mention(entity.key, ORGANISATION, token.start, token.end, index, "pattern:acronym", 0.8))
        listed_acronyms(doc, index, sentence, doc.lex(sentence))


@lru_cache(maxsize=200_000)
def _first_forms(token: str) -> tuple[str, ...]:
    """The forms a name's first word may take in this token (in the order of the set they were made as)."""
    return tuple({key_form(f) if is_arabic(f) else f for f in match_forms(token)})


def _short_references(doc: Doc) -> None:
    """The first words (two at least) of a longer name found in the document, with one meaning only."""
    prefixes: dict[tuple[str, ...], set[str]] = {}
    for m in doc.mentions:
        if m.kind != ORGANISATION:
            continue
        keys = tuple(key_form(t.text) for t in tokenize(doc.text[m.start : m.end]))
        for size in range(2, len(keys)):
            prefixes.setdefault(keys[:size], set()).add(m.key)
    unique = {k: next(iter(v)) for k, v in prefixes.items() if len(v) == 1}
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for key in sorted(unique, key=len, reverse=True):
        by_first.setdefault(key[0], []).append(key)
    if not by_first:
        return
    for index, sentence in enumerate(doc.sentences):
        toks = sentence.tokens
        keys: list[str] | None = None  # (only for a sentence where some name may start)
        i = 0
        while i < len(toks):
            firsts = _first_forms(toks[i].text)
            if not by_first.keys().isdisjoint(firsts):
                if keys is None:
                    keys = [key_form(t.text) for t in toks]
                found = next(
                    ((unique[key], len(key)) for first in firsts for key in by_first.get(first, ())
                     if tuple(keys[i + 1 : i + len(key)]) == key[1:]),
                    None,
                )  # fmt: skip
            else:
                found = None
            if found and (toks[i].text[:1].isupper() or is_arabic(toks[i].text)):
                start, end = toks[i].start, toks[i + found[1] - 1].end
                if not doc.overlapping(start, end, (ORGANISATION,)):
                    doc.mention(Mention(found[0], ORGANISATION, start, end, index, "pattern:short-name", 0.7))
                i += found[1]
                continue
            i += 1


def _drop_places_inside_names(doc: Doc) -> None:
    """'Japan Social Development Fund' names no place; a place ending a name ('… de Tamesna') does."""
    orgs = [m for m in doc.mentions if m.kind == ORGANISATION and m.method != "pattern:acting-state"]
    doc.mentions = [
        m for m in doc.mentions
        if m.kind != REGION or not any(o.start <= m.start and m.end < o.end - 1 for o in orgs)
    ]  # fmt: skip


# -- queries for the fact stages -------------------------------------------------------------------


def acting(doc: Doc, mention: Mention) -> Mention:
    """The organisation a mention stands for when it acts: a country is its government."""
    if mention.kind == ORGANISATION or not doc.is_state(mention.key):
        return mention
    for m in doc.mentions:
        if m.kind == ORGANISATION and m.start == mention.start and m.end == mention.end:
            return m
    code = mention.key.rsplit("/", 1)[-1]
    place = doc.entities.get(mention.key)
    name = place.label if place is not None else doc.text[mention.start : mention.end]  # "تونس", not "لتونس"
    entity = states.government(doc, code, name, place.lang if place is not None else doc.language)
    state = Mention(
        entity.key, ORGANISATION, mention.start, mention.end, mention.sentence, "pattern:acting-state", 0.75
    )
    doc.mention(state)
    return state


def actors(doc: Doc, sentence: Sentence, *, states: bool = True) -> list[Mention]:
    """Organisations of a sentence, and (when ``states``) countries that could be acting."""
    found = doc.in_sentence(sentence, ORGANISATION)
    if states:
        spans = {(m.start, m.end) for m in found}
        places = doc.in_sentence(sentence, REGION)
        found += [m for m in places if doc.is_state(m.key) and (m.start, m.end) not in spans
                  and not _placing(doc, places, m)]  # fmt: skip
    return sorted(found, key=lambda m: (m.start, -m.end))


_BRACKET_BEFORE = re.compile(r"\s*\(\s*$")


def _placing(doc: Doc, places: list[Mention], mention: Mention) -> bool:
    """Whether a country only says where the place before it is: "basée à Jeddah (Arabie Saoudite)",
    "Ouagadougou (Burkina Faso) –"; such a country does not act."""
    if not _BRACKET_BEFORE.search(doc.text[max(0, mention.start - 3) : mention.start]):
        return False
    opening = doc.text.rfind("(", 0, mention.start)
    return any(p.end <= opening and not doc.text[p.end : opening].strip() for p in places if p is not mention)


def orgs_after(
    doc: Doc, position: int, sentence: Sentence, lex: Locale, *, limit: int = 40, states: bool = False,
    money_between: bool = True,
) -> list[Mention]:  # fmt: skip
    """Organisations named right after ``position``, with those coordinated to them.

    An amount may stand between ("un don de 2,5 millions d'euros de la BEI").
    """
    candidates = [m for m in actors(doc, sentence, states=states) if m.start >= position]
    if not candidates:
        return []
    determiners = lex.text("grammar", "determiners")
    lead = re.compile(rf"^\s*(?:(?:de|of|from|من)\s+)?(?:{determiners}\s*)?$", re.IGNORECASE)
    first = candidates[0]
    gap = doc.text[position : first.start]
    if not (lead.match(gap) or gap.strip() in {"", "ال"}):
        if not money_between:
            return []
        money = [q for q in doc.money.get(first.sentence, []) if position <= q.start and q.end <= first.start]
        if not money or not lead.match(doc.text[money[-1].end : first.start]):
            return []
        if not re.fullmatch(r"\s*(?:(?:de|of|worth|بقيمة|بمبلغ)\s+)?(?:\w+\s+)?", doc.text[position : money[0].start]):
            return []
    elif len(gap) > limit:
        return []
    found = [first]
    glue = re.compile(rf"^{lex.text('grammar', 'coordination')}(?:{determiners}\s*)?$", re.IGNORECASE)
    for nxt in candidates[1:]:
        if nxt.start < found[-1].end:
            continue
        between = doc.text[found[-1].end : nxt.start]
        if glue.match(between) or (sentence.language == "ar" and not between.strip() and doc.text[nxt.start] == "و"):
            found.append(nxt)
        else:
            break
    unique: dict[str, Mention] = {}
    for m in found:
        m = acting(doc, m)
        unique.setdefault(m.key, m)
    return list(unique.values())


def org_before(doc: Doc, sentence: Sentence, position: int, *, states: bool = True) -> Mention | None:
    prior = [m for m in actors(doc, sentence, states=states) if m.end <= position]
    return prior[-1] if prior else None
